//! Badges: stocks, the pre-flight check, printing to PDF, calibration, opening a file.

use super::*;
use crate::state::AppState;
use delegate_desk::badge::pdf::Offset;
use delegate_desk::badge::{Preset, PRESETS};
use delegate_desk::printing::{
    self, BadgePreflight, BadgePrint, BadgeRequest, PrintOutcome, PrintProgress, Written,
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
