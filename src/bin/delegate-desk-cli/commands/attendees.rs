//! People: `register`, `edit`, `list`, `search`, `show`, `cancel`, `reinstate`, `promote`.

use crate::args::*;
use crate::output::*;
use delegate_desk::{AttendeeInput, Desk, ListFilter, Result};

/// Runs one of the attendees commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Register { fields, json } => {
            let input: AttendeeInput = fields.into();
            let out = desk.once(request, "register", &input, |d| d.register(&input))?;
            if json {
                return print_json(&out.attendee);
            }
            println!("{}: #{} {}", out.message, out.attendee.id, out.attendee.display_name);
        }
        Command::Edit { id, fields, json } => {
            let input: AttendeeInput = fields.into();
            // What was stored before, to say when the values given were those already stored
            // (so is a request id sent again: its change is in already).
            let before = desk.attendee(id).ok();
            let a = desk.once(request, "edit", &(id, &input), |d| d.edit(id, &input))?;
            if json {
                return print_json(&a);
            }
            if before.as_ref() == Some(&a) {
                println!("No change: #{} {} already holds these values", a.id, a.display_name);
            } else {
                println!("Saved #{} {}", a.id, a.display_name);
            }
        }
        Command::List { status, category, delegation, name, vetting, order, json } => {
            let rows = desk.list(&ListFilter {
                status,
                category,
                delegation,
                name,
                delegation_starts: None,
                vetting,
                order,
            })?;
            if json {
                return print_json(&rows);
            }
            println!(
                "{:>5}  {:<16} {:<34} {:<24} {:<20} DAYS",
                "ID", "STATUS", "NAME", "DELEGATION", "CATEGORY"
            );
            for a in &rows {
                let days: Vec<String> = a.fields.days.iter().map(u32::to_string).collect();
                println!(
                    "{:>5}  {:<16} {:<34} {:<24} {:<20} {}",
                    a.id,
                    status_word(a),
                    a.display_name,
                    a.fields.delegation,
                    a.fields.category.label(),
                    days.join(",")
                );
            }
            println!("{} shown", rows.len());
        }
        Command::Search { text, limit, json } => {
            let found = desk.search(&text.join(" "), limit)?;
            if json {
                return print_json(&found);
            }
            for a in &found {
                println!(
                    "{:>5}  {:<16} {:<34} {:<24} {}",
                    a.id,
                    status_word(a),
                    a.display_name,
                    a.fields.delegation,
                    a.fields.organization
                );
            }
            println!("{} found", found.len());
        }
        Command::Show { id, json } => {
            let a = desk.attendee(id)?;
            if json {
                return print_json(&a);
            }
            print_attendee(&a);
            for b in desk.badge_history(id)? {
                let note = if b.note.is_empty() { String::new() } else { format!(" — {}", b.note) };
                println!(
                    "{:<14} version {} on {} by {} ({}, {}){note}",
                    "Badge printed", b.version, b.at, b.operator, b.preset, b.reason
                );
            }
        }
        Command::Cancel { id, json } => {
            let out = desk.once(request, "cancel", &id, |d| d.cancel(id))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
            if let Some(p) = &out.proposal {
                println!("To give them the seat: delegate-desk-cli promote {}", p.id);
            }
        }
        Command::Reinstate { id, json } => {
            let out = desk.once(request, "reinstate", &id, |d| d.reinstate(id))?;
            if json {
                return print_json(&out.attendee);
            }
            println!("{}: #{} {}", out.message, out.attendee.id, out.attendee.display_name);
        }
        Command::Promote { ids, json } => {
            let out = desk.once(request, "promote", &ids, |d| d.promote(&ids))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
        }
        _ => unreachable!("not one of the attendees commands"),
    }
    Ok(())
}
