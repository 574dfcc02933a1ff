//! Name badges: stock presets, the content of a badge, its layout (measured and fitted with
//! the embedded font) and the PDF that logistics staff print.
//!
//! Pure functions of their inputs: the desk ([`crate::desk`]) chooses who gets a badge and
//! records every print; this module only draws.

pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod preset;
pub mod qr;

pub use layout::{layout, minimum_size, BadgeLayout, FitIssue, FitProblem};
pub use preset::{Preset, PRESETS};

use crate::model::{Attendee, Category, Event};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What one badge shows, gathered from the attendee and the event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeContent {
    /// Whose badge.
    pub attendee_id: i64,
    /// Badge version: 1 for the first print, +1 for every reprint.
    pub version: u32,
    /// Event name.
    pub event_name: String,
    /// Event dates and venue ("14–15 November 2019 · U.S. Southern Command, Miami").
    pub event_dates: String,
    /// Rank or honorific.
    pub rank: String,
    /// The printed name: the badge-name override if set, else given + family.
    pub name: String,
    /// Position.
    pub position: String,
    /// Organisation.
    pub organization: String,
    /// Delegation.
    pub delegation: String,
    /// Category (band colour and word).
    pub category: Category,
    /// Which days the badge is valid for ("All days · 14–15 Nov", "Day 1 · 14 Nov").
    pub valid_days: String,
    /// Where they may go ("All sessions", "Press — Welcoming remarks only"); empty without a
    /// programme (see [`crate::model::access_words`]).
    pub access: String,
}

impl BadgeContent {
    /// The badge of `a` at `version` for `event`.
    pub fn new(a: &Attendee, version: u32, event: &Event) -> BadgeContent {
        let f = &a.fields;
        let dates = date_range(event.start_date, event.end_date, true);
        let event_dates = if event.venue.is_empty() { dates } else { format!("{dates} · {}", event.venue) };
        BadgeContent {
            attendee_id: a.id,
            version,
            event_name: printable(&event.name),
            event_dates,
            rank: printable(&f.rank),
            name: printable(&f.badge_name.clone().unwrap_or_else(|| f.full_name())),
            position: printable(&f.position),
            organization: printable(&f.organization),
            delegation: printable(&f.delegation),
            category: f.category,
            valid_days: valid_days(&f.days, event),
            access: String::new(),
        }
    }

    /// The same badge saying where they may go (`words`, from the programme).
    pub fn with_access(self, words: String) -> BadgeContent {
        BadgeContent { access: words, ..self }
    }

    /// What a person at the door would take for a mistake on this badge, one sentence each:
    /// a name typed all in lower case ("marcus oneil"), no delegation. Said before it prints;
    /// the operator may print it anyway.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if crate::text::all_lower_case(&self.name) {
            out.push(format!(
                "Name \"{}\" is all in lower case: it prints so (correct it to \"{}\" in the record?)",
                self.name,
                crate::text::proper_name(&self.name)
            ));
        }
        if self.delegation.trim().is_empty() {
            out.push(format!("{}: no delegation on the badge", self.name));
        }
        out
    }

    /// The small print under the days: "Badge v2" (the QR code carries the token).
    pub fn version_line(&self) -> String {
        format!("Badge v{}", self.version)
    }
}

/// A stored value as the badge prints it (see [`crate::text::printable`]).
fn printable(s: &str) -> String {
    crate::text::printable(s).into_owned()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(d: NaiveDate, long: bool) -> String {
    let m = MONTHS[d.month0() as usize];
    if long {
        m.to_string()
    } else {
        m[..3].to_string()
    }
}

/// "14–15 November 2019", "30 November – 1 December 2019", "14 Nov"; `long` adds the year.
pub fn date_range(start: NaiveDate, end: NaiveDate, long: bool) -> String {
    let year = |d: NaiveDate| if long { format!(" {}", d.year()) } else { String::new() };
    if start == end {
        format!("{} {}{}", start.day(), month(start, long), year(start))
    } else if (start.year(), start.month()) == (end.year(), end.month()) {
        format!("{}–{} {}{}", start.day(), end.day(), month(end, long), year(end))
    } else if start.year() == end.year() {
        format!("{} {} – {} {}{}", start.day(), month(start, long), end.day(), month(end, long), year(end))
    } else {
        format!(
            "{} {}{} – {} {}{}",
            start.day(),
            month(start, long),
            year(start),
            end.day(),
            month(end, long),
            year(end)
        )
    }
}

/// Which days a badge is valid for, as printed.
pub fn valid_days(days: &[u32], event: &Event) -> String {
    // A day is one of the event's (1 to its day count): its date is at most the last one.
    let date = |d: u32| crate::model::day_date(event.start_date, d.max(1)).unwrap_or(event.end_date);
    match days {
        [] => String::new(),
        [d] => format!("Day {d} only · {}", date_range(date(*d), date(*d), false)),
        _ if days.len() as u32 == event.day_count() => {
            format!("All days · {}", date_range(event.start_date, event.end_date, false))
        }
        _ => {
            let (last, rest) = days.split_last().unwrap_or((&0, &[]));
            let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
            format!("Days {} & {last}", rest.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_as_printed() {
        assert_eq!(date_range(d("2019-11-14"), d("2019-11-15"), true), "14–15 November 2019");
        assert_eq!(date_range(d("2019-11-30"), d("2019-12-01"), true), "30 November – 1 December 2019");
        assert_eq!(date_range(d("2019-12-31"), d("2020-01-01"), false), "31 Dec – 1 Jan");
        assert_eq!(date_range(d("2019-11-14"), d("2019-11-14"), false), "14 Nov");
    }
}
