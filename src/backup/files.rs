//! Backup files: their names and rotation (a consistent copy of a live database is SQLite's
//! online backup, in [`crate::store::file_copy`]), and where backups go.

use super::*;
use crate::error::{Error, Result};
use crate::store::storage::{self, journal_files};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d-%H%M%S%.3f").to_string().replace('.', "")
}

/// When an automatic backup was taken and at which revision, read from its file name
/// (`auto-20191114-071500123-r42.sqlite3`).
pub(crate) fn parse_auto_name(name: &str) -> Option<(DateTime<Utc>, i64)> {
    let rest = name.strip_prefix(AUTO_PREFIX)?.strip_suffix(".sqlite3")?;
    let (when, rev) = rest.rsplit_once("-r")?;
    Some((parse_stamp(when)?, rev.parse().ok()?))
}

/// The time a [`stamp`] names.
fn parse_stamp(when: &str) -> Option<DateTime<Utc>> {
    Some(NaiveDateTime::parse_from_str(when, "%Y%m%d-%H%M%S%3f").ok()?.and_utc())
}

/// When the backup file `path` was made: the time in the name the desk gave it (automatic, or
/// *Back up now*: `manual-20191114-071500123.sqlite3`, `-2` when that name was taken), else
/// the file's modification time.
pub(crate) fn taken_at(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let named = [AUTO_PREFIX, MANUAL_PREFIX]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .and_then(|rest| rest.get(..18))
        .and_then(parse_stamp);
    named.or_else(|| Some(DateTime::<Utc>::from(std::fs::metadata(path).ok()?.modified().ok()?)))
}

/// The backup files in `dir` whose names start with `prefix`, oldest first (names sort by
/// time).
pub(crate) fn files_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
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
pub(crate) struct Auto {
    pub(crate) path: PathBuf,
    pub(crate) at: DateTime<Utc>,
    pub(crate) revision: i64,
}

/// The automatic backups in `dir`, by the revision they hold, then by time (oldest first).
pub(crate) fn auto_backups(dir: &Path) -> Vec<Auto> {
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
pub(crate) fn backup_due(autos: &[Auto], revision: i64, now: DateTime<Utc>) -> bool {
    match autos.last() {
        None => revision != 0,
        Some(newest) if newest.revision == revision => false,
        Some(newest) if newest.at > now => true,
        Some(newest) => now - newest.at >= AUTO_EVERY,
    }
}

/// The automatic backups to remove so that [`AUTO_KEEP`] are kept: those holding the oldest
/// revisions, never `just_made`.
pub(crate) fn to_rotate(autos: Vec<Auto>, just_made: &Path) -> Vec<PathBuf> {
    let others: Vec<PathBuf> = autos.into_iter().map(|a| a.path).filter(|p| p != just_made).collect();
    let excess = (others.len() + 1).saturating_sub(AUTO_KEEP);
    others.into_iter().take(excess).collect()
}

/// Whether the time `at` (RFC 3339) is later than `now`: taken while the clock was ahead.
pub(crate) fn in_future(at: &str, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(at).is_ok_and(|at| at > now)
}

/// Remove the automatic backup `old` that the rotation let go — only when it is a plain file
/// of the backup folder that is not a database in use: not the desk's database or one of its
/// journals by any spelling, and with no journal beside it (someone opened it as a database).
/// Anything else is left where it is.
pub(crate) fn remove_rotated(old: &Path, db: &Path) {
    let plain = std::fs::symlink_metadata(old).is_ok_and(|m| m.file_type().is_file());
    let in_use = journal_files(old).iter().any(|j| j.symlink_metadata().is_ok());
    if plain && !in_use && storage::check_output(db, old).is_ok() {
        let _ = std::fs::remove_file(old);
    }
}

/// `<dir>/<base><ext>`, or `<base>-2<ext>`, `-3`…: the first name that no file (nor a journal
/// of one) holds. A clock set back can give the time stamp of an older file.
pub(crate) fn free_name(dir: &Path, base: &str, ext: &str) -> Result<PathBuf> {
    (1..1000)
        .map(|n| dir.join(if n == 1 { format!("{base}{ext}") } else { format!("{base}-{n}{ext}") }))
        .find(|p| {
            p.symlink_metadata().is_err() && journal_files(p).iter().all(|j| j.symlink_metadata().is_err())
        })
        .ok_or_else(|| Error::Io(format!("No free name for {base}{ext} in {}", dir.display())))
}

// `renameat2`'s flags (Linux only: elsewhere `rename_with` does nothing with them).
#[cfg(target_os = "linux")]
const NOREPLACE: u32 = libc::RENAME_NOREPLACE;
#[cfg(target_os = "linux")]
const EXCHANGE: u32 = libc::RENAME_EXCHANGE;
#[cfg(not(target_os = "linux"))]
const NOREPLACE: u32 = 1;
#[cfg(not(target_os = "linux"))]
const EXCHANGE: u32 = 2;

/// `renameat2(from, to, flags)`: `Ok(true)` when done, `Ok(false)` where the file system (or
/// the system) cannot do what `flags` ask and nothing was done.
fn rename_with(from: &Path, to: &Path, flags: u32) -> std::io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL byte in the path"))
        };
        let (f, t) = (c(from)?, c(to)?);
        // SAFETY: two NUL-terminated paths that live across the call.
        let r = unsafe { libc::renameat2(libc::AT_FDCWD, f.as_ptr(), libc::AT_FDCWD, t.as_ptr(), flags) };
        if r == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(e);
        }
    }
    let _ = (from, to, flags);
    Ok(false)
}

/// Move `from` to `to`, never replacing a file at `to`: `renameat2` with `RENAME_NOREPLACE`
/// on Linux; where the file system cannot do that, a check just before a plain rename.
pub(crate) fn rename_noclobber(from: &Path, to: &Path) -> std::io::Result<()> {
    if rename_with(from, to, NOREPLACE)? {
        return Ok(());
    }
    if to.symlink_metadata().is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", to.display()),
        ));
    }
    std::fs::rename(from, to)
}

/// Swap the files at `a` and `b` in one step (`renameat2` with `RENAME_EXCHANGE`): `Ok(false)`
/// where the file system (or the system) cannot, and nothing was done.
pub(crate) fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    rename_with(a, b, EXCHANGE)
}

pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    storage::create_private_dir(dir)
        .map_err(|e| Error::Io(format!("Cannot create the backup folder {}: {e}", dir.display())))
}
