//! The files the desk writes besides its database: badges, rosters, calibration pages and
//! exports. Where they go (the output folder), the checks before one is written (never the
//! database or its journals, never over a file that holds something, never through a link,
//! a folder or a pipe), and how it is written (in full beside its name, then one rename).

use crate::error::{Error, Result};
use crate::store::storage::{create_private_dir, journal_files};
use std::path::{Path, PathBuf};

/// A file written in full beside its destination, flushed to disk, and not yet given its name
/// (see [`stage_beside`]). Dropped without [`Staged::persist`], it removes itself — and only
/// itself: its name was new (created exclusively, with a random part), so it can never be
/// another file, the database or one of its journals.
#[derive(Debug)]
pub struct Staged {
    file: tempfile::NamedTempFile,
    out: PathBuf,
}

impl Staged {
    /// The temporary file's own path (a hidden name beside the destination).
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Give the staged file its name: one rename, so a crash leaves no file or the whole new
    /// one, never half of one. It never takes the place of a file that holds something — one
    /// made there since [`check_not_written_over`] was asked is refused — only of an empty one
    /// (a name reserved in the output folder). The folder is then flushed, so that the name
    /// survives a power cut as the change recorded right after it does (a badge version on
    /// record whose PDF had lost its name). On failure the staged file is removed.
    pub fn persist(self) -> std::io::Result<()> {
        let folder = crate::store::storage::folder_of(&self.out).to_path_buf();
        self.give_name()?;
        // As far as it can: a folder that cannot be opened for reading (write-only) still
        // takes the file, as before.
        if let Ok(d) = std::fs::File::open(folder) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// [`Staged::persist`]'s rename.
    fn give_name(self) -> std::io::Result<()> {
        let Err(e) = self.file.persist_noclobber(&self.out) else { return Ok(()) };
        match std::fs::symlink_metadata(&self.out) {
            // A name reserved empty in the output folder: the file takes its place.
            Ok(m) if m.is_file() && m.len() == 0 => e.file.persist(&self.out).map(drop).map_err(|e| e.error),
            Ok(_) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "another program made a file of that name while it was being written, and it is left as it is",
            )),
            // A filesystem with neither a rename that refuses to replace nor hard links (some
            // network and FUSE mounts): the plain rename, the name being free a moment ago.
            Err(m) if m.kind() == std::io::ErrorKind::NotFound => {
                e.file.persist(&self.out).map(drop).map_err(|e| e.error)
            }
            _ => Err(e.error),
        }
    }

    /// Give the staged file its name in place of the plain file that has it, if any: for a
    /// file that is the desk's own (who signed in last), never for an output, which
    /// [`Staged::persist`] keeps from replacing anything. One rename, then the folder flushed
    /// so that the rename too survives a crash. On failure the staged file is removed.
    pub fn replace(self) -> std::io::Result<()> {
        self.file.persist(&self.out).map_err(|e| e.error)?;
        let folder = crate::store::storage::folder_of(&self.out);
        std::fs::File::open(folder).and_then(|d| d.sync_all())
    }
}

/// A new temporary file in `dir` for the file `name` that will take its place:
/// `.{name}.XXXXXXXXXXXX.partial`, created exclusively (O_EXCL) and owner-only (0600; rosters,
/// badges and databases hold personal data), removed by its own path when dropped. No file
/// that already exists — whatever it is called, the database included — is opened, truncated
/// or removed. A file name holds at most 255 bytes: `name` is shortened in it, never the
/// random part.
pub fn temp_beside(dir: &Path, name: &std::ffi::OsStr) -> std::io::Result<tempfile::NamedTempFile> {
    let shown: String = name.to_string_lossy().chars().take(60).collect();
    tempfile::Builder::new().prefix(&format!(".{shown}.")).suffix(".partial").rand_bytes(12).tempfile_in(dir)
}

/// Write `bytes` into a new temporary file beside `out` (same folder, so that the rename of
/// [`Staged::persist`] is atomic), owner-only (0600), flushed to disk. The temporary file is
/// created exclusively under a name with a random part (`.{name}.XXXXXXXXXXXX.partial`): no
/// file that already exists is opened, truncated or removed, whatever it is called.
pub fn stage_beside(out: &Path, bytes: &[u8]) -> Result<Staged> {
    use std::io::Write;
    let dir = crate::store::storage::folder_of(out);
    if !dir.is_dir() {
        return Err(Error::Io(format!("The folder {} does not exist", dir.display())));
    }
    let name = out.file_name().ok_or_else(|| Error::Io(format!("{} is not a file name", out.display())))?;
    let write_error = |e: std::io::Error| Error::Io(format!("Cannot write {}: {e}", out.display()));
    let mut file = temp_beside(dir, name).map_err(write_error)?;
    file.write_all(bytes).and_then(|_| file.as_file().sync_all()).map_err(write_error)?;
    Ok(Staged { file, out: out.to_path_buf() })
}

/// Write `bytes` to `out` all at once ([`stage_beside`], then [`Staged::persist`]): a crash
/// leaves the old file or the new one, never half of one. The caller has checked `out`
/// ([`check_output`]).
pub fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    stage_beside(out, bytes)?.persist().map_err(|e| Error::Io(format!("Cannot write {}: {e}", out.display())))
}

/// Refuse to write `out` when it is the database `db` or one of its journal files, whatever
/// the spelling: relative, through `..`, through a symbolic link, or a hard link to it. Every
/// writer of files (badges, rosters, calibration pages, backups) goes through this check.
pub fn check_output(db: &Path, out: &Path) -> Result<()> {
    check_output_name(out)?;
    if let Some(g) = database_file_at(db, out) {
        return Err(Error::invalid(
            "output",
            format!(
                "{} is the desk's database{} ({}); writing there would destroy it. Choose another file",
                out.display(),
                if g.as_path() == db { "" } else { " journal" },
                g.display()
            ),
        ));
    }
    Ok(())
}

/// Refuse to restore the database `db` from `from` when `from` is that database itself or one
/// of its journal files, by any spelling (a link to it, a hard link): nothing would be restored,
/// and the "backup" read would be the live file without its latest changes.
pub fn check_restore_source(db: &Path, from: &Path) -> Result<()> {
    if let Some(g) = database_file_at(db, from) {
        return Err(Error::invalid(
            "file",
            format!(
                "{} is this database{} ({}), not a backup of it; nothing was restored. Name a backup file",
                from.display(),
                if g.as_path() == db { " itself" } else { "'s journal" },
                g.display()
            ),
        ));
    }
    Ok(())
}

/// The file of the database `db` (it, or one of its journals) that `path` names, whatever the
/// spelling: relative, through `..`, through a symbolic link, or a hard link to it.
fn database_file_at(db: &Path, path: &Path) -> Option<PathBuf> {
    let target = resolve_for_write(path);
    let mut guarded = vec![db.to_path_buf()];
    guarded.extend(journal_files(db));
    // SQLite keeps the journals beside the file a symbolic link names, not beside the link.
    guarded.extend(journal_files(&resolve_for_write(db)));
    guarded.into_iter().find(|g| resolve_for_write(g) == target || same_inode(g, path))
}

/// Refuse an output file named as an address (`postgres://…`, `pg://…`): a server's address
/// pasted where a file goes. Written, it would make folders named after it, and the message
/// naming the file would show its password.
///
/// Also refuse a name that is already something other than a file (a folder, a named pipe, a
/// device): the file would be written beside it under a temporary name and could never be given
/// that name, after the change it goes with (a badge's new version) was recorded. And refuse a
/// path with no file name (`/`, `..`) or in a folder that does not exist, for the same reason.
pub fn check_output_name(out: &Path) -> Result<()> {
    if crate::store::pg::looks_like_address(out) {
        return Err(Error::invalid(
            "output",
            format!(
                "{} is written as an address, not as the name of a file; name a file to write",
                crate::store::pg::shown(out)
            ),
        ));
    }
    if let Some(what) = std::fs::metadata(out).ok().as_ref().and_then(not_a_file) {
        return Err(Error::invalid(
            "output",
            format!("{} is {what}; name a file to write (nothing was written)", out.display()),
        ));
    }
    if out.file_name().is_none() {
        return Err(Error::invalid(
            "output",
            format!("{} is not a file name; name a file to write (nothing was written)", out.display()),
        ));
    }
    // Checked here, before anything is recorded: a writer that found it only when staging the
    // file failed after its change (a badge's new version, a calibration shift) was saved.
    let folder = crate::store::storage::folder_of(out);
    if !folder.is_dir() {
        return Err(Error::invalid(
            "output",
            format!(
                "The folder {} does not exist; choose a folder that does, or make it first (nothing was written)",
                folder.display()
            ),
        ));
    }
    Ok(())
}

/// Refuse to write over anything at `out` but an empty file: a file that holds something may
/// be a backup, another event's database, or the badges of a batch already recorded as
/// printed, and the desk never destroys it. (An empty file is a name the desk reserved in the
/// output folder, or one a person made to write into.) A symbolic link is refused too: what
/// it names is not what a reader of the folder sees.
pub fn check_not_written_over(out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else { return Ok(()) };
    let why = if meta.file_type().is_symlink() {
        "is a symbolic link".to_string()
    } else if meta.is_file() && meta.len() > 0 {
        format!("already exists ({}), and the desk never writes over a file", size_in_words(meta.len()))
    } else {
        return Ok(());
    };
    Err(Error::invalid(
        "output",
        format!(
            "{} {why}. Name a new file, or move that one away first (nothing was written)",
            out.display()
        ),
    ))
}

/// "12 KB" for a byte count.
fn size_in_words(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{} KB", bytes / 1024),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// What `meta` is when it is not a regular file, in words ("a folder", "a symbolic link" for
/// the metadata of the link itself, "not a regular file" for a pipe, a socket or a device).
pub(crate) fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a folder")
    } else if kind.is_symlink() {
        Some("a symbolic link")
    } else {
        Some("not a regular file")
    }
}

/// The absolute path a write to `p` would land on: symbolic links followed (even a dangling
/// one), `.` and `..` resolved.
fn resolve_for_write(p: &Path) -> PathBuf {
    let mut p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(next) => p = p.parent().map(|d| d.join(&next)).unwrap_or(next),
            Err(_) => break,
        }
    }
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => dir.canonicalize().map(|d| d.join(name)).unwrap_or_else(|_| p.clone()),
        _ => p,
    }
}

fn same_inode(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = (a, b);
    false
}

/// Environment variable naming the folder where the window writes PDFs.
pub const OUTPUT_DIR_ENV: &str = "DELEGATE_DESK_OUTPUT_DIR";

/// The folder where the window writes PDFs and rosters: `DELEGATE_DESK_OUTPUT_DIR` if set,
/// else "Delegate Desk" in the user's documents folder (or home folder). Not created here.
pub fn output_dir_path() -> Result<PathBuf> {
    Ok(match std::env::var_os(OUTPUT_DIR_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => dirs::document_dir()
            .or_else(dirs::home_dir)
            .ok_or_else(|| {
                Error::Io(format!("No documents folder is known for this user; set {OUTPUT_DIR_ENV}"))
            })?
            .join("Delegate Desk"),
    })
}

/// [`output_dir_path`], created if missing.
pub fn output_dir() -> Result<PathBuf> {
    let dir = output_dir_path()?;
    // Badges and rosters hold personal data: a folder the desk creates is its owner's only.
    create_private_dir(&dir)
        .map_err(|e| Error::Io(format!("Cannot create the folder {}: {e}", dir.display())))?;
    Ok(dir)
}
