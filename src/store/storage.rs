//! The SQLite file: where it lives, how a connection is opened and set up, and how the schema
//! migrations (listed in `migrations.rs`) are applied.
//!
//! A file is recognised as ours by `PRAGMA application_id`; its schema version is
//! `PRAGMA user_version`. A file that is not ours, or that a newer version wrote, is refused
//! before anything is written to it.

use crate::error::{Error, Result};
use crate::store::db::Value;
use crate::store::migrations::MIGRATIONS;
pub use crate::store::migrations::SCHEMA_VERSION;
pub(crate) use crate::store::output::not_a_file;
pub use crate::store::output::{
    check_not_written_over, check_output, check_output_name, output_dir, output_dir_path, stage_beside,
    temp_beside, write_atomically, Staged, OUTPUT_DIR_ENV,
};
use rusqlite::config::DbConfig;
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

/// Refuse a database named as SQLite's own file beside another (`x-wal`, `x-shm` or
/// `x-journal` while `x` exists), and a new database named so: SQLite writes over a file of
/// that name. A database made in a live `-wal` (empty until its first change) was destroyed by
/// the other database's next change, and one made at a `-journal` name is a "hot journal": the
/// other database was locked while a desk had it open, or the file deleted when it was next
/// opened. Read-only: nothing is created or changed.
pub fn check_not_a_journal(path: &Path) -> Result<()> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return Ok(()) };
    for suffix in ["-wal", "-shm", "-journal"] {
        let Some(stem) = name.strip_suffix(suffix).filter(|s| !s.is_empty()) else { continue };
        let beside = path.with_file_name(stem);
        if beside.exists() {
            return Err(refuse(
                path,
                &format!(
                    "is SQLite's own {suffix} file of the database {}, not a database: a database kept there would be destroyed by that one's next change. Name another file",
                    beside.display()
                ),
            ));
        }
        if std::fs::metadata(path).map_or(true, |m| m.len() == 0) {
            return Err(refuse(
                path,
                &format!(
                    "ends in {suffix}, the name SQLite gives its own file beside a database named {stem}; a new database cannot be kept under it. Name the file otherwise"
                ),
            ));
        }
    }
    Ok(())
}

/// The folder that holds `path`: its parent, or "." for a bare file name (whose parent is the
/// empty path, which cannot be opened or flushed).
pub fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The journal files SQLite keeps beside a database: `-wal`, `-shm` and `-journal`.
pub fn journal_files(db: &Path) -> [PathBuf; 3] {
    let beside = |suffix: &str| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [beside("-wal"), beside("-shm"), beside("-journal")]
}

/// What the first bytes of a file (and its `-wal`) say it is, read without opening it with
/// SQLite: a refused file must stay byte-for-byte as it was, and nothing may be created beside
/// it.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// No file: a new database is created.
    Missing,
    /// An empty file, or an SQLite file with no schema and no identity: taken as new.
    Empty,
    /// A Delegate Desk database this version understands.
    Ours,
    /// The main file says "empty" but its `-wal` holds frames: only a copy can tell.
    Unsure,
}

/// The fields of the 100-byte SQLite header that identify a file.
struct Header {
    page_size: u64,
    pages: u64,
    schema_cookie: u32,
    user_version: i32,
    application_id: i32,
}

fn header(bytes: &[u8; 100]) -> Option<Header> {
    if &bytes[..16] != b"SQLite format 3\0" {
        return None;
    }
    let u16_at = |i: usize| u16::from_be_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let page_size = match u16_at(16) {
        1 => 65536,
        n => u64::from(n),
    };
    Some(Header {
        page_size,
        pages: u64::from(u32_at(28)),
        schema_cookie: u32_at(40),
        user_version: u32_at(60) as i32,
        application_id: u32_at(68) as i32,
    })
}

/// The largest `-wal` copied to tell what an empty-looking main file is: a new database of
/// ours whose creation is still in its `-wal` holds far less.
const MAX_UNSURE_WAL: u64 = 16 * 1024 * 1024;

/// Identify the file at `path` by reading its header (read-only, nothing created).
fn identify(path: &Path) -> Result<Found> {
    use std::io::Read;
    // An address is never a file name: taken for one, it would make folders named after it
    // and show its password in every message about the file.
    if crate::store::pg::looks_like_address(path) {
        return Err(Error::Storage(format!(
            "{} is written as an address, not as the name of a file; nothing was read or created",
            crate::store::pg::shown(path)
        )));
    }
    check_not_a_journal(path)?;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A symbolic link to nothing: a new file cannot be made through it (nor should
            // one be made where it points without saying so).
            if let Ok(target) = std::fs::read_link(path) {
                return Err(refuse(
                    path,
                    &format!(
                        "is a symbolic link to {}, which does not exist: the desk makes no database through a link. Name the database file itself",
                        target.display()
                    ),
                ));
            }
            return Ok(Found::Missing);
        }
        Err(e) => return Err(Error::Storage(format!("Cannot read the database {}: {e}", path.display()))),
    };
    if meta.is_dir() {
        return Err(Error::Storage(format!("{} is a folder, not a database file", path.display())));
    }
    if !meta.is_file() {
        return Err(refuse(path, "is not a regular file (a device or a pipe), so it is not a database"));
    }
    let wal_len = std::fs::metadata(&journal_files(path)[0]).map(|m| m.len()).unwrap_or(0);
    let wal_frames = wal_len > 32;
    if meta.len() == 0 {
        return Ok(if wal_frames { Found::Unsure } else { Found::Empty });
    }
    let mut bytes = [0u8; 100];
    let read =
        std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut bytes)).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                refuse(path, "is not a Delegate Desk database (it is too short to be an SQLite file)")
            }
            _ => Error::Storage(format!("Cannot read the database {}: {e}", path.display())),
        });
    read?;
    let Some(h) = header(&bytes) else {
        return Err(refuse(path, "is not a Delegate Desk database (it is not an SQLite file)"));
    };
    if h.user_version < 0 {
        return Err(negative_version(path, i64::from(h.user_version)));
    }
    if h.application_id == APPLICATION_ID {
        check_version(path, i64::from(h.user_version))?;
        let expected = h.pages.saturating_mul(h.page_size);
        if !wal_frames && h.pages > 0 && meta.len() < expected {
            let backups = backup_dir(path);
            let where_ = if backups.is_dir() {
                format!(" — the automatic backups are in {}", backups.display())
            } else {
                String::new()
            };
            return Err(refuse(
                path,
                &format!(
                    "is damaged: it holds {} bytes but its own header says {expected}. Put a backup in its place with delegate-desk-cli restore FILE --force (the damaged file is kept aside){where_}",
                    meta.len()
                ),
            ));
        }
        return Ok(Found::Ours);
    }
    // Our migration writes the tables and the application id in one transaction, so a main
    // file with tables but no id was never ours, whatever its -wal holds.
    if h.application_id != 0 || h.user_version != 0 || h.schema_cookie != 0 {
        return Err(refuse(path, "is not a Delegate Desk database (it is another program's SQLite file)"));
    }
    if wal_frames {
        if wal_len > MAX_UNSURE_WAL {
            return Err(refuse(
                path,
                &format!(
                    "cannot be recognised without reading its {} MB journal (-wal); it is not a Delegate Desk database as the desk writes them",
                    wal_len / (1024 * 1024)
                ),
            ));
        }
        return Ok(Found::Unsure);
    }
    Ok(Found::Empty)
}

/// Tell what a database whose truth lies in its `-wal` is, by opening a copy of the file and
/// its `-wal` in a temporary folder: opening the original would checkpoint its `-wal`.
fn identify_copy(path: &Path) -> Result<Found> {
    // Only a main file with no tables gets here: one of ours whose creation is in its -wal is
    // one page. A large one is not copied to be looked at.
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_UNSURE_WAL {
        return Err(refuse(
            path,
            "is not a Delegate Desk database (its header says it holds no table, yet it is large)",
        ));
    }
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::Storage(format!("Cannot read the database {}: {e}", path.display()))
    };
    let dir = tempfile::tempdir().map_err(|e| unreadable(&e))?;
    let copy = dir.path().join("inspect.sqlite3");
    std::fs::copy(path, &copy).map_err(|e| unreadable(&e))?;
    std::fs::copy(&journal_files(path)[0], journal_files(&copy)[0].as_path()).map_err(|e| unreadable(&e))?;
    let conn = Connection::open_with_flags(
        &copy,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| unreadable(&e))?;
    let (app_id, version, objects) = inspect(&conn).map_err(|e| unreadable(&e))?;
    check_identity(path, app_id, version, objects)?;
    Ok(if app_id == APPLICATION_ID { Found::Ours } else { Found::Empty })
}

/// Filesystems on which SQLite's locking cannot be trusted, by their `statfs` magic number.
pub fn network_filesystem(magic: i64) -> Option<&'static str> {
    match magic {
        0x6969 => Some("NFS"),
        0x517B | 0xFF53_4D42 | 0xFE53_4D42 => Some("SMB/CIFS"),
        0x6573_5546 => Some("FUSE (sshfs or another user-space filesystem)"),
        0x5346_414F => Some("AFS"),
        0x00C3_6400 => Some("Ceph"),
        0x0102_1997 => Some("9P"),
        0x564C => Some("NCP"),
        0x7375_7245 => Some("Coda"),
        _ => None,
    }
}

/// `path` for a libc call; `None` for a path holding a NUL byte (which no file can have).
#[cfg(unix)]
fn c_path(path: &Path) -> Option<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(path.as_os_str().as_bytes()).ok()
}

/// Whether an SQLite database at `db` is open in a process now (a desk, another program), as
/// its locks say: a connection in WAL mode holds a shared lock on its `-shm` file's byte 128
/// for as long as it is open, and any reading or writing connection locks the database's own
/// lock bytes. Read-only. Open file description locks see the locks of this process too; the
/// probe's own file is closed again, which would drop this process's classic locks on it, so
/// it is used only where this process has the database not open (a restore of a file that
/// could not be opened). Not known where this is not Linux: `false`.
pub fn in_use(db: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        let locked = |file: &Path, start: i64, len: i64| -> bool {
            use std::os::fd::AsRawFd;
            let Ok(f) = std::fs::File::open(file) else { return false };
            // SAFETY: a zeroed flock is a valid value; every field used is set below.
            let mut fl: libc::flock = unsafe { std::mem::zeroed() };
            fl.l_type = libc::F_WRLCK as libc::c_short;
            fl.l_whence = libc::SEEK_SET as libc::c_short;
            fl.l_start = start;
            fl.l_len = len;
            // SAFETY: a valid open descriptor and a valid flock.
            let r = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_OFD_GETLK, &mut fl) };
            r == 0 && fl.l_type != libc::F_UNLCK as libc::c_short
        };
        let shm = journal_files(db)[1].clone();
        // SQLite's lock bytes: PENDING at 0x40000000, then RESERVED and the 510 SHARED bytes.
        locked(&shm, 128, 1) || locked(db, 0x4000_0000, 512)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = db;
        false
    }
}

/// Refuse a folder on a network filesystem: SQLite's locking is not reliable there, and two
/// desks sharing a file through one could corrupt it or both take the last seat.
fn check_local(dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let Some(c) = c_path(dir) else { return Ok(()) };
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statfs struct.
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } == 0 {
            #[allow(clippy::unnecessary_cast)]
            if let Some(fs) = network_filesystem(st.f_type as i64) {
                return Err(Error::Storage(format!(
                    "{} is on a network filesystem ({fs}). SQLite's locking is not reliable there, so the desk keeps its database on a local disk; for several desks, use a database server",
                    dir.display()
                )));
            }
        }
    }
    Ok(())
}

/// Whether `dir` can be written (a read-only mount or folder cannot hold the `-wal`).
fn check_writable(path: &Path, dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        if let Some(c) = c_path(dir) {
            // SAFETY: `c` is a valid NUL-terminated path.
            if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
                let e = std::io::Error::last_os_error();
                return Err(refuse(
                    path,
                    &format!(
                        "cannot be used: its folder {} cannot be written ({e}), and the desk keeps its journal (-wal) beside the database",
                        dir.display()
                    ),
                ));
            }
        }
    }
    let _ = (path, dir);
    Ok(())
}

/// Create a folder (and its parents) readable by its owner only (0700); one that exists is
/// left as it is. The database's folder, the backup folder and the output folder all hold
/// personal data.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Create an empty file readable and writable by its owner only (0600), unless it exists.
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Open (creating if needed) the database at `path`, refuse a file that is not ours or is too
/// new, set the connection up (WAL, foreign keys, busy timeout, synchronous=FULL) and bring
/// the schema up to date. `seed`'s statements run inside the transaction that creates a new
/// database (the same statements seed a new PostgreSQL database: [`crate::store::pg::open`]).
///
/// A file is identified from its header bytes before SQLite opens it read-write: a refused
/// file (another program's, damaged, too new, read-only) is left byte-for-byte as it was and
/// nothing is created beside it. A new database is created with owner-only permissions
/// (0600, its folder 0700).
pub fn open(path: &Path, seed: &[(&'static str, Vec<Value>)]) -> Result<Connection> {
    let dir = folder_of(path);
    let mut found = identify(path)?;
    if found == Found::Missing {
        if !dir.exists() {
            create_private_dir(dir).map_err(|e| {
                Error::Io(format!("Cannot create the folder {} for the database: {e}", dir.display()))
            })?;
        }
        check_local(dir)?;
        check_writable(path, dir)?;
        match create_private_file(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::Io(format!("Cannot create the database {}: {e}", path.display()))),
        }
        found = identify(path)?;
    } else {
        check_local(dir)?;
    }
    if found == Found::Unsure {
        found = identify_copy(path)?;
    }
    if !matches!(found, Found::Empty | Found::Ours) {
        return Err(Error::Storage(format!(
            "The database {} could not be made or read as a new file; nothing was written",
            path.display()
        )));
    }
    let meta = std::fs::metadata(path)?;
    if meta.permissions().readonly() {
        return Err(refuse(path, "is marked read-only, and the desk must write to its database. Make it writable, or work on a copy"));
    }
    check_writable(path, dir)?;

    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::Storage(format!("Cannot open the database {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Until the file is known to be ours and not too new, closing must not checkpoint: a newer
    // schema still in the -wal would be folded into the main file by a refusal.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;

    // Read the identity again through SQLite, which sees the -wal too.
    let (app_id, version, objects) = inspect(&conn).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            refuse(path, "is not a Delegate Desk database (it is not an SQLite file)")
        }
        other => Error::Storage(format!(
            "Cannot read the database {}: {other}{}",
            path.display(),
            full_disk_hint(dir)
        )),
    })?;
    check_identity(path, app_id, version, objects)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;

    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| {
        Error::Storage(format!("Cannot set up the database {}: {e}{}", path.display(), full_disk_hint(dir)))
    })?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage(format!(
            "The database {} cannot use write-ahead logging (journal mode stays \"{mode}\"), which the desk needs to stay safe when the power fails",
            path.display()
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(path, &mut conn, seed).map_err(|e| match e {
        Error::Storage(m) => Error::Storage(format!("{m}{}", full_disk_hint(dir))),
        other => other,
    })?;
    Ok(conn)
}

/// " — the disk is full (…)" when the folder's filesystem has no space left, to explain an
/// I/O error at opening; empty otherwise.
fn full_disk_hint(dir: &Path) -> String {
    #[cfg(unix)]
    {
        if let Some(c) = c_path(dir) {
            let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
            // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statvfs struct.
            if unsafe { libc::statvfs(c.as_ptr(), &mut st) } == 0 {
                #[allow(clippy::unnecessary_cast)]
                let free = (st.f_bavail as u64).saturating_mul(st.f_frsize as u64);
                if free < 256 * 1024 {
                    return format!(
                        ". The disk that holds it is full ({} KB free): free some space and try again",
                        free / 1024
                    );
                }
            }
        }
    }
    let _ = dir;
    String::new()
}

fn inspect(conn: &Connection) -> rusqlite::Result<(i32, i64, i64)> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

/// Refuse, through a connection open on the file at `path` (read-only, say), a file that is not
/// ours or is newer than this version: the identity as SQLite reads it, with the `-wal`.
pub(crate) fn check_open_identity(path: &Path, conn: &Connection) -> Result<()> {
    let (app_id, version, objects) = inspect(conn)
        .map_err(|e| Error::Storage(format!("Cannot read the database {}: {e}", path.display())))?;
    check_identity(path, app_id, version, objects)
}

/// The refusal of a negative `user_version`, whoever wrote the file.
fn negative_version(path: &Path, version: i64) -> Error {
    refuse(
        path,
        &format!("has a negative schema version ({version}): it is damaged, or not a Delegate Desk database"),
    )
}

fn check_version(path: &Path, version: i64) -> Result<()> {
    if version < 0 {
        return Err(negative_version(path, version));
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

fn check_identity(path: &Path, app_id: i32, version: i64, objects: i64) -> Result<()> {
    let empty = app_id == 0 && version == 0 && objects == 0;
    if app_id != APPLICATION_ID && !empty {
        return Err(refuse(path, "is not a Delegate Desk database (it is another program's SQLite file)"));
    }
    check_version(path, version)
}

/// Refuse, without touching it, a file that is not an existing Delegate Desk database this
/// version understands (for backups about to be read).
pub fn check_ours(path: &Path) -> Result<()> {
    let found = match identify(path)? {
        Found::Unsure => identify_copy(path)?,
        other => other,
    };
    match found {
        Found::Ours => Ok(()),
        Found::Missing => Err(Error::NotFound(format!("{} does not exist", path.display()))),
        Found::Empty | Found::Unsure => Err(refuse(path, "is not a Delegate Desk database (it is empty)")),
    }
}

/// Whether `path` is free for a new database: no file, or an empty one (read-only check).
pub fn is_new(path: &Path) -> Result<bool> {
    Ok(matches!(identify(path)?, Found::Missing | Found::Empty))
}

/// Bring an open database's schema up to date (after a restore put an older one in place).
pub(crate) fn migrate_open(path: &Path, conn: &mut Connection) -> Result<()> {
    migrate(path, conn, &[])
}

/// Apply the missing migrations in one exclusive transaction. Another process may have
/// migrated meanwhile, so the version is read again inside the transaction.
fn migrate(path: &Path, conn: &mut Connection, seed: &[(&'static str, Vec<Value>)]) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let (app_id, version, objects) = inspect(&tx)?;
    check_identity(path, app_id, version, objects)?;
    let from = usize::try_from(version).map_err(|_| Error::Internal(format!("schema version {version}")))?;
    for m in MIGRATIONS.get(from..).unwrap_or_default() {
        tx.execute_batch(m.sql)?;
        if let Some(then) = m.then {
            then(&tx)?;
        }
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    if version == 0 {
        for (sql, params) in seed {
            tx.execute(sql, rusqlite::params_from_iter(params))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A read-only connection to the Delegate Desk file at `path` (checked to be ours first), for
/// reading a file without changing it or anything beside it.
pub fn open_read_only(path: &Path) -> Result<crate::store::db::Db> {
    check_ours(path)?;
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| Error::Storage(format!("{} cannot be read: {e}", path.display())))?;
    Ok(crate::store::db::Db::sqlite(conn))
}

/// The folder of the automatic backups of the database at `db`: `<file name>-backups` beside
/// it (`delegate-desk.sqlite3-backups`), so that two databases of one folder never share one.
pub fn backup_dir(db: &Path) -> PathBuf {
    let name =
        db.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "delegate-desk".into());
    db.parent().unwrap_or(Path::new(".")).join(format!("{name}-backups"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.sqlite3");
        drop(open(&p, &[]).unwrap());
        let conn = open(&p, &[("INSERT INTO no_such_table VALUES (1)", vec![])]).unwrap();
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
        drop(open(&p, &[]).unwrap());
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        }
        let e = open(&p, &[]).unwrap_err();
        assert_eq!(e.kind(), "storage");
        assert!(e.to_string().contains("newer version"), "{e}");
        let c = Connection::open(&p).unwrap();
        let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1);
    }

    /// Opened through a symbolic link, the database's journals are beside the file the link
    /// names (SQLite follows it): those are guarded, whatever name the output is given.
    #[test]
    fn the_journals_of_a_database_opened_through_a_link_are_guarded() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let db = real.join("db.sqlite3");
        drop(open(&db, &[]).unwrap());
        let link = dir.path().join("link.sqlite3");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        for suffix in ["-wal", "-shm", "-journal"] {
            let out = real.join(format!("db.sqlite3{suffix}"));
            let e = check_output(&link, &out).unwrap_err();
            assert!(e.to_string().contains("desk's database journal"), "{suffix}: {e}");
            let spelled = dir.path().join(format!("real/../real/db.sqlite3{suffix}"));
            assert!(check_output(&link, &spelled).is_err(), "{suffix} through ..");
        }
        assert!(check_output(&link, &db).is_err());
        check_output(&link, &dir.path().join("roster.csv")).unwrap();
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
