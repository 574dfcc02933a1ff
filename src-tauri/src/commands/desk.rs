//! The desk itself: the revision the window polls, where the data is, who is at the desk,
//! the coordinator PIN, backups, the demo, About and the window title.

use super::*;
use crate::state::AppState;
use delegate_desk::backup::{BackupInfo, BackupStatus};
use delegate_desk::coordinator::PinStatus;
use delegate_desk::{DbInfo, Error};
use tauri::State;

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

/// Back the database up now, into the backup folder beside it.
#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> Res<BackupInfo> {
    state.with(|d| d.backup_now())
}

/// The backup folder and the newest backup in it.
#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> Res<BackupStatus> {
    state.with(|d| d.backup_status())
}

/// Who is at the desk, and whether the environment named them (the window then does not ask).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorInfo {
    /// The operator and the desk.
    #[serde(flatten)]
    pub who: delegate_desk::Operator,
    /// Whether `DELEGATE_DESK_OPERATOR` named the operator.
    pub named: bool,
    /// Who signed in last on this computer, if remembered.
    pub remembered: Option<delegate_desk::Operator>,
}

/// Who is at the desk.
#[tauri::command(async)]
pub fn operator_get(state: State<'_, AppState>) -> Res<OperatorInfo> {
    state.with(|d| {
        Ok(OperatorInfo {
            who: d.who(),
            named: delegate_desk::desk::operator_from_env().is_some(),
            remembered: delegate_desk::desk::remembered::remembered_operator(),
        })
    })
}

/// Name the operator and the desk recorded with every change from this window, and remember
/// them on this computer for the next start (on disk before the answer: a window closed right
/// after starts with them). A failure to remember does not undo the sign-in; it is said on
/// stderr, and the window keeps its own copy.
#[tauri::command(async)]
pub fn operator_set(state: State<'_, AppState>, name: String, desk: String) -> Res<delegate_desk::Operator> {
    let who = state.with(|d| d.sign_in(&name, &desk))?;
    if let Err(e) = delegate_desk::desk::remembered::remember_operator(&who) {
        eprintln!("delegate-desk: {e}");
    }
    Ok(who)
}

/// The desk's settings remembered on this computer (the badge stock, the printer of each
/// stock, printing at check-in), by name.
#[tauri::command(async)]
pub fn desk_settings_get() -> Res<std::collections::BTreeMap<String, String>> {
    Ok(delegate_desk::desk::remembered::remembered_settings())
}

/// Remember one of the desk's settings on this computer (`value` absent: forget it), on disk
/// before the answer: a window closed right after starts with it.
#[tauri::command(async)]
pub fn desk_setting_set(key: String, value: Option<String>) -> Res<()> {
    delegate_desk::desk::remembered::remember_setting(&key, value.as_deref())
}

/// Whether a coordinator PIN is set and whether coordinator actions are open in this window.
#[tauri::command(async)]
pub fn pin_status(state: State<'_, AppState>) -> Res<PinStatus> {
    state.with(|d| d.pin_status())
}

/// Set the coordinator PIN: the first one, or a new one given the `current` PIN (or while
/// coordinator actions are open).
#[tauri::command(async)]
pub fn pin_set(state: State<'_, AppState>, pin: String, current: Option<String>) -> Res<PinStatus> {
    state.with(|d| d.set_pin(current.as_deref(), &pin))
}

/// A coordinator acknowledges that the PIN was reset (the windows stop saying so).
#[tauri::command(async)]
pub fn pin_acknowledge_reset(state: State<'_, AppState>) -> Res<PinStatus> {
    state.with(|d| d.acknowledge_pin_reset())
}

/// Open coordinator actions in this window with the PIN.
#[tauri::command(async)]
pub fn pin_unlock(state: State<'_, AppState>, pin: String) -> Res<PinStatus> {
    state.with(|d| d.unlock(&pin))
}

/// Close coordinator actions in this window.
#[tauri::command(async)]
pub fn pin_lock(state: State<'_, AppState>) -> Res<PinStatus> {
    state.with(|d| {
        d.lock();
        d.pin_status()
    })
}

/// Make the demo database (again, from scratch) beside the real one and show it.
#[tauri::command(async)]
pub fn demo_start(state: State<'_, AppState>) -> Res<delegate_desk::demo::DemoSummary> {
    state.start_demo()
}

/// Leave the demo: show the database the window was started on.
#[tauri::command(async)]
pub fn demo_leave(state: State<'_, AppState>) -> Res<()> {
    state.leave_demo()
}

/// Open the database again after its opening failed (the start-up screen's *Try again*); a
/// desk already open is kept.
#[tauri::command(async)]
pub fn desk_reopen(state: State<'_, AppState>) -> Res<()> {
    state.reopen()
}

/// The About box: version, licences, where the database and the files are.
#[tauri::command(async)]
pub fn about(state: State<'_, AppState>) -> Res<delegate_desk::about::About> {
    state.with(|d| d.about())
}

/// Title the window after the event (see [`Event::window_title`]) and answer the title the
/// window now has. The window is titled here, not by the page, so that the page needs no
/// window permission of its own.
#[tauri::command(async)]
pub fn window_title<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Res<String> {
    let title = state.with(|d| Ok(d.event()?.window_title()))?;
    window.set_title(&title).map_err(|e| Error::Internal(format!("The window could not be titled: {e}")))?;
    window.title().map_err(|e| Error::Internal(format!("The window's title could not be read: {e}")))
}
