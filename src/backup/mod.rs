//! Backups of the database: a consistent copy taken while desks work (SQLite's online backup
//! API, in one read transaction), automatic rotating backups in a folder beside the database,
//! and restoring one.
//!
//! A backup is a self-contained Delegate Desk database (no `-wal`), created with owner-only
//! permissions and checked (`quick_check`, identity) before it is given its name. Restoring
//! refuses to replace a database that holds changes newer than the backup unless forced, and
//! keeps the replaced database aside first.

mod files;
mod restore;

use crate::error::{Error, Result};
use crate::store::db::Tx;
use crate::store::file_copy::{restore_into, snapshot};
use crate::store::records::now;
use crate::store::restoring::RestoreMark;
pub use crate::store::storage::backup_dir;
use crate::Desk;
use chrono::Utc;
use files::*;
pub use restore::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

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

pub use crate::store::file_copy::{inspect, BackupInfo};

/// The backups beside the database, for the window's footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// The folder of the automatic backups.
    pub folder: String,
    /// The newest backup in it (automatic or *Back up now*), if any: the one holding the
    /// latest change (its `at` is that change's time).
    pub last: Option<BackupInfo>,
    /// When that backup was made (UTC, RFC 3339): the time in its name, else its file's. A
    /// *Back up now* with nothing changed since the last backup holds the same last change,
    /// but was made now.
    pub taken: Option<String>,
    /// How many backups the folder holds.
    pub count: usize,
    /// The newest backup was made, or holds a change made, later than this computer's clock
    /// (the clock was ahead then, and has been put back): how old it is cannot be told.
    pub age_unknown: bool,
    /// Why this desk's last automatic backup failed ("… at 2019-11-14T13:05:00.000Z"), until
    /// one works again: the line said only that the last backup grew older.
    #[serde(default)]
    pub auto_failed: Option<String>,
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

/// The audit trail's last number in `tx`, and the number past both it and `floor` that the
/// next row takes when it must rank above the revisions `floor` stands for.
fn number_past_in(tx: &Tx, floor: i64) -> Result<(i64, i64)> {
    let last: i64 = tx.value("SELECT coalesce(max(id), 0) FROM audit", crate::params![])?;
    let id = last.max(floor).checked_add(1).ok_or_else(|| {
        Error::Internal(format!("The audit trail is numbered up to {}: no number is left", last.max(floor)))
    })?;
    Ok((last, id))
}

/// Write the audit row `id` of a database-wide `action` (no attendee), as
/// [`crate::store::records::audit`] writes one, with its number given.
fn write_numbered(
    tx: &Tx,
    id: i64,
    operator: &crate::Operator,
    action: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (id, at, operator, desk, action, attendee_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)",
        crate::params![
            id,
            now(),
            &operator.name,
            &operator.desk,
            action,
            before.to_string(),
            after.to_string()
        ],
    )?;
    Ok(())
}

impl Desk {
    /// The audit entry of a restore: what was replaced (`before`) and which backup came back.
    ///
    /// Its number (the database's revision) is past `floor`, the highest revision the replaced
    /// database and the backups in its folder hold: the revision of one database file only
    /// grows, even when an older state comes back. Backups are ordered by the revision they
    /// hold, so those taken after the restore rank above those taken before it (and are not
    /// rotated away in their favour), and another desk that read revision `floor` sees a
    /// change. The row is written as [`crate::store::records::audit`] writes one, with its
    /// number given.
    fn record_restore(
        &mut self,
        before: serde_json::Value,
        from: &Path,
        backup: &BackupInfo,
        floor: i64,
    ) -> Result<()> {
        let operator = self.operator.clone();
        let after = serde_json::json!({"backup": from.display().to_string(), "revision": backup.revision});
        let tx = self.begin()?;
        let (_, id) = number_past_in(&tx, floor)?;
        write_numbered(&tx, id, &operator, "database.restore", &before, &after)?;
        tx.commit()
    }

    /// Number this database's next change past `floor` (the highest revision its backup folder
    /// holds), with an audit entry saying so.
    fn number_past(&self, floor: i64) -> Result<()> {
        let tx = self.db.begin()?;
        let (last, id) = number_past_in(&tx, floor)?;
        if last >= floor {
            return tx.commit();
        }
        let before = serde_json::json!({"revision": last});
        let after =
            serde_json::json!({"revision": id, "folder": backup_dir(self.path()).display().to_string()});
        write_numbered(&tx, id, &self.operator, "database.numbered", &before, &after)?;
        tx.commit()
    }

    /// Back the database up into a new file `out` (refused if it exists or is the database).
    pub fn backup(&self, out: &Path) -> Result<BackupInfo> {
        self.refuse_on_server()?;
        snapshot(&self.db, self.path(), out)
    }

    /// Refused on a server: its database is backed up by the server (or copied to a file with
    /// `delegate-desk-cli copy`), not by the desk.
    fn refuse_on_server(&self) -> Result<()> {
        if self.db.is_server() {
            return Err(server_backup());
        }
        Ok(())
    }

    /// *Back up now* from the window: a backup into the backup folder beside the database.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        let dir = backup_dir(self.path());
        create_dir(&dir)?;
        let mut tries = 0;
        loop {
            let out = free_name(&dir, &format!("{MANUAL_PREFIX}{}", stamp(Utc::now())), ".sqlite3")?;
            match self.backup(&out) {
                // Another desk took the same name in the same millisecond (the name is given
                // only if still free): this desk's backup takes the next one.
                Err(_) if tries < 10 && out.symlink_metadata().is_ok() => tries += 1,
                done => return done,
            }
        }
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
        let done = self.take_auto_backup();
        *self.auto_backup_failed.borrow_mut() = match &done {
            Ok(_) => None,
            Err(e) => Some((e.to_string(), crate::store::records::now())),
        };
        done
    }

    /// [`Desk::auto_backup`], its failure not yet remembered.
    fn take_auto_backup(&self) -> Result<Option<BackupInfo>> {
        if self.db.is_server() {
            return Ok(None);
        }
        let mut revision = self.revision()?;
        let dir = backup_dir(self.path());
        let autos = auto_backups(&dir);
        // Backups beside it hold later revisions than this database has: it is a new database
        // where another was, and that one's backups were kept (a fresh start after a rehearsal).
        // It is numbered past them first, as a restore is: ranked below them, its every change
        // was "due" a backup, and each rotation removed its previous one, keeping one only.
        if autos.last().is_some_and(|newest| newest.revision > revision) {
            self.number_past(highest_revision_in(&dir))?;
            revision = self.revision()?;
        }
        let now = Utc::now();
        if !backup_due(&autos, revision, now) {
            return Ok(None);
        }
        create_dir(&dir)?;
        let out = dir.join(format!("{AUTO_PREFIX}{}-r{revision}.sqlite3", stamp(now)));
        let info = match self.backup(&out) {
            Ok(info) => info,
            // Another desk took the same backup (the same revision) in the same millisecond.
            Err(_) if out.symlink_metadata().is_ok() => return Ok(None),
            Err(e) => return Err(e),
        };
        for old in to_rotate(auto_backups(&dir), &out) {
            remove_rotated(&old, self.path());
        }
        Ok(Some(info))
    }

    /// The backup folder and its newest backup. A file read before, unchanged since (same
    /// file, length and time), is not read again: the window asks after every change.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        self.refuse_on_server()?;
        let dir = backup_dir(self.path());
        let mut files = files_in(&dir, AUTO_PREFIX);
        files.extend(files_in(&dir, MANUAL_PREFIX));
        // The newest is the one holding the latest revision (then the latest time): a file's
        // time and its name's can be wrong after the clock was corrected; its revision is
        // what it holds. A file that cannot be read is not the last backup.
        let last = self
            .backups_seen
            .borrow_mut()
            .read(&files)
            .into_iter()
            .flatten()
            .max_by(|a, b| (a.revision, &a.at).cmp(&(b.revision, &b.at)));
        let made = last.as_ref().and_then(|b| taken_at(std::path::Path::new(&b.path)));
        let now = Utc::now();
        let age_unknown =
            last.as_ref().is_some_and(|b| in_future(&b.at, now)) || made.is_some_and(|t| t > now);
        let taken = made.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        let auto_failed =
            self.auto_backup_failed.borrow().as_ref().map(|(why, at)| format!("{why} (at {at})"));
        Ok(BackupStatus {
            folder: dir.display().to_string(),
            last,
            taken,
            count: files.len(),
            age_unknown,
            auto_failed,
        })
    }

    /// Replace the database's content with the backup at `from`. Refused when the database
    /// holds changes newer than the backup unless `force`; the replaced database is first
    /// kept aside in the backup folder. Other desks on the same file see the restored data
    /// at their next read.
    ///
    /// From its checks until the backup is in place, other desks' writes are refused with a
    /// message (see [`crate::store::restoring`]): a change committed after the database was
    /// kept aside would be in neither file.
    ///
    /// A coordinator action: it replaces every person, check-in and setting, the PIN with them
    /// (a database that cannot be opened is restored without it: its PIN cannot be read).
    pub fn restore(&mut self, from: &Path, force: bool) -> Result<RestoreOutcome> {
        self.refuse_on_server()?;
        crate::store::output::check_restore_source(self.path(), from)?;
        let backup = inspect(from)?;
        refuse_empty(&backup, from, force)?;
        self.coordinator_only("Restoring a backup over this database")?;
        let mark = RestoreMark::take(self.path(), &self.operator.name, &self.operator.desk)?;
        self.db.set_restoring(true);
        let restored = self.restore_marked(from, force, backup);
        self.db.set_restoring(false);
        drop(mark);
        restored
    }

    /// [`Desk::restore`] once its mark is left: the writes of other desks under way end first.
    fn restore_marked(&mut self, from: &Path, force: bool, backup: BackupInfo) -> Result<RestoreOutcome> {
        // Waits for the write lock once: a change another desk began before the mark was left
        // is committed (and so kept aside) or rolled back; every later one sees the mark.
        drop(self.begin()?);
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
            let here = EventKey::of(&crate::store::records::load_event(&self.db)?);
            if let Some(why) = event_refusal(&here, &backup_event(from)?, revision, from) {
                return Err(Error::Conflict(why));
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
        let aside = free_name(&dir, &format!("{REPLACED_PREFIX}{}", stamp(Utc::now())), ".sqlite3")?;
        self.backup(&aside)?;
        // Numbered past every revision this database and its backups have held (the one kept
        // aside included), so the backups taken from now on rank above those taken before.
        // Read before the data is replaced: it checks every kept backup (seconds), and a
        // failure there changes nothing.
        let floor = revision.max(highest_revision_in(&dir));
        let path = self.path().to_path_buf();
        restore_into(&mut self.db, &path, from)?;
        self.search_index.get_mut().reset();
        // The check-ins this desk made are not those of the restored database (ids repeat).
        self.forget_checkins_made();
        self.record_restore(
            serde_json::json!({"revision": revision, "keptAside": aside.display().to_string()}),
            from,
            &backup,
            floor,
        )
        .map_err(|e| {
            // Said as it is: the data is the backup's now; only its record is missing.
            Error::Storage(format!(
                "The backup {} was restored (the database it replaced is kept as {}), but the restore could not be recorded in the audit trail: {e}",
                from.display(),
                aside.display()
            ))
        })?;
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

/// A backup that holds nobody and no change is restored only when forced: it is more likely a
/// new file taken for a backup than the state to go back to.
pub(crate) fn refuse_empty(backup: &BackupInfo, from: &Path, force: bool) -> Result<()> {
    if backup.revision == 0 && backup.attendees == 0 && !force {
        return Err(Error::Conflict(format!(
            "The backup {} holds no attendee and no change; add --force to restore it anyway",
            from.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDateTime, Utc};
    use std::path::PathBuf;

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

    /// When a backup was made: the time its name carries (automatic, *Back up now*, a second
    /// one of the same millisecond), else its file's modification time.
    #[test]
    fn a_backup_was_made_at_the_time_in_its_name_else_its_files() {
        let at = NaiveDateTime::parse_from_str("2019-11-14 07:15:00.123", "%Y-%m-%d %H:%M:%S%.3f")
            .unwrap()
            .and_utc();
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "auto-20191114-071500123-r42.sqlite3",
            "manual-20191114-071500123.sqlite3",
            "manual-20191114-071500123-2.sqlite3",
        ] {
            assert_eq!(taken_at(&dir.path().join(name)), Some(at), "{name}");
        }
        let other = dir.path().join("manual-copy.sqlite3");
        std::fs::write(&other, b"x").unwrap();
        let modified = DateTime::<Utc>::from(std::fs::metadata(&other).unwrap().modified().unwrap());
        assert_eq!(taken_at(&other), Some(modified));
        assert_eq!(taken_at(&dir.path().join("manual-gone.sqlite3")), None);
    }

    /// The "now" of these tests: a fixed moment, so the logic is tested without a clock.
    fn now() -> DateTime<Utc> {
        NaiveDateTime::parse_from_str("2019-11-14 07:15:00", "%Y-%m-%d %H:%M:%S").unwrap().and_utc()
    }

    fn auto(minutes: i64, revision: i64) -> Auto {
        let at = now() + chrono::TimeDelta::minutes(minutes);
        Auto { path: PathBuf::from(format!("{AUTO_PREFIX}{}-r{revision}.sqlite3", stamp(at))), at, revision }
    }

    #[test]
    fn a_backup_is_due_after_a_change_and_ten_minutes_or_when_the_newest_is_in_the_future() {
        let now = now();
        assert!(!backup_due(&[], 0, now), "an untouched database");
        assert!(backup_due(&[], 1, now));
        assert!(!backup_due(&[auto(-60, 5)], 5, now), "nothing changed since");
        assert!(!backup_due(&[auto(-5, 5)], 6, now), "the last one is five minutes old");
        assert!(!backup_due(&[auto(-9, 5)], 6, now));
        assert!(backup_due(&[auto(-10, 5)], 6, now));
        // The clock was a day ahead when the newest was taken, and has been put back.
        assert!(backup_due(&[auto(24 * 60, 5)], 6, now), "a backup from the future has an unknown age");
        assert!(backup_due(&[auto(1, 5)], 6, now), "even a minute ahead");
        // The newest is the one holding the latest revision, whatever the times say.
        assert!(!backup_due(&[auto(24 * 60, 5), auto(-1, 6)], 7, now), "taken a minute ago");
    }

    #[test]
    fn backups_are_ordered_by_the_revision_they_hold_then_by_time() {
        let dir = tempfile::tempdir().unwrap();
        // A day ahead: revisions 1 to 3; at the true time: 4 and 5; two of one revision.
        let made = [auto(24 * 60, 1), auto(24 * 60 + 11, 2), auto(24 * 60 + 22, 3), auto(0, 4), auto(11, 5)];
        let tie = [auto(-30, 5), auto(-20, 5)];
        for a in made.iter().chain(&tie) {
            std::fs::write(dir.path().join(&a.path), b"").unwrap();
        }
        let revisions: Vec<(i64, DateTime<Utc>)> =
            auto_backups(dir.path()).iter().map(|a| (a.revision, a.at)).collect();
        let mut expected: Vec<(i64, DateTime<Utc>)> =
            made.iter().chain(&tie).map(|a| (a.revision, a.at)).collect();
        expected.sort();
        assert_eq!(revisions, expected);
        assert_eq!(revisions.last(), Some(&(5, now() + chrono::TimeDelta::minutes(11))));
        // By their names, the ones from the day ahead sort last.
        let mut names = files_in(dir.path(), AUTO_PREFIX);
        names.sort();
        assert!(names.last().unwrap().to_string_lossy().contains("-r3."), "{names:?}");
        assert_eq!(highest_revision_in(dir.path()), 5);
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
        // Even a backup just made of an older revision is kept.
        let older = auto(1, 3);
        let mut with_older = autos.clone();
        with_older.insert(0, older.clone());
        let removed = to_rotate(with_older, &older.path);
        assert!(!removed.contains(&older.path));
        assert_eq!(removed.len(), 2);
        assert!(to_rotate(vec![made.clone()], &made.path).is_empty());
        // Fewer than are kept: nothing goes.
        assert!(to_rotate(autos[..AUTO_KEEP - 1].to_vec(), &made.path).is_empty());
    }

    #[test]
    fn a_time_later_than_now_is_in_the_future() {
        let now = now();
        assert!(in_future("2019-11-15T07:15:00.000Z", now));
        assert!(in_future("2019-11-14T07:15:00.001Z", now));
        assert!(!in_future("2019-11-14T07:15:00.000Z", now));
        assert!(!in_future("2019-11-14T03:15:00-04:00", now), "the same moment, in New York");
        assert!(!in_future("not a time", now));
    }

    fn event(name: &str, demo: bool) -> EventKey {
        EventKey { name: name.into(), start: "2019-11-14".into(), end: "2019-11-15".into(), demo }
    }

    #[test]
    fn a_restore_names_both_events_when_they_differ() {
        let from = Path::new("b.sqlite3");
        let (real, other) = (event("CANSEC 2019", false), event("Logistics Forum", false));
        let demo = event("CANSEC 2019", true);
        assert_eq!(event_refusal(&real, &real, 5, from), None);
        let why = event_refusal(&real, &other, 5, from).unwrap();
        assert!(
            why.contains("“Logistics Forum” (2019-11-14 to 2019-11-15)")
                && why.contains("“CANSEC 2019” (2019-11-14 to 2019-11-15)")
                && why.contains("--force"),
            "{why}"
        );
        // The same event with other dates: refused without --force, but called what it is,
        // not another event.
        let moved = EventKey { start: "2019-11-13".into(), ..real.clone() };
        let why = event_refusal(&real, &moved, 5, from).unwrap();
        assert!(
            why.contains("“CANSEC 2019” as it was when it ran 2019-11-13 to 2019-11-15; it now runs 2019-11-14 to 2019-11-15")
                && !why.contains("another event")
                && why.contains("--force"),
            "{why}"
        );
        // A new database (no change recorded) takes any event's backup…
        assert_eq!(event_refusal(&real, &other, 0, from), None);
        // …but never demo data without --force, and the message says it is demo data.
        for revision in [0, 5] {
            let why = event_refusal(&real, &demo, revision, from).unwrap();
            assert!(why.contains("demo data of invented people") && why.contains("real event"), "{why}");
        }
        assert_eq!(event_refusal(&demo, &demo, 5, from), None);
        assert!(
            event_refusal(&demo, &other, 5, from).is_some(),
            "a real backup over a demo is another event"
        );
    }

    #[test]
    fn a_move_aside_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"b").unwrap();
        assert!(rename_noclobber(&a, &b).is_err());
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        let c = dir.path().join("c");
        rename_noclobber(&a, &c).unwrap();
        assert_eq!(std::fs::read(&c).unwrap(), b"a");
        assert!(!a.exists());
        // A free name skips a file and a journal left by one.
        std::fs::write(dir.path().join("r-1.sqlite3"), b"").unwrap();
        std::fs::write(dir.path().join("r-1-2.sqlite3-wal"), b"").unwrap();
        assert_eq!(free_name(dir.path(), "r-1", ".sqlite3").unwrap(), dir.path().join("r-1-3.sqlite3"));
        assert_eq!(free_name(dir.path(), "r-9", ".sqlite3").unwrap(), dir.path().join("r-9.sqlite3"));
    }

    #[test]
    fn the_rotation_removes_only_a_plain_backup_not_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite3");
        std::fs::write(&db, b"live").unwrap();
        let folder = backup_dir(&db);
        std::fs::create_dir(&folder).unwrap();
        let name = |r: i64| folder.join(format!("{AUTO_PREFIX}20191114-071500000-r{r}.sqlite3"));
        // The live database, and its journal, under a backup's name (a link to each).
        std::os::unix::fs::symlink(&db, name(1)).unwrap();
        std::fs::write(dir.path().join("desk.sqlite3-wal"), b"wal").unwrap();
        std::os::unix::fs::symlink(dir.path().join("desk.sqlite3-wal"), name(2)).unwrap();
        // A backup someone opened as a database: it has a journal beside it.
        std::fs::write(name(3), b"x").unwrap();
        std::fs::write(format!("{}-wal", name(3).display()), b"wal").unwrap();
        // A plain backup.
        std::fs::write(name(4), b"x").unwrap();
        for r in 1..=4 {
            remove_rotated(&name(r), &db);
        }
        assert!(name(1).symlink_metadata().is_ok() && name(2).symlink_metadata().is_ok());
        assert!(name(3).exists(), "in use: kept");
        assert!(!name(4).exists(), "a plain backup goes");
        assert_eq!(std::fs::read(&db).unwrap(), b"live");
        assert_eq!(std::fs::read(dir.path().join("desk.sqlite3-wal")).unwrap(), b"wal");
        // The database itself, by any spelling, is never removed (even with no journal).
        std::fs::remove_file(dir.path().join("desk.sqlite3-wal")).unwrap();
        let spelled = folder.join("..").join("desk.sqlite3");
        remove_rotated(&spelled, &db);
        assert!(db.exists());
    }

    #[test]
    fn the_backup_folder_sits_beside_the_database() {
        assert_eq!(backup_dir(Path::new("/d/desk.sqlite3")), PathBuf::from("/d/desk.sqlite3-backups"));
        assert_ne!(backup_dir(Path::new("/d/desk.db")), backup_dir(Path::new("/d/desk.sqlite3")));
    }
}
