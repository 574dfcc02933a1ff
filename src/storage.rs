//! The SQLite file: where it lives, how a connection is opened and set up, and the schema
//! migrations.
//!
//! A file is recognised as ours by `PRAGMA application_id`; its schema version is
//! `PRAGMA user_version`. A file that is not ours, or that a newer version wrote, is refused
//! before anything is written to it.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The application identifier, shared by the desktop app and the CLI: the data directory is
/// named after it.
pub const APP_IDENTIFIER: &str = "org.delegatedesk.desk";
/// Environment variable that overrides the database location.
pub const DB_ENV: &str = "DELEGATE_DESK_DB";
/// File name of the database inside the data directory.
pub const DB_FILE_NAME: &str = "delegate-desk.sqlite3";
/// `PRAGMA application_id` of a Delegate Desk database ("DDSK").
pub const APPLICATION_ID: i32 = 0x4444_534B;
/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One schema step. The list only ever grows at its end: a step once released never changes.
struct Migration {
    /// What the step does, for the record.
    #[allow(dead_code)]
    what: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        what: "event, days, delegations, attendees, audit; capacity and append-only triggers",
        sql: include_str!("sql/001_initial.sql"),
    },
    Migration { what: "badge prints and printer calibration", sql: include_str!("sql/002_badges.sql") },
    Migration { what: "seat allocations per delegation", sql: include_str!("sql/003_allocations.sql") },
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The default database path: the OS data directory for [`APP_IDENTIFIER`] (on Linux
/// `~/.local/share/org.delegatedesk.desk/delegate-desk.sqlite3`), the same for the app and
/// the CLI.
pub fn default_db_path() -> Result<PathBuf> {
    let dir = dirs::data_dir().ok_or_else(|| {
        Error::Io("No data directory is known for this user (HOME is not set); pass --db PATH".into())
    })?;
    Ok(dir.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

/// Which database to use: `explicit` (`--db PATH`) if given, else `DELEGATE_DESK_DB` if set
/// and not empty, else [`default_db_path`].
pub fn resolve_db_path(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    match std::env::var_os(DB_ENV) {
        Some(v) if !v.is_empty() => Ok(PathBuf::from(v)),
        _ => default_db_path(),
    }
}

/// The value of a `--db PATH` or `--db=PATH` argument among the program's arguments, for
/// front ends that have no argument parser of their own (the desktop app).
pub fn db_arg<I: IntoIterator<Item = String>>(args: I) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--db=") {
            return Some(PathBuf::from(v));
        }
    }
    None
}

fn refuse(path: &Path, why: &str) -> Error {
    Error::Storage(format!("{} {why}; it was left untouched.", path.display()))
}

/// Open (creating if needed) the database at `path`, refuse a file that is not ours or is too
/// new, set the connection up (WAL, foreign keys, busy timeout, synchronous=FULL) and bring
/// the schema up to date. `seed` runs inside the transaction that creates a new database.
pub fn open(path: &Path, seed: impl FnOnce(&rusqlite::Transaction) -> Result<()>) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Io(format!("Cannot create the folder {} for the database: {e}", dir.display()))
        })?;
    }
    if path.is_dir() {
        return Err(Error::Storage(format!("{} is a folder, not a database file", path.display())));
    }
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::Storage(format!("Cannot open the database {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;

    // Look before writing anything.
    let (app_id, version, objects) = inspect(&conn).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            refuse(path, "is not a Delegate Desk database (it is not an SQLite file)")
        }
        other => Error::Storage(format!("Cannot read the database {}: {other}", path.display())),
    })?;
    check_identity(path, app_id, version, objects)?;

    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(path, &mut conn, seed)?;
    Ok(conn)
}

fn inspect(conn: &Connection) -> rusqlite::Result<(i32, i64, i64)> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

fn check_identity(path: &Path, app_id: i32, version: i64, objects: i64) -> Result<()> {
    let empty = app_id == 0 && version == 0 && objects == 0;
    if app_id != APPLICATION_ID && !empty {
        return Err(refuse(path, "is not a Delegate Desk database (it is another program's SQLite file)"));
    }
    if version > SCHEMA_VERSION {
        return Err(refuse(
            path,
            &format!(
                "was written by a newer version of Delegate Desk (schema {version}; this version understands up to {SCHEMA_VERSION}). Update Delegate Desk to open it"
            ),
        ));
    }
    Ok(())
}

/// Apply the missing migrations in one exclusive transaction. Another process may have
/// migrated meanwhile, so the version is read again inside the transaction.
fn migrate(
    path: &Path,
    conn: &mut Connection,
    seed: impl FnOnce(&rusqlite::Transaction) -> Result<()>,
) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let (app_id, version, objects) = inspect(&tx)?;
    check_identity(path, app_id, version, objects)?;
    for m in &MIGRATIONS[version as usize..] {
        tx.execute_batch(m.sql)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    if version == 0 {
        seed(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_seed(_: &rusqlite::Transaction) -> Result<()> {
        Ok(())
    }

    #[test]
    fn migrating_twice_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.sqlite3");
        drop(open(&p, no_seed).unwrap());
        let conn = open(&p, |_| panic!("seeded twice")).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.sqlite3");
        drop(open(&p, no_seed).unwrap());
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        }
        let e = open(&p, no_seed).unwrap_err();
        assert_eq!(e.kind(), "storage");
        assert!(e.to_string().contains("newer version"), "{e}");
        let c = Connection::open(&p).unwrap();
        let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1);
    }

    #[test]
    fn env_and_flag_override_the_default() {
        assert_eq!(resolve_db_path(Some(Path::new("/x/y.db"))).unwrap(), PathBuf::from("/x/y.db"));
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(db_arg(args(&["app", "--db", "/a.db"])), Some(PathBuf::from("/a.db")));
        assert_eq!(db_arg(args(&["app", "--db=/b.db"])), Some(PathBuf::from("/b.db")));
        assert_eq!(db_arg(args(&["app"])), None);
        let d = default_db_path().unwrap();
        assert!(d.ends_with("org.delegatedesk.desk/delegate-desk.sqlite3"), "{}", d.display());
    }
}
