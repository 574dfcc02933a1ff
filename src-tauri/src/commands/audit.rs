//! The audit trail: its page, filters and CSV export.

use super::*;
use crate::state::AppState;
use delegate_desk::audit::{AuditChoices, AuditPage};
use delegate_desk::export::ExportOutcome;
use delegate_desk::AuditEntry;
use delegate_desk::AuditFilter;
use tauri::State;

/// The audit trail, filtered.
#[tauri::command(async)]
pub fn audit_trail(state: State<'_, AppState>, filter: Option<AuditFilter>) -> Res<Vec<AuditEntry>> {
    state.with(|d| d.audit_trail(&filter.unwrap_or_default()))
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
            Ok(ExportOutcome::written(out, rows, message, Vec::new()))
        })
    })
}
