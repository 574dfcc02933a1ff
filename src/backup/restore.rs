//! Restore: a backup put in place of the database, refused when it is another event's or
//! older than what the desks already saw, the database it replaces kept beside it.

use super::*;
use crate::error::{Error, Result};
use crate::store::file_copy::{copy_file_into, open_backup};
pub use crate::store::storage::backup_dir;
use crate::store::storage::journal_files;
use crate::Desk;
use chrono::Utc;
use std::path::{Path, PathBuf};

/// `delegate-desk-cli restore`: put the backup `from` in place of the database at `db`. A
/// database that opens is restored with [`Desk::restore`]. One that cannot be opened (damaged,
/// another program's, unreadable) is replaced only when `force` is given: it is first moved
/// aside, with its journal files, into the backup folder — never deleted.
///
/// `operator` and `desk` name who restores and where, in the audit trail (the defaults
/// otherwise). A refusal that needs no database (an empty backup) comes before the database is
/// opened, so a new path is not created by a restore that is refused. `pin` gives the
/// coordinator PIN when the database holds one (asked with the refusal's words).
pub fn restore_path(
    db: &Path,
    from: &Path,
    force: bool,
    operator: Option<&str>,
    desk: Option<&str>,
    pin: &mut dyn FnMut(&str) -> Result<String>,
) -> Result<RestoreOutcome> {
    if !crate::store::pg::looks_like_address(db) {
        crate::store::output::check_restore_source(db, from)?;
    }
    let backup = inspect(from)?;
    // (An address is refused as such when it is opened, before anything else.)
    if !crate::store::pg::looks_like_address(db) {
        refuse_empty(&backup, from, force)?;
    }
    let signed = |d: &mut Desk| -> Result<()> {
        if let Some(op) = operator {
            d.set_operator(op)?;
        }
        if let Some(label) = desk {
            d.set_desk(label)?;
        }
        Ok(())
    };
    let unopened = match Desk::open(db) {
        Ok(mut d) => {
            signed(&mut d)?;
            // A database that opens holds its PIN: the restore is the coordinator's.
            return match d.restore(from, force) {
                Err(Error::CoordinatorOnly(why)) => {
                    d.unlock(&pin(&why)?)?;
                    d.restore(from, force)
                }
                other => other,
            };
        }
        Err(e @ Error::Storage(_)) => e,
        Err(e) => return Err(e),
    };
    // Only a file is put aside and replaced: a folder, a named pipe or a device at that name is
    // no database, and moving it would take something that was never the desk's.
    if let Some(what) =
        std::fs::symlink_metadata(db).ok().as_ref().and_then(crate::store::storage::not_a_file)
    {
        return Err(Error::invalid(
            "db",
            format!(
                "{} is {what}, not a database file; nothing was moved or restored. Name the database file to restore into",
                db.display()
            ),
        ));
    }
    // Nor a journal of another database (its -wal holds that one's latest changes), nor a file
    // open now in a desk or another program (moved aside, its writes would go on into the file
    // kept aside): --force is not offered for them.
    crate::store::storage::check_not_a_journal(db)?;
    if crate::store::storage::in_use(db) {
        return Err(Error::Conflict(format!(
            "{} is open now, in a desk or another program; nothing was moved or restored. Close it there first, then restore",
            db.display()
        )));
    }
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
    let aside = free_name(&dir, &format!("{REPLACED_PREFIX}{}-unopened-{name}", stamp(Utc::now())), "")?;
    // The backup is copied (and verified) beside the database first, under a name of its own:
    // the slow part, done while the database is still at its name. Before, the name was freed
    // first, for the seconds the copy took; a copy that failed, or a desk opening the name
    // meanwhile, left a new, empty database there in place of the event.
    let here = crate::store::storage::folder_of(db);
    let staged = free_name(here, &format!(".{name}.restoring-{}", stamp(Utc::now())), "")?;
    copy_file_into(from, &staged).map_err(|e| {
        Error::Io(format!(
            "The backup could not be copied beside {}: {e}; nothing was moved or restored",
            db.display()
        ))
    })?;
    let unstage = || {
        let _ = std::fs::remove_file(&staged);
    };
    let moved = |a: &Path, b: &Path| {
        rename_noclobber(a, b)
            .map_err(|e| Error::Io(format!("Cannot move {} aside to {}: {e}", a.display(), b.display())))
    };
    // The journals go aside first: left behind, they would be read as the journals of the file
    // put in its place. If one cannot be moved, those moved go back.
    let mut journals = Vec::new();
    for journal in journal_files(db) {
        if journal.symlink_metadata().is_ok() {
            let suffix = journal.to_string_lossy()[db.to_string_lossy().len()..].to_string();
            journals.push((journal, PathBuf::from(format!("{}{suffix}", aside.display()))));
        }
    }
    let put_back = |done: &[(PathBuf, PathBuf)]| {
        for (a, b) in done.iter().rev() {
            let _ = rename_noclobber(b, a);
        }
    };
    for (done, (a, b)) in journals.iter().enumerate() {
        if let Err(e) = moved(a, b) {
            put_back(&journals[..done]);
            unstage();
            return Err(e);
        }
    }
    // Then the copy takes the database's name in one step, and the file it replaces goes aside:
    // at no moment is the name free. (Where the file system cannot swap two names, the file is
    // moved aside and the copy moved in right after it.)
    let not_put = |e: std::io::Error| {
        Error::Io(format!("Cannot put the backup in place of {}: {e}; nothing was restored", db.display()))
    };
    let kept = match crate::backup::files::exchange(&staged, db).map_err(not_put) {
        Ok(true) => {
            moved(&staged, &aside).map(|()| aside.clone()).or_else(|_| Ok::<_, Error>(staged.clone()))
        }
        Ok(false) => moved(db, &aside).and_then(|()| {
            rename_noclobber(&staged, db).map(|()| aside.clone()).map_err(|e| {
                let _ = rename_noclobber(&aside, db);
                not_put(e)
            })
        }),
        Err(e) => Err(e),
    };
    let aside = match kept {
        Ok(a) => a,
        Err(e) => {
            put_back(&journals);
            unstage();
            return Err(e);
        }
    };
    if let Ok(d) = std::fs::File::open(here) {
        let _ = d.sync_all();
    }
    // From here the backup is in place: a failure says so, and where the file it replaced is.
    let after = |e: Error| {
        Error::Storage(format!(
            "The backup {} was put in place of {}, and the file it replaced kept as {}; but then: {e}",
            from.display(),
            db.display(),
            aside.display()
        ))
    };
    let mut desk = Desk::open(db).map_err(after)?;
    signed(&mut desk)?;
    desk.record_restore(
        serde_json::json!({"unopened": unopened.to_string(), "keptAside": aside.display().to_string()}),
        from,
        &backup,
        highest_revision_in(&dir),
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

/// What names an event to a person: its name, its dates, and whether it is demo data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventKey {
    pub(crate) name: String,
    pub(crate) start: String,
    pub(crate) end: String,
    pub(crate) demo: bool,
}

impl EventKey {
    pub(crate) fn of(e: &crate::Event) -> EventKey {
        EventKey {
            name: e.name.clone(),
            start: e.start_date.to_string(),
            end: e.end_date.to_string(),
            demo: e.demo,
        }
    }

    /// "“CANSEC 2019” (2019-11-14 to 2019-11-15)", with "demo data" when it is.
    pub(crate) fn describe(&self) -> String {
        format!(
            "“{}” ({} to {}){}",
            self.name,
            self.start,
            self.end,
            if self.demo { ", demo data of invented people" } else { "" }
        )
    }
}

/// Why the backup `from`, holding `theirs`, is not restored over this database (holding
/// `here`, at `revision`) without --force, if it is not: demo data over a real event, or
/// another event over one that has recorded a change. A new database (no change yet) loses
/// nothing to another event's backup: that is how a desk is set up again on a new laptop.
pub(crate) fn event_refusal(
    here: &EventKey,
    theirs: &EventKey,
    revision: i64,
    from: &Path,
) -> Option<String> {
    if theirs.demo && !here.demo {
        return Some(format!(
            "The backup {} is demo data of invented people: {}; this database holds the real event {}. Restoring would put invented people in place of it; restore with --force to do it anyway (this database is kept aside first)",
            from.display(),
            theirs.describe(),
            here.describe()
        ));
    }
    (here != theirs && revision > 0).then(|| {
        if here.name == theirs.name && here.demo == theirs.demo {
            // The same event whose dates changed since the backup: not another event.
            return format!(
                "The backup {} holds “{}” as it was when it ran {} to {}; it now runs {} to {}. Restoring would put those dates back too; restore with --force if that is meant (this database is kept aside first)",
                from.display(),
                theirs.name,
                theirs.start,
                theirs.end,
                here.start,
                here.end
            );
        }
        format!(
            "The backup {} is of another event: {}; this database holds {}. Restoring would replace this event with that one; restore with --force to do it anyway (this database is kept aside first)",
            from.display(),
            theirs.describe(),
            here.describe()
        )
    })
}

/// The highest revision a backup in `dir` holds: automatic ones by their names, the others
/// (*Back up now*, databases kept aside) by what they hold; 0 when there is none.
pub(crate) fn highest_revision_in(dir: &Path) -> i64 {
    let autos = auto_backups(dir).iter().map(|a| a.revision).max().unwrap_or(0);
    let others = [MANUAL_PREFIX, REPLACED_PREFIX]
        .iter()
        .flat_map(|prefix| files_in(dir, prefix))
        .filter_map(|p| inspect(&p).ok())
        .map(|b| b.revision)
        .max()
        .unwrap_or(0);
    autos.max(others)
}

/// The event a backup holds, read through a read-only connection that creates nothing.
pub(crate) fn backup_event(path: &Path) -> Result<EventKey> {
    let db = open_backup(path)?;
    // A backup older than schema 10 has no demo column: it is not a demo.
    let has_demo = db.value::<i64>(
        "SELECT count(*) FROM pragma_table_info('event') WHERE name = 'demo'",
        crate::params![],
    )? > 0;
    let sql = if has_demo {
        "SELECT name, start_date, end_date, demo FROM event WHERE id = 1"
    } else {
        "SELECT name, start_date, end_date, 0 FROM event WHERE id = 1"
    };
    let cannot = |e: &dyn std::fmt::Display| {
        Error::Storage(format!("The backup {} holds no event that can be read: {e}", path.display()))
    };
    db.query_opt(sql, crate::params![], |r| {
        Ok(EventKey { name: r.get(0)?, start: r.get(1)?, end: r.get(2)?, demo: r.get::<i64>(3)? != 0 })
    })
    .map_err(|e| cannot(&e))?
    .ok_or_else(|| cannot(&"no event row"))
}

/// The refusal of a file backup on a server database.
pub(crate) fn server_backup() -> Error {
    Error::Conflict(
        "This roster is on a database server: the server keeps its own backups. To keep a copy on this laptop, use delegate-desk-cli copy --from postgres://… --to FILE".into(),
    )
}
