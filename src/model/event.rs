//! The event: its name, venue, days and their themes, time zone and capacity, parsed from
//! what a coordinator types; times at the venue.

use super::*;
use crate::error::{Error, Result};
use crate::text::{clean, TextRule};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One day of the event and its theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDay {
    /// 1-based day number.
    pub day: u32,
    /// The calendar date of that day.
    pub date: NaiveDate,
    /// The day's theme (may be empty).
    pub theme: String,
}

/// The event the desk serves. There is exactly one per database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Full name, as printed on badges.
    pub name: String,
    /// Where it takes place.
    pub venue: String,
    /// First day (ISO date).
    pub start_date: NaiveDate,
    /// Last day (ISO date), not before the first.
    pub end_date: NaiveDate,
    /// IANA time zone name of the venue.
    pub timezone: String,
    /// The event's days with their themes.
    pub days: Vec<EventDay>,
    /// Number of seats: at most this many attendees are registered at any time.
    pub capacity: u32,
    /// A demo database (invented people, made by [`crate::demo`]): the window says so on every
    /// screen, and a demo is never written over a real event.
    #[serde(default)]
    pub demo: bool,
    /// Security vetting is required: a person whose vetting is not cleared is not checked in
    /// (day or session) unless the coordinator admits them once, with the PIN and a reason.
    #[serde(default)]
    pub require_vetting: bool,
}

impl Event {
    /// Number of days from start to end, inclusive.
    pub fn day_count(&self) -> u32 {
        day_count(self.start_date, self.end_date)
    }

    /// The window's title: the event's name, with DEMO DATA first on a demo, so that a demo
    /// is recognised from the task bar too.
    pub fn window_title(&self) -> String {
        let title = format!("{} — Delegate Desk", self.name);
        if self.demo {
            format!("DEMO DATA — {title}")
        } else {
            title
        }
    }

    /// The venue's time zone (UTC if the stored name is not one, as older databases allowed).
    pub fn tz(&self) -> chrono_tz::Tz {
        parse_timezone(&self.timezone).unwrap_or(chrono_tz::UTC)
    }

    /// The time now at the venue: what rosters print and file names carry.
    pub fn local_now(&self) -> chrono::DateTime<chrono_tz::Tz> {
        chrono::Utc::now().with_timezone(&self.tz())
    }
}

/// Parse an IANA time zone name as typed, any case ("america/new_york" is
/// America/New_York); the result carries the canonical name.
pub fn parse_timezone(raw: &str) -> Result<chrono_tz::Tz> {
    let s = raw.trim();
    chrono_tz::TZ_VARIANTS.iter().copied().find(|tz| tz.name().eq_ignore_ascii_case(s)).ok_or_else(|| {
        let shown: String = s.chars().take(64).collect();
        Error::invalid(
            "timezone",
            format!("Time zone \"{shown}\" is not a time zone name; write it as Region/City, e.g. America/New_York or America/Port_of_Spain"),
        )
    })
}

/// Number of days from `start` to `end`, inclusive.
pub fn day_count(start: NaiveDate, end: NaiveDate) -> u32 {
    u32::try_from((end - start).num_days() + 1).unwrap_or(0)
}

/// Longest event accepted, in days.
pub const MAX_EVENT_DAYS: u32 = 31;

/// Smallest and largest capacity accepted.
pub const CAPACITY_RANGE: std::ops::RangeInclusive<u32> = 1..=100_000;

/// A change to the event settings as typed; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventInput {
    /// New name.
    pub name: Option<String>,
    /// New venue.
    pub venue: Option<String>,
    /// New first day, ISO `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// New last day, ISO `YYYY-MM-DD`.
    pub end_date: Option<String>,
    /// New time zone name.
    pub timezone: Option<String>,
    /// New capacity, as typed (a whole number from 1 to 100000).
    pub capacity: Option<String>,
    /// New themes of some days.
    pub themes: Option<Vec<DayTheme>>,
    /// Whether security vetting is required, as typed (`on` or `off`).
    pub require_vetting: Option<String>,
    /// The settings as the form showed them when it was filled, if it sends them (the window
    /// does; the command line reads and writes at once and does not). A setting typed the
    /// same as loaded is then left as it is stored now, even if another desk changed it
    /// meanwhile; a setting changed both here and at another desk refuses the whole save,
    /// naming it (see [`EventInput::since_loaded`]). It cannot carry a `loaded` of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loaded: Option<Box<EventInput>>,
}

/// The theme of one day, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayTheme {
    /// 1-based day number.
    pub day: u32,
    /// The theme.
    pub theme: String,
}

const EVENT_NAME: TextRule = TextRule {
    field: "name",
    label: "Event name",
    max_chars: 200,
    why: "it is printed on every badge",
    multiline: false,
};

const VENUE: TextRule = TextRule {
    field: "venue",
    label: "Venue",
    max_chars: 200,
    why: "it is printed on rosters",
    multiline: false,
};

const TIMEZONE: TextRule = TextRule {
    field: "timezone",
    label: "Time zone",
    max_chars: 64,
    why: "a time zone name such as America/New_York",
    multiline: false,
};

const THEME: TextRule = TextRule {
    field: "themes",
    label: "Day theme",
    max_chars: 200,
    why: "it is printed on badges and rosters",
    multiline: false,
};

/// Parse a setting typed as on or off (also yes/no, true/false, 1/0, any case).
pub fn parse_on_off(field: &str, label: &str, raw: &str) -> Result<bool> {
    on_off(raw).ok_or_else(|| {
        Error::invalid(
            field,
            format!("{label} is \"{}\": write on or off", crate::text::shortened(raw.trim(), 20)),
        )
    })
}

/// Parse a person's flag typed as yes or no (also y/n, true/false, 1/0, x, on/off, any case).
pub fn parse_yes_no(field: &str, label: &str, raw: &str) -> Result<bool> {
    on_off(raw).ok_or_else(|| {
        Error::invalid(
            field,
            format!("{label} is \"{}\": write yes or no", crate::text::shortened(raw.trim(), 20)),
        )
    })
}

fn on_off(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "on" | "yes" | "y" | "true" | "1" | "x" | "✓" => Some(true),
        "off" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Parse an ISO date typed by a person, naming the field in the error.
pub fn parse_date(field: &str, label: &str, raw: &str) -> Result<NaiveDate> {
    let s = raw.trim();
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            format!(
                "{label} \"{}\" is not a valid date; write it as YYYY-MM-DD, e.g. 2019-11-14",
                crate::text::shortened(s, 40)
            ),
        )
    })?;
    check_year(field, label, date, s)
}

/// The years a date typed by a person may fall in: an event, or an audit filter, of this
/// century. The same rule on every engine (SQLite would store year 262142; PostgreSQL would
/// not), and no date arithmetic on input can overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Refuse `date` (typed as `typed`) unless its year is in [`YEARS`], naming the field and
/// the value.
pub fn check_year(field: &str, label: &str, date: NaiveDate, typed: &str) -> Result<NaiveDate> {
    use chrono::Datelike;
    if YEARS.contains(&date.year()) {
        return Ok(date);
    }
    Err(Error::invalid(
        field,
        format!(
            "{label} \"{}\" is out of range: dates must be in the years {} to {}",
            crate::text::shortened(typed.trim(), 40),
            YEARS.start(),
            YEARS.end()
        ),
    ))
}

/// The date of day `day` (1-based) of an event starting on `start`, or `None` past the last
/// date there is.
pub fn day_date(start: NaiveDate, day: u32) -> Option<NaiveDate> {
    start.checked_add_days(chrono::Days::new(u64::from(day.checked_sub(1)?)))
}

/// Parse a capacity typed by a person.
pub fn parse_capacity(raw: &str) -> Result<u32> {
    let s = raw.trim();
    let out_of_range = || {
        Error::invalid(
            "capacity",
            format!(
                "Capacity {} is out of range; it must be from {} to {} seats",
                crate::text::shortened(s, 40),
                CAPACITY_RANGE.start(),
                CAPACITY_RANGE.end()
            ),
        )
    };
    let n: u64 = s.parse().map_err(|_| {
        // Digits past what a number holds are a number too large, not "not a number".
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return out_of_range();
        }
        Error::invalid(
            "capacity",
            format!("Capacity \"{}\" is not a whole number of seats", crate::text::shortened(s, 40)),
        )
    })?;
    u32::try_from(n).ok().filter(|n| CAPACITY_RANGE.contains(n)).ok_or_else(|| {
        Error::invalid(
            "capacity",
            format!(
                "Capacity {s} is out of range; it must be from {} to {} seats",
                CAPACITY_RANGE.start(),
                CAPACITY_RANGE.end()
            ),
        )
    })
}

impl EventInput {
    /// The change this form makes to the settings `stored` now: only the settings typed
    /// differently from what the form was [`loaded`](EventInput::loaded) with (a setting typed
    /// so that it means the same, " 100" for 100, is no change). A form left open while another
    /// desk saved thus does not put back the older values it still shows — security vetting
    /// turned on elsewhere is not turned off by a stale "off". A setting changed here that
    /// another desk also changed since the form was filled, to another value than the one
    /// typed here, is a conflict ([`Error::Stale`]): nothing is taken, and the message names
    /// each one with its stored value. Each setting is judged alone: one loaded as the rules
    /// of today refuse it (a time zone an older version allowed) is compared as written.
    /// Without `loaded`, the input as it is.
    pub fn since_loaded(&self, stored: &Event) -> Result<EventInput> {
        let Some(loaded) = self.loaded.as_deref() else { return Ok(self.clone()) };
        if loaded.loaded.is_some() {
            return Err(Error::invalid(
                "loaded",
                "The settings the form was filled with carry settings of their own: send them once",
            ));
        }
        // The stored settings with one setting as given, if the rules take it.
        let probe = |one: EventInput| stored.with_input(&one).ok();
        let mut judged = Judged::default();
        let mut out = EventInput::default();
        macro_rules! setting {
            ($f:ident, $label:expr, $form:expr, $shown:expr) => {
                let read = |v: Option<&str>| {
                    probe(EventInput { $f: v.map(str::to_string), ..Default::default() }).map(|e| e.$f)
                };
                let verdict =
                    since_loaded(self.$f.as_deref(), loaded.$f.as_deref(), read, &stored.$f, || {
                        ($form)(&stored.$f)
                    });
                if judged.take(verdict, wire_name(stringify!($f)), || {
                    format!("{} (now {})", $label, ($shown)(&stored.$f))
                }) {
                    out.$f = self.$f.clone();
                }
            };
        }
        let text = |s: &String| s.clone();
        let quoted = |s: &String| format!("“{}”", crate::text::shortened(s, 40));
        let date = |d: &NaiveDate| d.to_string();
        let number = |n: &u32| n.to_string();
        setting!(name, "the event name", text, quoted);
        setting!(venue, "the venue", text, quoted);
        setting!(timezone, "the time zone", text, text);
        setting!(start_date, "the first day", date, date);
        setting!(end_date, "the last day", date, date);
        setting!(capacity, "the capacity", number, number);
        setting!(
            require_vetting,
            "security vetting",
            |on: &bool| if *on { "on" } else { "off" }.to_string(),
            |on: &bool| if *on { "required" } else { "not required" }.to_string()
        );
        if let Some(typed) = &self.themes {
            let mut changed = Vec::new();
            for t in typed {
                // A day the form had no theme for was shown empty.
                let at_load =
                    loaded.themes.iter().flatten().find(|l| l.day == t.day).map_or("", |l| l.theme.as_str());
                let now = stored.days.iter().find(|d| d.day == t.day).map_or("", |d| d.theme.as_str());
                let read = |v: Option<&str>| clean(&THEME, v.unwrap_or_default()).ok();
                let verdict =
                    since_loaded(Some(&t.theme), Some(at_load), read, &now.to_string(), || now.to_string());
                if judged.take(verdict, format!("themes.{}", t.day), || {
                    format!("the theme of day {} (now “{}”)", t.day, crate::text::shortened(now, 40))
                }) {
                    changed.push(t.clone());
                }
            }
            if !changed.is_empty() {
                out.themes = Some(changed);
            }
        }
        judged.check("this form was filled")?;
        Ok(out)
    }
}

impl Event {
    /// Apply a change as typed to these settings, returning the validated new settings.
    /// Day themes follow their day number; days beyond the new end are dropped.
    pub fn with_input(&self, input: &EventInput) -> Result<Event> {
        let mut issues = Issues::default();
        let mut next = self.clone();
        if let Some(v) = &input.name {
            if let Some(v) = issues.take(clean(&EVENT_NAME, v)) {
                if v.is_empty() {
                    issues.take::<()>(Err(Error::invalid("name", "Event name is empty; the badges need it")));
                }
                next.name = v;
            }
        }
        if let Some(v) = &input.venue {
            if let Some(v) = issues.take(clean(&VENUE, v)) {
                next.venue = v;
            }
        }
        if let Some(v) = &input.timezone {
            if let Some(v) = issues.take(clean(&TIMEZONE, v)) {
                if let Some(tz) = issues.take(parse_timezone(&v)) {
                    next.timezone = tz.name().to_string();
                }
            }
        }
        if let Some(v) = &input.start_date {
            if let Some(d) = issues.take(parse_date("startDate", "Start date", v)) {
                next.start_date = d;
            }
        }
        if let Some(v) = &input.end_date {
            if let Some(d) = issues.take(parse_date("endDate", "End date", v)) {
                next.end_date = d;
            }
        }
        if let Some(v) = &input.capacity {
            if let Some(c) = issues.take(parse_capacity(v)) {
                next.capacity = c;
            }
        }
        if let Some(v) = &input.require_vetting {
            if let Some(on) = issues.take(parse_on_off("requireVetting", "Security vetting required", v)) {
                next.require_vetting = on;
            }
        }
        if next.end_date < next.start_date {
            issues.take::<()>(Err(Error::invalid(
                "endDate",
                format!("End date {} is before the start date {}", next.end_date, next.start_date),
            )));
        } else if next.day_count() > MAX_EVENT_DAYS {
            issues.take::<()>(Err(Error::invalid(
                "endDate",
                format!("The event would last {} days; the limit is {MAX_EVENT_DAYS}", next.day_count()),
            )));
        }
        issues.finish()?;
        let mut themes: Vec<String> = (1..=next.day_count())
            .map(|d| self.days.iter().find(|x| x.day == d).map(|x| x.theme.clone()).unwrap_or_default())
            .collect();
        let mut issues = Issues::default();
        for t in input.themes.iter().flatten() {
            if t.day == 0 || t.day > next.day_count() {
                issues.take::<()>(Err(Error::invalid(
                    "themes",
                    format!("Day {} is not a day of this event; it has {} days", t.day, next.day_count()),
                )));
            } else if let Some(v) = issues.take(clean(&THEME, &t.theme)) {
                themes[(t.day - 1) as usize] = v;
            }
        }
        issues.finish()?;
        let start = next.start_date;
        next.days = (1..)
            .zip(themes)
            .map(|(day, theme)| {
                // Within the years typed (at most MAX_EVENT_DAYS days on), so always a date.
                let date = day_date(start, day).ok_or_else(|| {
                    Error::invalid("startDate", format!("Day {day} after {start} is not a date"))
                })?;
                Ok(EventDay { day, date, theme })
            })
            .collect::<Result<_>>()?;
        Ok(next)
    }
}

/// "08:12": an RFC 3339 time at the venue (as stored when it cannot be read).
pub fn venue_time(event: &Event, rfc3339: &str) -> String {
    venue_format(event, rfc3339, "%H:%M")
}

/// An RFC 3339 time at the venue in chrono's `format` (as stored when it cannot be read).
pub fn venue_format(event: &Event, rfc3339: &str, format: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&event.tz()).format(format).to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The event day of `date` (1-based), if it is one.
pub fn day_of(event: &Event, date: NaiveDate) -> Option<u32> {
    event.days.iter().find(|d| d.date == date).map(|d| d.day)
}

/// Today's event day at the venue, if today is one.
pub fn today_of(event: &Event) -> Option<u32> {
    day_of(event, event.local_now().date_naive())
}
