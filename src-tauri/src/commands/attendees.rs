//! Registering, editing, cancelling, promoting and listing people; their security vetting;
//! a walk-in's name.

use super::*;
use crate::state::AppState;
use delegate_desk::vetting::{VettingOutcome, VettingSeen};
use delegate_desk::{
    Attendee, AttendeeInput, AuditEntry, CancelOutcome, ListFilter, PromoteOutcome, RegistrationOutcome,
};
use tauri::State;

/// Register a new attendee.
#[tauri::command(async)]
pub fn attendee_register(
    state: State<'_, AppState>,
    input: AttendeeInput,
    request_id: Option<String>,
) -> Res<RegistrationOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "register", &input, |d| d.register(&input)))
}

/// Change an attendee.
#[tauri::command(async)]
pub fn attendee_edit(
    state: State<'_, AppState>,
    id: i64,
    input: AttendeeInput,
    loaded: Option<AttendeeInput>,
    request_id: Option<String>,
) -> Res<Attendee> {
    state.with(|d| {
        d.once(request_id.as_deref(), "edit", &(id, &input, &loaded), |d| {
            d.edit_from(id, &input, loaded.as_ref())
        })
    })
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
pub fn attendee_cancel(
    state: State<'_, AppState>,
    id: i64,
    request_id: Option<String>,
) -> Res<CancelOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "cancel", &id, |d| d.cancel(id)))
}

/// Give seats to waitlisted people.
#[tauri::command(async)]
pub fn attendee_promote(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    request_id: Option<String>,
) -> Res<PromoteOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "promote", &ids, |d| d.promote(&ids)))
}

/// Bring a cancelled attendee back.
#[tauri::command(async)]
pub fn attendee_reinstate(
    state: State<'_, AppState>,
    id: i64,
    request_id: Option<String>,
) -> Res<RegistrationOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "reinstate", &id, |d| d.reinstate(id)))
}

/// Set a person's security vetting (a coordinator action), from a form that showed `seen`
/// (refused as stale when the person or their vetting changed since).
#[tauri::command(async)]
pub fn attendee_set_vetting(
    state: State<'_, AppState>,
    id: i64,
    vetting: String,
    note: Option<String>,
    seen: Option<VettingSeen>,
    request_id: Option<String>,
) -> Res<VettingOutcome> {
    state.with(|d| {
        d.once(request_id.as_deref(), "vetting", &(id, &vetting, &note, &seen), |d| {
            d.set_vetting_seen(id, &vetting, note.as_deref(), seen.as_ref())
        })
    })
}

/// The names a walk-in's typed words propose, in proper case: `{givenName, familyName}`.
/// Off the window's thread, as every command is.
#[tauri::command(async)]
pub fn walk_in_name(text: String) -> serde_json::Value {
    let (given, family) = delegate_desk::text::walk_in_name(&text);
    serde_json::json!({ "givenName": given, "familyName": family })
}
