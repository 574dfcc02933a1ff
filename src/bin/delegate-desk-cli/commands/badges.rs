//! Badges: `badges` (to PDF, with the pre-flight check), `presets`, `calibration`.

use crate::args::*;
use crate::output::*;
use delegate_desk::badge::PRESETS;
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{Desk, Error, Result};

/// Runs one of the badges commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Badges { all, not_printed, id, preset, output, reprint, reason, note, check, json } => {
            let selection = if all {
                BadgeSelection::AllRegistered
            } else if not_printed {
                BadgeSelection::NotPrinted
            } else if !id.is_empty() {
                BadgeSelection::Ids(id)
            } else {
                return Err(Error::invalid("ids", "Say whose badges: --all, --not-printed or --id ID"));
            };
            if reprint && reason.is_none() {
                return Err(Error::invalid(
                    "reason",
                    "--reprint needs --reason: lost, damaged, correction or other",
                ));
            }
            let req = BadgeRequest { selection, preset, reason, note };
            let pre = desk.badge_preflight(&req)?;
            if json && check {
                return print_json(&pre);
            }
            if !json {
                println!(
                    "Pre-flight: {} badge(s) on {} page(s) of {}",
                    pre.badges.len(),
                    pre.pages,
                    pre.preset.label
                );
                for b in pre
                    .badges
                    .iter()
                    .filter(|b| b.reprint || !b.problems.is_empty() || !b.warnings.is_empty())
                {
                    let reprint = if b.reprint {
                        format!(" — reprint, version {}", b.version)
                    } else {
                        String::new()
                    };
                    println!("  #{} {}{reprint}", b.attendee_id, b.display_name);
                    for p in &b.problems {
                        println!("    ! {p}");
                    }
                    for w in &b.warnings {
                        println!("    ? {w}");
                    }
                }
                for r in &pre.refused {
                    println!("  #{} {} — no badge: {}", r.attendee_id, r.display_name, r.status.wire());
                }
                if pre.badges.is_empty() && pre.refused.is_empty() {
                    println!("  No badge to print.");
                } else if pre.with_problems == 0 && pre.refused.is_empty() {
                    println!("  Every badge fits; no missing character.");
                }
            }
            if check {
                return Ok(());
            }
            if pre.reprints > 0 && !reprint {
                return Err(Error::invalid(
                    "reason",
                    format!(
                        "{} badge(s) were printed before; add --reprint --reason R to print them again",
                        pre.reprints
                    ),
                ));
            }
            let Some(output) = output else {
                return Err(Error::invalid("output", "Say where to write the PDF: -o FILE.pdf"));
            };
            let out = desk.once(request, "badges", &(&req, &output), |d| d.print_badges(&req, &output))?;
            if json {
                return print_json(&serde_json::json!({"preflight": pre, "outcome": out}));
            }
            println!("{}", out.message);
        }
        Command::Presets { json } => {
            if json {
                return print_json(&PRESETS);
            }
            for p in PRESETS {
                println!("{:<16} {}", p.name, p.label);
            }
        }
        Command::Calibration { preset, dx, dy, page } => {
            if let (Some(dx), Some(dy)) = (dx, dy) {
                desk.once(request, "calibration", &(&preset, &dx, &dy), |d| {
                    d.set_calibration(&preset, &dx, &dy)
                })?;
            }
            let o = desk.calibration(&preset)?;
            println!("{preset}: shift right {} mm, down {} mm", o.dx_mm, o.dy_mm);
            if let Some(page) = page {
                desk.calibration_page(&preset, &page)?;
                println!("Calibration page written to {} — print it at 100 % (actual size)", page.display());
            }
        }
        _ => unreachable!("not one of the badges commands"),
    }
    Ok(())
}
