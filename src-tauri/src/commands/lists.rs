//! Invite lists in (the preview and the import, the file's bytes as the request's body) and
//! rosters out.

use super::*;
use crate::state::AppState;
use delegate_desk::export::{ExportChoices, ExportOutcome, ExportRequest};
use delegate_desk::import::{ImportOptions, ImportOutcome, ImportPreview};
use delegate_desk::request::digest_of_bytes;
use delegate_desk::Error;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

/// The header that carries the import options beside the file's raw bytes.
pub const IMPORT_OPTIONS_HEADER: &str = "x-import-options";

/// The header that carries an import's request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// An import request: the file as raw bytes (the body), its options as JSON in a header, and
/// its request id (see [`delegate_desk::request`]) in another.
pub(crate) fn import_request<'a>(
    request: &'a Request<'_>,
) -> Res<(&'a [u8], ImportOptions, Option<&'a str>)> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Error::invalid("file", "The file must reach the desk as raw bytes"));
    };
    let options = match request.headers().get(IMPORT_OPTIONS_HEADER) {
        Some(v) => serde_json::from_slice(v.as_bytes())
            .map_err(|e| Error::invalid("options", format!("The import options cannot be read: {e}")))?,
        None => ImportOptions::default(),
    };
    let id = match request.headers().get(REQUEST_ID_HEADER) {
        Some(v) => Some(v.to_str().map_err(|_| Error::invalid("requestId", "The request id is not text"))?),
        None => None,
    };
    Ok((bytes, options, id))
}

/// What importing a file would do. The body is the file's raw bytes.
#[tauri::command(async)]
pub fn import_preview(state: State<'_, AppState>, request: Request<'_>) -> Res<ImportPreview> {
    let (bytes, options, _) = import_request(&request)?;
    state.with(|d| d.import_preview(bytes, &options))
}

/// Import a file, all rows or none. The body is the file's raw bytes.
#[tauri::command(async)]
pub fn import_run(state: State<'_, AppState>, request: Request<'_>) -> Res<ImportOutcome> {
    let (bytes, options, id) = import_request(&request)?;
    state.with(|d| d.once(id, "import", &(&options, digest_of_bytes(bytes)), |d| d.import(bytes, &options)))
}

/// The column presets and columns of exports.
#[tauri::command]
pub fn export_choices() -> ExportChoices {
    delegate_desk::export::choices()
}

/// Write a roster into a new file in the output folder.
#[tauri::command(async)]
pub fn export_roster(state: State<'_, AppState>, request: ExportRequest) -> Res<ExportOutcome> {
    state.with(|d| {
        d.to_new_file("roster", request.format.extension(), |d, out| d.export_roster(&request, out))
    })
}
