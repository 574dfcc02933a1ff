//! Backups of the database: a consistent copy taken while desks work (SQLite's online backup
//! API, in one read transaction), automatic rotating backups in a folder beside the database,
//! and restoring one.
//!
//! A backup is a self-contained Delegate Desk database (no `-wal`), created with owner-only
//! permissions and checked (`quick_check`, identity) before it is given its name. Restoring
//! refuses to replace a database that holds changes newer than the backup unless forced, and
//! keeps the replaced database aside first.

use crate::error::{Error, Result};
use crate::store::records::now;
use crate::store::storage::{self, journal_files};
use crate::Desk;
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Automatic backups are taken at most this often, and only after a change.
pub const AUTO_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(10);
/// How many automatic backups are kept; older ones are removed.
pub const AUTO_KEEP: usize = 12;
/// File name prefix of automatic backups.
const AUTO_PREFIX: &str = "auto-";
/// File name prefix of the backups the window's *Back up now* writes.
const MANUAL_PREFIX: &str = "manual-";
/// File name prefix of a database kept aside by a restore.
const REPLACED_PREFIX: &str = "replaced-";

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

/// The backups beside the database, for the window's footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// The folder of the automatic backups.
    pub folder: String,
    /// The newest backup in it (automatic or *Back up now*), if any.
    pub last: Option<BackupInfo>,
    /// How many backups the folder holds.
    pub count: usize,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    /// The backup restored.
    pub restored: BackupInfo,
    /// Where the replaced database was kept.
    pub kept_aside: String,
    /// One line for the operator.
    pub message: String,
}

/// The folder of the automatic backups of the database at `db`: `<file name>-backups` beside
/// it (`delegate-desk.sqlite3-backups`), so that two databases of one folder never share one.
pub fn backup_dir(db: &Path) -> PathBuf {
    let name =
        db.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "delegate-desk".into());
    db.parent().unwrap_or(Path::new(".")).join(format!("{name}-backups"))
}

/// A read-only connection to a backup file that creates nothing beside it (`immutable`). A file
/// with a `-wal` beside it is a live database, not a backup, and is refused.
fn open_backup(path: &Path) -> Result<Connection> {
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

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d-%H%M%S%.3f").to_string().replace('.', "")
}

/// When an automatic backup was taken and at which revision, read from its file name
/// (`auto-20191114-071500123-r42.sqlite3`).
fn parse_auto_name(name: &str) -> Option<(DateTime<Utc>, i64)> {
    let rest = name.strip_prefix(AUTO_PREFIX)?.strip_suffix(".sqlite3")?;
    let (when, rev) = rest.rsplit_once("-r")?;
    let at = NaiveDateTime::parse_from_str(when, "%Y%m%d-%H%M%S%3f").ok()?.and_utc();
    Some((at, rev.parse().ok()?))
}

/// The backup files in `dir` whose names start with `prefix`, oldest first (names sort by
/// time).
fn files_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".sqlite3"))
        })
        .collect();
    files.sort();
    files
}

/// An automatic backup: its file, and the time and revision its name carries.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Auto {
    path: PathBuf,
    at: DateTime<Utc>,
    revision: i64,
}

/// The automatic backups in `dir`, by the revision they hold, then by time (oldest first).
fn auto_backups(dir: &Path) -> Vec<Auto> {
    let mut autos: Vec<Auto> = files_in(dir, AUTO_PREFIX)
        .into_iter()
        .filter_map(|path| {
            let (at, revision) = path.file_name().and_then(|n| n.to_str()).and_then(parse_auto_name)?;
            Some(Auto { path, at, revision })
        })
        .collect();
    autos.sort_by_key(|a| (a.revision, a.at));
    autos
}

/// Whether an automatic backup is due at `now` for a database at `revision`, given the
/// automatic backups there are (ordered as [`auto_backups`] orders them): not when the newest
/// holds this revision already; not when it was taken less than [`AUTO_EVERY`] ago; always
/// when its time is in the future (the clock was ahead when it was taken: its age is unknown).
fn backup_due(autos: &[Auto], revision: i64, now: DateTime<Utc>) -> bool {
    match autos.last() {
        None => revision != 0,
        Some(newest) if newest.revision == revision => false,
        Some(newest) if newest.at > now => true,
        Some(newest) => now - newest.at >= AUTO_EVERY,
    }
}

/// The automatic backups to remove so that [`AUTO_KEEP`] are kept: those holding the oldest
/// revisions, never `just_made`.
fn to_rotate(autos: Vec<Auto>, just_made: &Path) -> Vec<PathBuf> {
    let others: Vec<PathBuf> = autos.into_iter().map(|a| a.path).filter(|p| p != just_made).collect();
    let excess = (others.len() + 1).saturating_sub(AUTO_KEEP);
    others.into_iter().take(excess).collect()
}

fn create_dir(dir: &Path) -> Result<()> {
    storage::create_private_dir(dir)
        .map_err(|e| Error::Io(format!("Cannot create the backup folder {}: {e}", dir.display())))
}

/// Read what a backup file holds, through a read-only connection (nothing is created beside
/// it). Refused unless it is a sound Delegate Desk database.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    storage::check_ours(path)?;
    let conn = open_backup(path)?;
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
fn snapshot(from: &Connection, db: &Path, out: &Path) -> Result<BackupInfo> {
    storage::check_output(db, out)?;
    copy_into(from, out)
}

/// Copy `from` into the new file `out` (see [`snapshot`]), without the output check: also
/// used to put a backup in place of a database that could not be opened.
fn copy_into(from: &Connection, out: &Path) -> Result<BackupInfo> {
    if out.exists() {
        return Err(Error::invalid(
            "output",
            format!("{} already exists; choose a new file name for the backup", out.display()),
        ));
    }
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("output", format!("{} is not a file name", out.display())))?;
    let fail =
        |e: &dyn std::fmt::Display| Error::Io(format!("Cannot write the backup {}: {e}", out.display()));
    // A new file under a name with a random part (created exclusively, owner-only): no file
    // that exists — whatever it is called, the database included — is opened or removed. It
    // removes itself if anything below fails.
    let shown: String = name.to_string_lossy().chars().take(60).collect();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{shown}."))
        .suffix(".partial")
        .rand_bytes(12)
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
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

/// `delegate-desk-cli restore`: put the backup `from` in place of the database at `db`. A
/// database that opens is restored with [`Desk::restore`]. One that cannot be opened (damaged,
/// another program's, unreadable) is replaced only when `force` is given: it is first moved
/// aside, with its journal files, into the backup folder — never deleted.
pub fn restore_path(db: &Path, from: &Path, force: bool, operator: Option<&str>) -> Result<RestoreOutcome> {
    let backup = inspect(from)?;
    let unopened = match Desk::open(db) {
        Ok(mut desk) => {
            if let Some(op) = operator {
                desk.set_operator(op)?;
            }
            return desk.restore(from, force);
        }
        Err(e @ Error::Storage(_)) => e,
        Err(e) => return Err(e),
    };
    if !force {
        return Err(Error::Conflict(format!(
            "{unopened} To replace it with the backup {}, add --force: it is moved aside into {} first, not deleted",
            from.display(),
            backup_dir(db).display()
        )));
    }
    let dir = backup_dir(db);
    create_dir(&dir)?;
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // A name that is free: a clock set back could give the stamp of a file kept aside before.
    let aside = (1..1000)
        .map(|n| {
            let base = format!("{REPLACED_PREFIX}{}-unopened-{name}", stamp(Utc::now()));
            dir.join(if n == 1 { base } else { format!("{base}-{n}") })
        })
        .find(|p| !p.exists() && journal_files(p).iter().all(|j| !j.exists()))
        .ok_or_else(|| {
            Error::Io(format!("No free name to keep {} aside in {}", db.display(), dir.display()))
        })?;
    let moved = |a: &Path, b: &Path| {
        std::fs::rename(a, b)
            .map_err(|e| Error::Io(format!("Cannot move {} aside to {}: {e}", a.display(), b.display())))
    };
    moved(db, &aside)?;
    for journal in journal_files(db) {
        if journal.exists() {
            let suffix = journal.to_string_lossy()[db.to_string_lossy().len()..].to_string();
            moved(&journal, &PathBuf::from(format!("{}{suffix}", aside.display())))?;
        }
    }
    copy_into(&open_backup(from)?, db)?;
    let mut desk = Desk::open(db)?;
    if let Some(op) = operator {
        desk.set_operator(op)?;
    }
    desk.record_restore(
        serde_json::json!({"unopened": unopened.to_string(), "keptAside": aside.display().to_string()}),
        from,
        &backup,
    )?;
    let message = format!(
        "Restored {} ({} people, revision {}) in place of a database that could not be opened; that file is kept as {}",
        from.display(),
        backup.attendees,
        backup.revision,
        aside.display()
    );
    Ok(RestoreOutcome { restored: backup, kept_aside: aside.display().to_string(), message })
}

impl Desk {
    /// The audit entry of a restore: what was replaced (`before`) and which backup came back.
    fn record_restore(&mut self, before: serde_json::Value, from: &Path, backup: &BackupInfo) -> Result<()> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        crate::store::records::audit(
            &tx,
            &operator,
            "database.restore",
            None,
            Some(&before),
            Some(&serde_json::json!({"backup": from.display().to_string(), "revision": backup.revision})),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Back the database up into a new file `out` (refused if it exists or is the database).
    pub fn backup(&self, out: &Path) -> Result<BackupInfo> {
        snapshot(self.file_db()?, self.path(), out)
    }

    /// The SQLite file's connection; a server database is backed up by the server (or copied
    /// to a file with `delegate-desk-cli copy`), not by the desk.
    fn file_db(&self) -> Result<&rusqlite::Connection> {
        self.db.as_sqlite().ok_or_else(server_backup)
    }

    /// *Back up now* from the window: a backup into the backup folder beside the database.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        let dir = backup_dir(self.path());
        create_dir(&dir)?;
        let out = dir.join(format!("{MANUAL_PREFIX}{}.sqlite3", stamp(Utc::now())));
        self.backup(&out)
    }

    /// Take an automatic backup if the database changed since the last one and that one is
    /// at least [`AUTO_EVERY`] old; keep the newest [`AUTO_KEEP`]. Returns the new backup, if
    /// one was taken.
    ///
    /// The backups are ordered by the database revision they hold, not by the time in their
    /// names: a clock corrected backwards (it was ahead) must not make every new backup look
    /// older than the last one. A backup whose time is in the future has an unknown age, so a
    /// backup is taken now; the rotation never removes the backup it has just made.
    pub fn auto_backup(&self) -> Result<Option<BackupInfo>> {
        if self.db.as_sqlite().is_none() {
            return Ok(None);
        }
        let revision = self.revision()?;
        let dir = backup_dir(self.path());
        let autos = auto_backups(&dir);
        let now = Utc::now();
        if !backup_due(&autos, revision, now) {
            return Ok(None);
        }
        create_dir(&dir)?;
        let out = dir.join(format!("{AUTO_PREFIX}{}-r{revision}.sqlite3", stamp(now)));
        let info = self.backup(&out)?;
        for old in to_rotate(auto_backups(&dir), &out) {
            let _ = std::fs::remove_file(old);
        }
        Ok(Some(info))
    }

    /// The backup folder and its newest backup.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        self.file_db()?;
        let dir = backup_dir(self.path());
        let mut files = files_in(&dir, AUTO_PREFIX);
        files.extend(files_in(&dir, MANUAL_PREFIX));
        // The newest is the one holding the latest revision (then the latest time): a file's
        // time and its name's can be wrong after the clock was corrected; its revision is
        // what it holds. A file that cannot be read is not the last backup.
        let last = files
            .iter()
            .filter_map(|p| inspect(p).ok())
            .max_by(|a, b| (a.revision, &a.at).cmp(&(b.revision, &b.at)));
        Ok(BackupStatus { folder: dir.display().to_string(), last, count: files.len() })
    }

    /// Replace the database's content with the backup at `from`. Refused when the database
    /// holds changes newer than the backup unless `force`; the replaced database is first
    /// kept aside in the backup folder. Other desks on the same file see the restored data
    /// at their next read.
    pub fn restore(&mut self, from: &Path, force: bool) -> Result<RestoreOutcome> {
        self.file_db()?;
        let backup = inspect(from)?;
        if backup.revision == 0 && backup.attendees == 0 && !force {
            return Err(Error::Conflict(format!(
                "The backup {} holds no attendee and no change; add --force to restore it anyway",
                from.display()
            )));
        }
        let (revision, last): (i64, Option<(String, String)>) = (
            self.revision()?,
            self.db.query_opt(
                "SELECT at, operator FROM audit ORDER BY id DESC LIMIT 1",
                crate::params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
        );
        // A backup of another event (or a demo's) over this one is named before anything else.
        if !force {
            let here = crate::store::records::load_event(&self.db)?;
            let theirs = backup_event(from)?;
            let (here_is, theirs_is) = (EventKey::of(&here), theirs);
            if here_is != theirs_is {
                return Err(Error::Conflict(format!(
                    "The backup {} is of another event: {}; this database holds {}. Restoring would replace this event with that one; restore with --force to do it anyway (this database is kept aside first)",
                    from.display(),
                    theirs_is.describe(),
                    here_is.describe()
                )));
            }
        }
        let newer = revision > backup.revision || last.as_ref().is_some_and(|(at, _)| *at > backup.at);
        if newer && !force {
            let (at, who) = last.unwrap_or_default();
            return Err(Error::Conflict(format!(
                "The database has changes newer than the backup (revision {revision} against {}; last change {at} by {who}). Restoring would lose them; restore with --force to replace it anyway (it is kept aside first)",
                backup.revision
            )));
        }
        let dir = backup_dir(self.path());
        create_dir(&dir)?;
        let aside = dir.join(format!("{REPLACED_PREFIX}{}.sqlite3", stamp(Utc::now())));
        self.backup(&aside)?;
        let src = open_backup(from)?;
        {
            let conn = self.db.as_sqlite_mut().ok_or_else(server_backup)?;
            let backup = Backup::new(&src, conn)?;
            run_backup(&backup)?;
        }
        let path = self.path().to_path_buf();
        storage::migrate_open(&path, self.db.as_sqlite_mut().ok_or_else(server_backup)?)?;
        self.search_index.get_mut().reset();
        // The check-ins this desk made are not those of the restored database (ids repeat).
        self.forget_checkins_made();
        self.record_restore(
            serde_json::json!({"revision": revision, "keptAside": aside.display().to_string()}),
            from,
            &backup,
        )?;
        let message = format!(
            "Restored {} ({} people, revision {}); the database it replaced is kept as {}",
            from.display(),
            backup.attendees,
            backup.revision,
            aside.display()
        );
        Ok(RestoreOutcome { restored: backup, kept_aside: aside.display().to_string(), message })
    }
}

/// What names an event to a person: its name, its dates, and whether it is demo data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EventKey {
    name: String,
    start: String,
    end: String,
    demo: bool,
}

impl EventKey {
    fn of(e: &crate::Event) -> EventKey {
        EventKey {
            name: e.name.clone(),
            start: e.start_date.to_string(),
            end: e.end_date.to_string(),
            demo: e.demo,
        }
    }

    /// "“CANSEC 2019” (2019-11-14 to 2019-11-15)", with "demo data" when it is.
    fn describe(&self) -> String {
        format!(
            "“{}” ({} to {}){}",
            self.name,
            self.start,
            self.end,
            if self.demo { ", demo data of invented people" } else { "" }
        )
    }
}

/// The event a backup holds, read through the read-only connection of [`open_backup`].
fn backup_event(path: &Path) -> Result<EventKey> {
    let conn = open_backup(path)?;
    // A backup older than schema 10 has no demo column: it is not a demo.
    let has_demo: bool = conn
        .query_row("SELECT count(*) FROM pragma_table_info('event') WHERE name = 'demo'", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n > 0)?;
    let sql = if has_demo {
        "SELECT name, start_date, end_date, demo FROM event WHERE id = 1"
    } else {
        "SELECT name, start_date, end_date, 0 FROM event WHERE id = 1"
    };
    conn.query_row(sql, [], |r| {
        Ok(EventKey { name: r.get(0)?, start: r.get(1)?, end: r.get(2)?, demo: r.get::<_, i64>(3)? != 0 })
    })
    .map_err(|e| {
        Error::Storage(format!("The backup {} holds no event that can be read: {e}", path.display()))
    })
}

/// The refusal of a file backup on a server database.
fn server_backup() -> Error {
    Error::Conflict(
        "This roster is on a database server: the server keeps its own backups. To keep a copy on this laptop, use delegate-desk-cli copy --from postgres://… --to FILE".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_backup_names_carry_time_and_revision() {
        let at = NaiveDateTime::parse_from_str("2019-11-14 07:15:00.123", "%Y-%m-%d %H:%M:%S%.3f")
            .unwrap()
            .and_utc();
        let name = format!("{AUTO_PREFIX}{}-r42.sqlite3", stamp(at));
        assert_eq!(name, "auto-20191114-071500123-r42.sqlite3");
        assert_eq!(parse_auto_name(&name), Some((at, 42)));
        assert_eq!(parse_auto_name("auto-x-r1.sqlite3"), None);
        assert_eq!(parse_auto_name("manual-20191114-071500123.sqlite3"), None);
    }

    fn auto(minutes: i64, revision: i64) -> Auto {
        let at = Utc::now() + chrono::TimeDelta::minutes(minutes);
        Auto { path: PathBuf::from(format!("{AUTO_PREFIX}{}-r{revision}.sqlite3", stamp(at))), at, revision }
    }

    #[test]
    fn a_backup_is_due_after_a_change_and_ten_minutes_or_when_the_newest_is_in_the_future() {
        let now = Utc::now();
        assert!(!backup_due(&[], 0, now), "an untouched database");
        assert!(backup_due(&[], 1, now));
        assert!(!backup_due(&[auto(-60, 5)], 5, now), "nothing changed since");
        assert!(!backup_due(&[auto(-5, 5)], 6, now), "the last one is five minutes old");
        assert!(backup_due(&[auto(-11, 5)], 6, now));
        // The clock was a day ahead when the newest was taken, and has been put back.
        assert!(backup_due(&[auto(24 * 60, 5)], 6, now), "a backup from the future has an unknown age");
    }

    #[test]
    fn the_rotation_removes_the_oldest_revisions_never_the_backup_just_made() {
        // Twelve backups from a clock that was a day ahead, then one at the true time: by
        // their names it is the oldest; by what it holds, the newest.
        let mut autos: Vec<Auto> = (0..12).map(|i| auto(24 * 60 + i, 10 + i)).collect();
        let made = auto(0, 30);
        autos.push(made.clone());
        autos.sort_by_key(|a| (a.revision, a.at));
        let removed = to_rotate(autos.clone(), &made.path);
        assert_eq!(removed, vec![autos[0].path.clone()], "only the one holding revision 10");
        // Even a backup just made of an older revision (after a restore) is kept.
        let older = auto(1, 3);
        let mut with_older = autos.clone();
        with_older.insert(0, older.clone());
        let removed = to_rotate(with_older, &older.path);
        assert!(!removed.contains(&older.path));
        assert_eq!(removed.len(), 2);
        assert!(to_rotate(vec![made.clone()], &made.path).is_empty());
    }

    #[test]
    fn the_backup_folder_sits_beside_the_database() {
        assert_eq!(backup_dir(Path::new("/d/desk.sqlite3")), PathBuf::from("/d/desk.sqlite3-backups"));
        assert_ne!(backup_dir(Path::new("/d/desk.db")), backup_dir(Path::new("/d/desk.sqlite3")));
    }
}
