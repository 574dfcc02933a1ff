//! The audit trail as people read it: each entry with its time at the venue, the action in
//! words, the person it concerns and one line saying what changed; the list the window shows
//! (newest first, filtered) and its CSV export; the entries read from the store
//! ([`Desk::audit_trail`], [`Desk::history`]) and the filter's times at the venue.

mod words;
#[cfg(test)]
use words::words;
pub use words::{action_label, summary};
use words::{field, shown};

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::model::venue_format;
use crate::model::Event;
use crate::params;
use crate::sheet::{csv_document, escape_cell};
use crate::store::db::Row;
use crate::store::records::{load_attendee, load_event};
use crate::text::fold;
use chrono::{NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The families of actions a filter can choose, with their labels, in the window's order.
pub const ACTION_FILTERS: &[(&str, &str)] = &[
    ("register", "Registrations"),
    ("edit", "Edits"),
    ("cancel", "Cancellations"),
    ("promote", "Promotions from the waitlist"),
    ("reinstate", "Reinstatements"),
    ("checkin", "Check-ins and undos"),
    ("badge", "Badge prints and reprints"),
    ("import", "Imports"),
    ("event", "Event settings"),
    ("allocation", "Allocations"),
    ("session", "Programme"),
    ("vetting", "Security vetting"),
    ("calibration", "Printer calibration"),
    ("pin", "Coordinator PIN"),
    ("protocol", "Protocol notices"),
    ("print", "Print jobs"),
    ("database", "Database restores"),
];

/// One audit entry as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLine {
    /// Order of the entry.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// When at the venue: "2019-11-14 08:12".
    pub local_time: String,
    /// Who.
    pub operator: String,
    /// At which desk.
    pub desk: String,
    /// The action's wire name (`checkin.undo`).
    pub action: String,
    /// The action in words ("Check-in undone").
    pub label: String,
    /// The attendee it concerns, if any.
    pub attendee_id: Option<i64>,
    /// Their name as the entry recorded it (or as it is now, when the entry does not say).
    pub person: String,
    /// What changed, in one line ("Delegation: Jamaica → Barbados").
    pub summary: String,
}

/// A page of the audit trail for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// The newest entries that match, newest first.
    pub lines: Vec<AuditLine>,
    /// How many entries match in all.
    pub matching: usize,
}

/// One choice of a filter: its value and what the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// What the filter takes.
    pub value: String,
    /// What the window shows.
    pub label: String,
}

/// What the audit view's filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditChoices {
    /// The families of actions ([`ACTION_FILTERS`]).
    pub actions: Vec<Choice>,
    /// Every operator named in the trail, in alphabetical order.
    pub operators: Vec<String>,
}

/// The most lines the window shows at once (the CSV export has them all).
pub const PAGE_LINES: usize = 500;

impl Desk {
    /// The entries matching `filter` as lines people read, oldest first. The limit of the
    /// filter applies (the newest that many).
    pub fn audit_lines(&self, filter: &AuditFilter) -> Result<Vec<AuditLine>> {
        let entries = self.audit_trail(filter)?;
        self.lines_of(&entries)
    }

    /// `entries` as lines people read.
    fn lines_of(&self, entries: &[AuditEntry]) -> Result<Vec<AuditLine>> {
        let event = self.event()?;
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let recorded = field(e.after.as_ref(), "displayName")
                .or_else(|| field(e.before.as_ref(), "displayName"))
                .map(shown);
            let person = match (recorded, e.attendee_id) {
                (Some(n), _) => n,
                (None, Some(id)) => names
                    .entry(id)
                    .or_insert_with(|| {
                        self.attendee(id).map(|a| a.display_name).unwrap_or_else(|_| format!("#{id}"))
                    })
                    .clone(),
                (None, None) => String::new(),
            };
            out.push(AuditLine {
                id: e.id,
                local_time: venue_format(&event, &e.at, "%Y-%m-%d %H:%M"),
                label: action_label(&e.action).to_string(),
                summary: summary(e),
                at: e.at.clone(),
                operator: e.operator.clone(),
                desk: e.desk.clone(),
                action: e.action.clone(),
                attendee_id: e.attendee_id,
                person,
            });
        }
        Ok(out)
    }

    /// The newest [`PAGE_LINES`] entries matching `filter` (its limit ignored), newest first,
    /// and how many match in all: what the window's audit view shows.
    pub fn audit_page(&self, filter: &AuditFilter) -> Result<AuditPage> {
        // Counted whole: past MAX_AUDIT_ROWS, "matching" said 100,000.
        let entries = self.trail(&AuditFilter { limit: None, ..filter.clone() }, usize::MAX)?;
        let matching = entries.len();
        // Only the entries shown are put in words (names looked up, changes described).
        let mut lines = self.lines_of(&entries[matching.saturating_sub(PAGE_LINES)..])?;
        lines.reverse();
        Ok(AuditPage { lines, matching })
    }

    /// What the audit view's filters offer: the action families and the operators on record.
    pub fn audit_choices(&self) -> Result<AuditChoices> {
        let mut operators: Vec<String> =
            self.db.query_map("SELECT DISTINCT operator FROM audit", params![], |r| r.get(0))?;
        operators.sort_by_key(|o| crate::text::fold(o));
        let actions = ACTION_FILTERS
            .iter()
            .map(|(v, l)| Choice { value: (*v).to_string(), label: (*l).to_string() })
            .collect();
        Ok(AuditChoices { actions, operators })
    }

    /// Writes every entry matching `filter` (oldest first; the newest `filter.limit` when given,
    /// never cut at [`MAX_AUDIT_ROWS`]) to `out` as CSV: UTF-8 with BOM,
    /// CRLF, formula-safe cells; the records before and after as JSON in the last columns.
    /// Returns how many entries were written.
    pub fn export_audit_csv(&self, filter: &AuditFilter, out: &Path) -> Result<usize> {
        self.check_output(out)?;
        // Every entry (or the newest `limit`): not cut at the window's MAX_AUDIT_ROWS, which
        // dropped the oldest of a long trail without a word.
        let entries = self.trail(filter, filter.limit.unwrap_or(usize::MAX))?;
        let lines = self.lines_of(&entries)?;
        let json = |v: &Option<Value>| v.as_ref().map(Value::to_string).unwrap_or_default();
        let bytes = csv_document(
            [
                "Entry",
                "Time at the venue",
                "Time (UTC)",
                "Operator",
                "Desk",
                "Action",
                "Action code",
                "Person ID",
                "Person",
                "What changed",
                "Before (JSON)",
                "After (JSON)",
            ],
            lines.iter().zip(&entries).map(|(l, e)| {
                [
                    l.id.to_string(),
                    l.local_time.clone(),
                    l.at.clone(),
                    escape_cell(&l.operator),
                    escape_cell(&l.desk),
                    l.label.clone(),
                    l.action.clone(),
                    l.attendee_id.map(|i| i.to_string()).unwrap_or_default(),
                    escape_cell(&l.person),
                    escape_cell(&l.summary),
                    escape_cell(&json(&e.before)),
                    escape_cell(&json(&e.after)),
                ]
            }),
        )?;
        crate::store::storage::write_atomically(out, &bytes)?;
        Ok(lines.len())
    }
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Order of the entry.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub operator: String,
    /// At which desk.
    pub desk: String,
    /// What: `register`, `edit`, `cancel`, `promote`, `reinstate`, `event.update`,
    /// `checkin`, `checkin.undo`, `badge.print`, `import`, `allocation.set`, ….
    pub action: String,
    /// Which attendee, if any.
    pub attendee_id: Option<i64>,
    /// The record before the change, as JSON.
    pub before: Option<serde_json::Value>,
    /// The record after the change, as JSON.
    pub after: Option<serde_json::Value>,
}

/// Which audit entries to read; every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditFilter {
    /// From this time on: RFC 3339, or a date or date and time at the venue
    /// ("2019-11-14", "2019-11-14 08:00").
    pub since: Option<String>,
    /// Before this time, written the same ways.
    pub until: Option<String>,
    /// Only this attendee.
    pub person: Option<i64>,
    /// Only the people these words find, as the arrival search finds them ("dupre hel"; at
    /// most [`crate::search::MAX_RESULTS`] people).
    pub who: Option<String>,
    /// Only this operator (case and accents ignored).
    pub operator: Option<String>,
    /// Only this action, or this family of actions (`checkin` is also `checkin.undo`).
    pub action: Option<String>,
    /// At most this many, the newest (default and most: [`MAX_AUDIT_ROWS`]).
    pub limit: Option<usize>,
}

/// The most audit entries one read returns.
pub const MAX_AUDIT_ROWS: usize = 100_000;

/// A time typed for an audit filter, as the UTC RFC 3339 text the audit rows hold.
fn audit_time(event: &Event, field: &str, typed: &str) -> Result<String> {
    let t = typed.trim();
    let label = if field == "until" { "Until" } else { "From" };
    let utc =
        |dt: chrono::DateTime<Utc>| -> Result<String> { Ok(dt.to_rfc3339_opts(SecondsFormat::Millis, true)) };
    // Bounded like every date a person types (the date as written): no arithmetic below can
    // overflow.
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        crate::model::check_year(field, label, dt.date_naive(), t)?;
        return utc(dt.with_timezone(&Utc));
    }
    let local = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .or_else(|_| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        });
    // A local time that does not exist (the clocks jumped over it) means the first instant
    // after the jump: try every quarter of an hour for up to four hours.
    if let Ok(l) = local {
        crate::model::check_year(field, label, l.date(), t)?;
    }
    let exists = |l: chrono::NaiveDateTime| {
        (0..=16).find_map(|q| {
            l.checked_add_signed(chrono::Duration::minutes(15 * q))?.and_local_timezone(event.tz()).earliest()
        })
    };
    match local.map(exists) {
        Ok(Some(dt)) => utc(dt.with_timezone(&Utc)),
        _ => Err(Error::invalid(
            field,
            format!(
                "\"{}\" is not a time: write 2019-11-14, 2019-11-14 08:00 (at the venue) or an RFC 3339 time",
                crate::text::shortened(t, 40)
            ),
        )),
    }
}

impl Desk {
    /// The audit trail of one attendee, oldest first.
    pub fn history(&self, id: i64) -> Result<Vec<AuditEntry>> {
        load_attendee(&self.db, id)?;
        self.db.query_map(
            "SELECT id, at, operator, desk, action, attendee_id, before, after FROM audit WHERE attendee_id = ?1 ORDER BY id",
            params![id],
            audit_from_row,
        )
    }
}

impl Desk {
    /// The audit trail: the entries matching `filter`, oldest first (the newest
    /// `filter.limit` when there are more).
    pub fn audit_trail(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.trail(filter, filter.limit.unwrap_or(MAX_AUDIT_ROWS).clamp(1, MAX_AUDIT_ROWS))
    }

    /// The newest `limit` entries matching `filter`, oldest first (an export asks for them all).
    fn trail(&self, filter: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>> {
        let event = load_event(&self.db)?;
        let some =
            |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let since = some(&filter.since).map(|t| audit_time(&event, "since", &t)).transpose()?;
        let until = some(&filter.until).map(|t| audit_time(&event, "until", &t)).transpose()?;
        let operator = some(&filter.operator).map(|o| fold(&o));
        // One of the families (or an action of one, "checkin.undo"), in any case: an action
        // no entry can have ("Checkin", "check-in") found nothing and said "0 entries".
        let action = some(&filter.action).map(|a| a.to_lowercase());
        if let Some(a) = &action {
            let family = a.split('.').next().unwrap_or("");
            if !ACTION_FILTERS.iter().any(|(f, _)| *f == family) {
                let families: Vec<&str> = ACTION_FILTERS.iter().map(|(f, _)| *f).collect();
                return Err(Error::invalid(
                    "action",
                    format!("No action is called \"{a}\"; choose one of: {}", families.join(", ")),
                ));
            }
        }
        let who: Option<std::collections::HashSet<i64>> = match some(&filter.who) {
            Some(words) if crate::search::query_words(&words).is_empty() => {
                return Err(Error::invalid("who", "Type letters of a name to find the person by"))
            }
            Some(words) => Some(self.search_ids(&words, crate::search::MAX_RESULTS)?.into_iter().collect()),
            None => None,
        };
        if filter.limit == Some(0) {
            return Err(Error::invalid("limit", "Ask for at least 1 entry"));
        }
        let rows = self.db.query_map(
            "SELECT id, at, operator, desk, action, attendee_id, before, after FROM audit
             WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR at < ?2)
               AND (CAST(?3 AS BIGINT) IS NULL OR attendee_id = ?3)
               AND (CAST(?4 AS TEXT) IS NULL OR action = ?4 OR substr(action, 1, length(?4) + 1) = ?4 || '.')
             ORDER BY id",
            params![since, until, filter.person, action],
            audit_from_row,
        )?;
        // A person is found by the name they had then too: a row that recorded it names them.
        let who = who.map(|mut ids| {
            let words = crate::search::query_words(some(&filter.who).as_deref().unwrap_or(""));
            for row in &rows {
                let Some(id) = row.attendee_id.filter(|id| !ids.contains(id)) else { continue };
                // Both sides: a rename row holds the name before it and the name after it.
                let recorded = [row.before.as_ref(), row.after.as_ref()]
                    .map(|side| field(side, "displayName").and_then(Value::as_str));
                if recorded.into_iter().flatten().any(|n| named(&fold(n), &words)) {
                    ids.insert(id);
                }
            }
            ids
        });
        let mut out = Vec::new();
        for row in rows {
            if operator.as_ref().is_some_and(|o| fold(&row.operator) != *o) {
                continue;
            }
            if who.as_ref().is_some_and(|ids| !row.attendee_id.is_some_and(|id| ids.contains(&id))) {
                continue;
            }
            out.push(row);
        }
        let extra = out.len().saturating_sub(limit);
        out.drain(..extra);
        Ok(out)
    }
}

/// Whether every one of `words` (folded) begins a word of the folded name `name`.
fn named(name: &str, words: &[String]) -> bool {
    let parts: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect();
    !words.is_empty() && words.iter().all(|w| parts.iter().any(|p| p.starts_with(w.as_str())))
}

/// An audit row read by `SELECT id, at, operator, desk, action, attendee_id, before, after`.
pub(crate) fn audit_from_row(r: &Row) -> Result<AuditEntry> {
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        desk: r.get(3)?,
        action: r.get(4)?,
        attendee_id: r.get(5)?,
        before: json(r.get(6)?),
        after: json(r.get(7)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// An event at a venue in `timezone`.
    fn event_in(timezone: &str) -> Event {
        Event {
            name: "E".into(),
            venue: "V".into(),
            start_date: NaiveDate::from_ymd_opt(2019, 11, 14).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2019, 11, 15).unwrap(),
            timezone: timezone.into(),
            days: vec![],
            capacity: 100,
            demo: false,
            require_vetting: false,
        }
    }

    #[test]
    fn audit_times_are_bounded_before_any_arithmetic() {
        let ny = event_in("America/New_York");
        for (typed, utc) in [
            ("2000-01-01", "2000-01-01T05:00:00.000Z"),
            ("2100-12-31 23:59", "2101-01-01T04:59:00.000Z"),
            ("2100-12-31T23:59", "2101-01-01T04:59:00.000Z"),
            ("2100-12-31T23:59:59.999-12:00", "2101-01-01T11:59:59.999Z"),
            ("2000-01-01T00:00:00+14:00", "1999-12-31T10:00:00.000Z"),
            ("2024-02-29 08:00", "2024-02-29T13:00:00.000Z"),
            // A time the clocks jumped over: the first instant after the jump.
            ("2019-03-10 02:30", "2019-03-10T07:00:00.000Z"),
        ] {
            assert_eq!(audit_time(&ny, "until", typed).unwrap(), utc, "{typed}");
        }
        // Out of range or no date at all, at every offset: refused naming the flag's field,
        // never a panic (`+262142-12-31 23:59` overflowed adding a quarter of an hour).
        for tz in ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/London"] {
            let event = event_in(tz);
            for (typed, why) in [
                ("+262142-12-31 23:59", "out of range"),
                ("+262142-12-31", "out of range"),
                ("262142-12-31T23:59:59Z", "is not a time"),
                ("+262142-12-31T23:59:59-23:59", "is not a time"),
                ("9999-12-31T23:59:59-23:59", "out of range"),
                ("0000-01-01T00:00:00+23:59", "out of range"),
                ("-262143-01-01 00:00", "out of range"),
                ("9999-12-31 23:59", "out of range"),
                ("2101-01-01 00:00", "out of range"),
                ("1999-12-31 23:59", "out of range"),
                ("1999-12-31T23:59:59-12:00", "out of range"),
                ("1970-01-01", "out of range"),
                ("0000-01-01", "out of range"),
                ("-0001-12-31 12:00", "out of range"),
                ("+262143-01-01", "is not a time"),
                ("2100-02-29", "is not a time"),
                ("2023-02-29 08:00", "is not a time"),
                ("tomorrow", "is not a time"),
            ] {
                for field in ["since", "until"] {
                    let e = audit_time(&event, field, typed).unwrap_err();
                    assert_eq!(e.field(), Some(field), "{tz} {typed}");
                    let text = e.to_string();
                    assert!(text.contains(why) && text.contains(typed), "{tz} {typed}: {text}");
                }
            }
        }
    }

    use serde_json::json;

    fn entry(action: &str, before: Option<Value>, after: Option<Value>) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2019-11-14T13:12:00.000Z".into(),
            operator: "Ana".into(),
            desk: "Desk 1".into(),
            action: action.into(),
            attendee_id: Some(1),
            before,
            after,
        }
    }

    #[test]
    fn an_edit_says_which_fields_changed_and_nothing_else() {
        let b = json!({"delegation": "", "email": "a@x.org", "updatedAt": "1", "days": [1, 2], "displayName": "A"});
        let a = json!({"delegation": "Jamaica", "email": "a@x.org", "updatedAt": "2", "days": [2], "displayName": "B"});
        assert_eq!(summary(&entry("edit", Some(b), Some(a))), "Days: 1, 2 → 2; Delegation: — → Jamaica");
    }

    #[test]
    fn every_kind_of_entry_has_words() {
        assert_eq!(summary(&entry("register", None, Some(json!({"status": "waitlisted"})))), "Waitlisted");
        assert_eq!(
            summary(&entry(
                "cancel",
                Some(json!({"status": "registered"})),
                Some(json!({"status": "cancelled"}))
            )),
            "Registered → Cancelled"
        );
        assert_eq!(
            summary(&entry("checkin", None, Some(json!({"day": 2, "method": "scan"})))),
            "Day 2, badge scanned"
        );
        assert_eq!(
            summary(&entry("checkin.undo", None, Some(json!({"day": 1, "undoReason": "wrong person"})))),
            "Day 1: wrong person"
        );
        assert_eq!(
            summary(&entry(
                "badge.print",
                None,
                Some(json!({"version": 2, "preset": "cr80", "reason": "lost"}))
            )),
            "Version 2, lost (cr80)"
        );
        assert_eq!(
            summary(&entry("allocation.remove", Some(json!({"delegation": "Haiti", "seats": 3})), None)),
            "Haiti: 3 → none"
        );
        for (action, _) in ACTION_FILTERS {
            assert_ne!(action_label(action), "", "{action}");
        }
        assert_eq!(action_label("something.new"), "Other change");
        assert_eq!(words("badgeName"), "Badge name");
        let b = json!({"days": [{"day": 1, "date": "2019-11-14", "theme": "Cyber"}], "capacity": 100});
        let a = json!({"days": [{"day": 1, "date": "2019-11-15", "theme": ""}], "capacity": 100});
        assert_eq!(
            summary(&entry("event.update", Some(b), Some(a))),
            "Days: 2019-11-14 (Cyber) → 2019-11-15"
        );
    }

    /// Every action the desk writes in the audit trail has its words: none reads "Other
    /// change" (a PIN reset and wrong PINs did). The actions are read from the code: each
    /// `audit(` call's action, and the action names handed to the shared writers.
    #[test]
    fn every_action_written_has_a_label() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        let mut sources = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut sources);
        let mut actions = std::collections::BTreeSet::new();
        for text in &sources {
            for call in ["audit(", "write_in("] {
                for (at, _) in text.match_indices(call) {
                    // The action is the first text in quotes of the call.
                    let rest = &text[at + call.len()..];
                    let end = rest.find(';').unwrap_or(rest.len()).min(400);
                    if let Some(lit) = rest[..end].split('"').nth(1) {
                        if !lit.is_empty() && lit.chars().all(|c| c.is_ascii_lowercase() || c == '.') {
                            actions.insert(lit.to_string());
                        }
                    }
                }
            }
        }
        for known in ["pin.reset", "pin.wrong", "protocol.ack", "print.sent", "print.failed", "checkin"] {
            assert!(actions.contains(known), "the scan finds {known}: {actions:?}");
        }
        let unlabelled: Vec<&String> = actions.iter().filter(|a| action_label(a) == "Other change").collect();
        assert!(unlabelled.is_empty(), "written without words: {unlabelled:?}");
        assert_eq!(
            summary(&entry("pin.wrong", None, Some(json!({"wrongTries": 5, "waitSeconds": 60})))),
            "5 wrong in a row; the next try waits 60 s"
        );
        assert_eq!(summary(&entry("protocol.ack", None, Some(json!({"noticeId": 1, "why": "VIP"})))), "VIP");
    }

    #[test]
    fn a_malformed_entry_still_reads() {
        assert_eq!(summary(&entry("edit", Some(json!("text")), Some(json!(3)))), "");
        assert_eq!(summary(&entry("checkin", None, None)), "");
    }
}
