//! Invite lists in: reading what spreadsheets really export (encodings, separators, quoting),
//! mapping columns by header, a preview of what would change, and the import itself — all
//! confirmed rows in one transaction, or none.

mod columns;
mod preview;
mod read;

use crate::error::{Error, Result};
use crate::model::{Category, Status};
use crate::params;
use crate::registration::{write_in, Write};
use crate::store::db::Tx;
use crate::store::records::{load_attendee, load_event, now, write_vetting, Operator};
use crate::Desk;
pub use columns::*;
use preview::*;
pub use read::*;
use serde::{Deserialize, Serialize};

/// How the import treats the people it adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportMode {
    /// As invited: no seat held; the desk registers them when they come.
    #[default]
    Invite,
    /// Registered in file order: seats under the capacity, the rest waitlisted.
    Register,
}

/// What to do, besides adding the new people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportOptions {
    /// Invite or register the new people.
    pub mode: ImportMode,
    /// Also update people already present whose row differs.
    pub update_existing: bool,
    /// Keep the values of unknown columns in the notes ("Column: value").
    pub unknown_as_notes: bool,
    /// Import the valid rows even if some rows are invalid (they are left out).
    pub skip_invalid: bool,
    /// Columns read otherwise than their header says: the header as written → the field
    /// (wire name or label), or "" for a column not used. A successful import remembers the
    /// mapping for the next file with the same header.
    pub map: std::collections::BTreeMap<String, String>,
    /// The category of rows whose category is empty or missing, as typed ("Delegate").
    pub default_category: Option<String>,
}

/// How a column was understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    /// The header as written.
    pub header: String,
    /// The field it fills, or none (unknown column).
    #[serde(deserialize_with = "known_field")]
    pub field: Option<Static>,
    /// Why: `header` (recognised by its name), `manual` (chosen for this import),
    /// `remembered` (chosen for an earlier file with the same header) or `none`.
    #[serde(deserialize_with = "known_source")]
    pub source: Static,
}

/// A refused value in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    /// Line in the file (1 = the header), where the row starts.
    pub line: u64,
    /// The field, camelCase.
    pub field: String,
    /// Why.
    pub message: String,
}

/// One field that a re-import would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// The field, camelCase.
    pub field: String,
    /// Stored value.
    pub before: String,
    /// Value in the file.
    pub after: String,
}

/// A person already present whose row differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowChange {
    /// Line in the file.
    pub line: u64,
    /// The attendee.
    pub attendee_id: i64,
    /// Rank and name as stored.
    pub display_name: String,
    /// What differs.
    pub changes: Vec<FieldChange>,
}

/// What an import would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The encoding the file was read in.
    pub encoding: String,
    /// The separator found: "comma", "semicolon" or "tab".
    pub separator: String,
    /// How each column was understood.
    pub columns: Vec<ColumnMapping>,
    /// Headers no field matches (ignored, or kept in the notes if asked).
    pub unknown_columns: Vec<String>,
    /// Data rows read.
    pub rows: usize,
    /// Rows of people not yet present.
    pub new: usize,
    /// Rows of people already present, identical.
    pub present: usize,
    /// Rows of people already present, with differences.
    pub changed: usize,
    /// Rows of people already present without a seat (invited, cancelled), in a file imported
    /// to register: an import registers nobody already on the list.
    #[serde(default)]
    pub unseated: usize,
    /// Rows refused.
    pub invalid: usize,
    /// Every refused value, by line.
    pub errors: Vec<RowError>,
    /// Every difference of the changed rows.
    pub changes: Vec<RowChange>,
    /// The category given to rows without one (wire value), if asked.
    pub default_category: Option<Category>,
    /// New people who got it (someone already on file keeps their category).
    pub defaulted: usize,
    /// The fields a column can be read as (wire names).
    #[serde(deserialize_with = "known_fields")]
    pub fields: Vec<Static>,
    /// What the import would do if confirmed now, found by running it in a transaction that
    /// is rolled back: where seats are given (registering) or people changed (updating), the
    /// seat rules and allocations decide, and only running them says what they decide. None
    /// when the preview alone says it (adding as invited), when the rows cannot be imported,
    /// or beyond [`MAX_FORECAST_ROWS`] people to write.
    #[serde(default)]
    pub forecast: Option<ImportForecast>,
}

/// What an import would do if confirmed now (see [`ImportPreview::forecast`]). Another desk may
/// still change the seats before it is confirmed; the import then says what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportForecast {
    /// People who would get a seat.
    pub registered: usize,
    /// People who would be waitlisted, for any reason.
    pub waitlisted: usize,
    /// People who would be updated.
    pub updated: usize,
    /// Why the import would be refused as a whole (naming the line), if it would.
    pub refused: Option<String>,
    /// One line for the operator: what would happen, or why it would be refused.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    /// The preview it followed.
    pub preview: ImportPreview,
    /// People added as invited.
    pub invited: usize,
    /// People added with a seat.
    pub registered: usize,
    /// People added to the waitlist.
    pub waitlisted: usize,
    /// People present whose fields were updated.
    pub updated: usize,
    /// One line for the operator.
    pub message: String,
}

/// The largest invite list read, in bytes (32 MiB: 100,000 rows of a wide export fit).
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

/// The most people an invite list may hold (the desk is measured up to 100,000 on file): a
/// larger file is refused before anything is planned, so its rows never fill the memory.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// The most columns, or cells in a row, an invite list may have. Spreadsheet exports of a
/// guest list have tens; a file of separators alone would otherwise make millions.
pub const MAX_IMPORT_COLUMNS: usize = 200;

/// The most people a preview forecasts for ([`ImportPreview::forecast`]): the forecast holds
/// the write lock while it runs, and every other desk waits meanwhile (a few tenths of a second
/// at this size; seconds beyond). A larger import is not forecast; it says what it did.
pub const MAX_FORECAST_ROWS: usize = 1_000;

/// "1 row of the file is invalid", "3 rows of the file are invalid": how a refused import
/// (and its dry run) names its invalid rows.
pub fn invalid_rows(n: usize) -> String {
    if n == 1 {
        "1 row of the file is invalid".into()
    } else {
        format!("{n} rows of the file are invalid")
    }
}

impl Desk {
    /// What importing `bytes` (a CSV or TSV file) would do, writing nothing. Registering, or
    /// updating people present, is run in a transaction that is rolled back, so the preview's
    /// forecast says what the seat rules and allocations would decide, or which line they
    /// would refuse ([`ImportPreview::forecast`]).
    pub fn import_preview(&self, bytes: &[u8], options: &ImportOptions) -> Result<ImportPreview> {
        let (preview, ..) = preview_with_plan(&self.db, bytes, options)?;
        let registering = if options.mode == ImportMode::Register { preview.new } else { 0 };
        let updating = if options.update_existing { preview.changed } else { 0 };
        let writes = registering + updating;
        if writes == 0 || writes > MAX_FORECAST_ROWS || (preview.invalid > 0 && !options.skip_invalid) {
            return Ok(preview);
        }
        // Planned again under the lock: who is present may have changed since.
        let tx = self.db.begin()?;
        let (mut preview, plans, ..) = preview_with_plan(&tx, bytes, options)?;
        preview.forecast = Some(match apply(&tx, &self.operator, &preview, &plans, options) {
            Ok(done) => ImportForecast {
                registered: done.registered,
                waitlisted: done.waitlisted,
                updated: done.updated,
                refused: None,
                message: format!("If imported now: {}", done.parts.join(", ")),
            },
            Err(Error::Conflict(why)) => ImportForecast {
                registered: 0,
                waitlisted: 0,
                updated: 0,
                message: format!("The import would be refused, and nothing imported. {why}"),
                refused: Some(why),
            },
            Err(other) => return Err(other),
        });
        // Dropped without a commit: everything the forecast wrote is rolled back.
        drop(tx);
        Ok(preview)
    }

    /// Import `bytes` in one transaction: the new people invited, or registered in file order
    /// (seats under the capacity, the rest waitlisted); people present and changed updated only
    /// if asked. Refused as a whole, writing nothing, if any row is invalid (unless
    /// `skip_invalid`), or if the seat rules refuse a row (the message names its line).
    pub fn import(&mut self, bytes: &[u8], options: &ImportOptions) -> Result<ImportOutcome> {
        self.coordinator_only("Importing an invite list")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let (preview, plans, signature, chosen) = preview_with_plan(&tx, bytes, options)?;
        if preview.invalid > 0 && !options.skip_invalid {
            let first: Vec<String> =
                preview.errors.iter().take(5).map(|e| format!("line {}: {}", e.line, e.message)).collect();
            return Err(Error::invalid(
                "file",
                format!(
                    "{}; nothing was imported. {}{}",
                    invalid_rows(preview.invalid),
                    first.join("; "),
                    if preview.errors.len() > 5 { "; …" } else { "" }
                ),
            ));
        }
        let done = apply(&tx, &operator, &preview, &plans, options).map_err(|e| match e {
            Error::Conflict(why) => Error::Conflict(format!("{why}; nothing was imported")),
            other => other,
        })?;
        if !chosen.is_empty() {
            tx.execute(
                "INSERT INTO import_mapping (signature, mapping, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                params![signature, serde_json::to_string(&chosen)?, now()],
            )?;
        }
        let wrote = done.invited + done.registered + done.waitlisted + done.updated > 0;
        let message = match (done.parts.is_empty(), wrote) {
            (true, _) => "Nothing to import".to_string(),
            (false, true) => format!("Imported: {}", done.parts.join(", ")),
            (false, false) => format!("Nothing imported: {}", done.parts.join(", ")),
        };
        let Applied { invited, registered, waitlisted, updated, .. } = done;
        tx.finish(ImportOutcome { preview, invited, registered, waitlisted, updated, message })
    }
}

/// What [`apply`] wrote: the counts, and one phrase per kind of outcome ("2 registered").
struct Applied {
    invited: usize,
    registered: usize,
    waitlisted: usize,
    updated: usize,
    parts: Vec<String>,
}

/// Write the planned rows in `tx` (not committed): the one place an import's rows meet the
/// seat rules, for the import and for its preview's forecast. A seat refused (an allocation
/// full under the "refuse" policy) is a conflict naming its line.
fn apply(
    tx: &Tx,
    operator: &Operator,
    preview: &ImportPreview,
    plans: &[Plan],
    options: &ImportOptions,
) -> Result<Applied> {
    let event = load_event(tx)?;
    let (mut invited, mut registered, mut waitlisted, mut updated) = (0, 0, 0, 0);
    // Waitlisted because their delegation's allocation was full, while seats were left.
    let mut over_allocation = 0;
    // Waitlisted because people were already waiting for the free seats.
    let mut behind_waitlist = 0;
    let at = now();
    // In register mode, people matched on file who hold no seat (invited, cancelled): an
    // import does not register them, and says so (it said "Imported: 2 already present").
    let (mut unseated_invited, mut unseated_cancelled) = (0, 0);
    // A row's write refused by what is stored (a seat, a day someone is checked in for) is a
    // conflict naming its line: the preview says it as the import's refusal, and the import
    // that nothing was imported. (A day refused was a bare validation error: the preview
    // failed whole, naming no line.)
    let on_line = |line: u64| {
        move |e| match e {
            Error::Conflict(why) => Error::Conflict(format!("Line {line}: {why}")),
            Error::Validation { issues } => Error::Conflict(format!(
                "Line {line}: {}",
                issues.iter().map(|i| i.message.as_str()).collect::<Vec<_>>().join("; ")
            )),
            other => other,
        }
    };
    for plan in plans {
        if options.mode == ImportMode::Register {
            match plan.status_on_file() {
                Some(Status::Invited) => unseated_invited += 1,
                Some(Status::Cancelled) => unseated_cancelled += 1,
                _ => {}
            }
        }
        match plan {
            Plan::New(fields, vetting, line) => {
                let seat = options.mode == ImportMode::Register;
                let new = Write::New { fields, seat, matched: true };
                let (a, claim) =
                    write_in(tx, operator, &event, new, "import", &at).map_err(on_line(*line))?;
                if let Some((state, note)) = vetting {
                    write_vetting(tx, operator, a.id, *state, note)?;
                }
                match claim.map(|c| (c.status, c.allocation_full, c.reason.is_some())) {
                    Some((Status::Registered, ..)) => registered += 1,
                    Some((Status::Waitlisted, true, _)) => over_allocation += 1,
                    Some((Status::Waitlisted, _, true)) => behind_waitlist += 1,
                    Some((Status::Waitlisted, ..)) => waitlisted += 1,
                    _ => invited += 1,
                }
            }
            Plan::Update(id, _, fields, vetting, line) if options.update_existing => {
                let before = load_attendee(tx, *id)?;
                if before.fields != *fields {
                    let change = Write::Change { before: &before, fields };
                    write_in(tx, operator, &event, change, "import.update", &at).map_err(on_line(*line))?;
                }
                if let Some((state, note)) = vetting {
                    write_vetting(tx, operator, *id, *state, note)?;
                }
                updated += 1;
            }
            _ => {}
        }
    }
    let mut parts = Vec::new();
    if invited > 0 {
        parts.push(format!("{invited} invited"));
    }
    if registered > 0 {
        parts.push(format!("{registered} registered"));
    }
    if waitlisted > 0 {
        parts.push(format!("{waitlisted} waitlisted (event full)"));
    }
    if over_allocation > 0 {
        parts.push(format!("{over_allocation} waitlisted (their delegation's allocation is full)"));
    }
    if behind_waitlist > 0 {
        parts.push(format!("{behind_waitlist} waitlisted (behind the people already waiting)"));
    }
    let waitlisted = waitlisted + over_allocation + behind_waitlist;
    if updated > 0 {
        parts.push(format!("{updated} updated"));
    }
    let not_updated = if options.update_existing { 0 } else { preview.changed };
    if not_updated > 0 {
        parts.push(format!("{not_updated} changed but not updated (ask to update existing people)"));
    }
    if preview.present > 0 {
        parts.push(format!("{} already present", preview.present));
    }
    if preview.invalid > 0 {
        parts.push(format!("{} invalid rows left out", preview.invalid));
    }
    if unseated_invited + unseated_cancelled > 0 {
        let on_list = |n: usize, how: &str| (n > 0).then(|| format!("{n} {how}"));
        let which: Vec<String> =
            [on_list(unseated_invited, "invited"), on_list(unseated_cancelled, "cancelled")]
                .into_iter()
                .flatten()
                .collect();
        parts.push(format!(
            "not registered by this import: {} already on the list ({}); register them from the Attendees list or at the desk",
            unseated_invited + unseated_cancelled,
            which.join(", ")
        ));
    }
    Ok(Applied { invited, registered, waitlisted, updated, parts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Db;

    #[test]
    fn headers_by_synonym() {
        for (h, f) in [
            ("First Name", "givenName"),
            ("given_name", "givenName"),
            ("Last Name", "familyName"),
            ("SURNAME", "familyName"),
            ("Title/Rank", "rank"),
            ("E-mail", "email"),
            ("Country / Delegation", "delegation"),
            ("Organisation", "organization"),
            ("Job Title", "position"),
            ("Type", "category"),
            ("Mobile", "phone"),
            ("Attending days", "days"),
            ("Dietary requirements", "dietary"),
            ("Accessibility needs", "accessibility"),
        ] {
            assert_eq!(field_for_header(h), Some(f), "{h}");
        }
        assert_eq!(field_for_header("Shoe size"), None);
    }

    #[test]
    fn encodings() {
        assert_eq!(decode("é".as_bytes()), ("é".into(), "UTF-8"));
        assert_eq!(decode(b"\xEF\xBB\xBFa\xC3\xA9"), ("aé".into(), "UTF-8"));
        assert_eq!(decode(b"\xFF\xFEa\x00\xE9\x00"), ("aé".into(), "UTF-16LE"));
        assert_eq!(decode(b"\xFE\xFF\x00a\x00\xE9"), ("aé".into(), "UTF-16BE"));
        assert_eq!(decode(b"Dupr\xE9"), ("Dupré".into(), "windows-1252"));
    }

    #[test]
    fn line_numbers_count_crlf_and_quoted_line_breaks() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.batch(include_str!("../store/sql/004_import_mappings.sql")).unwrap();
        let parsed = parse(
            &db,
            b"given_name,notes\r\nA,x\r\nB,\"two\r\nlines\"\r\nC,y\r\n",
            &ImportOptions::default(),
        )
        .unwrap();
        let lines: Vec<u64> = parsed.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn separators() {
        assert_eq!(detect_separator("a,b,c\n1;2;3"), b',');
        assert_eq!(detect_separator("a;b;c\n"), b';');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"a;b\",c,d"), b',');
        // Blank lines before the header are skipped, as the CSV reader skips them.
        assert_eq!(detect_separator("\r\n\na;b;c\n1,2;3"), b';');
        assert_eq!(detect_separator("\n\n\tx\ty"), b'\t');
    }
}
