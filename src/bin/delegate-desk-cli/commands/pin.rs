//! The coordinator PIN: `pin status|set|reset|acknowledge`, and the PIN asked for when a
//! coordinator action is refused.

use crate::args::*;
use delegate_desk::{Desk, Error, Result};

/// Runs one of the pin commands.
pub fn run(desk: &mut Desk, command: Command, _request: Option<&str>) -> Result<()> {
    match command {
        Command::Pin { command: PinCommand::Status } => {
            let s = desk.pin_status()?;
            match (&s.set_at, &s.set_by) {
                (Some(at), Some(by)) => println!("A coordinator PIN is set (by {by}, {at})."),
                _ => println!(
                    "No coordinator PIN is set: the window asks for one at the first coordinator action."
                ),
            }
            if s.wrong_tries > 0 {
                println!(
                    "Wrong tries in a row: {}; next try possible in {} s.",
                    s.wrong_tries, s.wait_seconds
                );
            }
            if let (Some(at), Some(by)) = (&s.reset_at, &s.reset_by) {
                println!(
                    "The PIN was reset as forgotten by {by} ({at}); not yet acknowledged by a coordinator."
                );
            }
        }
        Command::Pin { command: PinCommand::Set } => {
            let current = if desk.pin_status()?.set {
                // Refused here as the missing current PIN: as a coordinator refusal it was asked
                // for again by the retry in `main`, which said the same sentence twice.
                Some(coordinator_pin("Changing the coordinator PIN needs the current one").map_err(|e| {
                    match e {
                        Error::CoordinatorOnly(why) => Error::invalid("current", why),
                        other => other,
                    }
                })?)
            } else {
                None
            };
            let pin = new_pin()?;
            desk.set_pin(current.as_deref(), &pin)?;
            println!("Coordinator PIN set; every window and the CLI ask for it from now on.");
        }
        Command::Pin { command: PinCommand::Reset } => {
            let pin = new_pin()?;
            desk.reset_pin(&pin)?;
            println!(
                "Coordinator PIN reset. This is in the audit trail, and every window says so until a coordinator acknowledges it (pin acknowledge)."
            );
        }
        Command::Pin { command: PinCommand::Acknowledge } => {
            // Said as it is: with no reset waiting, nothing is acknowledged (or recorded).
            let waiting = desk.pin_status()?.reset_at.is_some();
            let after = desk.acknowledge_pin_reset()?;
            if waiting && after.reset_at.is_none() {
                println!("The PIN reset is acknowledged.");
            } else {
                println!("No PIN reset was waiting to be acknowledged; nothing changed.");
            }
        }
        _ => unreachable!("not one of the pin commands"),
    }
    Ok(())
}

/// The environment variable that carries the coordinator PIN to the CLI (never an argument:
/// arguments are seen by every user of the computer and kept in the shell's history).
pub(crate) const PIN_ENV: &str = "DELEGATE_DESK_PIN";

/// The coordinator PIN for `why` (the refusal): from [`PIN_ENV`], else asked without echo when
/// standard input is a terminal, else refused naming both ways.
pub(crate) fn coordinator_pin(why: &str) -> Result<String> {
    use std::io::IsTerminal;
    if let Ok(pin) = std::env::var(PIN_ENV) {
        return Ok(pin);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Coordinator PIN: ")
            .map_err(|e| Error::Io(format!("The PIN could not be read from the terminal: {e}")));
    }
    Err(Error::CoordinatorOnly(format!(
        "{why}: set {PIN_ENV} in the environment, or run the command at a terminal to be asked; nothing was changed"
    )))
}

/// A new PIN, read twice from standard input (without echo at a terminal); the two must match.
pub(crate) fn new_pin() -> Result<String> {
    use std::io::{BufRead, IsTerminal, Read};
    let (min, max) = (delegate_desk::coordinator::PIN_MIN, delegate_desk::coordinator::PIN_MAX);
    let (first, second) = if std::io::stdin().is_terminal() {
        let ask = |prompt: &str| {
            rpassword::prompt_password(prompt)
                .map_err(|e| Error::Io(format!("The PIN could not be read from the terminal: {e}")))
        };
        (ask(&format!("New coordinator PIN ({min}–{max} characters): "))?, ask("The same PIN again: ")?)
    } else {
        let mut input = std::io::stdin().lock().take(8192);
        let mut line = || -> Result<String> {
            let mut l = String::new();
            input
                .read_line(&mut l)
                .map_err(|e| Error::Io(format!("The PIN could not be read from standard input: {e}")))?;
            let l = l.strip_suffix('\n').unwrap_or(&l);
            Ok(l.strip_suffix('\r').unwrap_or(l).to_string())
        };
        (line()?, line()?)
    };
    delegate_desk::coordinator::check_pin(&first)?;
    if first != second {
        return Err(Error::invalid(
            "pin",
            "The two PINs differ (standard input needs the new PIN on two lines); nothing was changed",
        ));
    }
    Ok(first)
}
