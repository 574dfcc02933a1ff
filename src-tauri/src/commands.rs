//! The commands the UI invokes: each takes its arguments, calls one core function and returns
//! its result. All run off the UI thread (`async`), since all touch the database.

use crate::state::AppState;
use delegate_desk::{
    Attendee, AttendeeInput, AuditEntry, CancelOutcome, Category, CategoryOption, DbInfo, Error, Event,
    EventInput, EventUpdateOutcome, ListFilter, PromoteOutcome, RegistrationOutcome, SeatStatus,
};
use tauri::State;

type Res<T> = Result<T, Error>;

/// The event settings.
#[tauri::command(async)]
pub fn event_get(state: State<'_, AppState>) -> Res<Event> {
    state.with(|d| d.event())
}

/// Change the event settings.
#[tauri::command(async)]
pub fn event_update(state: State<'_, AppState>, input: EventInput) -> Res<EventUpdateOutcome> {
    state.with(|d| d.update_event(&input))
}

/// Register a new attendee.
#[tauri::command(async)]
pub fn attendee_register(state: State<'_, AppState>, input: AttendeeInput) -> Res<RegistrationOutcome> {
    state.with(|d| d.register(&input))
}

/// Change an attendee.
#[tauri::command(async)]
pub fn attendee_edit(state: State<'_, AppState>, id: i64, input: AttendeeInput) -> Res<Attendee> {
    state.with(|d| d.edit(id, &input))
}

/// One attendee.
#[tauri::command(async)]
pub fn attendee_get(state: State<'_, AppState>, id: i64) -> Res<Attendee> {
    state.with(|d| d.attendee(id))
}

/// The audit trail of one attendee.
#[tauri::command(async)]
pub fn attendee_history(state: State<'_, AppState>, id: i64) -> Res<Vec<AuditEntry>> {
    state.with(|d| d.history(id))
}

/// The attendees matching a filter.
#[tauri::command(async)]
pub fn attendee_list(state: State<'_, AppState>, filter: Option<ListFilter>) -> Res<Vec<Attendee>> {
    state.with(|d| d.list(&filter.unwrap_or_default()))
}

/// Cancel an attendee; proposes the next waitlisted person.
#[tauri::command(async)]
pub fn attendee_cancel(state: State<'_, AppState>, id: i64) -> Res<CancelOutcome> {
    state.with(|d| d.cancel(id))
}

/// Give seats to waitlisted people.
#[tauri::command(async)]
pub fn attendee_promote(state: State<'_, AppState>, ids: Vec<i64>) -> Res<PromoteOutcome> {
    state.with(|d| d.promote(&ids))
}

/// Bring a cancelled attendee back.
#[tauri::command(async)]
pub fn attendee_reinstate(state: State<'_, AppState>, id: i64) -> Res<RegistrationOutcome> {
    state.with(|d| d.reinstate(id))
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

/// A number that changes whenever the database changes.
#[tauri::command(async)]
pub fn revision(state: State<'_, AppState>) -> Res<i64> {
    state.with(|d| d.revision())
}

/// Where the database is.
#[tauri::command(async)]
pub fn db_info(state: State<'_, AppState>) -> Res<DbInfo> {
    state.with(|d| Ok(d.info()))
}
