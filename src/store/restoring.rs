//! The mark a restore leaves beside an SQLite file while it puts a backup in place
//! (`desk.sqlite3-restoring`): every other desk's write transaction on that file is refused
//! while it is there, so nothing is committed between the moment the restore keeps the
//! database aside and the moment the backup replaces it — a change confirmed then would be in
//! neither.
//!
//! The mark names the process that made it. A mark whose process is gone (a restore killed
//! half-way), or older than [`STALE_AFTER`], is no longer a restore under way and is ignored.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A mark older than this is ignored whatever its process: no restore takes so long, and a
/// process number can be given to another program.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(10);

/// The mark beside the database at `db`: `{db}-restoring`, beside the file itself whatever
/// the spelling (a symbolic link, `..`), so that a restore and every writer name one mark.
pub fn mark_path(db: &Path) -> PathBuf {
    let real = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let mut name = real.into_os_string();
    name.push("-restoring");
    PathBuf::from(name)
}

/// What a mark holds: who restores, from which process, since when.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Mark {
    pid: u32,
    at: String,
    operator: String,
    desk: String,
}

/// The restore under way on the file whose mark is `mark`, in words for a refusal; `None`
/// when there is no mark, or only a stale one (its process gone, too old, unreadable).
pub fn under_way(mark: &Path) -> Option<String> {
    // The common case costs one failed stat.
    let bytes = std::fs::read(mark).ok()?;
    let m: Mark = serde_json::from_slice(&bytes).ok()?;
    let at = chrono::DateTime::parse_from_rfc3339(&m.at).ok()?.with_timezone(&chrono::Utc);
    let age = chrono::Utc::now() - at;
    // A mark from the future (by more than a clock's jitter) is no restore of this computer's.
    if age > STALE_AFTER || age < -chrono::Duration::seconds(5) || !alive(m.pid) {
        return None;
    }
    Some(format!(
        "A restore of the database is under way (by {} at {}, since {} UTC); nothing was written. Try again in a moment",
        m.operator,
        m.desk,
        at.format("%H:%M:%S")
    ))
}

/// Whether process `pid` of this computer is running.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 checks that the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The mark of this process's restore, removed when dropped (the restore done or failed).
#[derive(Debug)]
pub struct RestoreMark {
    path: PathBuf,
}

impl RestoreMark {
    /// Leave the mark beside `db`; refused while another restore is under way. A stale mark
    /// is replaced.
    pub fn take(db: &Path, operator: &str, desk: &str) -> Result<RestoreMark> {
        let path = mark_path(db);
        let mark = Mark {
            pid: std::process::id(),
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            operator: operator.to_string(),
            desk: desk.to_string(),
        };
        let bytes = serde_json::to_vec(&mark)?;
        for _ in 0..2 {
            match crate::store::storage::create_private_file(&path) {
                Ok(mut f) => {
                    use std::io::Write;
                    f.write_all(&bytes).and_then(|_| f.sync_all()).map_err(|e| {
                        let _ = std::fs::remove_file(&path);
                        Error::Io(format!("Cannot write {}: {e}; nothing was restored", path.display()))
                    })?;
                    return Ok(RestoreMark { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if let Some(why) = under_way(&path) {
                        return Err(Error::Conflict(
                            why.replace("nothing was written", "nothing was restored"),
                        ));
                    }
                    // A stale mark (its restore was killed): only a regular file is removed.
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                        let _ = std::fs::remove_file(&path);
                    } else {
                        break;
                    }
                }
                Err(e) => {
                    return Err(Error::Io(format!(
                        "Cannot write {}: {e}; nothing was restored",
                        path.display()
                    )))
                }
            }
        }
        Err(Error::Io(format!(
            "{} is in the way and is not a restore's mark; nothing was restored",
            path.display()
        )))
    }
}

impl Drop for RestoreMark {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_a_restore_under_way_only_while_its_process_lives_and_is_recent() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite3");
        let mark = RestoreMark::take(&db, "Ana", "Desk 2").unwrap();
        let why = under_way(&mark_path(&db)).unwrap();
        assert!(why.contains("by Ana at Desk 2"), "{why}");
        let e = RestoreMark::take(&db, "Bo", "Desk 3").unwrap_err();
        assert!(e.to_string().contains("nothing was restored"), "{e}");
        drop(mark);
        assert!(!mark_path(&db).exists(), "removed when the restore ends");
        assert_eq!(under_way(&mark_path(&db)), None);
        let write = |m: &Mark| std::fs::write(mark_path(&db), serde_json::to_vec(m).unwrap()).unwrap();
        let now = chrono::Utc::now();
        let at = |d: chrono::Duration| (now + d).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let gone =
            Mark { pid: u32::MAX, at: at(chrono::Duration::zero()), operator: "X".into(), desk: "Y".into() };
        write(&gone);
        assert_eq!(under_way(&mark_path(&db)), None, "its process is gone");
        let me = std::process::id();
        for (d, fresh) in [
            (chrono::Duration::seconds(-5), true),
            (chrono::Duration::minutes(-11), false),
            (chrono::Duration::minutes(1), false),
        ] {
            write(&Mark { pid: me, at: at(d), operator: "X".into(), desk: "Y".into() });
            assert_eq!(under_way(&mark_path(&db)).is_some(), fresh, "{d}");
        }
        std::fs::write(mark_path(&db), b"not a mark").unwrap();
        assert_eq!(under_way(&mark_path(&db)), None, "unreadable: not a restore");
        // A stale mark is replaced by the next restore.
        let again = RestoreMark::take(&db, "Cy", "Desk 4").unwrap();
        assert!(under_way(&mark_path(&db)).unwrap().contains("by Cy at Desk 4"));
        drop(again);
    }
}
