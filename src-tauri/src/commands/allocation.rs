//! Seat allocations per delegation and what happens beyond them.

use super::*;
use crate::state::AppState;
use delegate_desk::allocation::Allocations;
use tauri::State;

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
