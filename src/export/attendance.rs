//! A session's attendance out: everyone expected at it (registered, down for its day, allowed
//! in) and everyone admitted, with the time each came in — CSV and XLSX for the spreadsheet,
//! the PDF a sign-in sheet for the door.

use super::{pdf, xlsx_table, ExportOutcome, Format};
use crate::error::{Error, Result};
use crate::model::Attendee;
use crate::params;
use crate::sheet::{csv_document, escape_cell};
use crate::store::records::{
    attendee_from_row, load_event, load_session, session_checkins_in, SessionCheckIn, ATTENDEE_ONE,
};
use crate::text::fold;
use crate::Desk;
use std::collections::HashMap;
use std::path::Path;

/// The columns of an attendance file, in order.
pub const ATTENDANCE_COLUMNS: [&str; 9] =
    ["ID", "Name", "Delegation", "Category", "Expected", "In at", "Admitted by", "Desk", "How"];

impl Desk {
    /// Write session `session`'s attendance to `out` as CSV, XLSX or PDF (a sign-in sheet):
    /// the people expected and the people admitted, by delegation then name.
    pub fn export_attendance(&self, session: i64, format: Format, out: &Path) -> Result<ExportOutcome> {
        if format == Format::Json {
            return Err(Error::invalid("format", "Attendance goes out as csv, xlsx or pdf"));
        }
        self.check_output(out)?;
        let tx = self.db.snapshot()?;
        let event = load_event(&tx)?;
        let s = load_session(&tx, session)?;
        let admitted: HashMap<i64, SessionCheckIn> =
            session_checkins_in(&tx, &event, s.id)?.into_iter().map(|c| (c.attendee_id, c)).collect();
        let mut people: Vec<Attendee> = tx
            .query_map(ATTENDEE_ONE, params![], attendee_from_row)?
            .into_iter()
            .filter(|a| s.expects(a) || admitted.contains_key(&a.id))
            .collect();
        drop(tx);
        people.sort_by_cached_key(|a| {
            (fold(&a.fields.delegation), fold(&a.fields.family_name), fold(&a.fields.given_name), a.id)
        });
        // The time each came in, with the date when it is not the session's day's date (a
        // check-in the evening before, after midnight, or on a test run): "13 Nov 23:30".
        let day_date = event.days.iter().find(|d| d.day == s.day).map(|d| d.date);
        let in_at = |c: &SessionCheckIn| -> String {
            match chrono::DateTime::parse_from_rfc3339(&c.at).map(|t| t.with_timezone(&event.tz())) {
                Ok(local) if Some(local.date_naive()) != day_date => local.format("%-d %b %H:%M").to_string(),
                _ => c.local_time.clone(),
            }
        };
        let row = |a: &Attendee| -> Vec<String> {
            let c = admitted.get(&a.id);
            let take = |f: fn(&SessionCheckIn) -> &String| c.map(f).cloned().unwrap_or_default();
            vec![
                a.id.to_string(),
                a.fields.full_name(),
                a.fields.delegation.clone(),
                a.fields.category.label().to_string(),
                if s.expects(a) { "yes" } else { "no" }.to_string(),
                c.map(in_at).unwrap_or_default(),
                take(|c| &c.operator),
                take(|c| &c.desk),
                take(|c| &c.method),
            ]
        };
        let mut warnings = Vec::new();
        let bytes = match format {
            Format::Csv => csv_document(
                ATTENDANCE_COLUMNS,
                people.iter().map(|a| row(a).iter().map(|v| escape_cell(v)).collect::<Vec<_>>()),
            )?,
            Format::Xlsx => {
                xlsx_table("Attendance", &ATTENDANCE_COLUMNS, &people.iter().map(row).collect::<Vec<_>>())?
            }
            Format::Pdf => {
                let generated = event.local_now().format("%Y-%m-%d %H:%M %Z").to_string();
                let in_at = admitted.iter().map(|(id, c)| (*id, in_at(c))).collect();
                let sheet = pdf::attendance_pdf(&event, &s, &people, &in_at, &generated);
                warnings = sheet.warnings;
                sheet.bytes
            }
            Format::Json => unreachable!("refused above"),
        };
        crate::store::storage::write_atomically(out, &bytes)?;
        let message = format!(
            "Attendance of “{}” — {} in, {} on the sheet — written to {}",
            s.title,
            admitted.len(),
            people.len(),
            out.display()
        );
        Ok(ExportOutcome::written(out, people.len(), message, warnings))
    }
}
