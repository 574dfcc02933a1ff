//! Who was last at the desk on this computer: remembered in a small file of the app's data
//! folder, written whole and flushed when someone signs in, so that a window closed (or killed)
//! right after a sign-in starts next time with that person, never the one before.

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

/// Remember `who` in `folder` (made if missing): a new file beside the old one, flushed, then
/// put in its place, so that a crash leaves the old name or the new one.
pub fn remember_operator_in(folder: &Path, who: &Operator) -> Result<()> {
    let path = folder.join(REMEMBERED_FILE);
    let error = |e: std::io::Error| {
        Error::Io(format!("Cannot remember who is at the desk in {}: {e}", path.display()))
    };
    std::fs::create_dir_all(folder).map_err(error)?;
    // Only a plain file of that name is replaced (a folder or a link there is not ours).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(Error::Io(format!(
            "{} is not a file: who is at the desk is not remembered",
            path.display()
        )));
    }
    crate::store::output::stage_beside(&path, &serde_json::to_vec(who)?)?.replace().map_err(error)
}

/// Who was remembered in `folder`, if anyone: a file that is missing, not a plain file, too
/// large or not ours is no one (and is left as it is).
pub fn remembered_operator_in(folder: &Path) -> Option<Operator> {
    let path = folder.join(REMEMBERED_FILE);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    serde_json::from_slice(&std::fs::read(&path).ok()?).ok()
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
        std::fs::write(&file, vec![b' '; 5000]).unwrap();
        assert_eq!(remembered_operator_in(&folder), None);
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert_eq!(remembered_operator_in(&folder), None);
        assert!(remember_operator_in(&folder, &who("Ana Pérez")).is_err(), "a folder is not written over");
        assert!(file.is_dir());
    }
}
