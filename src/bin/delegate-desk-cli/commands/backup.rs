//! `backup` (to a file or the backup folder) and `restore`, `copy` (they run before the
//! database is opened: see `main.rs`).

use crate::args::*;
use crate::output::*;
use delegate_desk::{Desk, Result};

/// Runs a backup command.
pub fn run(desk: &mut Desk, command: Command, _request: Option<&str>) -> Result<()> {
    match command {
        Command::Backup { output: Some(output), json, .. } => {
            let b = desk.backup(&output)?;
            if json {
                return print_json(&b);
            }
            println!("Backed up {} people (revision {}) to {}", b.attendees, b.revision, b.path);
        }
        Command::Backup { output: None, json, .. } => {
            let s = desk.backup_status()?;
            if json {
                return print_json(&s);
            }
            println!("Automatic backups in {} ({} kept)", s.folder, s.count);
            match &s.last {
                Some(b) => println!(
                    "Last backup {}{} — {} people, revision {}: {}",
                    b.at,
                    if s.age_unknown {
                        " (later than this computer's clock: its age is unknown)"
                    } else {
                        ""
                    },
                    b.attendees,
                    b.revision,
                    b.path
                ),
                None => println!("No backup yet"),
            }
        }
        Command::Restore { .. } => unreachable!("restore runs before the database is opened"),
        Command::Copy { .. } => unreachable!("copy runs before the database is opened"),
        _ => unreachable!("not a backup command"),
    }
    Ok(())
}
