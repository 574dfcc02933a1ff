//! A folder for the whole of a test process, for what must be named in its environment before
//! the first test (a home, an output folder): a static is never dropped, so it cannot be
//! removed when the tests end. It is `target/tmp/<name>-<pid>`, and each run removes the
//! folders of runs whose process is gone. (Shared with the shell's IPC tests by path.)

use std::path::{Path, PathBuf};

/// A new, empty `target/tmp/<name>-<pid>`, after removing the `<name>-*` of processes gone.
pub fn process_folder(name: &str) -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let prefix = format!("{name}-");
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let pid = file_name.to_str().and_then(|n| n.strip_prefix(&prefix));
        if pid.is_some_and(|pid| {
            pid.bytes().all(|b| b.is_ascii_digit()) && !Path::new("/proc").join(pid).exists()
        }) {
            // Another run starting now may be removing it too: what is left is not this run's.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let dir = tmp.join(format!("{prefix}{}", std::process::id()));
    // One left by a process gone before its number came back to this one.
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove an earlier run's folder");
    }
    std::fs::create_dir_all(&dir).expect("a folder of the test process's own");
    dir
}
