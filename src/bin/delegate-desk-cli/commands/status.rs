//! `status`: the seats, and where the database and the output folder are.

use crate::args::*;
use crate::output::*;
use delegate_desk::{Desk, Result};

/// Runs one of the status commands.
pub fn run(desk: &mut Desk, command: Command, _request: Option<&str>) -> Result<()> {
    match command {
        Command::Status { json } => {
            let s = desk.status()?;
            if json {
                return print_json(&s);
            }
            println!("Capacity    {}", s.capacity);
            println!("Registered  {}", s.registered);
            if s.held_for_waitlist > 0 {
                println!(
                    "Seats left  {} ({} held for the {} waiting)",
                    s.seats_left, s.held_for_waitlist, s.waitlisted
                );
            } else {
                println!("Seats left  {}", s.seats_left);
            }
            println!("Waitlisted  {}", s.waitlisted);
            println!("Invited     {}", s.invited);
            println!("Cancelled   {}", s.cancelled);
            for a in &s.allocations {
                println!("  {:<32} {} of {} allocated seats", a.delegation, a.registered, a.seats);
            }
        }
        _ => unreachable!("not one of the status commands"),
    }
    Ok(())
}
