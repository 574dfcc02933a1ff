//! Reading an invite list: the bytes decoded (UTF-8, UTF-16, Windows-1252), the separator
//! found, and each row parsed into fields with the mapping.

use super::*;
use crate::error::{Error, FieldIssue, Result};
use crate::model::{AttendeeInput, Category};
use crate::params;
use crate::store::db::Db;
use std::collections::HashMap;

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

/// Refuse a file in no one encoding: UTF-8 (it says so with a BOM, or its accented letters are
/// UTF-8) with bytes elsewhere that are not. Read as Windows-1252, as a file that is not UTF-8
/// is, every accented name of it would be wrong ("HÃ©lÃ¨ne"); read as UTF-8, the stray bytes
/// would become "�". The message names the line of the first stray byte.
fn check_one_encoding(bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        // UTF-16, said by its BOM: read as such.
        return Ok(());
    }
    // A workbook or another file that is not text: said as such (it was "mixes encodings: it
    // is UTF-8", which sent the operator to the wrong fix).
    let workbook = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    // Zero bytes throughout (UTF-16 without its BOM, a binary file), not one stray in a cell
    // (that row is refused by its line, as any control character).
    let head = &bytes[..bytes.len().min(4096)];
    let zeros = head.iter().filter(|&&b| b == 0).count();
    if workbook || (zeros > 0 && zeros * 10 >= head.len()) {
        return Err(Error::invalid(
            "file",
            if workbook {
                "The file is a spreadsheet workbook (Excel, .xlsx or .xls), not a CSV file. Open it in the spreadsheet and save it as \"CSV UTF-8\", then import that file".to_string()
            } else {
                "The file is not text (it holds zero bytes): an invite list is a CSV file. If it is UTF-16 text, save it again as \"CSV UTF-8\"".to_string()
            },
        ));
    }
    let utf8_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if utf8_bom { &bytes[3..] } else { bytes };
    let mut offset = if utf8_bom { 3 } else { 0 };
    let mut utf8_letters = utf8_bom;
    let mut stray = None;
    for chunk in body.utf8_chunks() {
        utf8_letters |= !chunk.valid().is_ascii();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() && stray.is_none() {
            stray = Some(offset);
        }
        offset += chunk.invalid().len();
    }
    match stray {
        Some(at) if utf8_letters => {
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Error::invalid(
                "file",
                format!(
                    "The file mixes encodings: it is UTF-8, but line {line} holds characters that are not; its names would be read wrongly. Save it again as UTF-8 (in a spreadsheet: CSV UTF-8) and import it again"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The separator of the header line (the first line that is not blank, as the CSV reader
/// skips blank lines): the most frequent of comma, semicolon and tab outside quotes.
pub fn detect_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.trim_start_matches(['\n', '\r']).chars() {
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

/// The line on which a quoted value opens and is never closed, if one does: the csv reader
/// takes the end of the file as the end of that value, and every line after it would be read
/// as one cell of one row (the people on them left out without a word). A quote opens a value
/// only as its first character, as the reader reads it (`O"Brien` is a name, not a quote);
/// `""` inside a quoted value is a quote character. `text` has `\n` line ends.
pub fn unclosed_quote(text: &str, separator: u8) -> Option<u64> {
    #[derive(PartialEq)]
    enum At {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let separator = char::from(separator);
    let (mut at, mut line, mut opened) = (At::FieldStart, 1u64, 0u64);
    for c in text.chars() {
        at = match (at, c) {
            (At::Quoted, '\n') => {
                line += 1;
                At::Quoted
            }
            (At::Quoted, '"') => At::QuoteInQuoted,
            (At::Quoted, _) => At::Quoted,
            (At::QuoteInQuoted, '"') => At::Quoted,
            (At::FieldStart, '"') => {
                opened = line;
                At::Quoted
            }
            (_, '\n') => {
                line += 1;
                At::FieldStart
            }
            (_, c) if c == separator => At::FieldStart,
            _ => At::Unquoted,
        };
    }
    (at == At::Quoted).then_some(opened)
}

/// One data row, understood.
pub(crate) struct Row {
    pub(crate) line: u64,
    pub(crate) input: AttendeeInput,
    /// The security vetting state and note as written, when the file has those columns.
    pub(crate) vetting: Option<String>,
    pub(crate) vetting_note: Option<String>,
    /// Why the row cannot be read as it stands (more cells than the header has columns).
    pub(crate) error: Option<String>,
    /// Its category is the default one given for rows without one (for a new person only).
    pub(crate) defaulted: bool,
}

/// The file read and mapped: columns, rows as input, and the problems of reading.
pub(crate) struct Parsed {
    pub(crate) encoding: &'static str,
    pub(crate) separator: u8,
    pub(crate) columns: Vec<ColumnMapping>,
    pub(crate) rows: Vec<Row>,
    /// The header's signature, and the manual choices to remember after a successful import.
    pub(crate) signature: String,
    pub(crate) chosen: std::collections::BTreeMap<String, String>,
    pub(crate) default_category: Option<Category>,
}

/// The mapping remembered for a header signature, if any.
pub(crate) fn remembered(db: &Db, signature: &str) -> Result<std::collections::BTreeMap<String, String>> {
    let json: Option<String> =
        db.query_opt("SELECT mapping FROM import_mapping WHERE signature = ?1", params![signature], |r| {
            r.get(0)
        })?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

pub(crate) fn set(input: &mut AttendeeInput, field: &str, value: String) {
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
        "headOfDelegation" => &mut input.head_of_delegation,
        "notifyProtocol" => &mut input.notify_protocol,
        _ => &mut input.notes,
    };
    *slot = Some(value);
}

pub(crate) fn parse(db: &Db, bytes: &[u8], options: &ImportOptions) -> Result<Parsed> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            // Its size is not said: the CLI and the window read no more than the limit and a
            // little beyond, so the bytes here are not the whole file (a 2 GB file was "32.0 MB").
            format!(
                "The file is larger than {} MB, the most an invite list may be. Split it, or remove columns the desk does not use",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    check_one_encoding(bytes)?;
    let (text, encoding) = decode(bytes);
    // One line end: the csv reader's line numbers are off by one after a CRLF, and old Mac
    // exports end lines with a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(Error::invalid("file", "The file is empty"));
    }
    let separator = detect_separator(&text);
    if let Some(line) = unclosed_quote(&text, separator) {
        return Err(Error::invalid(
            "file",
            format!(
                "Line {line} opens a quoted value (\") that is never closed: every line after it would be read as one value, and the people on them left out. Close the quote on line {line}, or remove it"
            ),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid("file", format!("The header line cannot be read: {e}")))?
        .clone();
    if headers.len() > MAX_IMPORT_COLUMNS {
        return Err(Error::invalid(
            "file",
            format!(
                "The header line has {} columns; an invite list may have at most {MAX_IMPORT_COLUMNS}. Is this an invite list? Remove the columns the desk does not use",
                headers.len()
            ),
        ));
    }
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
        let Some(f) = field_named(&field) else { continue };
        // A choice made now wins over one remembered: for the same column, and for the same
        // field given to another column (before, that was refused as two columns for one
        // field, at every preview of the file, with no way to undo the remembered one).
        let overridden = manual.iter().any(|(k, m, _)| *k == header_key(&header) || (f.is_some() && *m == f));
        if !overridden {
            manual.push((header_key(&header), f, "remembered"));
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
        // Named as a person would read them: at most 20 headers of 40 characters (a file that
        // is one long quoted value made a message of the whole file).
        let shown: Vec<String> = columns
            .iter()
            .take(20)
            .map(|c| {
                let h: String = c.header.chars().take(40).collect();
                if c.header.chars().count() > 40 {
                    format!("{h}…")
                } else {
                    h
                }
            })
            .collect();
        let more = columns.len().saturating_sub(20);
        return Err(Error::invalid(
            "file",
            format!(
                "The file has no name column: it needs \"given_name\" or \"family_name\" (or First Name / Last Name / Surname, Prénom / Nom). Its columns are: {}{}",
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ),
        ));
    }
    let mut rows = Vec::new();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid("file", format!("Line {line} cannot be read: {e}"))
        })?;
        if record.len() > MAX_IMPORT_COLUMNS {
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            return Err(Error::invalid(
                "file",
                format!(
                    "Line {line} has {} cells; a row may have at most {MAX_IMPORT_COLUMNS}. Is this an invite list?",
                    record.len()
                ),
            ));
        }
        if !record.iter().all(|v| v.is_empty()) {
            const _: () = assert!(MAX_IMPORT_ROWS == 100_000, "the message below names the number");
            if records.len() == MAX_IMPORT_ROWS {
                return Err(Error::invalid(
                    "file",
                    "The file holds more than 100,000 people; an invite list may hold at most that many. Split it into several files",
                ));
            }
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
    // A line's cells folded, without the empty ones at its end (a spreadsheet's separators).
    let key = |cells: &csv::StringRecord| -> Vec<String> {
        let mut k: Vec<String> = cells.iter().map(crate::text::fold).collect();
        while k.last().is_some_and(String::is_empty) {
            k.pop();
        }
        k
    };
    let header_key = key(&headers);
    for record in records {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut input = AttendeeInput::default();
        // The header line again (two exports put end to end): not a person called "given_name".
        if key(&record) == header_key {
            let error = Some(
                "This line repeats the header line (two files put end to end?): it is not a person".into(),
            );
            rows.push(Row { line, input, vetting: None, vetting_note: None, error, defaulted: false });
            continue;
        }
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
            rows.push(Row { line, input, vetting: None, vetting_note: None, error, defaulted: false });
            continue;
        }
        let mut extra_notes = Vec::new();
        let (mut vetting, mut vetting_note) = (None, None);
        for (value, col) in record.iter().zip(&columns) {
            // Our own exports mark formula-like cells with an apostrophe; read the value.
            let value = crate::sheet::unescape_cell(value);
            if value.is_empty() {
                continue;
            }
            match col.field {
                Some("vetting") => vetting = Some(value.to_string()),
                Some("vettingNote") => vetting_note = Some(value.to_string()),
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
        let defaulted = input.category.is_none() && default_category.is_some();
        if let (None, Some(c)) = (&input.category, default_category) {
            input.category = Some(c.wire().to_string());
        }
        rows.push(Row { line, input, vetting, vetting_note, error: None, defaulted });
    }
    Ok(Parsed { encoding, separator, columns, rows, signature, chosen, default_category })
}
