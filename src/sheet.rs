//! Spreadsheet cells and CSV documents as the desk writes and reads them: a cell that a
//! spreadsheet would run as a formula is marked with one apostrophe ([`escape_cell`]) and read
//! back without it ([`unescape_cell`]); a CSV document is UTF-8 with BOM, CRLF line ends and
//! RFC 4180 quoting ([`csv_document`]). Values only, no I/O: the rosters, the audit trail's
//! CSV and the import all use this one rule.

use crate::error::{Error, Result};

const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell made safe to open in a spreadsheet (see the module documentation).
pub fn escape_cell(v: &str) -> String {
    // A value that really starts with an apostrophe gets one more, so that reading it back
    // (see [`unescape_cell`]) removes only the mark.
    if v.starts_with(DANGEROUS) || v.starts_with('\'') {
        format!("'{v}")
    } else {
        v.to_string()
    }
}

/// The value of a CSV cell written by [`escape_cell`].
pub fn unescape_cell(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(DANGEROUS) || rest.starts_with('\'') => rest,
        _ => v,
    }
}

/// A CSV file as the desk writes them: UTF-8 with BOM, CRLF line ends, RFC 4180 quoting.
/// The cells are written as given: the caller passes values through [`escape_cell`].
pub fn csv_document<H, R>(header: H, rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let internal = |e: csv::Error| Error::Internal(format!("CSV: {e}"));
        w.write_record(header).map_err(internal)?;
        for row in rows {
            w.write_record(row).map_err(internal)?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_cells_are_marked_and_restored() {
        for v in ["=1+1", "+1-555-0100", "-Ann", "@cmd", "\tx", "\rx", "'quoted", "'=1+1", "''"] {
            let e = escape_cell(v);
            assert_eq!(e, format!("'{v}"), "{v:?}");
            assert_eq!(unescape_cell(&e), v);
        }
        for v in ["Ann", "O'Brien", "", "1+1"] {
            assert_eq!(escape_cell(v), v);
            assert_eq!(unescape_cell(v), v);
        }
        // A cell typed in a spreadsheet with one leading apostrophe keeps it.
        assert_eq!(unescape_cell("'quoted"), "'quoted");
    }
}
