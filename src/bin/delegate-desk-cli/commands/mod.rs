//! One file per area of subcommands: each has a `run` that does what its subcommands ask,
//! through the core; `command` sends each subcommand to its area.

use crate::args::Command;
use delegate_desk::{Desk, Result};

pub mod allocation;
pub mod attendees;
pub mod audit;
pub mod backup;
pub mod badges;
pub mod checkin;
pub mod event;
pub mod lists;
pub mod pin;
pub mod protocol;
pub mod session;
pub mod status;
pub mod unopened;

/// Runs `command` on `desk`; `request` is its request id, if one was given.
pub fn command(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match &command {
        Command::Event { .. } => event::run(desk, command, request),
        Command::Register { .. }
        | Command::Edit { .. }
        | Command::List { .. }
        | Command::Search { .. }
        | Command::Show { .. }
        | Command::Cancel { .. }
        | Command::Reinstate { .. }
        | Command::Promote { .. } => attendees::run(desk, command, request),
        Command::Checkin { .. } | Command::UndoCheckin { .. } | Command::Vetting { .. } => {
            checkin::run(desk, command, request)
        }
        Command::Pin { .. } => pin::run(desk, command, request),
        Command::Audit { .. } => audit::run(desk, command, request),
        Command::Badges { .. }
        | Command::Presets { .. }
        | Command::Calibration { .. }
        | Command::PrintJobs { .. } => badges::run(desk, command, request),
        Command::Import { .. } | Command::Export { .. } => lists::run(desk, command, request),
        Command::Allocation { .. } => allocation::run(desk, command, request),
        Command::Session { .. } => session::run(desk, command, request),
        Command::Protocol { .. } => protocol::run(desk, command, request),
        Command::Backup { .. } => backup::run(desk, command, request),
        Command::Status { .. } => status::run(desk, command, request),
        Command::Restore { .. }
        | Command::Copy { .. }
        | Command::Demo { .. }
        | Command::Printers { .. }
        | Command::Completions { .. }
        | Command::Manpage => unreachable!("run before a database is opened (commands::unopened)"),
    }
}

/// The bytes of the file `file`, at most one byte past `limit` (the core then says the file is
/// too large, and a huge file or /dev/zero is never read whole). A named pipe is refused before
/// it is opened: opening one waits, without end, for something to write into it.
pub fn read_at_most(file: &std::path::Path, limit: usize) -> Result<Vec<u8>> {
    use delegate_desk::Error;
    use std::io::Read;
    // Looked at once. A name typed wrong (no such file, a folder) is the user's to correct:
    // exit 2, as a restore or a copy from a missing file says it. A file that fails while read
    // is exit 1.
    let refused = |why: String| Err(Error::invalid("file", why));
    match std::fs::metadata(file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return refused(format!("{} does not exist", file.display()));
        }
        Ok(m) if m.is_dir() => return refused(format!("{} is a folder, not a file", file.display())),
        #[cfg(unix)]
        Ok(m)
            if {
                use std::os::unix::fs::FileTypeExt;
                m.file_type().is_fifo() || m.file_type().is_socket()
            } =>
        {
            return refused(format!("Cannot read {}: it is a named pipe, not a file", file.display()));
        }
        _ => {}
    }
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::Io(format!("Cannot read {}: {e}", file.display())))?;
    Ok(bytes)
}
