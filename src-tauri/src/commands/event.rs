//! The event settings, the seats, the categories and delegations, the dashboard.

use super::*;
use crate::state::AppState;
use delegate_desk::{Category, CategoryOption, Event, EventInput, EventUpdateOutcome, SeatStatus};
use tauri::State;

/// The event settings.
#[tauri::command(async)]
pub fn event_get(state: State<'_, AppState>) -> Res<Event> {
    state.with(|d| d.event())
}

/// Change the event settings.
#[tauri::command(async)]
pub fn event_update(
    state: State<'_, AppState>,
    input: EventInput,
    request_id: Option<String>,
) -> Res<EventUpdateOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "event.update", &input, |d| d.update_event(&input)))
}

/// The seat count.
#[tauri::command(async)]
pub fn seat_status(state: State<'_, AppState>) -> Res<SeatStatus> {
    state.with(|d| d.status())
}

/// Delegations for the type-ahead.
#[tauri::command(async)]
pub fn delegations(state: State<'_, AppState>) -> Res<Vec<String>> {
    state.with(|d| d.delegations())
}

/// The categories a form offers.
#[tauri::command]
pub fn categories() -> Vec<CategoryOption> {
    Category::options()
}

/// Seats, check-ins per day, by delegation and category, arrivals in 10-minute bars.
#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>, day: Option<u32>) -> Res<delegate_desk::dashboard::Dashboard> {
    state.with(|d| d.dashboard(day))
}

/// A delegation typed on a form, checked against the known ones (known, or the nearest).
#[tauri::command(async)]
pub fn delegation_check(state: State<'_, AppState>, typed: String) -> Res<delegate_desk::DelegationCheck> {
    state.with(|d| d.check_delegation(&typed))
}
