//! What an audit entry says, in words: the label of its action and the one line of what
//! changed (the fields of an edit, the day of a check-in, the reason of an undo).

use super::AuditEntry;
use serde_json::Value;

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
        "checkin.session" => "Admitted to a session",
        "checkin.session.undo" => "Session admission undone",
        "badge.print" => "Badge printed",
        "import" => "Imported",
        "import.update" => "Updated by an import",
        "event.update" => "Event settings changed",
        "allocation.set" => "Seats allocated",
        "allocation.remove" => "Allocation removed",
        "allocation.policy" => "Allocation rule changed",
        "session.add" => "Session added",
        "session.edit" => "Session changed",
        "session.remove" => "Session removed",
        "session.admit" => "Admitted to a session by name",
        "session.exclude" => "Excluded from a session by name",
        "session.clear" => "Session list changed",
        "vetting" => "Security vetting set",
        "vetting.override" => "Admitted without cleared vetting",
        "calibration.set" => "Printer calibrated",
        "pin.set" => "Coordinator PIN set",
        "pin.change" => "Coordinator PIN changed",
        "database.restore" => "Database restored",
        "database.numbered" => "Numbered past the backups beside it",
        "pin.reset" => "Coordinator PIN reset (forgotten)",
        "pin.reset.acknowledge" => "Coordinator PIN reset acknowledged",
        "pin.wrong" => "Wrong coordinator PIN",
        "protocol.ack" => "Protocol notice acknowledged",
        "print.sent" => "Badges sent to a printer",
        "print.retry" => "Print job sent again",
        "print.failed" => "Print job ended unprinted",
        _ => "Other change",
    }
}

/// Keys of an attendee or event record that change by themselves and say nothing to a reader.
const QUIET: &[&str] = &["updatedAt", "createdAt", "waitlistPosition", "displayName", "id", "registeredAt"];

pub(super) fn words(key: &str) -> String {
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

pub(super) fn shown(v: &Value) -> String {
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

pub(super) fn field<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    v.and_then(|v| v.get(key)).filter(|v| !v.is_null())
}

fn text(v: Option<&Value>, key: &str) -> String {
    field(v, key).map(shown).unwrap_or_default()
}

/// A session as an audit line names it: "Day 1, 08:00–08:30: Welcoming remarks".
fn session_line(s: Option<&Value>) -> String {
    format!("Day {}, {}–{}: {}", text(s, "day"), text(s, "start"), text(s, "end"), text(s, "title"))
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
        "checkin.session" => format!(
            "{} (session #{}, day {}), {}",
            text(a, "title"),
            text(a, "sessionId"),
            text(a, "day"),
            if text(a, "method") == "scan" { "badge scanned" } else { "found at the door" }
        ),
        "checkin.session.undo" => format!("{}: {}", text(a, "title"), text(a, "undoReason")),
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
        "database.numbered" => {
            format!("From revision {}, past the backups in {}", text(a, "revision"), text(a, "folder"))
        }
        "vetting" => {
            let note = Some(text(a, "note"))
                .filter(|n| !n.is_empty())
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            format!("{} → {}{note}", text(b, "state"), text(a, "state"))
        }
        "vetting.override" => {
            let at = match text(a, "sessionId").as_str() {
                "" | "null" => format!("day {}", text(a, "day")),
                s => format!("session #{s}"),
            };
            format!("Vetting {}, {at}: {}", text(a, "vetting"), text(a, "reason"))
        }
        "session.add" => session_line(a),
        "session.remove" => {
            let s = b.and_then(|b| b.get("session"));
            let n = b.and_then(|b| b.get("attendance")).and_then(Value::as_array).map_or(0, Vec::len);
            let kept = if n == 0 {
                String::new()
            } else {
                format!("; {n} check-in{} kept here", if n == 1 { "" } else { "s" })
            };
            format!("{}{kept}", session_line(s))
        }
        "session.edit" | "session.admit" | "session.exclude" | "session.clear" => {
            format!("{}: {}", text(a, "title"), diff(b.unwrap_or(&Value::Null), a.unwrap_or(&Value::Null)))
        }
        "pin.set" | "pin.change" => String::new(),
        "pin.reset" => format!("At {}", text(a, "desk")),
        "pin.reset.acknowledge" => format!("Reset at {} by {}", text(b, "resetAt"), text(b, "resetBy")),
        "pin.wrong" => {
            let wait = text(a, "waitSeconds");
            let wait = if wait == "0" { String::new() } else { format!("; the next try waits {wait} s") };
            format!("{} wrong in a row{wait}", text(a, "wrongTries"))
        }
        "protocol.ack" => text(a, "why"),
        "print.sent" => format!(
            "Job {} to {}: {} badge(s), {}",
            text(a, "job"),
            text(a, "printer"),
            text(a, "badges"),
            text(a, "preset")
        ),
        "print.retry" => {
            format!("Job {} (job {} again) to {}", text(a, "job"), text(a, "retryOf"), text(a, "printer"))
        }
        "print.failed" => format!("Job {}: {} — {}", text(a, "job"), text(a, "state"), text(a, "words")),
        _ => match (b, a) {
            (Some(b), Some(a)) => diff(b, a),
            _ => String::new(),
        },
    }
}
