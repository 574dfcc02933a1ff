//! What this computer remembers for its window, in small files of the app's data folder, each
//! written whole and flushed before the window is told it is remembered, so that a window
//! closed (or killed) right after starts next time with the new value, never the one before:
//! who was last at the desk (written when someone signs in), and the desk's settings (the
//! badge stock, the printer of each stock, printing at check-in).

use crate::error::{Error, Result};
use crate::store::records::Operator;
use std::path::{Path, PathBuf};

/// The file's name, in the app's data folder (beside the default database).
pub const REMEMBERED_FILE: &str = "operator.json";

/// Larger than this, the file is not ours: it is not read.
const MAX_BYTES: u64 = 4096;

/// The app's data folder, where the default database lives too.
fn data_folder() -> Result<PathBuf> {
    crate::storage::default_db_path()?
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("the default database has no folder".into()))
}

/// What the desk's own small file `path` holds: `Ok(None)` when there is none, and an error
/// saying `not_ours` after the path when something else is there: not a plain file (a folder,
/// a link), larger than `max_bytes`, or not a `T` that `ours` accepts. `what` names the file's
/// contents in a failure to read it.
fn read_own<T: serde::de::DeserializeOwned>(
    path: &Path,
    max_bytes: u64,
    ours: impl Fn(&T) -> bool,
    what: &str,
    not_ours: &str,
) -> Result<Option<T>> {
    let refuse = || Err(Error::Io(format!("{} {not_ours}", path.display())));
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Ok(None) };
    if !meta.is_file() || meta.len() > max_bytes {
        return refuse();
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Io(format!("Cannot read {what} in {}: {e}", path.display())))?;
    match serde_json::from_slice::<T>(&bytes) {
        Ok(value) if ours(&value) => Ok(Some(value)),
        _ => refuse(),
    }
}

/// Write `value` as the desk's own file `path` (its folder made if missing): a new file beside
/// the old one, flushed, then put in its place and the folder flushed, so that a crash leaves
/// the old contents or the new ones. `what` names the contents in a failure.
fn write_own(path: &Path, value: &impl serde::Serialize, what: &str) -> Result<()> {
    let error = |e: std::io::Error| Error::Io(format!("Cannot remember {what} in {}: {e}", path.display()));
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(error)?;
    }
    crate::store::output::stage_beside(path, &serde_json::to_vec_pretty(value)?)?.replace().map_err(error)
}

/// What `operator.json` in `folder` holds ([`read_own`]).
fn operator_file_in(folder: &Path) -> Result<Option<Operator>> {
    read_own(
        &folder.join(REMEMBERED_FILE),
        MAX_BYTES,
        |_: &Operator| true,
        "who is at the desk",
        "is not the desk's: it is left as it is, and who is at the desk is not remembered (move it away)",
    )
}

/// Remember `who` in `folder` (made if missing), as [`write_own`] writes. Only the desk's own
/// file of that name is replaced: a folder, a link or another program's file there is left
/// as it is, and the sign-in is not remembered.
pub fn remember_operator_in(folder: &Path, who: &Operator) -> Result<()> {
    operator_file_in(folder)?;
    write_own(&folder.join(REMEMBERED_FILE), who, "who is at the desk")
}

/// Who was remembered in `folder`, if anyone: a file that is missing, not a plain file, too
/// large or not ours is no one (and is left as it is).
pub fn remembered_operator_in(folder: &Path) -> Option<Operator> {
    operator_file_in(folder).ok().flatten()
}

/// The file of the desk's settings, in the app's data folder.
pub const SETTINGS_FILE: &str = "desk-settings.json";

/// The most settings the file holds.
pub const MAX_SETTINGS: usize = 64;

/// The longest value of a setting, in bytes (a printer's name is at most 127).
pub const MAX_SETTING_BYTES: usize = 512;

/// Larger than this, the settings file is not ours: it is not read.
const MAX_SETTINGS_FILE_BYTES: u64 = 64 * 1024;

/// A setting's name: one the window keeps here — the badge stock, printing at check-in, or
/// the printer of a stock (`delegate-desk.printer.` and the stock's name: letters, digits,
/// `-`, `_`; at most 128 bytes in all).
fn setting_name_ok(key: &str) -> bool {
    match key {
        "delegate-desk.badge-preset" | "delegate-desk.print-at-check-in" => true,
        _ => {
            key.len() <= 128
                && key.strip_prefix("delegate-desk.printer.").is_some_and(|stock| {
                    !stock.is_empty()
                        && stock.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
                })
        }
    }
}

/// What the settings file in `folder` holds ([`read_own`]): a map of the window's settings
/// to text, within the limits.
fn settings_file_in(folder: &Path) -> Result<Option<std::collections::BTreeMap<String, String>>> {
    read_own(
        &folder.join(SETTINGS_FILE),
        MAX_SETTINGS_FILE_BYTES,
        |settings: &std::collections::BTreeMap<String, String>| {
            settings.len() <= MAX_SETTINGS
                && settings.iter().all(|(k, v)| setting_name_ok(k) && v.len() <= MAX_SETTING_BYTES)
        },
        "the desk's settings",
        "is not the desk's settings file: it is left as it is, and the choice is not remembered (move it away)",
    )
}

/// The desk's settings remembered in `folder`: a file that is missing, not a plain file, too
/// large or not ours is none (and is left as it is).
pub fn remembered_settings_in(folder: &Path) -> std::collections::BTreeMap<String, String> {
    settings_file_in(folder).ok().flatten().unwrap_or_default()
}

/// Remember setting `key` as `value` in `folder` (`None`: forget it), keeping the others; the
/// file is written as [`remember_operator_in`] writes. A name that is not the window's, a value
/// too long or one setting too many is refused, naming it, and nothing is written; so is a
/// file there that is not the desk's settings file (it is left as it is).
pub fn remember_setting_in(folder: &Path, key: &str, value: Option<&str>) -> Result<()> {
    if !setting_name_ok(key) {
        return Err(Error::invalid(
            "key",
            format!("“{}” is not a setting of the window", crate::text::shortened(key, 40)),
        ));
    }
    if value.is_some_and(|v| v.len() > MAX_SETTING_BYTES) {
        return Err(Error::invalid("value", format!("A setting holds at most {MAX_SETTING_BYTES} bytes")));
    }
    // The file is read, changed and written whole: two settings chosen at once take their
    // turn, so that neither writes over the other's, whether they come from one window (two
    // commands on its thread pool) or from two windows of this user (two processes).
    let _turn = folder_turn(folder, "the desk's settings")?;
    let mut settings = settings_file_in(folder)?.unwrap_or_default();
    match value {
        Some(v) => {
            if !settings.contains_key(key) && settings.len() >= MAX_SETTINGS {
                return Err(Error::invalid(
                    "key",
                    format!("This computer remembers at most {MAX_SETTINGS} settings"),
                ));
            }
            settings.insert(key.to_string(), v.to_string());
        }
        None => {
            settings.remove(key);
        }
    }
    write_own(&folder.join(SETTINGS_FILE), &settings, "the desk's settings")
}

/// A turn at changing the files of `folder` (made if missing), held until dropped: an
/// exclusive lock (`flock`) on the folder itself, opened anew at each call, so that every
/// turn waits for the one before it, in this process or another; it leaves no file behind.
/// `what` names the contents in a failure.
fn folder_turn(folder: &Path, what: &str) -> Result<std::fs::File> {
    let error = |e: std::io::Error| Error::Io(format!("Cannot remember {what} in {}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(error)?;
    let turn = std::fs::File::open(folder).map_err(error)?;
    turn.lock().map_err(error)?;
    Ok(turn)
}

/// [`remembered_settings_in`] the app's data folder.
pub fn remembered_settings() -> std::collections::BTreeMap<String, String> {
    data_folder().map(|f| remembered_settings_in(&f)).unwrap_or_default()
}

/// [`remember_setting_in`] the app's data folder.
pub fn remember_setting(key: &str, value: Option<&str>) -> Result<()> {
    remember_setting_in(&data_folder()?, key, value)
}

/// [`remember_operator_in`] the app's data folder.
pub fn remember_operator(who: &Operator) -> Result<()> {
    remember_operator_in(&data_folder()?, who)
}

/// [`remembered_operator_in`] the app's data folder.
pub fn remembered_operator() -> Option<Operator> {
    remembered_operator_in(&data_folder().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(name: &str) -> Operator {
        Operator { name: name.into(), desk: "Desk 2".into() }
    }

    #[test]
    fn the_last_sign_in_is_remembered_and_nothing_else_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("org.delegatedesk.desk");
        assert_eq!(remembered_operator_in(&folder), None);
        remember_operator_in(&folder, &who("Ana Pérez")).unwrap();
        remember_operator_in(&folder, &who("Marcus Bell")).unwrap();
        assert_eq!(remembered_operator_in(&folder), Some(who("Marcus Bell")));
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(REMEMBERED_FILE)]);
        // Not ours: another program's text, a folder by that name, a huge file.
        let file = folder.join(REMEMBERED_FILE);
        std::fs::write(&file, b"name=Marcus").unwrap();
        assert_eq!(remembered_operator_in(&folder), None);
        assert!(
            remember_operator_in(&folder, &who("Ana Pérez")).is_err(),
            "another program's file is not written over"
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"name=Marcus");
        std::fs::write(&file, vec![b' '; 5000]).unwrap();
        assert_eq!(remembered_operator_in(&folder), None);
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert_eq!(remembered_operator_in(&folder), None);
        assert!(remember_operator_in(&folder, &who("Ana Pérez")).is_err(), "a folder is not written over");
        assert!(file.is_dir());
    }

    #[test]
    fn the_desks_settings_are_remembered_one_by_one_and_nothing_else_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("org.delegatedesk.desk");
        assert!(remembered_settings_in(&folder).is_empty());
        remember_setting_in(&folder, "delegate-desk.badge-preset", Some("cr80")).unwrap();
        remember_setting_in(&folder, "delegate-desk.printer.cr80", Some("Zebra_ZC300")).unwrap();
        remember_setting_in(&folder, "delegate-desk.print-at-check-in", Some("yes")).unwrap();
        remember_setting_in(&folder, "delegate-desk.badge-preset", Some("insert-4x3")).unwrap();
        remember_setting_in(&folder, "delegate-desk.printer.cr80", None).unwrap();
        let got = remembered_settings_in(&folder);
        assert_eq!(
            got.into_iter().collect::<Vec<_>>(),
            [
                ("delegate-desk.badge-preset".to_string(), "insert-4x3".to_string()),
                ("delegate-desk.print-at-check-in".to_string(), "yes".to_string())
            ]
        );
        let names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(SETTINGS_FILE)], "a temporary file was left");
        // Refused, naming it, and nothing written: a name that is not the window's, a value too
        // long, one setting too many.
        let before = std::fs::read(folder.join(SETTINGS_FILE)).unwrap();
        let long = format!("delegate-desk.printer.{}", "x".repeat(110));
        for key in [
            "badge-preset",
            "delegate-desk.",
            "delegate-desk.operator",
            "delegate-desk.printer.a/b",
            "delegate-desk.printer.é",
            long.as_str(),
        ] {
            let e = remember_setting_in(&folder, key, Some("x")).unwrap_err();
            assert!(e.to_string().contains("is not a setting of the window"), "{key}: {e}");
        }
        let e =
            remember_setting_in(&folder, "delegate-desk.printer.cr80", Some(&"p".repeat(513))).unwrap_err();
        assert!(e.to_string().contains("at most 512 bytes"), "{e}");
        for n in 2..MAX_SETTINGS {
            remember_setting_in(&folder, &format!("delegate-desk.printer.p{n}"), Some("x")).unwrap();
        }
        let e = remember_setting_in(&folder, "delegate-desk.printer.one-more", Some("x")).unwrap_err();
        assert!(e.to_string().contains("at most 64 settings"), "{e}");
        remember_setting_in(&folder, "delegate-desk.badge-preset", Some("cr80")).unwrap();
        assert_ne!(std::fs::read(folder.join(SETTINGS_FILE)).unwrap(), before);
        // Not ours: another program's text, a setting that is not the window's, a value that is
        // not text, a huge file, a folder by that name. None is read, and none is written over.
        let file = folder.join(SETTINGS_FILE);
        for other in [
            b"preset=cr80".to_vec(),
            br#"{"delegate-desk.badge-preset": "cr80", "PATH": "/tmp"}"#.to_vec(),
            br#"{"delegate-desk.print-at-check-in": true}"#.to_vec(),
            vec![b' '; 70_000],
        ] {
            std::fs::write(&file, &other).unwrap();
            assert!(remembered_settings_in(&folder).is_empty());
            let e = remember_setting_in(&folder, "delegate-desk.badge-preset", Some("cr80")).unwrap_err();
            assert!(e.to_string().contains("is not the desk's settings file"), "{e}");
            assert_eq!(std::fs::read(&file).unwrap(), other, "a file not ours was written over");
        }
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert!(remembered_settings_in(&folder).is_empty());
        assert!(remember_setting_in(&folder, "delegate-desk.badge-preset", Some("cr80")).is_err());
        assert!(file.is_dir(), "a folder is not written over");
    }

    /// Settings chosen at once from several threads: none is lost. Each call takes its turn
    /// with a lock of its own on the folder, as a second window (another process) does, so
    /// this is the test of both; without the lock only 5 to 8 of the 32 were left (3 runs).
    #[test]
    fn settings_chosen_at_once_are_all_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("org.delegatedesk.desk");
        std::thread::scope(|s| {
            for t in 0..8 {
                let folder = &folder;
                s.spawn(move || {
                    for n in 0..4 {
                        remember_setting_in(folder, &format!("delegate-desk.printer.p{t}-{n}"), Some("x"))
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(remembered_settings_in(&folder).len(), 32);
    }
}
