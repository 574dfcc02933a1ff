//! `event show` and `event set`: the event settings.

use crate::args::*;
use crate::output::*;
use delegate_desk::{Desk, EventInput, Result};

/// Runs one of the event commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Event { command: EventCommand::Show { json } } => {
            let e = desk.event()?;
            if json {
                return print_json(&e);
            }
            println!("{}", e.name);
            println!("Venue      {}", e.venue);
            println!("Dates      {} to {} ({})", e.start_date, e.end_date, e.timezone);
            for d in &e.days {
                println!("Day {}      {}  {}", d.day, d.date, d.theme);
            }
            println!("Capacity   {}", e.capacity);
            println!("Vetting    {}", if e.require_vetting { "required" } else { "not required" });
        }
        Command::Event {
            command:
                EventCommand::Set {
                    name,
                    venue,
                    start_date,
                    end_date,
                    timezone,
                    capacity,
                    theme,
                    require_vetting,
                    json,
                },
        } => {
            let input = EventInput {
                name,
                venue,
                start_date,
                end_date,
                timezone,
                capacity,
                themes: parse_themes(&theme)?,
                require_vetting,
                // Read and written at once: nothing filled earlier to compare with.
                loaded: None,
            };
            let out = desk.once(request, "event.update", &input, |d| d.update_event(&input))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
            for (i, a) in out.promotion_candidates.iter().enumerate() {
                println!(
                    "  {}. #{} {} ({}) — promote with: delegate-desk-cli promote {}",
                    i + 1,
                    a.id,
                    a.display_name,
                    a.fields.delegation,
                    a.id
                );
            }
        }
        _ => unreachable!("not one of the event commands"),
    }
    Ok(())
}
