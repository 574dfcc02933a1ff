//! A print job sent again, or cancelled, from the print log: taken back from CUPS first (so
//! that it cannot come out as well), never sent a second time while the same badge is on its
//! way, asked about once it has printed; another desk's job still on its way is that desk's.

use super::jobs::{
    check_choice, follow, job_file, load_job, record_completed, record_failed, FORGOTTEN, LET_GO,
};
use super::{PrintJob, PrinterChoice};
use crate::cups::{self, JobState};
use crate::error::{Error, Result};
use crate::model::venue_format;
use crate::params;
use crate::store::records::{audit, load_event, now};
use crate::Desk;

/// How taking a job back from CUPS ended (see [`withdraw`]).
#[derive(Debug, PartialEq, Eq)]
enum Withdrawn {
    /// Cancelled in CUPS, or never handed to it.
    Cancelled,
    /// CUPS had completed it meanwhile: its badges are now recorded as printed.
    Completed,
    /// CUPS no longer knows the job (restarted, or its history cleared): whether it printed
    /// cannot be known, and there is nothing left to cancel.
    Forgotten,
    /// Another computer's own scheduler has the job: this desk can neither ask about it nor
    /// cancel it there. (Its desk.)
    Elsewhere(String),
}

/// The words a job let go of at another desk is logged with.
fn let_go(here: &str, there: &str) -> String {
    format!("{LET_GO}{here}: it was on its way through the print service of {there}, where it may still print; a badge that comes out of it does not open the door")
}

/// Take `job` back from CUPS (cancel it there, if CUPS has it). When CUPS had completed it
/// meanwhile, its badges are recorded as printed, and the caller must not go on.
fn withdraw(desk: &mut Desk, job: &PrintJob) -> Result<Withdrawn> {
    let scheduler: String =
        desk.db.value("SELECT scheduler FROM print_job WHERE id = ?1", params![job.id])?;
    // No key (CUPS_SERVER unusable): no recorded scheduler is this desk's.
    let mine = cups::scheduler_key().unwrap_or_default();
    if !desk.own_job(&scheduler, &job.desk, &mine) {
        return Ok(Withdrawn::Elsewhere(job.desk.clone()));
    }
    let Some(n) = job.cups_job else { return Ok(Withdrawn::Cancelled) };
    match cups::cancel(&job.printer, n as i32, &desk.operator.name) {
        Ok(()) => {}
        // A job CUPS has forgotten can only be let go; otherwise the person's badge could
        // never be printed again (every new print waits for this one).
        Err(Error::NotFound(_)) => return Ok(Withdrawn::Forgotten),
        Err(e) => return Err(e),
    }
    if cups::job(&job.printer, n as i32).is_ok_and(|s| s.state == JobState::Completed) {
        record_completed(desk, job.id)?;
        return Ok(Withdrawn::Completed);
    }
    Ok(Withdrawn::Cancelled)
}

/// Refuse sending job `id` again while another badge of one of its people (another version,
/// or the same version with another code: printed anew meanwhile) is still on its way to a
/// printer: both would print, and the one completed second is recorded as replaced, so the
/// person may be handed a badge the door refuses. (The same badge in another job is the
/// caller's own check.) Nothing is written.
fn refuse_beside_another_badge(db: &crate::store::db::Db, id: i64) -> Result<()> {
    let other: Option<(i64, String, i64)> = db.query_opt(
        "SELECT j.id, j.printer, b.attendee_id FROM print_job j
           JOIN print_job_badge b ON b.job_id = j.id
           JOIN print_job_badge mine ON mine.job_id = ?1 AND mine.attendee_id = b.attendee_id
          WHERE j.id <> ?1 AND j.state IN ('sending', 'waiting') AND b.token <> mine.token
          ORDER BY j.id DESC LIMIT 1",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some((other, printer, who)) = other else { return Ok(()) };
    let name = crate::store::records::load_attendee(db, who)
        .map(|a| a.display_name)
        .unwrap_or_else(|_| format!("#{who}"));
    Err(Error::Conflict(format!(
        "Another badge of {name} is on its way to a printer, in print job {other} on {printer}: print job {id} was not sent again. Send again or cancel job {other} instead"
    )))
}

impl Desk {
    /// Send job `id` again, to `printer` or its own. A job still waiting is cancelled in CUPS
    /// first (so that it cannot come out as well). A job whose badges came out already is sent
    /// again only with `again` (the same badges, the same codes); refused otherwise, saying
    /// when and where it printed.
    pub fn retry_print_job(
        &mut self,
        id: i64,
        printer: Option<&str>,
        again: bool,
        wait: u32,
    ) -> Result<PrintJob> {
        let job = self.start_retry(id, printer, again)?;
        let status = follow(&job, wait, &mut |_| {});
        self.settle_print_job(job.id, status, wait)
    }

    /// The first half of [`Desk::retry_print_job`]: the new job as sent (see
    /// [`Desk::start_print_job`]).
    pub fn start_retry(&mut self, id: i64, printer: Option<&str>, again: bool) -> Result<PrintJob> {
        let _ = self.aside(|d| d.refresh_print_jobs());
        let job = load_job(&self.db, id)?;
        let to = PrinterChoice {
            printer: printer.map(str::to_string).unwrap_or_else(|| job.printer.clone()),
            copies: job.copies,
            wait_seconds: 0,
        };
        check_choice(&to)?;
        let target = cups::printer(&to.printer)?;
        if target.state == cups::PrinterState::Stopped {
            return Err(Error::Conflict(format!(
                "Printer {} is {}; print job {id} was not sent again — choose another printer",
                target.name,
                target.state_words()
            )));
        }
        // Only people still registered get a badge, sent again or not.
        let gone: Vec<String> = self
            .db
            .query_map(
                "SELECT a.id, a.status FROM print_job_badge b JOIN attendee a ON a.id = b.attendee_id
              WHERE b.job_id = ?1 AND a.status <> 'registered' ORDER BY a.id",
                params![id],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
            )?
            .into_iter()
            .map(|(who, status)| {
                let name = crate::store::records::load_attendee(&self.db, who)
                    .map(|a| a.display_name)
                    .unwrap_or_else(|_| format!("#{who}"));
                format!("{name} (#{who}, {status})")
            })
            .collect();
        if !gone.is_empty() {
            return Err(Error::Conflict(format!(
                "Print job {id} holds the badge of people no longer registered: {}; it was neither sent again nor cancelled. Print the others' badges again instead",
                gone.join(", ")
            )));
        }
        refuse_beside_another_badge(&self.db, id)?;
        // Its file is checked before anything is changed: a file gone or replaced refuses the
        // retry and leaves the job as it is (it used to be cancelled first, then its
        // successor stuck "sending").
        job_file(&self.db, &job)?;
        match job.state.as_str() {
            "completed" if !again => {
                let event = load_event(&self.db)?;
                let when: Option<String> = self.db.query_opt(
                    "SELECT updated_at FROM print_job WHERE id = ?1",
                    params![id],
                    |r| r.get(0),
                )?;
                let when = when.map(|w| venue_format(&event, &w, "%H:%M")).unwrap_or_default();
                return Err(Error::Confirm(format!(
                    "Already printed at {when} on {} ({}, {}) — print again?",
                    job.desk,
                    job.printer,
                    job.whose()
                )));
            }
            // Cancelled first, in transactions of its own: the request id is the new job's.
            "waiting" | "sending" => match self.aside(|d| withdraw(d, &job))? {
                Withdrawn::Completed => {
                    return Err(Error::Conflict(format!(
                        "Print job {id} has just completed on {}: it was not sent again",
                        job.printer
                    )))
                }
                Withdrawn::Forgotten => self.aside(|d| record_failed(d, id, "cancelled", FORGOTTEN))?,
                Withdrawn::Cancelled => {
                    self.aside(|d| record_failed(d, id, "cancelled", "cancelled to be sent again"))?
                }
                Withdrawn::Elsewhere(there) if there == self.operator.desk => {
                    return Err(Error::Conflict(format!(
                        "Print job {id} went through another print service than this desk's (another computer also called {there}, or CUPS_SERVER changed since), which this desk cannot reach: send it again from there, or cancel it here and print the badge anew (a badge that still comes out there will not open the door)"
                    )))
                }
                Withdrawn::Elsewhere(there) => {
                    return Err(Error::Conflict(format!(
                        "Print job {id} is on its way through the print service of {there}'s computer, which this desk cannot reach: send it again at {there}, or cancel it here and print the badge anew (a badge that still comes out there will not open the door)"
                    )))
                }
            },
            _ => {}
        }
        // The badges must still be the newest of their holders (nobody printed a newer one).
        // (The same version with the same code is this job's own badge, printed already.)
        let newer: i64 = self.db.value(
            "SELECT count(*) FROM print_job_badge b WHERE b.job_id = ?1 AND EXISTS (
                 SELECT 1 FROM badge_print p WHERE p.attendee_id = b.attendee_id
                    AND (p.version > b.version OR (p.version = b.version AND p.token <> b.token)))",
            params![id],
        )?;
        if newer > 0 {
            return Err(Error::Conflict(format!(
                "A newer badge was printed since for {newer} of the people in print job {id}; print their badges again instead"
            )));
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        // The same badges sent in another job already (this one sent again by another desk at
        // the same moment, or earlier, or a job sent again from it in turn): that job is the
        // badges'; one more would print the same code twice. A printed one is asked about.
        let sent: Option<(i64, String, String, String, String)> = tx.query_opt(
            "SELECT j.id, j.state, j.printer, j.desk, j.updated_at FROM print_job j
             WHERE j.id <> ?1 AND j.state IN ('sending', 'waiting', 'completed')
               AND EXISTS (SELECT 1 FROM print_job_badge b JOIN print_job_badge mine
                             ON mine.attendee_id = b.attendee_id AND mine.version = b.version AND mine.token = b.token
                           WHERE b.job_id = j.id AND mine.job_id = ?1)
             ORDER BY j.state = 'completed', j.id DESC LIMIT 1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        // Again under the lock: another desk may have printed one meanwhile.
        refuse_beside_another_badge(&tx, id)?;
        match sent {
            Some((other, state, printer, desk, _)) if state != "completed" => {
                return Err(Error::Conflict(format!(
                    "The badge of print job {id} is being sent already, in job {other} on {printer} (from {desk}); it was not sent a second time. To send it elsewhere, cancel or send again job {other}"
                )));
            }
            Some((other, _, printer, desk, when)) if !again => {
                let event = load_event(&tx)?;
                return Err(Error::Confirm(format!(
                    "Already printed at {} on {desk} ({printer}, job {other}, the same badge as job {id}) — print again?",
                    venue_format(&event, &when, "%H:%M")
                )));
            }
            _ => {}
        }
        let at = now();
        let scheduler = cups::scheduler_key()?;
        tx.execute(
            "INSERT INTO print_job (at, operator, desk, printer, preset, copies, file, note, retry_of, state, updated_at, scheduler, sha256)
             SELECT ?1, ?2, ?3, ?4, preset, copies, file, note, id, 'sending', ?1, ?6, sha256 FROM print_job WHERE id = ?5",
            params![at, operator.name, operator.desk, to.printer, id, scheduler],
        )?;
        let new_id: i64 = tx.value("SELECT max(id) FROM print_job WHERE retry_of = ?1", params![id])?;
        tx.execute(
            "INSERT INTO print_job_badge (job_id, attendee_id, version, reason, token)
             SELECT ?1, attendee_id, version, reason, token FROM print_job_badge WHERE job_id = ?2",
            params![new_id, id],
        )?;
        audit(
            &tx,
            &operator,
            "print.retry",
            None,
            None::<&()>,
            Some(&serde_json::json!({"job": new_id, "retryOf": id, "printer": to.printer})),
        )?;
        let logged = load_job(&tx, new_id)?;
        tx.finish(logged)?;
        self.send_job(new_id, &to.printer, to.copies)
    }

    /// Cancel job `id` (in CUPS too, if it is still there); its badges are not printed.
    pub fn cancel_print_job(&mut self, id: i64) -> Result<PrintJob> {
        let job = load_job(&self.db, id)?;
        match job.state.as_str() {
            "completed" => {
                return Err(Error::Conflict(format!("Print job {id} has completed; it cannot be cancelled")))
            }
            "failed" | "cancelled" => return Ok(job),
            _ => {}
        }
        match withdraw(self, &job)? {
            Withdrawn::Completed => {
                return Err(Error::Conflict(format!("Print job {id} had completed; it was not cancelled")))
            }
            Withdrawn::Forgotten => record_failed(self, id, "cancelled", FORGOTTEN)?,
            Withdrawn::Cancelled => record_failed(self, id, "cancelled", "cancelled at the desk")?,
            Withdrawn::Elsewhere(there) => {
                let here = self.operator.desk.clone();
                record_failed(self, id, "cancelled", &let_go(&here, &there))?
            }
        }
        load_job(&self.db, id)
    }
}
