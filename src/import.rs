//! Invite lists in: reading what spreadsheets really export (encodings, separators, quoting),
//! mapping columns by header, a preview of what would change, and the import itself — all
//! confirmed rows in one transaction, or none.

use crate::error::{Error, FieldIssue, Result};
use crate::model::{Attendee, AttendeeFields, AttendeeInput, Category, Status};
use crate::params;
use crate::registration::{insert_attendee, Keys};
use crate::seats::{claim_seat, SeatClaim};
use crate::store::db::Db;
use crate::store::records::{audit, load_event, now, ATTENDEE_SELECT};
use crate::Desk;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;

/// The attendee fields a column can fill, with the headers people give them (compared with
/// case, spaces and punctuation removed). The canonical header is the first of each.
///
/// Beside our own names, the headers of the tools coordinators export from: Eventbrite
/// (`Prefix`, `First Name`, `Last Name`, `Ticket Type`, `Job Title`, `Company`, `Cell Phone`),
/// Cvent (`Salutation`, `Registration Type`, `Company Name`, `Mobile Phone`), pretix
/// (`Attendee name: Title`, `Attendee name: Given name`, `Product`, `Company`) and Indico
/// (`Affiliation`, `Email Address`, `Country`).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "rank",
        &[
            "rank",
            "title",
            "titlerank",
            "ranktitle",
            "honorific",
            "salutation",
            "prefix",
            "nameprefix",
            "attendeenametitle",
            "academictitle",
        ],
    ),
    (
        "givenName",
        &[
            "givenname",
            "firstname",
            "first",
            "forename",
            "forenames",
            "given",
            "christianname",
            "attendeenamegivenname",
            "attendeefirstname",
        ],
    ),
    (
        "familyName",
        &[
            "familyname",
            "lastname",
            "surname",
            "last",
            "family",
            "attendeenamefamilyname",
            "attendeelastname",
        ],
    ),
    ("badgeName", &["badgename", "nameonbadge", "printedname"]),
    ("position", &["position", "jobtitle", "job", "role", "function"]),
    (
        "organization",
        &[
            "organization",
            "organisation",
            "org",
            "agency",
            "employer",
            "company",
            "companyname",
            "affiliation",
            "institution",
            "organizationname",
            "organisationname",
        ],
    ),
    (
        "delegation",
        &[
            "delegation",
            "countrydelegation",
            "country",
            "nation",
            "countryterritory",
            "delegationcountry",
            "countryregion",
        ],
    ),
    (
        "category",
        &[
            "category",
            "type",
            "participanttype",
            "attendeetype",
            "participantcategory",
            "tickettype",
            "registrationtype",
            "ticket",
            "registrationcategory",
            "product",
        ],
    ),
    ("email", &["email", "emailaddress", "mail", "attendeeemail"]),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "telephone",
            "tel",
            "phonenumber",
            "mobilephone",
            "cell",
            "cellphone",
            "workphone",
            "homephone",
        ],
    ),
    ("days", &["days", "attendingdays", "daysattending", "attendance", "day"]),
    ("dietary", &["dietary", "dietaryrequirements", "diet", "dietaryneeds", "dietaryrestrictions"]),
    ("accessibility", &["accessibility", "accessibilityneeds", "access", "specialneeds", "accessneeds"]),
    ("notes", &["notes", "note", "comments", "comment", "remarks"]),
];

fn header_key(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Which field a header names, if any.
pub fn field_for_header(header: &str) -> Option<&'static str> {
    let key = header_key(header);
    COLUMNS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(f, _)| *f)
}

/// The field a coordinator named for a column, as typed ("email", "Given name", "category"):
/// `Some(None)` for "not used" (empty, "none", "ignore"), `None` when no field has that name.
pub fn field_named(name: &str) -> Option<Option<&'static str>> {
    let key = header_key(name);
    if key.is_empty() || key == "none" || key == "ignore" || key == "notused" {
        return Some(None);
    }
    COLUMNS
        .iter()
        .find(|(f, names)| header_key(f) == key || names.contains(&key.as_str()))
        .map(|(f, _)| Some(*f))
}

/// The fields a column can be read as, for the window's choice and for messages.
pub fn field_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|(f, _)| *f).collect()
}

/// A name the code spells (a field, a source): written as text, read back as the same name.
/// (An alias: serde would read a `&'static str` field as borrowed from its input.)
pub type Static = &'static str;

/// A field's wire name read back (a stored import outcome): the static name it stands for.
fn static_field(name: &str) -> Option<&'static str> {
    COLUMNS.iter().map(|(f, _)| *f).find(|f| *f == name)
}

fn known_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(name) => static_field(&name)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field {name}"))),
    }
}

fn known_fields<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|name| {
            static_field(name).ok_or_else(|| serde::de::Error::custom(format!("unknown field {name}")))
        })
        .collect()
}

fn known_source<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    ["header", "manual", "remembered", "none"]
        .into_iter()
        .find(|s| *s == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown source {name}")))
}

/// The signature of a header line: its folded headers, in order. Mappings are remembered by it.
fn signature(headers: &[String]) -> String {
    headers.iter().map(|h| header_key(h)).collect::<Vec<_>>().join("\u{1f}")
}

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
    /// Rows refused.
    pub invalid: usize,
    /// Every refused value, by line.
    pub errors: Vec<RowError>,
    /// Every difference of the changed rows.
    pub changes: Vec<RowChange>,
    /// The category given to rows without one (wire value), if asked.
    pub default_category: Option<Category>,
    /// Rows that got it.
    pub defaulted: usize,
    /// The fields a column can be read as (wire names).
    #[serde(deserialize_with = "known_fields")]
    pub fields: Vec<Static>,
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

/// Text from the bytes of a file: UTF-8 (with or without BOM), UTF-16 with BOM, or
/// Windows-1252 when the bytes are not UTF-8. Returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// The separator of the header line: the most frequent of comma, semicolon and tab outside
/// quotes.
pub fn detect_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], usize::from(i == 0))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// One data row, understood.
struct Row {
    line: u64,
    input: AttendeeInput,
    /// Why the row cannot be read as it stands (more cells than the header has columns).
    error: Option<String>,
}

/// The file read and mapped: columns, rows as input, and the problems of reading.
struct Parsed {
    encoding: &'static str,
    separator: u8,
    columns: Vec<ColumnMapping>,
    rows: Vec<Row>,
    /// The header's signature, and the manual choices to remember after a successful import.
    signature: String,
    chosen: std::collections::BTreeMap<String, String>,
    default_category: Option<Category>,
    defaulted: usize,
}

/// The mapping remembered for a header signature, if any.
fn remembered(db: &Db, signature: &str) -> Result<std::collections::BTreeMap<String, String>> {
    let json: Option<String> =
        db.query_opt("SELECT mapping FROM import_mapping WHERE signature = ?1", params![signature], |r| {
            r.get(0)
        })?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

fn set(input: &mut AttendeeInput, field: &str, value: String) {
    let slot = match field {
        "rank" => &mut input.rank,
        "givenName" => &mut input.given_name,
        "familyName" => &mut input.family_name,
        "badgeName" => &mut input.badge_name,
        "position" => &mut input.position,
        "organization" => &mut input.organization,
        "delegation" => &mut input.delegation,
        "category" => &mut input.category,
        "email" => &mut input.email,
        "phone" => &mut input.phone,
        "days" => &mut input.days,
        "dietary" => &mut input.dietary,
        "accessibility" => &mut input.accessibility,
        _ => &mut input.notes,
    };
    *slot = Some(value);
}

/// The largest invite list read, in bytes (32 MiB: 100,000 rows of a wide export fit).
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

fn parse(db: &Db, bytes: &[u8], options: &ImportOptions) -> Result<Parsed> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "The file is {:.1} MB; an invite list may be at most {} MB. Split it, or remove columns the desk does not use",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let (text, encoding) = decode(bytes);
    // One line end: the csv reader's line numbers are off by one after a CRLF, and old Mac
    // exports end lines with a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(Error::invalid("file", "The file is empty"));
    }
    let separator = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid("file", format!("The header line cannot be read: {e}")))?
        .clone();
    let header_list: Vec<String> = headers.iter().map(str::to_string).collect();
    let signature = signature(&header_list);
    let default_category = match options.default_category.as_deref().map(str::trim).filter(|c| !c.is_empty())
    {
        Some(c) => Some(Category::parse(c).map_err(|e| {
            match e {
                Error::Validation { issues } => Error::Validation {
                    issues: issues
                        .into_iter()
                        .map(|i| FieldIssue { field: "defaultCategory".into(), message: i.message })
                        .collect(),
                },
                other => other,
            }
        })?),
        None => None,
    };
    // The coordinator's choices: explicit ones for this file, then those remembered for the
    // same header. A header is found by its folded name.
    let mut manual: Vec<(String, Option<&'static str>, &'static str)> = Vec::new();
    for (header, field) in &options.map {
        let Some(f) = field_named(field) else {
            return Err(Error::invalid(
                "map",
                format!(
                    "Column \"{header}\" cannot be read as \"{field}\": no field has that name. Use one of: {}, or leave it empty for \"not used\"",
                    field_names().join(", ")
                ),
            ));
        };
        if !header_list.iter().any(|h| header_key(h) == header_key(header)) {
            return Err(Error::invalid(
                "map",
                format!("The file has no column \"{header}\"; its columns are: {}", header_list.join(", ")),
            ));
        }
        manual.push((header_key(header), f, "manual"));
    }
    for (header, field) in remembered(db, &signature)? {
        if !manual.iter().any(|(k, _, _)| *k == header_key(&header)) {
            if let Some(f) = field_named(&field) {
                manual.push((header_key(&header), f, "remembered"));
            }
        }
    }
    let mut columns: Vec<ColumnMapping> = Vec::new();
    for h in headers.iter() {
        let chosen = manual.iter().find(|(k, _, _)| *k == header_key(h));
        let (field, source) = match chosen {
            Some((_, f, source)) => (*f, *source),
            None => {
                let guess = field_for_header(h);
                // A field chosen by hand for another column, or a second column for the same
                // field, is not guessed at.
                let taken = |f: &str| {
                    manual.iter().any(|(_, m, _)| *m == Some(f)) || columns.iter().any(|c| c.field == Some(f))
                };
                match guess.filter(|f| !taken(f)) {
                    Some(f) => (Some(f), "header"),
                    None => (None, "none"),
                }
            }
        };
        if let Some(f) = field {
            if let Some(other) = columns.iter().find(|c| c.field == Some(f)) {
                return Err(Error::invalid(
                    "map",
                    format!(
                        "Columns \"{}\" and \"{h}\" are both read as {f}; choose one of them",
                        other.header
                    ),
                ));
            }
        }
        columns.push(ColumnMapping { header: h.to_string(), field, source });
    }
    let chosen: std::collections::BTreeMap<String, String> = columns
        .iter()
        .filter(|c| c.source == "manual" || c.source == "remembered")
        .map(|c| (c.header.clone(), c.field.unwrap_or("").to_string()))
        .collect();
    if !columns.iter().any(|c| matches!(c.field, Some("givenName" | "familyName"))) {
        let found: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        return Err(Error::invalid(
            "file",
            format!(
                "The file has no name column: it needs \"given_name\" or \"family_name\" (or First Name / Last Name / Surname). Its columns are: {}",
                found.join(", ")
            ),
        ));
    }
    let mut rows = Vec::new();
    let mut defaulted = 0;
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid("file", format!("Line {line} cannot be read: {e}"))
        })?;
        if !record.iter().all(|v| v.is_empty()) {
            records.push(record);
        }
    }
    // Cells past the header are allowed only as a spreadsheet's trailing separators: empty,
    // and the same number on most rows. A row longer than that has a separator inside a value
    // that is not quoted, and reading on would shift its later values into the wrong fields —
    // even when its extra cell happens to be empty.
    let usual = {
        let mut lengths: HashMap<usize, usize> = HashMap::new();
        for r in &records {
            *lengths.entry(r.len()).or_default() += 1;
        }
        lengths.into_iter().max_by_key(|&(len, n)| (n, std::cmp::Reverse(len))).map(|(len, _)| len)
    }
    .unwrap_or(columns.len())
    .max(columns.len());
    for record in records {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut input = AttendeeInput::default();
        let extra = record.iter().skip(columns.len()).filter(|v| !v.is_empty()).count();
        if record.len() > usual || extra > 0 {
            let error = Some(format!(
                "This row has {} cells but the header has {} columns: a value probably holds an unquoted {} (put the value in double quotes)",
                record.len(),
                columns.len(),
                match separator {
                    b';' => "semicolon",
                    b'\t' => "tab",
                    _ => "comma",
                }
            ));
            rows.push(Row { line, input, error });
            continue;
        }
        let mut extra_notes = Vec::new();
        for (value, col) in record.iter().zip(&columns) {
            // Our own exports mark formula-like cells with an apostrophe; read the value.
            let value = crate::export::unescape_cell(value);
            if value.is_empty() {
                continue;
            }
            match col.field {
                Some(f) => set(&mut input, f, value.to_string()),
                None if options.unknown_as_notes => extra_notes.push(format!("{}: {value}", col.header)),
                None => {}
            }
        }
        if !extra_notes.is_empty() {
            let mut notes: Vec<String> = input.notes.take().into_iter().collect();
            notes.extend(extra_notes);
            input.notes = Some(notes.join("\n"));
        }
        if let (None, Some(c)) = (&input.category, default_category) {
            input.category = Some(c.wire().to_string());
            defaulted += 1;
        }
        rows.push(Row { line, input, error: None });
    }
    Ok(Parsed { encoding, separator, columns, rows, signature, chosen, default_category, defaulted })
}

/// Who is already on the list, by e-mail and by name in delegation.
struct Present {
    by_email: HashMap<String, usize>,
    by_name: HashMap<(String, String), usize>,
    attendees: Vec<Attendee>,
}

impl Present {
    fn load(db: &Db) -> Result<Present> {
        let attendees = db.query_map(
            &format!("{ATTENDEE_SELECT} ORDER BY a.id"),
            params![],
            crate::store::records::attendee_from_row,
        )?;
        let mut by_email = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, a) in attendees.iter().enumerate() {
            let k = Keys::of(&a.fields);
            if !k.email.is_empty() {
                by_email.insert(k.email, i);
            }
            by_name.insert((k.name, k.delegation), i);
        }
        Ok(Present { by_email, by_name, attendees })
    }

    fn find(&self, f: &AttendeeFields) -> Option<&Attendee> {
        let k = Keys::of(f);
        let i = (!k.email.is_empty()).then(|| self.by_email.get(&k.email)).flatten();
        i.or_else(|| self.by_name.get(&(k.name, k.delegation))).map(|&i| &self.attendees[i])
    }
}

/// A row and what it would do.
enum Plan {
    New(AttendeeFields),
    Same,
    /// An attendee already on file whose fields differ, and the file line that says so.
    Update(i64, AttendeeFields, u64),
    Invalid,
}

fn show(f: &AttendeeFields, field: &str) -> String {
    match serde_json::to_value(f).ok().and_then(|v| v.get(field).cloned()) {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(serde_json::Value::Array(a)) => a.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(","),
        Some(other) => other.as_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
    }
}

/// A preview, the plan of every row, the header's signature and the manual choices made.
type Previewed = (ImportPreview, Vec<Plan>, String, std::collections::BTreeMap<String, String>);

/// Read, map, validate and classify every row against the people present.
fn preview_with_plan(db: &Db, bytes: &[u8], options: &ImportOptions) -> Result<Previewed> {
    let parsed = parse(db, bytes, options)?;
    let event = load_event(db)?;
    let present = Present::load(db)?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    let mut plans = Vec::with_capacity(parsed.rows.len());
    let mut seen_email: HashMap<String, u64> = HashMap::new();
    let mut seen_name: HashMap<(String, String), u64> = HashMap::new();
    for row in &parsed.rows {
        if let Some(message) = &row.error {
            errors.push(RowError { line: row.line, field: "file".into(), message: message.clone() });
            plans.push(Plan::Invalid);
            continue;
        }
        let existing = AttendeeFields::from_input(None, &row.input, event.day_count())
            .ok()
            .and_then(|f| present.find(&f).cloned());
        let base = existing.as_ref().map(|a| &a.fields);
        let fields = match AttendeeFields::from_input(base, &row.input, event.day_count()) {
            Ok(f) => f,
            Err(Error::Validation { issues }) => {
                errors.extend(issues.into_iter().map(|FieldIssue { field, message }| RowError {
                    line: row.line,
                    field,
                    message,
                }));
                plans.push(Plan::Invalid);
                continue;
            }
            Err(e) => return Err(e),
        };
        let k = Keys::of(&fields);
        let by_email = (!k.email.is_empty()).then(|| seen_email.get(&k.email).copied()).flatten();
        let earlier = by_email
            .map(|l| (l, "email"))
            .or_else(|| seen_name.get(&(k.name.clone(), k.delegation.clone())).map(|&l| (l, "givenName")));
        if let Some((first, field)) = earlier {
            errors.push(RowError {
                line: row.line,
                field: field.into(),
                message: format!("The same person as on line {first} ({})", fields.display_name()),
            });
            plans.push(Plan::Invalid);
            continue;
        }
        if !k.email.is_empty() {
            seen_email.insert(k.email.clone(), row.line);
        }
        seen_name.insert((k.name.clone(), k.delegation.clone()), row.line);
        match existing {
            None => plans.push(Plan::New(fields)),
            Some(a) if a.fields == fields => plans.push(Plan::Same),
            Some(a) => {
                let diffs: Vec<FieldChange> = COLUMNS
                    .iter()
                    .map(|(f, _)| *f)
                    .filter_map(|f| {
                        let (before, after) = (show(&a.fields, f), show(&fields, f));
                        (before != after).then(|| FieldChange { field: f.to_string(), before, after })
                    })
                    .collect();
                changes.push(RowChange {
                    line: row.line,
                    attendee_id: a.id,
                    display_name: a.display_name.clone(),
                    changes: diffs,
                });
                plans.push(Plan::Update(a.id, fields, row.line));
            }
        }
    }
    let count = |pred: fn(&Plan) -> bool| plans.iter().filter(|p| pred(p)).count();
    let preview = ImportPreview {
        encoding: parsed.encoding.to_string(),
        separator: match parsed.separator {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        }
        .to_string(),
        unknown_columns: parsed
            .columns
            .iter()
            .filter(|c| c.field.is_none())
            .map(|c| c.header.clone())
            .collect(),
        columns: parsed.columns,
        rows: plans.len(),
        new: count(|p| matches!(p, Plan::New(_))),
        present: count(|p| matches!(p, Plan::Same)),
        changed: count(|p| matches!(p, Plan::Update(..))),
        invalid: count(|p| matches!(p, Plan::Invalid)),
        errors,
        changes,
        default_category: parsed.default_category,
        defaulted: parsed.defaulted,
        fields: field_names(),
    };
    Ok((preview, plans, parsed.signature, parsed.chosen))
}

impl Desk {
    /// What importing `bytes` (a CSV or TSV file) would do, writing nothing.
    pub fn import_preview(&self, bytes: &[u8], options: &ImportOptions) -> Result<ImportPreview> {
        preview_with_plan(&self.db, bytes, options).map(|(p, ..)| p)
    }

    /// Import `bytes` in one transaction: the new people invited, or registered in file order
    /// (seats under the capacity, the rest waitlisted); people present and changed updated only
    /// if asked. Refused as a whole, writing nothing, if any row is invalid (unless
    /// `skip_invalid`).
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
                    "{} row{} of the file {} invalid; nothing was imported. {}{}",
                    preview.invalid,
                    if preview.invalid == 1 { "" } else { "s" },
                    if preview.invalid == 1 { "is" } else { "are" },
                    first.join("; "),
                    if preview.errors.len() > 5 { "; …" } else { "" }
                ),
            ));
        }
        let event = load_event(&tx)?;
        let (mut invited, mut registered, mut waitlisted, mut updated) = (0, 0, 0, 0);
        // Waitlisted because their delegation's allocation was full, while seats were left.
        let mut over_allocation = 0;
        // Waitlisted because people were already waiting for the free seats.
        let mut behind_waitlist = 0;
        let at = now();
        for plan in &plans {
            match plan {
                Plan::New(fields) => {
                    let seat = match options.mode {
                        ImportMode::Invite => SeatClaim::invited(),
                        ImportMode::Register => claim_seat(&tx, &event, &fields.delegation, &at)?,
                    };
                    match seat.status {
                        Status::Registered => registered += 1,
                        Status::Waitlisted if seat.allocation_full => over_allocation += 1,
                        Status::Waitlisted if seat.reason.is_some() => behind_waitlist += 1,
                        Status::Waitlisted => waitlisted += 1,
                        _ => invited += 1,
                    }
                    let id = insert_attendee(&tx, fields, &seat, &at)?;
                    let after = crate::store::records::load_attendee(&tx, id)?;
                    audit(&tx, &operator, "import", Some(id), None::<&Attendee>, Some(&after))?;
                }
                Plan::Update(id, fields, line) if options.update_existing => {
                    let before = crate::store::records::load_attendee(&tx, *id)?;
                    crate::registration::check_duplicates(&tx, fields, Some(*id))?;
                    let on_line = |e: Error| match e {
                        Error::Conflict(why) => {
                            Error::Conflict(format!("Line {line}: {why}; nothing was imported"))
                        }
                        other => other,
                    };
                    crate::seats::check_move(&tx, &before, fields).map_err(on_line)?;
                    let promised = crate::seats::promised_seat(&tx, &before, fields)?;
                    crate::registration::update_fields(&tx, *id, fields, &at)?;
                    crate::seats::check_promise(&tx, &before, promised.as_ref()).map_err(on_line)?;
                    let after = crate::store::records::load_attendee(&tx, *id)?;
                    audit(&tx, &operator, "import.update", Some(*id), Some(&before), Some(&after))?;
                    updated += 1;
                }
                _ => {}
            }
        }
        if !chosen.is_empty() {
            tx.execute(
                "INSERT INTO import_mapping (signature, mapping, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                params![signature, serde_json::to_string(&chosen)?, &at],
            )?;
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
        let message = if parts.is_empty() {
            "Nothing to import".to_string()
        } else {
            format!("Imported: {}", parts.join(", "))
        };
        tx.finish(ImportOutcome { preview, invited, registered, waitlisted, updated, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        db.batch(include_str!("store/sql/004_import_mappings.sql")).unwrap();
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
    }
}
