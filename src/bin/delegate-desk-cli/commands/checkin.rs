//! Arrival: `checkin` (by id or a scanned badge) and `undo-checkin`.

use crate::args::*;
use crate::output::*;
use delegate_desk::checkin::Arrival;
use delegate_desk::{Desk, Error, Result};

/// Runs one of the checkin commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Checkin { id, scan, day, json } => {
            let out = match (scan, id) {
                (Some(code), _) => desk.once(request, "scan", &(&code, day), |d| d.scan(&code, day))?,
                (None, Some(id)) => desk.once(request, "checkin", &(id, day), |d| d.check_in(id, day))?,
                (None, None) => {
                    return Err(Error::invalid("id", "Name the attendee id, or --scan a badge code"))
                }
            };
            if json {
                print_json(&out)?;
            } else {
                print_card(&out.card);
            }
            return match out.result {
                Arrival::CheckedIn | Arrival::AlreadyCheckedIn | Arrival::RegisteredAndCheckedIn => {
                    // With --json the output is the JSON alone (the message is in it).
                    if !json {
                        println!("{}", out.message);
                    }
                    Ok(())
                }
                _ => Err(Error::Conflict(out.message)),
            };
        }
        Command::UndoCheckin { id, day, reason, json } => {
            let out = desk
                .once(request, "checkin.undo", &(id, day, &reason), |d| d.undo_check_in(id, day, &reason))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
        }
        _ => unreachable!("not one of the checkin commands"),
    }
    Ok(())
}
