//! Badges straight to a CUPS printer, and the print log.
//!
//! A job is the stock's PDF (kept in the output folder, whatever happens) sent to a queue and
//! followed until CUPS says how it ended. Its badges hold their versions and codes in
//! `print_job_badge` while it goes; they count as printed — a `badge_print` row each, the code
//! valid at the door — only when CUPS reports the job completed. A job still waiting when the
//! desk stops following it stays in the log and is looked at again each time the log is read;
//! a failed one can be sent again, to the same printer or another.

use super::{prepare, record_print, request_words, BadgeRequest};
use crate::badge::Preset;
use crate::cups::{self, JobState, JobStatus, Submission};
use crate::error::{Error, Result};
use crate::model::venue_format;
use crate::params;
use crate::store::db::Db;
use crate::store::records::{attendee_from_row, audit, load_event, now, Operator, ATTENDEE_SELECT};
use crate::Desk;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// How long the desk follows a job by default before it says "still waiting".
pub const DEFAULT_WAIT_SECONDS: u32 = 15;
/// The longest it may be asked to follow one.
pub const MAX_WAIT_SECONDS: u32 = 600;

/// Where and how to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterChoice {
    /// The CUPS queue.
    pub printer: String,
    /// Copies of every badge (1 to [`cups::MAX_COPIES`]).
    pub copies: u32,
    /// Seconds to follow the job before saying it is still waiting (0 to [`MAX_WAIT_SECONDS`]).
    pub wait_seconds: u32,
}

/// One job of the print log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintJob {
    /// The log's number for it.
    pub id: i64,
    /// When it was sent (RFC 3339).
    pub at: String,
    /// When it was sent, at the venue ("08:02").
    pub at_venue: String,
    /// Who sent it.
    pub operator: String,
    /// From which desk.
    pub desk: String,
    /// The queue.
    pub printer: String,
    /// CUPS's job number, once CUPS took it.
    pub cups_job: Option<i64>,
    /// The stock.
    pub preset: String,
    /// Copies asked for.
    pub copies: u32,
    /// The PDF sent, kept in the output folder.
    pub file: String,
    /// Badges in it.
    pub badges: usize,
    /// Whose badges, rank and name, in order.
    pub names: Vec<String>,
    /// The job it sends again, if it is a retry.
    pub retry_of: Option<i64>,
    /// sending, waiting, completed, failed, cancelled.
    pub state: String,
    /// How it stands in words: "completed", "stopped: out of labels", "still waiting after 15 s".
    pub words: String,
    /// Whether its badges came out of the printer (CUPS said completed).
    pub printed: bool,
    /// One line for the operator.
    pub message: String,
}

impl PrintJob {
    /// Whose badges, as the desk says it: the one person's name, or "12 badges".
    pub fn whose(&self) -> String {
        match self.names.as_slice() {
            [one] => one.clone(),
            all => format!("{} badges", all.len()),
        }
    }
}

pub(super) fn check_choice(to: &PrinterChoice) -> Result<()> {
    cups::check_queue_name(&to.printer)?;
    if !(1..=cups::MAX_COPIES).contains(&to.copies) {
        return Err(Error::invalid(
            "copies",
            format!("Copies must be 1 to {}, not {}", cups::MAX_COPIES, to.copies),
        ));
    }
    if to.wait_seconds > MAX_WAIT_SECONDS {
        return Err(Error::invalid(
            "wait",
            format!("Wait at most {MAX_WAIT_SECONDS} seconds for a printer, not {}", to.wait_seconds),
        ));
    }
    Ok(())
}

/// The page size CUPS is told for a stock, as a PWG media name.
pub(crate) fn media_of(preset: &Preset) -> String {
    let mm = |pt: f32| {
        let v = (pt / crate::badge::preset::PT_PER_MM * 100.0).round() / 100.0;
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let (w, h) = (mm(preset.page_width), mm(preset.page_height));
    match (w.as_str(), h.as_str()) {
        ("215.9", "279.4") => "na_letter_8.5x11in".into(),
        ("210", "297") => "iso_a4_210x297mm".into(),
        ("105", "148") => "iso_a6_105x148mm".into(),
        _ => format!("custom_{w}x{h}mm_{w}x{h}mm"),
    }
}

const JOB_SELECT: &str = "SELECT id, at, operator, desk, printer, cups_job, preset, copies, file, retry_of, state, words FROM print_job";

fn job_from_row(db: &Db, event: &crate::model::Event, r: &crate::store::db::Row) -> Result<PrintJob> {
    let id: i64 = r.get(0)?;
    let at: String = r.get(1)?;
    // The people as the desk names them everywhere (rank and name).
    let names: Vec<String> = db.query_map(
        &format!(
            "{ATTENDEE_SELECT} WHERE a.id IN (SELECT attendee_id FROM print_job_badge WHERE job_id = ?1) ORDER BY a.id"
        ),
        params![id],
        |r| attendee_from_row(r).map(|a| a.display_name),
    )?;
    let state: String = r.get(10)?;
    let words: String = r.get(11)?;
    let printer: String = r.get(4)?;
    let cups_job: Option<i64> = r.get(5)?;
    let printed = state == "completed";
    let mut job = PrintJob {
        id,
        at_venue: venue_format(event, &at, "%H:%M"),
        at,
        operator: r.get(2)?,
        desk: r.get(3)?,
        printer,
        cups_job,
        preset: r.get(6)?,
        copies: r.get(7)?,
        file: r.get(8)?,
        badges: names.len(),
        names,
        retry_of: r.get(9)?,
        state,
        words,
        printed,
        message: String::new(),
    };
    let (whose, printer, words, file) = (job.whose(), &job.printer, &job.words, &job.file);
    let number = cups_job.map(|j| format!(" (job {printer}-{j})")).unwrap_or_default();
    job.message = if printed && words != "completed" {
        // Printed, with something the operator must know (a badge replaced meanwhile).
        format!("Printed: {whose} on {printer}{number} — {words}")
    } else if printed {
        format!("Printed: {whose} on {printer}{number}")
    } else if outcome_unknown(words) {
        // Not known to have printed, nor known not to have: its badges do not open the door.
        let ended = if job.state == "cancelled" { "Cancelled" } else { "Ended" };
        format!("{ended}: {whose} on {printer}{number} — {words}. The PDF is kept: {file}")
    } else {
        format!("Not printed: {whose} on {printer}{number} — {words}. The PDF is kept: {file}")
    };
    Ok(job)
}

/// The PDF of `job` as its file holds it now, if it is still the file the job wrote (its
/// SHA-256; '' for a job logged before schema 21): one replaced in the output folder since
/// would print another badge than the one the job records.
pub(super) fn job_file(db: &Db, job: &PrintJob) -> Result<Vec<u8>> {
    let id = job.id;
    let pdf = std::fs::read(&job.file).map_err(|e| {
        Error::Io(format!(
            "The badge file of print job {id} cannot be read ({}): {e}; print the badges again",
            job.file
        ))
    })?;
    let written: String = db.value("SELECT sha256 FROM print_job WHERE id = ?1", params![id])?;
    if !written.is_empty() && crate::request::digest_of_bytes(&pdf) != written {
        return Err(Error::Conflict(format!(
            "The badge file of print job {id} ({}) has changed since the job wrote it: it was not sent. Print the badges again",
            job.file
        )));
    }
    Ok(pdf)
}

pub(super) fn load_job(db: &Db, id: i64) -> Result<PrintJob> {
    let event = load_event(db)?;
    db.query_opt(&format!("{JOB_SELECT} WHERE id = ?1"), params![id], |r| job_from_row(db, &event, r))?
        .ok_or_else(|| Error::NotFound(format!("No print job {id} in the print log")))
}

fn set_state(db: &Db, id: i64, state: &str, words: &str, cups_job: Option<i64>) -> Result<()> {
    db.execute(
        "UPDATE print_job SET state = ?2, words = ?3, cups_job = coalesce(?4, cups_job), updated_at = ?5 WHERE id = ?1",
        params![id, state, words, cups_job, now()],
    )?;
    Ok(())
}

/// The job's badges as CUPS completed them: each recorded as printed (unless a newer version
/// was recorded meanwhile, which is said), the job marked completed — one transaction.
pub(super) fn record_completed(desk: &mut Desk, id: i64) -> Result<String> {
    let operator: Operator = desk.operator.clone();
    let tx = desk.begin()?;
    let (printer, preset, note, state): (String, String, String, String) =
        tx.query_row("SELECT printer, preset, note, state FROM print_job WHERE id = ?1", params![id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    if state == "completed" {
        return Ok("completed".into());
    }
    let badges: Vec<(i64, u32, String, String)> = tx.query_map(
        "SELECT attendee_id, version, reason, token FROM print_job_badge WHERE job_id = ?1 ORDER BY attendee_id",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let at = now();
    let mut superseded = Vec::new();
    for (attendee, version, why, token) in &badges {
        let same: Option<String> = tx.query_opt(
            "SELECT token FROM badge_print WHERE attendee_id = ?1 AND version = ?2",
            params![attendee, version],
            |r| r.get(0),
        )?;
        match same {
            // Sent again after it printed: the same version with the same code, recorded once.
            Some(t) if t == *token => continue,
            // Another desk printed this version meanwhile: this badge's code is not theirs.
            Some(_) => {
                superseded.push(*attendee);
                continue;
            }
            None => {}
        }
        let newer: i64 = tx.value(
            "SELECT count(*) FROM badge_print WHERE attendee_id = ?1 AND version > ?2",
            params![attendee, version],
        )?;
        if newer > 0 {
            superseded.push(*attendee);
        }
        record_print(
            &tx,
            &operator,
            *attendee,
            *version,
            &at,
            &preset,
            why,
            &note,
            token,
            Some((id, &printer)),
        )?;
    }
    let words = if superseded.is_empty() {
        "completed".to_string()
    } else {
        format!(
            "completed; {} of its badges were replaced meanwhile by one printed elsewhere: those do not scan",
            superseded.len()
        )
    };
    set_state(&tx, id, "completed", &words, None)?;
    tx.finish(words)
}

pub(super) fn record_failed(desk: &mut Desk, id: i64, state: &str, words: &str) -> Result<()> {
    let operator = desk.operator.clone();
    let tx = desk.begin()?;
    set_state(&tx, id, state, words, None)?;
    audit(
        &tx,
        &operator,
        "print.failed",
        None,
        None::<&()>,
        Some(&serde_json::json!({"job": id, "state": state, "words": words})),
    )?;
    tx.finish(())
}

/// The words a job CUPS forgot is logged with.
/// Whether a job that did not complete may still have printed, as its words say: CUPS forgot
/// it, or it was let go on its way through another computer's print service.
fn outcome_unknown(words: &str) -> bool {
    words == FORGOTTEN || words.starts_with(LET_GO)
}

/// The beginning of the words of a job let go on its way through another computer's print
/// service (see `retry::let_go`).
pub(super) const LET_GO: &str = "let go at ";

pub(super) const FORGOTTEN: &str = "CUPS no longer knows this job (restarted, or its history cleared): whether it printed is unknown, and a badge that came out of it does not open the door";

/// What came of taking back a job CUPS had just taken (see `Desk::take_back`).
#[derive(Debug, PartialEq, Eq)]
enum TakenBack {
    /// Cancelled in CUPS (or ended there without printing).
    Cancelled,
    /// CUPS had completed it already: its badges came out.
    Printed,
    /// CUPS would not cancel it, nor say that it ended (why): it may still print.
    MayPrint(String),
}

/// Judge a take-back by CUPS's answers: the cancel's, then the job's state after it. The
/// state decides when it is final (a cancel answered "not possible" is a job that ended,
/// printed or not); otherwise only a cancel CUPS accepted takes the job back.
fn taken_back(cancelled: Result<()>, status: Result<JobStatus>) -> TakenBack {
    match (cancelled, status) {
        (_, Ok(s)) if s.state == JobState::Completed => TakenBack::Printed,
        (_, Ok(s)) if s.state.is_final() => TakenBack::Cancelled,
        (Ok(()), _) => TakenBack::Cancelled,
        (Err(e), _) => TakenBack::MayPrint(e.to_string()),
    }
}

/// What a followed job's status means for the log: its state and words.
fn judged(status: &JobStatus, waited: u32) -> (&'static str, String) {
    match status.state {
        JobState::Completed => ("completed", "completed".into()),
        JobState::Cancelled => ("cancelled", status.words()),
        JobState::Aborted => ("failed", status.words()),
        JobState::Held | JobState::Stopped => ("waiting", status.words()),
        JobState::Pending | JobState::Processing => {
            let why = if status.reason.is_empty() { String::new() } else { format!(": {}", status.reason) };
            ("waiting", format!("still waiting after {waited} s{why}"))
        }
    }
}

/// Follow a job just sent (see [`Desk::start_print_job`]) for up to `wait_seconds`, telling
/// `tick` each state seen; needs no desk. A job that is not waiting is answered as it stands.
pub fn follow(job: &PrintJob, wait_seconds: u32, tick: &mut dyn FnMut(&JobStatus)) -> Result<JobStatus> {
    match (job.state.as_str(), job.cups_job) {
        ("waiting", Some(n)) => cups::follow(
            &job.printer,
            n as i32,
            Duration::from_secs(u64::from(wait_seconds.min(MAX_WAIT_SECONDS))),
            tick,
        ),
        _ => {
            Err(Error::Conflict(format!("Print job {} is {}: there is nothing to follow", job.id, job.state)))
        }
    }
}

impl Desk {
    /// The system's printers (CUPS queues), the default one marked.
    pub fn printers(&self) -> Result<Vec<cups::Printer>> {
        cups::printers()
    }

    /// Print `req` on a CUPS printer: the stock's PDF is written to the output folder (kept
    /// whatever happens), sent at the stock's page size, and followed for up to
    /// `to.wait_seconds`. The badges count as printed only if CUPS says the job completed;
    /// otherwise the job stays in the print log with its state in words. Refused before
    /// anything is written: an unknown or stopped printer, and whatever [`Desk::print_badges`]
    /// refuses.
    pub fn print_to_printer(
        &mut self,
        req: &BadgeRequest,
        to: &PrinterChoice,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<PrintJob> {
        let job = self.start_print_job(req, to, progress)?;
        let status = follow(&job, to.wait_seconds, &mut |_| {});
        self.settle_print_job(job.id, status, to.wait_seconds)
    }

    /// The first half of [`Desk::print_to_printer`], which needs the desk: check, write the
    /// PDF and the log, send to CUPS. The job as it then stands ("waiting" once CUPS took it,
    /// "failed" if CUPS refused it). Follow it with [`follow`] — without holding the desk, so
    /// that the desk goes on meanwhile — and record how it ended with
    /// [`Desk::settle_print_job`].
    pub fn start_print_job(
        &mut self,
        req: &BadgeRequest,
        to: &PrinterChoice,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<PrintJob> {
        check_choice(to)?;
        let (reason, note) = request_words(req)?;
        let printer = cups::printer(&to.printer)?;
        if printer.state == cups::PrinterState::Stopped {
            return Err(Error::Conflict(format!(
                "Printer {} is {}; nothing was printed — choose another printer, or start it again",
                printer.name,
                printer.state_words()
            )));
        }
        let out = self.new_output_file("badges", "pdf")?;
        let sent = self.write_job(req, to, reason, &note, &out, progress);
        let id = match sent {
            Ok(id) => id,
            Err(e) => {
                if std::fs::metadata(&out).is_ok_and(|m| m.len() == 0) {
                    let _ = std::fs::remove_file(&out);
                }
                return Err(e);
            }
        };
        self.send_job(id, &to.printer, to.copies)
    }

    /// Record what following job `id` found (see [`follow`]): completed — its badges count as
    /// printed; ended otherwise — failed or cancelled; still going — waiting, in words. A job
    /// already ended (cancelled at the desk meanwhile) is left as it is.
    pub fn settle_print_job(&mut self, id: i64, status: Result<JobStatus>, waited: u32) -> Result<PrintJob> {
        let job = load_job(&self.db, id)?;
        if job.state != "waiting" {
            return Ok(job);
        }
        match status {
            Err(e) => set_state(&self.db, id, "waiting", &format!("not known: {e}"), None)?,
            Ok(status) => match judged(&status, waited) {
                ("completed", _) => {
                    record_completed(self, id)?;
                }
                ("waiting", words) => set_state(&self.db, id, "waiting", &words, None)?,
                (state, words) => record_failed(self, id, state, &words)?,
            },
        }
        load_job(&self.db, id)
    }

    /// Write the PDF and the job's row with its badges (state "sending"), in one transaction.
    fn write_job(
        &mut self,
        req: &BadgeRequest,
        to: &PrinterChoice,
        reason: Option<super::ReprintReason>,
        note: &str,
        out: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<i64> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let ready = prepare(&tx, req, reason, progress)?;
        let at = now();
        let scheduler = cups::scheduler_key()?;
        tx.execute(
            "INSERT INTO print_job (at, operator, desk, printer, preset, copies, file, note, state, updated_at, scheduler, sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'sending', ?1, ?9, ?10)",
            params![at, operator.name, operator.desk, to.printer, ready.preset.name, to.copies, out.display().to_string(), note, scheduler, crate::request::digest_of_bytes(&ready.pdf)],
        )?;
        let id: i64 = tx.value(
            "SELECT id FROM print_job WHERE at = ?1 AND printer = ?2 AND file = ?3",
            params![at, to.printer, out.display().to_string()],
        )?;
        for (p, (token, why)) in ready.planned.iter().zip(ready.tokens.iter().zip(&ready.why)) {
            tx.execute(
                "INSERT INTO print_job_badge (job_id, attendee_id, version, reason, token) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, p.attendee.id, p.content.version, why, token],
            )?;
        }
        audit(
            &tx,
            &operator,
            "print.sent",
            None,
            None::<&()>,
            Some(
                &serde_json::json!({"job": id, "printer": to.printer, "preset": ready.preset.name, "badges": ready.planned.len(), "copies": to.copies, "file": out.display().to_string()}),
            ),
        )?;
        // The PDF takes its name before the commit: a job whose file cannot be written is not
        // logged, and its badges are not recorded.
        crate::store::storage::stage_beside(out, &ready.pdf)?.persist().map_err(|e| {
            Error::Io(format!("Cannot write {}: {e}; nothing was sent or recorded", out.display()))
        })?;
        // The job as logged is what a change sent again with the same request id is answered
        // with (see `crate::request`); its sender reads it again for how it stands now.
        let logged = load_job(&tx, id)?;
        let committed = tx.finish(logged).map(drop);
        super::keep_file_if_recorded(committed, out, || {
            super::token_in(&self.db, "print_job_badge", &ready.tokens[0])
        })?;
        progress(ready.planned.len(), ready.planned.len());
        Ok(id)
    }

    /// Send logged job `id`'s PDF; the job as CUPS took it (or refused it).
    pub(super) fn send_job(&mut self, id: i64, printer: &str, copies: u32) -> Result<PrintJob> {
        let job = load_job(&self.db, id)?;
        let pdf = match job_file(&self.db, &job) {
            Ok(pdf) => pdf,
            Err(e) => {
                // Not sent: the job ends, and its badges are free to be printed again.
                record_failed(self, id, "failed", &e.to_string())?;
                return Err(e);
            }
        };
        let preset = Preset::find(&job.preset)?;
        let title = format!("Delegate Desk — {}", job.whose());
        let user = self.operator.name.clone();
        let submission =
            Submission { printer, title: &title, user: &user, copies, media: Some(media_of(preset)) };
        match cups::submit(&submission, pdf) {
            Ok(n) => {
                // Only a job still being sent becomes waiting: one cancelled or sent again
                // meanwhile (by another window or the command line) is taken back from CUPS,
                // or it would print beside the one sent again, with the same code.
                let moved = self.db.execute(
                    "UPDATE print_job SET state = 'waiting', words = 'sent', cups_job = ?2, updated_at = ?3
                      WHERE id = ?1 AND state = 'sending'",
                    params![id, i64::from(n), now()],
                )?;
                if moved == 0 {
                    self.take_back(id, printer, n, &user)?;
                }
            }
            Err(e) => {
                let still: String =
                    self.db.value("SELECT state FROM print_job WHERE id = ?1", params![id])?;
                if still == "sending" {
                    record_failed(self, id, "failed", &format!("not sent: {e}"))?;
                }
            }
        }
        load_job(&self.db, id)
    }

    /// Job `id` was cancelled or sent again (by another window or the command line) while CUPS
    /// was taking it as its job `n`: take it back from CUPS, and record what came of that —
    /// CUPS's number always, the badges as printed if CUPS completed it first, and in its words
    /// that it may still come out if CUPS would not cancel it. Before, a failed cancel was
    /// dropped, and a badge that had printed stayed in the log as cancelled.
    fn take_back(&mut self, id: i64, printer: &str, n: i32, user: &str) -> Result<()> {
        let cancelled = cups::cancel(printer, n, user);
        let status = cups::job(printer, n);
        self.db.execute("UPDATE print_job SET cups_job = ?2 WHERE id = ?1", params![id, i64::from(n)])?;
        match taken_back(cancelled, status) {
            TakenBack::Cancelled => Ok(()),
            TakenBack::Printed => record_completed(self, id).map(drop),
            TakenBack::MayPrint(why) => {
                let (state, words): (String, String) = self.db.query_row(
                    "SELECT state, words FROM print_job WHERE id = ?1",
                    params![id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let words = format!(
                    "{words}; but CUPS had already taken it as its job {n} and did not let it be taken back ({why}): it may still come out"
                );
                record_failed(self, id, &state, &words)
            }
        }
    }

    /// Whether a job with `scheduler` (as recorded; '' before schema 20) sent from `desk` is
    /// this desk's to ask its scheduler about, `mine` being this desk's key
    /// ([`cups::scheduler_key`], read once by the caller). One written before the scheduler was
    /// recorded is, on a file (one computer), and on a server only when it came from a desk of
    /// this name.
    pub(super) fn own_job(&self, scheduler: &str, desk: &str, mine: &str) -> bool {
        if scheduler.is_empty() {
            return !self.db.is_server() || desk == self.operator.desk;
        }
        scheduler == mine
    }

    /// Look again at every job still waiting: the ones CUPS has completed since are recorded
    /// as printed, the ones it ended otherwise as failed. How many changed.
    pub fn refresh_print_jobs(&mut self) -> Result<usize> {
        // This desk's own jobs: another computer's scheduler numbers its jobs its own way.
        let Ok(mine) = cups::scheduler_key() else { return Ok(0) };
        let jobs: Vec<(i64, String, Option<i64>, String, String)> = self.db.query_map(
            "SELECT id, printer, cups_job, scheduler, desk FROM print_job
              WHERE state = 'waiting' AND scheduler IN ('', ?1) ORDER BY id",
            params![mine],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let waiting: Vec<(i64, String, Option<i64>)> =
            jobs.into_iter().filter(|j| self.own_job(&j.3, &j.4, &mine)).map(|j| (j.0, j.1, j.2)).collect();
        let mut changed = 0;
        for (id, printer, cups_job) in waiting {
            let Some(cups_job) = cups_job else { continue };
            let status = match cups::job(&printer, cups_job as i32) {
                Ok(s) => s,
                // CUPS does not know the job any more (restarted, or its history cleared): it
                // can neither print nor be cancelled, so it no longer holds the person's badge.
                Err(Error::NotFound(_)) => {
                    record_failed(self, id, "failed", FORGOTTEN)?;
                    changed += 1;
                    continue;
                }
                // The print service does not answer: no use asking it about the next one.
                Err(_) => break,
            };
            match judged(&status, 0) {
                ("completed", _) => {
                    record_completed(self, id)?;
                    changed += 1;
                }
                ("waiting", _) => {
                    let words = status.words();
                    let before: String =
                        self.db.value("SELECT words FROM print_job WHERE id = ?1", params![id])?;
                    if !before.starts_with("still waiting") && before != words {
                        set_state(&self.db, id, "waiting", &words, None)?;
                    }
                }
                (state, words) => {
                    record_failed(self, id, state, &words)?;
                    changed += 1;
                }
            }
        }
        Ok(changed)
    }

    /// The print log, newest first (at most `limit` jobs), after a look at the waiting ones.
    pub fn print_jobs(&mut self, limit: u32) -> Result<Vec<PrintJob>> {
        // A print service that does not answer leaves the log as it was.
        let _ = self.refresh_print_jobs();
        let event = load_event(&self.db)?;
        let db = &self.db;
        db.query_map(
            &format!("{JOB_SELECT} ORDER BY id DESC LIMIT ?1"),
            params![i64::from(limit.min(1000))],
            |r| job_from_row(db, &event, r),
        )
    }

    /// One job of the print log, after a look at it if it is still waiting.
    pub fn print_job(&mut self, id: i64) -> Result<PrintJob> {
        let _ = self.refresh_print_jobs();
        load_job(&self.db, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::PRESETS;

    #[test]
    fn every_stock_has_a_media_name_cups_reads() {
        for p in PRESETS {
            let m = media_of(p);
            assert!(m.len() < 64 && m.is_ascii() && m.contains('_'), "{}: {m}", p.name);
        }
        assert_eq!(media_of(Preset::find("letter-6up-4x3").unwrap()), "na_letter_8.5x11in");
        assert_eq!(media_of(Preset::find("a6-portrait").unwrap()), "iso_a6_105x148mm");
        assert_eq!(media_of(Preset::find("cr80").unwrap()), "custom_85.6x53.98mm_85.6x53.98mm");
    }

    #[test]
    fn a_job_cups_ended_is_judged_in_words() {
        let s = |state, reason: &str| JobStatus { state, reason: reason.into() };
        assert_eq!(judged(&s(JobState::Completed, ""), 15).0, "completed");
        assert_eq!(
            judged(&s(JobState::Aborted, "the printer could not read the badge file"), 15).0,
            "failed"
        );
        assert_eq!(
            judged(&s(JobState::Processing, "the printer is not answering"), 15),
            ("waiting", "still waiting after 15 s: the printer is not answering".into())
        );
        assert_eq!(judged(&s(JobState::Held, ""), 15), ("waiting", "held".into()));
        assert_eq!(judged(&s(JobState::Cancelled, "cancelled by a person"), 1).0, "cancelled");
    }

    #[test]
    fn a_job_taken_back_after_cups_took_it_is_judged_by_what_cups_says_after_the_cancel() {
        let s = |state| Ok(JobStatus { state, reason: String::new() });
        fn refused<T>() -> Result<T> {
            Err(Error::Io("the print service does not answer".into()))
        }
        // Printed before the cancel reached it: "not possible" is Ok, the state says completed.
        assert_eq!(taken_back(Ok(()), s(JobState::Completed)), TakenBack::Printed);
        assert_eq!(taken_back(refused(), s(JobState::Completed)), TakenBack::Printed);
        assert_eq!(taken_back(Ok(()), s(JobState::Cancelled)), TakenBack::Cancelled);
        assert_eq!(taken_back(refused(), s(JobState::Aborted)), TakenBack::Cancelled);
        // Cancel accepted, CUPS still stopping it (or not answering the question after).
        assert_eq!(taken_back(Ok(()), s(JobState::Processing)), TakenBack::Cancelled);
        assert_eq!(taken_back(Ok(()), refused()), TakenBack::Cancelled);
        // Neither cancelled nor ended: it may come out.
        for still in [s(JobState::Pending), s(JobState::Processing), s(JobState::Held), refused()] {
            match taken_back(refused(), still) {
                TakenBack::MayPrint(why) => assert!(why.contains("does not answer"), "{why}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn choices_out_of_range_are_refused_by_field() {
        let c = |printer: &str, copies, wait_seconds| PrinterChoice {
            printer: printer.into(),
            copies,
            wait_seconds,
        };
        assert_eq!(check_choice(&c("q", 0, 15)).unwrap_err().field(), Some("copies"));
        assert_eq!(check_choice(&c("q", 101, 15)).unwrap_err().field(), Some("copies"));
        assert_eq!(check_choice(&c("q", 1, 601)).unwrap_err().field(), Some("wait"));
        assert_eq!(check_choice(&c("a b", 1, 15)).unwrap_err().field(), Some("printer"));
        assert!(check_choice(&c("q", 100, 600)).is_ok());
    }
}
