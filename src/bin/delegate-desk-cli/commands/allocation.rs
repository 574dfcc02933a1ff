//! `allocation show|set|remove|policy`: seats per delegation.

use crate::args::*;
use crate::output::*;
use delegate_desk::{Desk, Result};

/// Runs one of the allocation commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Allocation { what } => {
            let a = match what {
                AllocationCommand::Show { json } => {
                    let a = desk.allocations()?;
                    if json {
                        return print_json(&a);
                    }
                    a
                }
                AllocationCommand::Set { delegation, seats } => {
                    desk.once(request, "allocation.set", &(&delegation, &seats), |d| {
                        d.set_allocation(&delegation, &seats)
                    })?
                }
                AllocationCommand::Remove { delegation } => {
                    desk.once(request, "allocation.remove", &delegation, |d| {
                        d.remove_allocation(&delegation)
                    })?
                }
                AllocationCommand::Policy { policy } => {
                    desk.once(request, "allocation.policy", &policy, |d| d.set_allocation_policy(&policy))?
                }
            };
            print_allocations(&a);
        }
        _ => unreachable!("not one of the allocation commands"),
    }
    Ok(())
}
