//! The commands the UI invokes: each takes its arguments, calls one core function and returns
//! its result. All run off the UI thread (`async`), since all touch the database.

use crate::state::AppState;
use delegate_desk::allocation::Allocations;
use delegate_desk::audit::{AuditChoices, AuditPage};
use delegate_desk::backup::{BackupInfo, BackupStatus};
use delegate_desk::badge::pdf::Offset;
use delegate_desk::badge::{Preset, PRESETS};
use delegate_desk::checkin::{ArrivalCard, ArrivalDay, ArrivalOutcome, Arrived, Found};
use delegate_desk::coordinator::PinStatus;
use delegate_desk::export::{ExportChoices, ExportOutcome, ExportRequest};
use delegate_desk::import::{ImportOptions, ImportOutcome, ImportPreview};
use delegate_desk::printing::{
    self, BadgePreflight, BadgePrint, BadgeRequest, PrintOutcome, PrintProgress, Written,
};
use delegate_desk::request::digest_of_bytes;
use delegate_desk::AuditFilter;
use delegate_desk::{
    Attendee, AttendeeInput, AuditEntry, CancelOutcome, Category, CategoryOption, DbInfo, Error, Event,
    EventInput, EventUpdateOutcome, ListFilter, PromoteOutcome, RegistrationOutcome, SeatStatus,
};
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::State;

type Res<T> = Result<T, Error>;

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
    request_id: Option<String>,
) -> Res<Attendee> {
    state.with(|d| d.once(request_id.as_deref(), "edit", &(id, &input), |d| d.edit(id, &input)))
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

/// The names a walk-in's typed words propose, in proper case: `{givenName, familyName}`.
#[tauri::command]
pub fn walk_in_name(text: String) -> serde_json::Value {
    let (given, family) = delegate_desk::text::walk_in_name(&text);
    serde_json::json!({ "givenName": given, "familyName": family })
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

/// The header that carries the import options beside the file's raw bytes.
pub const IMPORT_OPTIONS_HEADER: &str = "x-import-options";
/// The header that carries an import's request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// An import request: the file as raw bytes (the body), its options as JSON in a header, and
/// its request id (see [`delegate_desk::request`]) in another.
fn import_request<'a>(request: &'a Request<'_>) -> Res<(&'a [u8], ImportOptions, Option<&'a str>)> {
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

/// The seat allocations per delegation.
#[tauri::command(async)]
pub fn allocations_get(state: State<'_, AppState>) -> Res<Allocations> {
    state.with(|d| d.allocations())
}

/// Allocate seats to a delegation.
#[tauri::command(async)]
pub fn allocation_set(
    state: State<'_, AppState>,
    delegation: String,
    seats: String,
    request_id: Option<String>,
) -> Res<Allocations> {
    state.with(|d| {
        d.once(request_id.as_deref(), "allocation.set", &(&delegation, &seats), |d| {
            d.set_allocation(&delegation, &seats)
        })
    })
}

/// Remove a delegation's allocation.
#[tauri::command(async)]
pub fn allocation_remove(
    state: State<'_, AppState>,
    delegation: String,
    request_id: Option<String>,
) -> Res<Allocations> {
    state.with(|d| {
        d.once(request_id.as_deref(), "allocation.remove", &delegation, |d| d.remove_allocation(&delegation))
    })
}

/// What happens beyond an allocation.
#[tauri::command(async)]
pub fn allocation_policy_set(
    state: State<'_, AppState>,
    policy: String,
    request_id: Option<String>,
) -> Res<Allocations> {
    state.with(|d| {
        d.once(request_id.as_deref(), "allocation.policy", &policy, |d| d.set_allocation_policy(&policy))
    })
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

/// Today's event day, today's date and the number of days.
#[tauri::command(async)]
pub fn arrival_day(state: State<'_, AppState>) -> Res<ArrivalDay> {
    state.with(|d| d.arrival_day())
}

/// The people matching what was typed, each with their check-in for `day`.
#[tauri::command(async)]
pub fn arrival_find(
    state: State<'_, AppState>,
    query: String,
    day: Option<u32>,
    limit: usize,
) -> Res<Vec<Found>> {
    state.with(|d| d.find(&query, limit, day))
}

/// A person's card: check-ins, badge, what needs attention.
#[tauri::command(async)]
pub fn arrival_card(state: State<'_, AppState>, id: i64, day: Option<u32>) -> Res<ArrivalCard> {
    state.with(|d| d.arrival_card(id, day))
}

/// The one key of the arrival desk for a person found.
#[tauri::command(async)]
pub fn arrival_arrive(
    state: State<'_, AppState>,
    id: i64,
    day: Option<u32>,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "arrive", &(id, day), |d| d.arrive(id, day)))
}

/// A badge scanned: check its holder in.
#[tauri::command(async)]
pub fn arrival_scan(
    state: State<'_, AppState>,
    code: String,
    day: Option<u32>,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "scan", &(&code, day), |d| d.scan(&code, day)))
}

/// Undo a check-in, with a reason.
#[tauri::command(async)]
pub fn checkin_undo(
    state: State<'_, AppState>,
    id: i64,
    day: u32,
    reason: String,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| {
        d.once(request_id.as_deref(), "checkin.undo", &(id, day, &reason), |d| {
            d.undo_check_in(id, day, &reason)
        })
    })
}

/// The audit trail, filtered.
#[tauri::command(async)]
pub fn audit_trail(state: State<'_, AppState>, filter: Option<AuditFilter>) -> Res<Vec<AuditEntry>> {
    state.with(|d| d.audit_trail(&filter.unwrap_or_default()))
}

/// The newest check-ins of a day.
#[tauri::command(async)]
pub fn recent_arrivals(state: State<'_, AppState>, day: u32, limit: usize) -> Res<Vec<Arrived>> {
    state.with(|d| d.recent_arrivals(day, limit))
}

/// Seats, check-ins per day, by delegation and category, arrivals in 10-minute bars.
#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>, day: Option<u32>) -> Res<delegate_desk::dashboard::Dashboard> {
    state.with(|d| d.dashboard(day))
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
}

/// Who is at the desk.
#[tauri::command(async)]
pub fn operator_get(state: State<'_, AppState>) -> Res<OperatorInfo> {
    state.with(|d| {
        Ok(OperatorInfo { who: d.who(), named: delegate_desk::desk::operator_from_env().is_some() })
    })
}

/// Name the operator and the desk recorded with every change from this window.
#[tauri::command(async)]
pub fn operator_set(state: State<'_, AppState>, name: String, desk: String) -> Res<delegate_desk::Operator> {
    state.with(|d| d.sign_in(&name, &desk))
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

/// What the audit view's filters offer.
#[tauri::command(async)]
pub fn audit_choices(state: State<'_, AppState>) -> Res<AuditChoices> {
    state.with(|d| d.audit_choices())
}

/// The newest audit lines matching a filter, and how many match.
#[tauri::command(async)]
pub fn audit_page(state: State<'_, AppState>, filter: AuditFilter) -> Res<AuditPage> {
    state.with(|d| d.audit_page(&filter))
}

/// Every audit entry matching a filter, into a new CSV file in the output folder.
#[tauri::command(async)]
pub fn audit_export(state: State<'_, AppState>, filter: AuditFilter) -> Res<ExportOutcome> {
    state.with(|d| {
        d.to_new_file("audit", "csv", |d, out| {
            let rows = d.export_audit_csv(&filter, out)?;
            let message = format!("{rows} audit entr{} written", if rows == 1 { "y" } else { "ies" });
            Ok(ExportOutcome { path: out.display().to_string(), rows, message })
        })
    })
}

/// A delegation typed on a form, checked against the known ones (known, or the nearest).
#[tauri::command(async)]
pub fn delegation_check(state: State<'_, AppState>, typed: String) -> Res<delegate_desk::DelegationCheck> {
    state.with(|d| d.check_delegation(&typed))
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
