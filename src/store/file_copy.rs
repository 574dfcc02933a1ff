//! Copies of a database file that stay consistent while desks write: SQLite's online backup
//! into a new file (checked, then given its name), a backup file read without touching it,
//! and a backup copied back in place of the database. The backup rule above
//! ([`crate::backup`]) decides when, where and whether; this file only copies.

use super::db::Db;
use super::records::now;
use super::storage::{self, journal_files};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    /// The file.
    pub path: String,
    /// When the copy was taken (UTC, RFC 3339).
    pub at: String,
    /// The database's revision (its last audit entry) in the copy.
    pub revision: i64,
    /// People on file in the copy.
    pub attendees: i64,
    /// Size of the file, bytes.
    pub bytes: u64,
}

/// A read-only connection to a backup file that creates nothing beside it (`immutable`). A file
/// with a `-wal` beside it is a live database, not a backup, and is refused.
fn open_backup_connection(path: &Path) -> Result<Connection> {
    if journal_files(path).iter().any(|j| j.exists()) {
        return Err(Error::Storage(format!(
            "{} has a journal (-wal) beside it: it is a database in use, not a backup. Make a backup of it with delegate-desk-cli backup",
            path.display()
        )));
    }
    let absolute = std::path::absolute(path)?;
    let mut uri = String::from("file:");
    for c in absolute.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(&uri, flags)
        .map_err(|e| Error::Storage(format!("Cannot read the backup {}: {e}", path.display())))
}

/// Read what a backup file holds, through a read-only connection (nothing is created beside
/// it). Refused unless it is a sound Delegate Desk database.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    storage::check_ours(path)?;
    let conn = open_backup_connection(path)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| Error::Storage(format!("The backup {} cannot be read: {e}", path.display())))?;
    if check != "ok" {
        return Err(Error::Storage(format!("The backup {} is damaged ({check})", path.display())));
    }
    let (revision, at): (i64, Option<String>) = conn.query_row(
        "SELECT coalesce(max(id), 0), (SELECT at FROM audit ORDER BY id DESC LIMIT 1) FROM audit",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let attendees: i64 = conn.query_row("SELECT count(*) FROM attendee", [], |r| r.get(0))?;
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified().ok().map(DateTime::<Utc>::from);
    Ok(BackupInfo {
        path: path.display().to_string(),
        at: at
            .or_else(|| modified.map(|m| m.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
            .unwrap_or_default(),
        revision,
        attendees,
        bytes: meta.len(),
    })
}

/// Copy `from` into a new file at `out` in one read transaction (a consistent snapshot while
/// other desks write), check the copy, then give it its name. `out` must not exist.
pub(crate) fn snapshot(from: &Db, db: &Path, out: &Path) -> Result<BackupInfo> {
    storage::check_output(db, out)?;
    // Nor another database's journal name: the file would be taken for that database's
    // journal (deleted at its next opening, or read as a crash's hot journal).
    storage::check_not_a_journal(out)?;
    copy_into(file_of(from)?, out)
}

/// Copy `from` into the new file `out` (see [`snapshot`]), without the output check: also
/// used to put a backup in place of a database that could not be opened.
fn copy_into(from: &Connection, out: &Path) -> Result<BackupInfo> {
    // The name itself, not what it points to: a link to nowhere "did not exist", and the
    // whole copy was made before its naming failed with the system's words.
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        let what = if meta.file_type().is_symlink() { "is a symbolic link" } else { "already exists" };
        return Err(Error::invalid(
            "output",
            format!("{} {what}; choose a new file name for the backup", out.display()),
        ));
    }
    let dir = crate::store::storage::folder_of(out);
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("output", format!("{} is not a file name", out.display())))?;
    let fail =
        |e: &dyn std::fmt::Display| Error::Io(format!("Cannot write the backup {}: {e}", out.display()));
    // A new file of its own (see `storage::temp_beside`); it removes itself if anything
    // below fails.
    let temp = storage::temp_beside(dir, name).map_err(|e| fail(&e))?;
    (|| -> Result<()> {
        let mut to = Connection::open_with_flags(
            temp.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| fail(&e))?;
        {
            let backup = Backup::new(from, &mut to).map_err(|e| fail(&e))?;
            // All pages in one step: one read transaction, so the copy is one moment's state.
            run_backup(&backup).map_err(|e| fail(&e))?;
        }
        // A backup is one self-contained file.
        let mode: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(Error::Storage(format!("The backup keeps journal mode {mode}")));
        }
        drop(to);
        temp.as_file().sync_all().map_err(|e| fail(&e))?;
        Ok(())
    })()?;
    // Verified once, before it gets its name; the rename does not change its bytes.
    let mut info = inspect(temp.path())
        .map_err(|e| Error::Storage(format!("The backup could not be verified, so it was not kept: {e}")))?;
    // Given its name only if that name is still free: an existing file is never replaced.
    temp.persist_noclobber(out).map_err(|e| fail(&e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    info.path = out.display().to_string();
    info.at = now();
    Ok(info)
}

/// Copy every page in one step, waiting while another connection holds a lock, for at most
/// [`crate::store::storage::BUSY_TIMEOUT`].
fn run_backup(backup: &Backup) -> Result<()> {
    let deadline = std::time::Instant::now() + storage::BUSY_TIMEOUT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            StepResult::Busy | StepResult::Locked => {
                return Err(Error::Storage(
                    "Another desk kept the database busy for too long; nothing was copied. Try again".into(),
                ))
            }
            _ => continue,
        }
    }
}

/// A private copy of the database file at `path`, in memory, to read from without changing
/// it, brought up to this version's schema. `copy --from` reads it: opened read-write, the
/// source was migrated in place (a backup used as the source was changed, and an older
/// version's desks on a live one were locked out of it). In memory, not in a file: a copy
/// killed half-way left a readable copy of every attendee in the temporary folder.
///
/// The file is read through a read-only connection: a live database (a `-wal` beside it) with
/// its journal, a closed one or a backup as one immutable file, so that nothing is created
/// beside it; in one read transaction. A closed database a desk opens during the copy is read
/// again, as a live one.
pub(crate) fn working_copy(path: &Path) -> Result<Db> {
    storage::check_ours(path)?;
    let fail = |e: &dyn std::fmt::Display| Error::Storage(format!("Cannot read {}: {e}", path.display()));
    let stamp = || std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()));
    for _ in 0..2 {
        let live = journal_files(path).iter().any(|j| j.exists());
        let before = stamp();
        let src = if live {
            let c = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| fail(&e))?;
            c.busy_timeout(storage::BUSY_TIMEOUT)?;
            c
        } else {
            open_backup_connection(path)?
        };
        storage::check_open_identity(path, &src)?;
        let mut copy = Connection::open_in_memory().map_err(|e| fail(&e))?;
        {
            let backup = Backup::new(&src, &mut copy).map_err(|e| fail(&e))?;
            run_backup(&backup)?;
        }
        // Read as one immutable file while a desk opened it and wrote: read again, live.
        if live || (stamp() == before && !journal_files(path).iter().any(|j| j.exists())) {
            storage::migrate_open(path, &mut copy)?;
            return Ok(Db::sqlite(copy));
        }
    }
    Err(Error::Storage(format!(
        "{} kept changing while it was read; nothing was copied. Try again",
        path.display()
    )))
}

/// The file connection of `db`; a server's roster has no file to copy.
fn file_of(db: &Db) -> Result<&Connection> {
    db.as_sqlite().ok_or_else(|| Error::Internal("a file copy of a roster on a server".into()))
}

/// A read-only connection to the backup file at `path` that creates nothing beside it (see
/// [`open_backup_connection`]), for reading what it holds.
pub(crate) fn open_backup(path: &Path) -> Result<Db> {
    Ok(Db::sqlite(open_backup_connection(path)?))
}

/// Copy the backup at `from` into the new file `out` (no output check): to put a backup in
/// place of a database that could not be opened.
pub(crate) fn copy_file_into(from: &Path, out: &Path) -> Result<BackupInfo> {
    copy_into(&open_backup_connection(from)?, out)
}

/// Replace the content of the file database `db` (at `db_path`) with the backup at `from`,
/// page by page in one step, then bring its schema up to date.
pub(crate) fn restore_into(db: &mut Db, db_path: &Path, from: &Path) -> Result<()> {
    let src = open_backup_connection(from)?;
    let conn =
        db.as_sqlite_mut().ok_or_else(|| Error::Internal("a file restore of a roster on a server".into()))?;
    {
        let backup = Backup::new(&src, conn)?;
        run_backup(&backup)?;
    }
    storage::migrate_open(db_path, conn)
}

/// What each backup file held when last read ([`inspect`], a check of every page), by path,
/// with what identifies the file as it was then. The window asks for the newest backup after
/// every change at any desk, holding the desk: with 20 backups of 10,000 people that read took
/// 0.3 s each time, and the next scan waited for it. A backup is written once, so a file with
/// the same identity, length and time is not read again.
#[derive(Debug, Default)]
pub(crate) struct SeenBackups(std::collections::HashMap<std::path::PathBuf, (FileStamp, Option<BackupInfo>)>);

/// A file's device, inode, length and modification time.
type FileStamp = (u64, u64, u64, Option<std::time::SystemTime>);

impl SeenBackups {
    /// What each of `files` holds (`None`: it cannot be read as a backup), read again only
    /// when it changed; files no longer asked about are forgotten.
    pub(crate) fn read(&mut self, files: &[std::path::PathBuf]) -> Vec<Option<BackupInfo>> {
        use std::os::unix::fs::MetadataExt;
        let mut seen = std::collections::HashMap::with_capacity(files.len());
        let infos = files
            .iter()
            .map(|p| {
                let stamp = std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino(), m.len(), m.modified().ok()));
                let info = match (stamp, self.0.remove(p)) {
                    (Some(now), Some((then, info))) if now == then => info,
                    _ => inspect(p).ok(),
                };
                if let Some(stamp) = stamp {
                    seen.insert(p.clone(), (stamp, info.clone()));
                }
                info
            })
            .collect();
        self.0 = seen;
        infos
    }
}
