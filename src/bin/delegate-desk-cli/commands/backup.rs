//! `backup`: to a file, or into the backup folder beside the database (`restore` and `copy`
//! run before a database is opened: [`super::unopened`]).

use crate::args::*;
use crate::output::*;
use delegate_desk::{Desk, Result};

/// Runs one of the backup commands.
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
                    "Last backup {}{} — {} people, revision {} (last change {}): {}",
                    s.taken.as_deref().unwrap_or(&b.at),
                    if s.age_unknown {
                        " (later than this computer's clock: its age is unknown)"
                    } else {
                        ""
                    },
                    b.attendees,
                    b.revision,
                    b.at,
                    b.path
                ),
                None => println!("No backup yet"),
            }
        }
        _ => unreachable!("not one of the backup commands"),
    }
    Ok(())
}
