//! Arrival: `checkin` (by id or a scanned badge; `--unvetted` for the coordinator's one
//! admission of a person not cleared), `undo-checkin`, and `vetting` (a person's security
//! vetting).

use crate::args::*;
use crate::output::*;
use delegate_desk::checkin::{Arrival, ArrivalOutcome};
use delegate_desk::{Desk, Error, Result};

/// Runs one of the checkin commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Checkin { id: Some(id), day, session, unvetted: Some(reason), json, .. } => {
            let out = desk.once(request, "checkin.unvetted", &(id, day, session, &reason), |d| {
                d.admit_unvetted(id, day, session, &reason)
            })?;
            return finish(out, json);
        }
        Command::Vetting { id, state, note, json } => {
            let out = desk.once(request, "vetting", &(id, &state, &note), |d| {
                d.set_vetting(id, &state, note.as_deref())
            })?;
            if json {
                return print_json(&out.attendee);
            }
            println!("{}", out.message);
            print_vetting(&out.attendee);
        }
        Command::Checkin { id, scan, day: _, session: Some(session), json, .. } => {
            let out = match (scan, id) {
                (Some(code), _) => {
                    desk.once(request, "scan.session", &(&code, session), |d| d.scan_session(&code, session))?
                }
                (None, Some(id)) => desk
                    .once(request, "checkin.session", &(id, session), |d| d.check_in_session(id, session))?,
                (None, None) => {
                    return Err(Error::invalid("id", "Name the attendee id, or --scan a badge code"))
                }
            };
            return finish(out, json);
        }
        Command::Checkin { id, scan, day, session: None, json, .. } => {
            let out = match (scan, id) {
                (Some(code), _) => desk.once(request, "scan", &(&code, day), |d| d.scan(&code, day))?,
                (None, Some(id)) => desk.once(request, "checkin", &(id, day), |d| d.check_in(id, day))?,
                (None, None) => {
                    return Err(Error::invalid("id", "Name the attendee id, or --scan a badge code"))
                }
            };
            return finish(out, json);
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

/// The card (or the JSON), then the outcome: exit 0 when checked in, admitted or already in;
/// otherwise exit 2 with the reason (nothing was written).
fn finish(out: ArrivalOutcome, json: bool) -> Result<()> {
    if json {
        print_json(&out)?;
    } else {
        print_card(&out.card);
    }
    match out.result {
        Arrival::CheckedIn
        | Arrival::AlreadyCheckedIn
        | Arrival::RegisteredAndCheckedIn
        | Arrival::Admitted => {
            // With --json the output is the JSON alone (the message is in it).
            if !json {
                println!("{}", out.message);
            }
            Ok(())
        }
        Arrival::Refused => Err(Error::Conflict(format!("Refused: {}", out.message))),
        _ => Err(Error::Conflict(out.message)),
    }
}
