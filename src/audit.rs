//! The audit trail as people read it: each entry with its time at the venue, the action in
//! words, the person it concerns and one line saying what changed; the list the window shows
//! (newest first, filtered) and its CSV export. The entries themselves are written and read by
//! [`crate::desk`] ([`Desk::audit_trail`]).

use crate::checkin::venue_format;
use crate::desk::{AuditEntry, AuditFilter, Desk};
use crate::error::Result;
use crate::export::{csv_document, escape_cell};
use crate::params;
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
    ("calibration", "Printer calibration"),
    ("pin", "Coordinator PIN"),
    ("database", "Database restores"),
];

/// The words for an action.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "register" => "Registered",
        "edit" => "Edited",
        "cancel" => "Cancelled",
        "promote" => "Promoted from the waitlist",
        "reinstate" => "Reinstated",
        "checkin" => "Checked in",
        "checkin.undo" => "Check-in undone",
        "badge.print" => "Badge printed",
        "import" => "Imported",
        "import.update" => "Updated by an import",
        "event.update" => "Event settings changed",
        "allocation.set" => "Seats allocated",
        "allocation.remove" => "Allocation removed",
        "allocation.policy" => "Allocation rule changed",
        "calibration.set" => "Printer calibrated",
        "pin.set" => "Coordinator PIN set",
        "pin.change" => "Coordinator PIN changed",
        "database.restore" => "Database restored",
        _ => "Other change",
    }
}

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

/// Keys of an attendee or event record that change by themselves and say nothing to a reader.
const QUIET: &[&str] = &["updatedAt", "createdAt", "waitlistPosition", "displayName", "id", "registeredAt"];

fn words(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(shown).collect::<Vec<_>>().join(", "),
        // An event day: its date, and its theme if it has one.
        Value::Object(o) if o.contains_key("date") => {
            let date = o.get("date").map(shown).unwrap_or_default();
            match o.get("theme").map(shown).filter(|t| t != "—") {
                Some(theme) => format!("{date} ({theme})"),
                None => date,
            }
        }
        other => other.to_string(),
    }
}

/// "Key: before → after" for every key whose value differs, quiet keys left out.
fn diff(before: &Value, after: &Value) -> String {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else { return String::new() };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !QUIET.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (b.get(k).unwrap_or(&Value::Null), a.get(k).unwrap_or(&Value::Null));
            (x != y).then(|| format!("{}: {} → {}", words(k), shown(x), shown(y)))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn field<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    v.and_then(|v| v.get(key)).filter(|v| !v.is_null())
}

fn text(v: Option<&Value>, key: &str) -> String {
    field(v, key).map(shown).unwrap_or_default()
}

/// One line saying what an entry changed.
pub fn summary(e: &AuditEntry) -> String {
    let (b, a) = (e.before.as_ref(), e.after.as_ref());
    let status = |v: Option<&Value>| words(&text(v, "status"));
    if a.is_none() && b.is_none() {
        return String::new();
    }
    match e.action.as_str() {
        "register" | "import" if b.is_none() => status(a),
        "register" | "cancel" | "promote" | "reinstate" => format!("{} → {}", status(b), status(a)),
        "checkin" => format!(
            "Day {}, {}",
            text(a, "day"),
            if text(a, "method") == "scan" { "badge scanned" } else { "found at the desk" }
        ),
        "checkin.undo" => format!("Day {}: {}", text(a, "day"), text(a, "undoReason")),
        "badge.print" => {
            // The first print's reason is "first": nothing to say.
            let why = Some(text(a, "reason")).filter(|w| w != "first").unwrap_or_default();
            format!(
                "Version {}{} ({})",
                text(a, "version"),
                if why.is_empty() { String::new() } else { format!(", {why}") },
                text(a, "preset")
            )
        }
        "allocation.set" | "allocation.remove" => {
            let seats = |v: Option<&Value>| field(v, "seats").map(shown).unwrap_or_else(|| "none".into());
            format!("{}: {} → {}", text(a.or(b), "delegation"), seats(b), seats(a))
        }
        "database.restore" => format!("From {}", text(a, "backup")),
        "pin.set" | "pin.change" => String::new(),
        _ => match (b, a) {
            (Some(b), Some(a)) => diff(b, a),
            _ => String::new(),
        },
    }
}

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
        let entries = self.audit_trail(&AuditFilter { limit: None, ..filter.clone() })?;
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

    /// Writes every entry matching `filter` (oldest first) to `out` as CSV: UTF-8 with BOM,
    /// CRLF, formula-safe cells; the records before and after as JSON in the last columns.
    /// Returns how many entries were written.
    pub fn export_audit_csv(&self, filter: &AuditFilter, out: &Path) -> Result<usize> {
        self.check_output(out)?;
        let entries = self.audit_trail(&AuditFilter { limit: None, ..filter.clone() })?;
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

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn a_malformed_entry_still_reads() {
        assert_eq!(summary(&entry("edit", Some(json!("text")), Some(json!(3)))), "");
        assert_eq!(summary(&entry("checkin", None, None)), "");
    }
}
