//! Badges: `badges` (to PDF or a printer, with the pre-flight check), `print-jobs` (the print
//! log), `presets`, `calibration`.

use crate::args::*;
use crate::output::*;
use delegate_desk::badge::PRESETS;
use delegate_desk::printing::{BadgeRequest, BadgeSelection, PrintJob, PrinterChoice};
use delegate_desk::{Desk, Error, Result};

/// Runs one of the badges commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Badges {
            all,
            not_printed,
            id,
            preset,
            output,
            printer,
            copies,
            wait,
            reprint,
            reason,
            note,
            check,
            json,
        } => {
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
            // Sent again with a request id already answered: the answer stands, and nothing is
            // printed again, so no pre-flight of a print ("reprint, version 3") is shown.
            let answered = match request {
                Some(id) if !check => desk.applied(id)?,
                _ => false,
            };
            if answered {
                if let Some(printer) = printer {
                    let to = PrinterChoice { printer, copies, wait_seconds: wait };
                    let job = desk.once(request, "badges.printer", &(&req, &to), |d| {
                        d.print_to_printer(&req, &to, &mut |_, _| {})
                    })?;
                    if !json {
                        println!("This request was answered before; nothing was sent again. Its print job as it stands:");
                    }
                    return job_outcome(&desk.print_job(job.id)?, json);
                }
                let Some(output) = output else {
                    return Err(Error::invalid("output", "Say where to write the PDF: -o FILE.pdf"));
                };
                let out =
                    desk.once(request, "badges", &(&req, &output), |d| d.print_badges(&req, &output))?;
                if json {
                    return print_json(
                        &serde_json::json!({"preflight": null, "outcome": out, "answeredBefore": true}),
                    );
                }
                let gone = if output.exists() { "" } else { " (that file is no longer there)" };
                println!("This request was answered before; nothing was printed again. Its answer{gone}:");
                println!("{}", out.message);
                return Ok(());
            }
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
                for w in &pre.on_the_way {
                    println!(
                        "  #{} {} — on its way to a printer (print job {} on {}: {}); see print-jobs",
                        w.attendee_id, w.display_name, w.job, w.printer, w.words
                    );
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
            if let Some(printer) = printer {
                let to = PrinterChoice { printer, copies, wait_seconds: wait };
                let job = desk.once(request, "badges.printer", &(&req, &to), |d| {
                    d.print_to_printer(&req, &to, &mut |_, _| {})
                })?;
                // Sent again with the same request id, the answer is the job as first logged:
                // read how it stands now.
                let job = desk.print_job(job.id)?;
                return job_outcome(&job, json);
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
        Command::PrintJobs { what: None, limit, json } => {
            let jobs = desk.print_jobs(limit)?;
            if json {
                return print_json(&jobs);
            }
            if jobs.is_empty() {
                println!("No badge was sent to a printer yet");
            }
            for j in &jobs {
                let cups = j.cups_job.map(|n| format!(" {}-{n}", j.printer)).unwrap_or_default();
                let retry = j.retry_of.map(|r| format!(" (again: #{r})")).unwrap_or_default();
                println!(
                    "#{:<4} {}  {:<10} {} on {}{cups}{retry} by {} ({}) — {}",
                    j.id,
                    j.at_venue,
                    j.state,
                    j.whose(),
                    j.printer,
                    j.operator,
                    j.desk,
                    j.words
                );
            }
        }
        Command::PrintJobs {
            what: Some(PrintJobsCommand::Retry { id, printer, again, wait, json }), ..
        } => {
            let job = desk.once(request, "print-jobs.retry", &(id, &printer, again), |d| {
                d.retry_print_job(id, printer.as_deref(), again, wait)
            })?;
            let job = desk.print_job(job.id)?;
            return job_outcome(&job, json);
        }
        Command::PrintJobs { what: Some(PrintJobsCommand::Cancel { id, json }), .. } => {
            // Cancelling again changes nothing: a request id needs no answer kept.
            let job = desk.cancel_print_job(id)?;
            if json {
                return print_json(&job);
            }
            // What is known of it: not printed, or (let go on its way elsewhere, forgotten by
            // CUPS) perhaps printed, its badges no longer opening the door.
            println!("Print job #{id}: {}", job.message);
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
            // A page that cannot be written (the database, a folder that is not there) refuses
            // the whole command before the shift is saved.
            if let Some(page) = &page {
                desk.check_output(page).map_err(|e| match e {
                    Error::Validation { mut issues } => {
                        issues.iter_mut().for_each(|i| i.field = "page".into());
                        Error::Validation { issues }
                    }
                    other => other,
                })?;
            }
            let shifted = dx.is_some() && dy.is_some();
            if let (Some(dx), Some(dy)) = (dx, dy) {
                desk.once(request, "calibration", &(&preset, &dx, &dy), |d| {
                    d.set_calibration(&preset, &dx, &dy)
                })?;
            }
            let o = desk.calibration(&preset)?;
            println!("{preset}: shift right {} mm, down {} mm", o.dx_mm, o.dy_mm);
            if let Some(page) = page {
                // A write that fails after the check (a folder not writable, a full disk) comes
                // after the shift was saved: said so, not as if nothing had changed.
                desk.calibration_page(&preset, &page).map_err(|e| match (e, shifted) {
                    (Error::Io(why), true) => Error::Io(format!(
                        "The shift was saved ({} mm right, {} mm down), but the calibration page was not written: {why}",
                        o.dx_mm, o.dy_mm
                    )),
                    (e, _) => e,
                })?;
                println!("Calibration page written to {} — print it at 100 % (actual size)", page.display());
            }
        }
        _ => unreachable!("not one of the badges commands"),
    }
    Ok(())
}

/// A job sent to a printer: exit 0 only when it printed; otherwise its state in words, the PDF
/// kept, and exit 1.
fn job_outcome(job: &PrintJob, json: bool) -> Result<()> {
    if json {
        print_json(job)?;
    } else if job.printed {
        println!("{}", job.message);
    }
    if job.printed {
        Ok(())
    } else {
        Err(Error::Io(job.message.clone()))
    }
}
