//! `protocol notices|ack`: the arrivals protocol must meet.

use crate::args::*;
use crate::output::*;
use delegate_desk::protocol::ProtocolNotice;
use delegate_desk::{Desk, Result};

/// One notice on one line.
fn line(n: &ProtocolNotice) -> String {
    let door = n.session.as_deref().map(|s| format!(" at the door of “{s}”")).unwrap_or_default();
    let head = if n.head_of_delegation { ", head of delegation" } else { "" };
    let closed = match (&n.closed_how, &n.closed_by) {
        (Some(how), Some(by)) if how == "undone" => format!("  — closed: check-in undone by {by}"),
        (Some(_), Some(by)) => {
            format!("  — acknowledged by {by} ({})", n.closed_desk.as_deref().unwrap_or_default())
        }
        _ => String::new(),
    };
    format!(
        "#{:<4} {}  {} — {} ({}{head}) arrived{door}, checked in by {} ({}){closed}",
        n.id, n.local_time, n.why, n.display_name, n.delegation, n.operator, n.desk
    )
}

/// Runs one of the protocol commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Protocol { what: ProtocolCommand::Notices { all, json } } => {
            let notices = desk.protocol_notices(all)?;
            if json {
                return print_json(&notices);
            }
            if notices.is_empty() {
                println!(
                    "{}",
                    if all { "No protocol notice yet" } else { "No arrival waiting for protocol" }
                );
            }
            for n in &notices {
                println!("{}", line(n));
            }
        }
        Command::Protocol { what: ProtocolCommand::Ack { id, json } } => {
            let out = desk.once(request, "protocol.ack", &id, |d| d.acknowledge_notice(id))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
        }
        _ => unreachable!("not one of the protocol commands"),
    }
    Ok(())
}
