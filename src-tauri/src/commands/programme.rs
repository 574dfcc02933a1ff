//! The programme: the sessions of each day, added, changed and removed (coordinator actions);
//! the programme as CSV out and in, a session's attendance out.

use super::*;
use crate::state::AppState;
use delegate_desk::export::{ExportOutcome, Format};
use delegate_desk::model::Session;
use delegate_desk::programme::{PeopleList, ProgrammeImport, SessionInput, SessionRemoved, SessionView};
use tauri::ipc::Request;
use tauri::State;

/// A file written for the window: where it is and one line about it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    /// The file.
    pub path: String,
    /// One line for the operator.
    pub message: String,
}

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

/// Change a session: only what `input` names; with `loaded` (the form as Edit filled it),
/// only what was typed differently, and a conflict with another desk's change is refused.
#[tauri::command(async)]
pub fn session_set(
    state: State<'_, AppState>,
    id: i64,
    input: SessionInput,
    loaded: Option<SessionInput>,
    request_id: Option<String>,
) -> Res<Session> {
    state.with(|d| {
        d.once(request_id.as_deref(), "session.set", &(id, &input, &loaded), |d| {
            d.set_session_from(id, &input, loaded.as_ref())
        })
    })
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

/// Admit or exclude people by name at a session, or put them back under their category's
/// rule (a coordinator action).
#[tauri::command(async)]
pub fn session_people(
    state: State<'_, AppState>,
    id: i64,
    people: Vec<i64>,
    list: PeopleList,
    request_id: Option<String>,
) -> Res<Session> {
    state.with(|d| {
        d.once(request_id.as_deref(), "session.people", &(id, &people, list), |d| {
            d.set_session_people(id, &people, list)
        })
    })
}

/// Write the programme as CSV into a new file in the output folder.
#[tauri::command(async)]
pub fn programme_export(state: State<'_, AppState>) -> Res<Written> {
    state.with(|d| {
        d.to_new_file("programme", "csv", |d, out| {
            let message = d.export_programme(out)?;
            Ok(Written { path: out.display().to_string(), message })
        })
    })
}

/// Apply a programme file (the body: its raw bytes; a coordinator action).
#[tauri::command(async)]
pub fn programme_import(state: State<'_, AppState>, request: Request<'_>) -> Res<ProgrammeImport> {
    let (bytes, _, id) = super::lists::import_request(&request)?;
    state.with(|d| {
        d.once(id, "programme.import", &delegate_desk::request::digest_of_bytes(bytes), |d| {
            d.import_programme(bytes)
        })
    })
}

/// Write a session's attendance (`format`: csv, xlsx or pdf, the sign-in sheet) into a new
/// file in the output folder.
#[tauri::command(async)]
pub fn attendance_export(state: State<'_, AppState>, session: i64, format: Format) -> Res<ExportOutcome> {
    state.with(|d| {
        d.to_new_file(&format!("attendance-session-{session}"), format.extension(), |d, out| {
            d.export_attendance(session, format, out)
        })
    })
}
