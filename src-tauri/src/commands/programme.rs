//! The programme: the sessions of each day, added, changed and removed (coordinator actions).

use super::*;
use crate::state::AppState;
use delegate_desk::model::Session;
use delegate_desk::programme::{SessionInput, SessionRemoved, SessionView};
use tauri::State;

/// The sessions of a day (every day when none), by day and start, with who may attend in words.
#[tauri::command(async)]
pub fn sessions(state: State<'_, AppState>, day: Option<u32>) -> Res<Vec<SessionView>> {
    state.with(|d| d.programme(day))
}

/// Add a session.
#[tauri::command(async)]
pub fn session_add(
    state: State<'_, AppState>,
    input: SessionInput,
    request_id: Option<String>,
) -> Res<Session> {
    state.with(|d| d.once(request_id.as_deref(), "session.add", &input, |d| d.add_session(&input)))
}

/// Change a session: only what `input` names.
#[tauri::command(async)]
pub fn session_set(
    state: State<'_, AppState>,
    id: i64,
    input: SessionInput,
    request_id: Option<String>,
) -> Res<Session> {
    state.with(|d| d.once(request_id.as_deref(), "session.set", &(id, &input), |d| d.set_session(id, &input)))
}

/// Remove a session (`force`: even with check-ins, kept in the audit).
#[tauri::command(async)]
pub fn session_remove(
    state: State<'_, AppState>,
    id: i64,
    force: bool,
    request_id: Option<String>,
) -> Res<SessionRemoved> {
    state.with(|d| {
        d.once(request_id.as_deref(), "session.remove", &(id, force), |d| d.remove_session(id, force))
    })
}
