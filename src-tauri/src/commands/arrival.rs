//! The arrival desk: today's day, finding, the card, checking in, scans, undo, the latest
//! arrivals; at a session's door, the same with `session` given; the coordinator's one
//! admission without cleared vetting; the notices for protocol.

use super::*;
use crate::state::AppState;
use delegate_desk::checkin::{ArrivalCard, ArrivalDay, ArrivalOutcome, Arrived, Found};
use delegate_desk::protocol::{NoticeOutcome, ProtocolNotice};
use tauri::State;

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

/// A person's card: check-ins, badge, what needs attention; at a session's door, whether
/// they may enter.
#[tauri::command(async)]
pub fn arrival_card(
    state: State<'_, AppState>,
    id: i64,
    day: Option<u32>,
    session: Option<i64>,
) -> Res<ArrivalCard> {
    state.with(|d| match session {
        Some(s) => d.session_card(id, s),
        None => d.arrival_card(id, day),
    })
}

/// The one key of the arrival desk for a person found.
#[tauri::command(async)]
pub fn arrival_arrive(
    state: State<'_, AppState>,
    id: i64,
    day: Option<u32>,
    session: Option<i64>,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| match session {
        Some(s) => d.once(request_id.as_deref(), "arrive.session", &(id, s), |d| d.arrive_session(id, s)),
        None => d.once(request_id.as_deref(), "arrive", &(id, day), |d| d.arrive(id, day)),
    })
}

/// A badge scanned: check its holder in.
#[tauri::command(async)]
pub fn arrival_scan(
    state: State<'_, AppState>,
    code: String,
    day: Option<u32>,
    session: Option<i64>,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| match session {
        Some(s) => d.once(request_id.as_deref(), "scan.session", &(&code, s), |d| d.scan_session(&code, s)),
        None => d.once(request_id.as_deref(), "scan", &(&code, day), |d| d.scan(&code, day)),
    })
}

/// Undo a check-in, with a reason: the one shown (`checkin_id`), when the window says which.
#[tauri::command(async)]
pub fn checkin_undo(
    state: State<'_, AppState>,
    id: i64,
    day: u32,
    reason: String,
    checkin_id: Option<i64>,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| {
        d.once(request_id.as_deref(), "checkin.undo", &(id, day, &reason, checkin_id), |d| {
            d.undo_check_in_seen(id, day, checkin_id, &reason)
        })
    })
}

/// The coordinator's one admission of a person whose security vetting is not cleared: for
/// `day`, or at the door of `session`, with a reason (the PIN is asked by the core).
#[tauri::command(async)]
pub fn arrival_admit_unvetted(
    state: State<'_, AppState>,
    id: i64,
    day: Option<u32>,
    session: Option<i64>,
    reason: String,
    request_id: Option<String>,
) -> Res<ArrivalOutcome> {
    state.with(|d| {
        d.once(request_id.as_deref(), "checkin.unvetted", &(id, day, session, &reason), |d| {
            d.admit_unvetted(id, day, session, &reason)
        })
    })
}

/// The arrivals protocol has not acknowledged (every notice with `all`).
#[tauri::command(async)]
pub fn protocol_notices(state: State<'_, AppState>, all: Option<bool>) -> Res<Vec<ProtocolNotice>> {
    state.with(|d| d.protocol_notices(all.unwrap_or(false)))
}

/// Acknowledge a protocol notice.
#[tauri::command(async)]
pub fn protocol_ack(state: State<'_, AppState>, id: i64, request_id: Option<String>) -> Res<NoticeOutcome> {
    state.with(|d| d.once(request_id.as_deref(), "protocol.ack", &id, |d| d.acknowledge_notice(id)))
}

/// The newest check-ins of a day.
#[tauri::command(async)]
pub fn recent_arrivals(state: State<'_, AppState>, day: u32, limit: usize) -> Res<Vec<Arrived>> {
    state.with(|d| d.recent_arrivals(day, limit))
}
