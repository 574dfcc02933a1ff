//! Rosters out, for security, catering and protocol, who open them in Excel: CSV (UTF-8 with
//! BOM, CRLF, RFC 4180 quoting, safe against formula injection), XLSX (every cell a string),
//! JSON (the wire shape) and the PDF sign-in roster ([`pdf`]). Filters by status, category,
//! delegation and days; column presets.
//!
//! **Formula injection.** A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return as a formula (OWASP "CSV injection"). In CSV such a cell is
//! written with one leading apostrophe (`'+1-555-0100`, `'-Ann`, `'=1+1`): Excel and
//! LibreOffice then show the value as text, without the apostrophe, and never evaluate it.
//! A program reading the CSV gets the value back with [`unescape_cell`] (the import does
//! this). The rule and the CSV document itself are in [`crate::sheet`], below the rules that
//! write or read CSV (this one, the audit trail, the import). XLSX needs no such mark: every cell is written as a string, which is never
//! evaluated.

pub mod attendance;
pub mod pdf;

use crate::error::{Error, Result};
use crate::model::{parse_days, venue_format, Attendee, Event};
pub use crate::sheet::{csv_document, escape_cell, unescape_cell};
use crate::{Desk, ListFilter};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One column of a roster.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Key used on the command line (`--columns name,rank`).
    pub key: &'static str,
    /// Header written in the file.
    pub header: &'static str,
    get: fn(&Attendee, &Event) -> String,
}

impl Column {
    /// The cell of this column for `a` at `event` (times are written at the venue, as every
    /// other time the desk shows).
    pub fn value(&self, a: &Attendee, event: &Event) -> String {
        (self.get)(a, event)
    }
}

/// A flag in a roster: "yes", or empty (which the import reads as no for a new person; for
/// someone on file an empty cell leaves what is stored, as every empty cell does).
fn yes(flag: bool) -> String {
    if flag {
        "yes".into()
    } else {
        String::new()
    }
}

fn days(a: &Attendee) -> String {
    a.fields.days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// Every column a roster can have.
pub const COLUMNS: &[Column] = &[
    Column { key: "id", header: "ID", get: |a, _| a.id.to_string() },
    Column { key: "name", header: "Name", get: |a, _| a.fields.full_name() },
    Column { key: "rank", header: "Rank", get: |a, _| a.fields.rank.clone() },
    Column { key: "givenName", header: "Given name", get: |a, _| a.fields.given_name.clone() },
    Column { key: "familyName", header: "Family name", get: |a, _| a.fields.family_name.clone() },
    Column {
        key: "badgeName",
        header: "Badge name",
        get: |a, _| a.fields.badge_name.clone().unwrap_or_default(),
    },
    Column { key: "position", header: "Position", get: |a, _| a.fields.position.clone() },
    Column { key: "organization", header: "Organisation", get: |a, _| a.fields.organization.clone() },
    Column { key: "delegation", header: "Delegation", get: |a, _| a.fields.delegation.clone() },
    Column { key: "category", header: "Category", get: |a, _| a.fields.category.label().to_string() },
    Column { key: "email", header: "Email", get: |a, _| a.fields.email.clone() },
    Column { key: "phone", header: "Phone", get: |a, _| a.fields.phone.clone() },
    Column { key: "days", header: "Days", get: |a, _| days(a) },
    Column { key: "dietary", header: "Dietary requirements", get: |a, _| a.fields.dietary.clone() },
    Column {
        key: "accessibility",
        header: "Accessibility needs",
        get: |a, _| a.fields.accessibility.clone(),
    },
    Column { key: "notes", header: "Notes", get: |a, _| a.fields.notes.clone() },
    Column { key: "status", header: "Status", get: |a, _| a.status.wire().to_string() },
    Column {
        key: "registeredAt",
        header: "Registered at",
        // "2019-11-14 08:12" at the venue, as the audit trail writes its times; the stored
        // UTC instant is in the JSON export.
        get: |a, event| {
            a.registered_at.as_deref().map(|t| venue_format(event, t, "%Y-%m-%d %H:%M")).unwrap_or_default()
        },
    },
    Column {
        key: "headOfDelegation",
        header: "Head of delegation",
        get: |a, _| yes(a.fields.head_of_delegation),
    },
    Column { key: "notifyProtocol", header: "Notify protocol", get: |a, _| yes(a.fields.notify_protocol) },
    Column { key: "vetting", header: "Vetting", get: |a, _| a.vetting.state.wire().to_string() },
    Column { key: "vettingNote", header: "Vetting note", get: |a, _| a.vetting.note.clone() },
];

/// The column presets: (name, label, column keys).
pub const PRESETS: &[(&str, &str, &[&str])] = &[
    (
        "security",
        "Security list",
        &["name", "badgeName", "rank", "delegation", "organization", "category", "vetting", "vettingNote"],
    ),
    ("catering", "Catering", &["name", "dietary", "days"]),
    (
        "protocol",
        "Protocol",
        &["name", "rank", "position", "delegation", "category", "headOfDelegation", "notifyProtocol"],
    ),
    (
        "full",
        "Full",
        &[
            "id",
            "rank",
            "givenName",
            "familyName",
            "badgeName",
            "position",
            "organization",
            "delegation",
            "category",
            "email",
            "phone",
            "days",
            "dietary",
            "accessibility",
            "notes",
            "headOfDelegation",
            "notifyProtocol",
            "status",
            "registeredAt",
        ],
    ),
];

/// The columns of a preset, or of a comma-separated list of column keys.
pub fn columns(spec: &str) -> Result<Vec<Column>> {
    let spec = spec.trim();
    if let Some((_, _, keys)) = PRESETS.iter().find(|(name, _, _)| name.eq_ignore_ascii_case(spec)) {
        return columns(&keys.join(","));
    }
    spec.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            COLUMNS.iter().copied().find(|c| c.key.eq_ignore_ascii_case(k)).ok_or_else(|| {
                let presets: Vec<&str> = PRESETS.iter().map(|p| p.0).collect();
                let keys: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
                Error::invalid(
                    "columns",
                    format!(
                        "Unknown column \"{k}\"; use a preset ({}) or columns from: {}",
                        presets.join(", "),
                        keys.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// CSV for spreadsheets.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// JSON, the wire shape.
    Json,
    /// PDF sign-in roster grouped by delegation (fixed columns).
    Pdf,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }

    /// Parse a format name.
    pub fn parse(s: &str) -> Result<Format> {
        match s.trim().to_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "json" => Ok(Format::Json),
            "pdf" => Ok(Format::Pdf),
            other => Err(Error::invalid(
                "format",
                format!("Unknown format \"{other}\"; use csv, xlsx, json or pdf"),
            )),
        }
    }
}

/// Who is on a roster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RosterFilter {
    /// Status (default: registered).
    pub status: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Delegation.
    pub delegation: Option<String>,
    /// Only people attending at least one of these days ("1", "2", "both").
    pub days: Option<String>,
    /// The order: `name` (default) or `precedence` (heads of delegation first, then by
    /// delegation, then as recorded).
    pub order: Option<String>,
}

/// A column as a form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnOption {
    /// Key.
    pub key: &'static str,
    /// Header.
    pub header: &'static str,
}

/// A column preset as a form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresetOption {
    /// Name (`security`).
    pub name: &'static str,
    /// Label (`Security list`).
    pub label: &'static str,
    /// Its column keys.
    pub columns: Vec<&'static str>,
}

/// What an export form offers: the column presets and every column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportChoices {
    /// The presets.
    pub presets: Vec<PresetOption>,
    /// Every column.
    pub columns: Vec<ColumnOption>,
}

/// The column presets and columns, for a form.
pub fn choices() -> ExportChoices {
    ExportChoices {
        presets: PRESETS
            .iter()
            .map(|(name, label, cols)| PresetOption { name, label, columns: cols.to_vec() })
            .collect(),
        columns: COLUMNS.iter().map(|c| ColumnOption { key: c.key, header: c.header }).collect(),
    }
}

/// An export as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// File format.
    pub format: Format,
    /// Who.
    pub filter: RosterFilter,
    /// Column preset or list of column keys (CSV and XLSX; JSON has every field).
    pub columns: String,
    /// XLSX: one sheet per column preset instead of one sheet.
    pub sheet_per_preset: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportOutcome {
    /// The file.
    pub path: String,
    /// People in it.
    pub rows: usize,
    /// One line for the operator.
    pub message: String,
    /// What in a PDF will not print as it reads (a character its font cannot draw, text
    /// written right to left), each naming whose line it is; empty for other formats.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl ExportOutcome {
    /// The outcome of writing `rows` people to `out`, said in `message`, followed by what will
    /// not print as it reads.
    pub fn written(out: &Path, rows: usize, mut message: String, warnings: Vec<String>) -> ExportOutcome {
        if !warnings.is_empty() {
            let n = warnings.len();
            message.push_str(&format!(
                " — {n} {} will not print as {} read{}: {}",
                if n == 1 { "line" } else { "lines" },
                if n == 1 { "it" } else { "they" },
                if n == 1 { "s" } else { "" },
                warnings.join("; ")
            ));
        }
        ExportOutcome { path: out.display().to_string(), rows, message, warnings }
    }
}

/// The roster's people, in the list's order.
pub fn roster(desk: &Desk, filter: &RosterFilter, event: &Event) -> Result<Vec<Attendee>> {
    let status =
        filter.status.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "registered".into());
    let list = desk.list(&ListFilter {
        status: (!status.eq_ignore_ascii_case("all")).then_some(status),
        category: filter.category.clone(),
        delegation: filter.delegation.clone(),
        name: None,
        delegation_starts: None,
        vetting: None,
        order: filter.order.clone(),
    })?;
    let days = match filter.days.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => Some(parse_days(d, event.day_count())?),
        None => None,
    };
    Ok(list
        .into_iter()
        .filter(|a| days.as_ref().is_none_or(|want| a.fields.days.iter().any(|d| want.contains(d))))
        .collect())
}

/// CSV bytes: UTF-8 with BOM, CRLF line ends, RFC 4180 quoting, formula-safe cells.
pub fn csv_bytes(rows: &[Attendee], cols: &[Column], event: &Event) -> Result<Vec<u8>> {
    csv_document(
        cols.iter().map(|c| c.header),
        rows.iter().map(|a| cols.iter().map(|c| escape_cell(&c.value(a, event))).collect::<Vec<_>>()),
    )
}

/// One sheet named `name` of `rows` under `headers`: header row bold and frozen, columns
/// sized, every cell a string (never evaluated as a formula).
fn table(
    book: &mut rust_xlsxwriter::Workbook,
    name: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    for (c, header) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *header, &bold)?;
    }
    for (r, cells) in rows.enumerate() {
        for (c, value) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, value)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_autofit_max_width(400);
    ws.autofit();
    Ok(())
}

fn xlsx_fail(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("XLSX: {e}"))
}

/// XLSX bytes: a sheet per (name, columns), header row bold and frozen, columns sized, every
/// cell a string.
pub fn xlsx_bytes(rows: &[Attendee], sheets: &[(&str, Vec<Column>)], event: &Event) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, cols) in sheets {
        let headers: Vec<&str> = cols.iter().map(|c| c.header).collect();
        let cells = rows.iter().map(|a| cols.iter().map(|c| c.value(a, event)).collect());
        table(&mut book, name, &headers, cells).map_err(xlsx_fail)?;
    }
    book.save_to_buffer().map_err(xlsx_fail)
}

/// XLSX bytes of one sheet named `name`: `rows` under `headers`, as [`xlsx_bytes`] writes them.
pub(crate) fn xlsx_table(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    table(&mut book, name, headers, rows.iter().cloned()).map_err(xlsx_fail)?;
    book.save_to_buffer().map_err(xlsx_fail)
}

impl Desk {
    /// Write a roster to `out`.
    pub fn export_roster(&self, req: &ExportRequest, out: &Path) -> Result<ExportOutcome> {
        self.check_output(out)?;
        let event = self.event()?;
        let rows = roster(self, &req.filter, &event)?;
        // The column choice matters only where it is used: CSV, and XLSX with one sheet.
        let chosen =
            matches!(req.format, Format::Csv) || (req.format == Format::Xlsx && !req.sheet_per_preset);
        let cols = if chosen { columns(&req.columns)? } else { Vec::new() };
        if chosen && cols.is_empty() {
            return Err(Error::invalid("columns", "Choose at least one column"));
        }
        let mut warnings = Vec::new();
        let bytes = match req.format {
            Format::Csv => csv_bytes(&rows, &cols, &event)?,
            Format::Json => serde_json::to_vec_pretty(&rows)?,
            Format::Pdf => {
                // The time at the venue, with its zone: "2019-11-14 08:12 EST".
                let generated = event.local_now().format("%Y-%m-%d %H:%M %Z").to_string();
                let sheet = pdf::roster_pdf(&event, &rows, &generated);
                warnings = sheet.warnings;
                sheet.bytes
            }
            Format::Xlsx if req.sheet_per_preset => {
                let sheets: Vec<(&str, Vec<Column>)> = PRESETS
                    .iter()
                    .map(|(name, label, _)| Ok((*label, columns(name)?)))
                    .collect::<Result<_>>()?;
                xlsx_bytes(&rows, &sheets, &event)?
            }
            Format::Xlsx => xlsx_bytes(&rows, &[("Roster", cols)], &event)?,
        };
        crate::store::storage::write_atomically(out, &bytes)?;
        let n = rows.len();
        let message =
            format!("{n} {} written to {}", if n == 1 { "person" } else { "people" }, out.display());
        Ok(ExportOutcome::written(out, n, message, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_column_lists() {
        let keys = |s: &str| columns(s).unwrap().iter().map(|c| c.key).collect::<Vec<_>>();
        assert_eq!(
            keys("security"),
            ["name", "badgeName", "rank", "delegation", "organization", "category", "vetting", "vettingNote"]
        );
        assert_eq!(keys("Catering"), ["name", "dietary", "days"]);
        assert_eq!(keys("name, email"), ["name", "email"]);
        assert_eq!(columns("name,shoe").unwrap_err().field(), Some("columns"));
    }
}
