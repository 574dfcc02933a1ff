//! `audit`: the audit trail, filtered, as text, JSON or CSV.

use crate::args::*;
use crate::output::*;
use delegate_desk::AuditFilter;
use delegate_desk::{Desk, Result};

/// Runs one of the audit commands.
pub fn run(desk: &mut Desk, command: Command, _request: Option<&str>) -> Result<()> {
    match command {
        Command::Audit { since, until, person, who, operator_name, action, limit, json, csv } => {
            let filter = AuditFilter { since, until, person, who, operator: operator_name, action, limit };
            if let Some(out) = csv {
                let n = desk.export_audit_csv(&filter, &out)?;
                println!("{n} entr{} written to {}", if n == 1 { "y" } else { "ies" }, out.display());
                return Ok(());
            }
            if json {
                return print_json(&desk.audit_trail(&filter)?);
            }
            let lines = desk.audit_lines(&filter)?;
            for l in &lines {
                let who = l.attendee_id.map(|id| format!("{} #{id}", l.person)).unwrap_or_default();
                println!(
                    "{:>6}  {}  {} ({})  {}  {}  {}",
                    l.id, l.local_time, l.operator, l.desk, l.label, who, l.summary
                );
            }
            println!("{} entr{}", lines.len(), if lines.len() == 1 { "y" } else { "ies" });
        }
        _ => unreachable!("not one of the audit commands"),
    }
    Ok(())
}
