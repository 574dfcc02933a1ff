//! Badges: stocks, the pre-flight check, printing to PDF or to a printer (and the print log),
//! calibration, opening a file.

use super::*;
use crate::state::AppState;
use delegate_desk::badge::pdf::Offset;
use delegate_desk::badge::{Preset, PRESETS};
use delegate_desk::cups::Printer;
use delegate_desk::printing::{
    self, BadgePreflight, BadgePrint, BadgeRequest, PrintJob, PrintOutcome, PrintProgress, PrinterChoice,
    Written,
};
use tauri::ipc::Channel;
use tauri::State;

/// The badge stocks.
#[tauri::command]
pub fn badge_presets() -> &'static [Preset] {
    PRESETS
}

/// What printing would do, without doing it.
#[tauri::command(async)]
pub fn badge_preflight(state: State<'_, AppState>, request: BadgeRequest) -> Res<BadgePreflight> {
    state.with(|d| d.badge_preflight(&request))
}

/// Print badges into a new PDF in the output folder, reporting progress.
#[tauri::command(async)]
pub fn badge_print(
    state: State<'_, AppState>,
    request: BadgeRequest,
    on_progress: Channel<PrintProgress>,
    request_id: Option<String>,
) -> Res<PrintOutcome> {
    state.with(|d| {
        d.once(request_id.as_deref(), "badges", &request, |d| {
            d.to_new_file("badges", "pdf", |d, out| {
                d.print_badges_with_progress(&request, out, &mut |done, total| {
                    let _ = on_progress.send(PrintProgress { done, total });
                })
            })
        })
    })
}

/// The computer's printers (CUPS queues); needs no database.
#[tauri::command(async)]
pub fn printers() -> Res<Vec<Printer>> {
    delegate_desk::cups::printers()
}

/// What a job being followed shows: the state in words, and the job's number to cancel it.
#[derive(Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    /// The print log's number of the job.
    pub job: i64,
    /// "waiting", "printing: …".
    pub words: String,
}

/// Follow a job that was sent without holding the desk (the desk goes on meanwhile), then
/// record how it ended.
fn follow_and_settle(
    state: &AppState,
    job: PrintJob,
    wait: u32,
    on_job: &Channel<JobProgress>,
) -> Res<PrintJob> {
    let _ = on_job.send(JobProgress { job: job.id, words: job.words.clone() });
    let status = printing::follow(&job, wait, &mut |s| {
        let _ = on_job.send(JobProgress { job: job.id, words: s.words() });
    });
    state.with(|d| d.settle_print_job(job.id, status, wait))
}

/// Print badges on a printer: the PDF written and sent while the desk is held (progress as
/// it is laid out), then the job followed with the desk free (its number and state on
/// `on_job`, so that it can be cancelled), then its outcome recorded.
#[tauri::command(async)]
pub fn badge_print_to_printer(
    state: State<'_, AppState>,
    request: BadgeRequest,
    to: PrinterChoice,
    on_progress: Channel<PrintProgress>,
    on_job: Channel<JobProgress>,
) -> Res<PrintJob> {
    let job = state.with(|d| {
        d.start_print_job(&request, &to, &mut |done, total| {
            let _ = on_progress.send(PrintProgress { done, total });
        })
    })?;
    follow_and_settle(&state, job, to.wait_seconds, &on_job)
}

/// The print log, newest first.
#[tauri::command(async)]
pub fn print_jobs(state: State<'_, AppState>, limit: u32) -> Res<Vec<PrintJob>> {
    state.with(|d| d.print_jobs(limit))
}

/// Send a job again, to its printer or `printer`; `again` for one that printed already.
#[tauri::command(async)]
pub fn print_job_retry(
    state: State<'_, AppState>,
    id: i64,
    printer: Option<String>,
    again: bool,
    on_job: Channel<JobProgress>,
) -> Res<PrintJob> {
    let job = state.with(|d| d.start_retry(id, printer.as_deref(), again))?;
    follow_and_settle(&state, job, printing::DEFAULT_WAIT_SECONDS, &on_job)
}

/// Cancel a job still waiting.
#[tauri::command(async)]
pub fn print_job_cancel(state: State<'_, AppState>, id: i64) -> Res<PrintJob> {
    state.with(|d| d.cancel_print_job(id))
}

/// Every badge printed for one attendee.
#[tauri::command(async)]
pub fn badge_history(state: State<'_, AppState>, id: i64) -> Res<Vec<BadgePrint>> {
    state.with(|d| d.badge_history(id))
}

/// The printer shift of a stock.
#[tauri::command(async)]
pub fn calibration_get(state: State<'_, AppState>, preset: String) -> Res<Offset> {
    state.with(|d| d.calibration(&preset))
}

/// Save the printer shift of a stock.
#[tauri::command(async)]
pub fn calibration_set(
    state: State<'_, AppState>,
    preset: String,
    dx_mm: String,
    dy_mm: String,
    request_id: Option<String>,
) -> Res<Offset> {
    state.with(|d| {
        d.once(request_id.as_deref(), "calibration", &(&preset, &dx_mm, &dy_mm), |d| {
            d.set_calibration(&preset, &dx_mm, &dy_mm)
        })
    })
}

/// Write the calibration page of a stock into a new PDF in the output folder.
#[tauri::command(async)]
pub fn calibration_page(state: State<'_, AppState>, preset: String) -> Res<Written> {
    state.with(|d| {
        d.to_new_file(&format!("calibration-{}", preset.trim()), "pdf", |d, out| {
            d.calibration_page(&preset, out).map(|p| Written { path: p.display().to_string() })
        })
    })
}

/// Open a written file in the system viewer.
#[tauri::command(async)]
pub fn open_path(path: String) -> Res<()> {
    printing::open_in_viewer(std::path::Path::new(&path))
}
