//! The data model on the wire (camelCase), and the parsing of what people type into it.
//!
//! Raw input (`AttendeeInput`, `EventInput`) is a bag of optional strings, as it comes from a
//! form, a command line or a spreadsheet. It becomes a validated value (`AttendeeFields`,
//! `EventSettings`) only through the constructors here; storage accepts only validated values.

use crate::error::{Error, FieldIssue, Result};
use crate::text::{clean, TextRule};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of participant someone is; decides the badge colour and the roster grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// Member of an invited national or territorial delegation.
    Delegate,
    /// Member of one of the co-host nations' delegations.
    CoHost,
    /// Member of a regional institution (CDEMA, CARICOM IMPACS, RSS…).
    RegionalInstitution,
    /// Observer.
    Observer,
    /// Speaker or panellist.
    Speaker,
    /// Very important person (minister, head of delegation…).
    Vip,
    /// Press.
    Press,
    /// Conference staff.
    Staff,
}

impl Category {
    /// Every category, in the order forms list them.
    pub const ALL: [Category; 8] = [
        Category::Delegate,
        Category::CoHost,
        Category::RegionalInstitution,
        Category::Observer,
        Category::Speaker,
        Category::Vip,
        Category::Press,
        Category::Staff,
    ];

    /// The wire value (`coHost`).
    pub fn wire(self) -> &'static str {
        match self {
            Category::Delegate => "delegate",
            Category::CoHost => "coHost",
            Category::RegionalInstitution => "regionalInstitution",
            Category::Observer => "observer",
            Category::Speaker => "speaker",
            Category::Vip => "vip",
            Category::Press => "press",
            Category::Staff => "staff",
        }
    }

    /// The human label (`Co-host`).
    pub fn label(self) -> &'static str {
        match self {
            Category::Delegate => "Delegate",
            Category::CoHost => "Co-host",
            Category::RegionalInstitution => "Regional institution",
            Category::Observer => "Observer",
            Category::Speaker => "Speaker",
            Category::Vip => "VIP",
            Category::Press => "Press",
            Category::Staff => "Staff",
        }
    }

    /// Parse a category as people write it: the wire value or the label, any case, spaces,
    /// hyphens and underscores ignored ("Co-host", "co host", "coHost", "VIP").
    pub fn parse(s: &str) -> Result<Category> {
        let squeeze = |s: &str| -> String {
            s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
        };
        // Ticket names of registration tools: "Delegate ticket", "Press pass", "VIP badge".
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .filter(|w| !matches!(w.as_str(), "ticket" | "tickets" | "pass" | "badge" | "registration"))
            .collect();
        let keys = [squeeze(s), words.concat()];
        Category::ALL
            .into_iter()
            .find(|c| {
                let wire = c.wire().to_lowercase();
                let label = squeeze(c.label());
                keys.iter().any(|key| *key == wire || *key == label)
            })
            .ok_or_else(|| {
                let names: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
                Error::invalid(
                    "category",
                    format!("Unknown category \"{}\"; use one of: {}", s.trim(), names.join(", ")),
                )
            })
    }
}

/// A category as a form offers it: wire value and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryOption {
    /// The wire value (`coHost`).
    pub value: String,
    /// The label (`Co-host`).
    pub label: String,
}

impl Category {
    /// Every category as a form offers it, in form order.
    pub fn options() -> Vec<CategoryOption> {
        Category::ALL
            .iter()
            .map(|c| CategoryOption { value: c.wire().to_string(), label: c.label().to_string() })
            .collect()
    }
}

/// Where an attendee stands: `invited` → `registered` | `waitlisted` → `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// On the invite list, no seat held.
    Invited,
    /// Holds one of the event's seats.
    Registered,
    /// Wants a seat; waits in line, oldest first.
    Waitlisted,
    /// No longer coming; holds no seat and no place in line.
    Cancelled,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 4] = [Status::Invited, Status::Registered, Status::Waitlisted, Status::Cancelled];

    /// The wire value, also the value stored in the database.
    pub fn wire(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::Registered => "registered",
            Status::Waitlisted => "waitlisted",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parse a status, any case ("Registered", "waitlist" and "canceled" are accepted).
    pub fn parse(s: &str) -> Result<Status> {
        match s.trim().to_lowercase().as_str() {
            "invited" => Ok(Status::Invited),
            "registered" => Ok(Status::Registered),
            "waitlisted" | "waitlist" | "wait-listed" => Ok(Status::Waitlisted),
            "cancelled" | "canceled" => Ok(Status::Cancelled),
            _ => Err(Error::invalid(
                "status",
                format!(
                    "Unknown status \"{}\"; use one of: invited, registered, waitlisted, cancelled",
                    s.trim()
                ),
            )),
        }
    }
}

/// Parse which event days someone attends, as people write it: "1,2", "1 & 2", "Day 1",
/// "1-2", "both", "all". `day_count` is the number of days of the event; each day must lie
/// within it, and at least one is needed. The result is sorted and without repeats.
pub fn parse_days(raw: &str, day_count: u32) -> Result<Vec<u32>> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() {
        return Err(Error::invalid("days", "Choose at least one day"));
    }
    let bad = |why: String| Error::invalid("days", why);
    if s.chars().count() > MAX_DAYS_CHARS {
        return Err(bad(format!(
            "Days: {} characters is too long; write day numbers such as \"1,2\" or \"both\"",
            s.chars().count()
        )));
    }
    if s == "both" || s == "all" || s == "all days" || s == "both days" {
        return Ok((1..=day_count.min(MAX_EVENT_DAYS)).collect());
    }
    // Every number is checked against the event before any range is expanded, so that
    // "1-4294967295" is refused at once instead of asking for gigabytes.
    let out_of_event = |d: &str| {
        bad(format!(
            "Day {d} is not a day of this event; it has {day_count} day{} (1{})",
            if day_count == 1 { "" } else { "s" },
            if day_count > 1 { format!("–{day_count}") } else { String::new() }
        ))
    };
    let mut days = Vec::new();
    let mut rest = s.as_str();
    let mut pending_range_start: Option<u32> = None;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_ascii_digit() {
            let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            let digits = &rest[..end];
            let n = digits
                .parse::<u32>()
                .ok()
                .filter(|&n| n >= 1 && n <= day_count)
                .ok_or_else(|| out_of_event(&crate::text::shortened(digits, 12)))?;
            if let Some(start) = pending_range_start.take() {
                if n < start {
                    return Err(bad(format!(
                        "Days \"{}\": the range {start}-{n} runs backwards",
                        raw.trim()
                    )));
                }
                days.extend(start..=n);
            } else {
                days.push(n);
            }
            rest = &rest[end..];
        } else if c == '-' || c == '–' {
            let start = days
                .pop()
                .ok_or_else(|| bad(format!("Days \"{}\": a range needs a first day", raw.trim())))?;
            pending_range_start = Some(start);
            rest = &rest[c.len_utf8()..];
        } else if let Some(r) = rest.strip_prefix("day") {
            rest = r.strip_prefix('s').unwrap_or(r);
        } else if let Some(r) = rest.strip_prefix("and") {
            rest = r;
        } else if matches!(c, ',' | ';' | '&' | '+' | '/' | ' ') {
            rest = &rest[c.len_utf8()..];
        } else {
            return Err(bad(format!(
                "Days \"{}\" is not understood; write day numbers such as \"1,2\", \"Day 1\" or \"both\"",
                raw.trim()
            )));
        }
    }
    if pending_range_start.is_some() {
        return Err(bad(format!("Days \"{}\": the range has no last day", raw.trim())));
    }
    days.sort_unstable();
    days.dedup();
    if days.is_empty() {
        return Err(bad(format!("Days \"{}\" names no day", raw.trim())));
    }
    Ok(days)
}

/// The longest list of days accepted, in characters ("Day 1 & Day 2 & … & Day 31" fits).
pub const MAX_DAYS_CHARS: usize = 400;

/// Days as stored and as written back to people: "1,2".
pub fn days_to_string(days: &[u32]) -> String {
    days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

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
    let n: u64 = s.parse().map_err(|_| {
        Error::invalid("capacity", format!("Capacity \"{s}\" is not a whole number of seats"))
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

/// Collects the refused fields of one form so that the operator sees all of them at once.
#[derive(Default)]
struct Issues(Vec<FieldIssue>);

impl Issues {
    fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Validation { issues }) => {
                self.0.extend(issues);
                None
            }
            Err(other) => {
                self.0.push(FieldIssue { field: "internal".into(), message: other.to_string() });
                None
            }
        }
    }
    fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { issues: self.0 })
        }
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

/// An attendee as typed: every field optional. On registration a missing field is empty; on
/// an edit a missing field is left as it is and an empty one is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttendeeInput {
    /// Honorific or rank ("Lt. Col.", "H.E.", "Dr.").
    pub rank: Option<String>,
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name(s).
    pub family_name: Option<String>,
    /// Name to print on the badge instead of given + family.
    pub badge_name: Option<String>,
    /// Job title.
    pub position: Option<String>,
    /// Organisation.
    pub organization: Option<String>,
    /// Nation, territory, institution, or "Press".
    pub delegation: Option<String>,
    /// Category, wire value or label.
    pub category: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Days attending, as people write them ("1,2", "Day 1", "both"); absent on a
    /// registration means every day, empty is refused.
    pub days: Option<String>,
    /// Dietary requirements.
    pub dietary: Option<String>,
    /// Accessibility needs.
    pub accessibility: Option<String>,
    /// Free-text notes.
    pub notes: Option<String>,
}

/// The validated, normalized personal fields of an attendee (everything but id and status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeFields {
    /// Honorific or rank.
    pub rank: String,
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// Printed-name override, if any.
    pub badge_name: Option<String>,
    /// Job title.
    pub position: String,
    /// Organisation.
    pub organization: String,
    /// Nation, territory, institution, or "Press".
    pub delegation: String,
    /// Category.
    pub category: Category,
    /// E-mail address (may be empty).
    pub email: String,
    /// Phone number (may be empty).
    pub phone: String,
    /// Days attending, sorted, at least one.
    pub days: Vec<u32>,
    /// Dietary requirements.
    pub dietary: String,
    /// Accessibility needs.
    pub accessibility: String,
    /// Free-text notes.
    pub notes: String,
}

const fn rule(field: &'static str, label: &'static str, max_chars: usize, why: &'static str) -> TextRule {
    TextRule { field, label, max_chars, why, multiline: false }
}
const BADGE: &str = "it must fit on a badge";
const RANK: TextRule = rule("rank", "Rank or honorific", 40, BADGE);
const GIVEN: TextRule = rule("givenName", "Given name", 100, BADGE);
const FAMILY: TextRule = rule("familyName", "Family name", 100, BADGE);
const BADGE_NAME: TextRule = rule("badgeName", "Badge name", 100, BADGE);
const POSITION: TextRule = rule("position", "Position", 150, BADGE);
const ORGANIZATION: TextRule = rule("organization", "Organisation", 150, BADGE);
const DELEGATION: TextRule = rule("delegation", "Delegation", 100, BADGE);
const EMAIL: TextRule = rule("email", "Email", 254, "the longest address e-mail allows");
const PHONE: TextRule = rule("phone", "Phone", 40, "a phone number with extension fits in 40");
const DIETARY: TextRule = rule("dietary", "Dietary requirements", 300, "catering lists print it on one line");
const ACCESSIBILITY: TextRule =
    rule("accessibility", "Accessibility needs", 300, "protocol lists print it on one line");
const NOTES: TextRule = TextRule {
    field: "notes",
    label: "Notes",
    max_chars: 2000,
    why: "notes are for short remarks",
    multiline: true,
};

/// Check an e-mail address; empty is allowed (not everyone gives one).
pub fn check_email(v: &str) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    let fail = |why: &str| Err(Error::invalid("email", format!("Email \"{v}\" {why}")));
    if v.chars().any(char::is_whitespace) {
        return fail("contains a space");
    }
    let Some((local, domain)) = v.rsplit_once('@') else {
        return fail("has no @");
    };
    if local.is_empty() {
        return fail("has nothing before the @");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return fail("needs a domain such as example.org after the @");
    }
    if !email_address::EmailAddress::is_valid(v) {
        return fail("is not a valid e-mail address");
    }
    Ok(())
}

/// Check a phone number: digits with the usual separators (+ - ( ) . / and spaces), an
/// optional extension ("x12", "ext. 12"); empty is allowed.
pub fn check_phone(v: &str) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    let lower = v.to_lowercase();
    let (main, ext) = match lower.find(['x', 'e']) {
        Some(i) => {
            (&lower[..i], lower[i..].trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' '))
        }
        None => (lower.as_str(), ""),
    };
    let main_ok = main.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        && !main[1.min(main.len())..].contains('+');
    let ext_ok = ext.chars().all(|c| c.is_ascii_digit());
    let digits = main.chars().filter(char::is_ascii_digit).count();
    if !main_ok || !ext_ok {
        return Err(Error::invalid(
            "phone",
            format!(
                "Phone \"{v}\" may hold only digits, spaces, + - ( ) . / and an extension such as \"x12\""
            ),
        ));
    }
    if !(5..=20).contains(&digits) {
        return Err(Error::invalid(
            "phone",
            format!("Phone \"{v}\" has {digits} digits; a phone number has 5 to 20"),
        ));
    }
    Ok(())
}

impl AttendeeFields {
    /// Validate `input` laid over `base` (the stored attendee on an edit, nothing on a
    /// registration). Every refused field is reported at once.
    pub fn from_input(
        base: Option<&AttendeeFields>,
        input: &AttendeeInput,
        day_count: u32,
    ) -> Result<AttendeeFields> {
        let mut issues = Issues::default();
        let mut text = |rule: &TextRule, new: &Option<String>, old: Option<&str>| -> String {
            match new {
                Some(raw) => issues.take(clean(rule, raw)).unwrap_or_default(),
                None => old.unwrap_or_default().to_string(),
            }
        };
        let rank = text(&RANK, &input.rank, base.map(|b| b.rank.as_str()));
        let given_name = text(&GIVEN, &input.given_name, base.map(|b| b.given_name.as_str()));
        let family_name = text(&FAMILY, &input.family_name, base.map(|b| b.family_name.as_str()));
        let badge_name = text(&BADGE_NAME, &input.badge_name, base.and_then(|b| b.badge_name.as_deref()));
        let position = text(&POSITION, &input.position, base.map(|b| b.position.as_str()));
        let organization = text(&ORGANIZATION, &input.organization, base.map(|b| b.organization.as_str()));
        let delegation = text(&DELEGATION, &input.delegation, base.map(|b| b.delegation.as_str()));
        let email = text(&EMAIL, &input.email, base.map(|b| b.email.as_str()));
        let phone = text(&PHONE, &input.phone, base.map(|b| b.phone.as_str()));
        let dietary = text(&DIETARY, &input.dietary, base.map(|b| b.dietary.as_str()));
        let accessibility =
            text(&ACCESSIBILITY, &input.accessibility, base.map(|b| b.accessibility.as_str()));
        let notes = text(&NOTES, &input.notes, base.map(|b| b.notes.as_str()));
        if given_name.is_empty() && family_name.is_empty() {
            let msg = "Enter a given name or a family name (at least one)";
            issues.take::<()>(Err(Error::invalid("givenName", msg)));
        }
        issues.take(check_email(&email));
        issues.take(check_phone(&phone));
        let category = match (&input.category, base) {
            (Some(raw), _) if !raw.trim().is_empty() => issues.take(Category::parse(raw)),
            (Some(_), _) | (None, None) => {
                issues.take::<()>(Err(Error::invalid("category", "Choose a category")));
                None
            }
            (None, Some(b)) => Some(b.category),
        };
        let days = match (&input.days, base) {
            (Some(raw), _) => issues.take(parse_days(raw, day_count)),
            (None, Some(b)) => Some(b.days.clone()),
            (None, None) => Some((1..=day_count).collect()),
        };
        issues.finish()?;
        Ok(AttendeeFields {
            rank,
            given_name,
            family_name,
            badge_name: Some(badge_name).filter(|b| !b.is_empty()),
            position,
            organization,
            delegation,
            category: category.unwrap_or(Category::Delegate),
            email,
            phone,
            days: days.unwrap_or_default(),
            dietary,
            accessibility,
            notes,
        })
    }

    /// Given and family name as one string ("Hélène Dupré").
    pub fn full_name(&self) -> String {
        [self.given_name.as_str(), self.family_name.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The name as addressed at the desk: rank, then the full name ("Lt. Col. Hélène Dupré").
    pub fn display_name(&self) -> String {
        let name = self.full_name();
        if self.rank.is_empty() {
            name
        } else {
            format!("{} {name}", self.rank)
        }
    }
}

/// A stored attendee as the UI, the CLI and exports see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// Stable id, never reused.
    pub id: i64,
    /// The personal fields.
    #[serde(flatten)]
    pub fields: AttendeeFields,
    /// Rank and full name, as addressed at the desk.
    pub display_name: String,
    /// Where the attendee stands.
    pub status: Status,
    /// When the attendee last got a seat (UTC, RFC 3339), if registered.
    pub registered_at: Option<String>,
    /// Place in the waitlist, 1 = next to be promoted, if waitlisted.
    pub waitlist_position: Option<u32>,
    /// When the record was created (UTC, RFC 3339).
    pub created_at: String,
    /// When the record was last changed (UTC, RFC 3339).
    pub updated_at: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_by_label_and_wire_value() {
        for (s, c) in [
            ("Co-host", Category::CoHost),
            ("co host", Category::CoHost),
            ("coHost", Category::CoHost),
            ("Regional institution", Category::RegionalInstitution),
            ("regional_institution", Category::RegionalInstitution),
            ("VIP", Category::Vip),
            ("vip", Category::Vip),
            (" Press ", Category::Press),
            ("DELEGATE", Category::Delegate),
        ] {
            assert_eq!(Category::parse(s).unwrap(), c, "{s}");
        }
        let e = Category::parse("General").unwrap_err();
        assert_eq!(e.field(), Some("category"));
        assert!(e.to_string().contains("\"General\""));
    }

    #[test]
    fn days_as_people_write_them() {
        for (s, want) in [
            ("1,2", vec![1, 2]),
            ("1 & 2", vec![1, 2]),
            ("Day 1", vec![1]),
            ("day 2", vec![2]),
            ("both", vec![1, 2]),
            ("all", vec![1, 2]),
            ("2,1,2", vec![1, 2]),
            ("1-2", vec![1, 2]),
            ("Days 1 and 2", vec![1, 2]),
        ] {
            assert_eq!(parse_days(s, 2).unwrap(), want, "{s:?}");
        }
        for bad in ["", " ", "3", "0", "1,x", "2-1", "-", "tuesday"] {
            let e = parse_days(bad, 2).unwrap_err();
            assert_eq!(e.field(), Some("days"), "{bad}");
        }
        assert_eq!(
            parse_days("3", 2).unwrap_err().to_string(),
            "Day 3 is not a day of this event; it has 2 days (1–2)"
        );
    }

    fn input(given: &str, family: &str) -> AttendeeInput {
        AttendeeInput {
            given_name: Some(given.into()),
            family_name: Some(family.into()),
            category: Some("Delegate".into()),
            ..Default::default()
        }
    }

    #[test]
    fn attendee_validation_table() {
        let good: Vec<(&str, AttendeeInput)> = vec![
            ("given only", input("Hélène", "")),
            ("family only", input("", "Dupré")),
            ("email", AttendeeInput { email: Some("a.b+c@example.org".into()), ..input("A", "B") }),
            ("phone", AttendeeInput { phone: Some("+1-555-728-4925".into()), ..input("A", "B") }),
            ("phone ext", AttendeeInput { phone: Some("(876) 555 1234 ext. 12".into()), ..input("A", "B") }),
            ("notes multi-line", AttendeeInput { notes: Some("one\ntwo".into()), ..input("A", "B") }),
            (
                "category label",
                AttendeeInput { category: Some("Regional institution".into()), ..input("A", "B") },
            ),
        ];
        for (what, i) in good {
            assert!(AttendeeFields::from_input(None, &i, 2).is_ok(), "{what}");
        }
        let bad: Vec<(&str, AttendeeInput, &str)> = vec![
            ("no name", input(" ", ""), "givenName"),
            (
                "email no @",
                AttendeeInput { email: Some("jane.example.org".into()), ..input("A", "B") },
                "email",
            ),
            (
                "email no domain",
                AttendeeInput { email: Some("jane@localhost".into()), ..input("A", "B") },
                "email",
            ),
            (
                "email space",
                AttendeeInput { email: Some("ja ne@example.org".into()), ..input("A", "B") },
                "email",
            ),
            ("phone letters", AttendeeInput { phone: Some("call me".into()), ..input("A", "B") }, "phone"),
            ("phone short", AttendeeInput { phone: Some("12".into()), ..input("A", "B") }, "phone"),
            ("given too long", input(&"x".repeat(101), "B"), "givenName"),
            ("family control", input("A", "B\u{0}"), "familyName"),
            ("rank too long", AttendeeInput { rank: Some("r".repeat(41)), ..input("A", "B") }, "rank"),
            (
                "category unknown",
                AttendeeInput { category: Some("boss".into()), ..input("A", "B") },
                "category",
            ),
            ("category missing", AttendeeInput { category: None, ..input("A", "B") }, "category"),
            ("days", AttendeeInput { days: Some("5".into()), ..input("A", "B") }, "days"),
            (
                "delegation tab",
                AttendeeInput { delegation: Some("Ja\tmaica".into()), ..input("A", "B") },
                "delegation",
            ),
            ("notes too long", AttendeeInput { notes: Some("n".repeat(2001)), ..input("A", "B") }, "notes"),
        ];
        for (what, i, field) in bad {
            let e = AttendeeFields::from_input(None, &i, 2).unwrap_err();
            assert_eq!(e.field(), Some(field), "{what}: {e}");
        }
    }

    #[test]
    fn all_refused_fields_are_reported_together() {
        let i = AttendeeInput { email: Some("nope".into()), phone: Some("abc".into()), ..input("", "") };
        let Error::Validation { issues } = AttendeeFields::from_input(None, &i, 2).unwrap_err() else {
            panic!("not a validation error")
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["givenName", "email", "phone"]);
    }

    #[test]
    fn edit_keeps_what_is_not_given_and_clears_what_is_empty() {
        let base = AttendeeFields::from_input(
            None,
            &AttendeeInput {
                badge_name: Some("Lena".into()),
                email: Some("h@example.org".into()),
                ..input("Hélène", "Dupré")
            },
            2,
        )
        .unwrap();
        let edited = AttendeeFields::from_input(
            Some(&base),
            &AttendeeInput {
                badge_name: Some("".into()),
                family_name: Some("Dupré-Bâtard".into()),
                ..Default::default()
            },
            2,
        )
        .unwrap();
        assert_eq!(edited.given_name, "Hélène");
        assert_eq!(edited.family_name, "Dupré-Bâtard");
        assert_eq!(edited.badge_name, None);
        assert_eq!(edited.email, "h@example.org");
        assert_eq!(edited.days, vec![1, 2]);
    }

    #[test]
    fn event_settings_validation() {
        let ev = event();
        let e = ev
            .with_input(&EventInput { end_date: Some("2019-11-13".into()), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.field(), Some("endDate"));
        let e = ev
            .with_input(&EventInput { start_date: Some("14/11/2019".into()), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.field(), Some("startDate"));
        for bad in ["0", "100001", "-3", "ten", "1.5"] {
            let e =
                ev.with_input(&EventInput { capacity: Some(bad.into()), ..Default::default() }).unwrap_err();
            assert_eq!(e.field(), Some("capacity"), "{bad}");
        }
        let e = ev.with_input(&EventInput { name: Some("  ".into()), ..Default::default() }).unwrap_err();
        assert_eq!(e.field(), Some("name"));
        let next = ev
            .with_input(&EventInput {
                end_date: Some("2019-11-16".into()),
                themes: Some(vec![DayTheme { day: 3, theme: " Closing ".into() }]),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(next.days.len(), 3);
        assert_eq!(next.days[2].theme, "Closing");
        assert_eq!(next.days[2].date.to_string(), "2019-11-16");
    }

    /// The event of the examples: two days of November 2019 at a venue in New York.
    fn event() -> Event {
        Event {
            name: "E".into(),
            venue: "V".into(),
            start_date: NaiveDate::from_ymd_opt(2019, 11, 14).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2019, 11, 15).unwrap(),
            timezone: "America/New_York".into(),
            days: vec![],
            capacity: 100,
            demo: false,
        }
    }

    #[test]
    fn dates_typed_are_bounded_to_the_years_2000_to_2100() {
        let parse = |s: &str| parse_date("startDate", "Start date", s);
        for good in ["2000-01-01", "2100-12-31", "2000-02-29", "2024-02-29", "2096-02-29", " 2019-11-14 "] {
            assert_eq!(parse(good).unwrap().to_string(), good.trim(), "{good}");
        }
        for (bad, why) in [
            ("1999-12-31", "out of range"),
            ("2101-01-01", "out of range"),
            ("0000-01-01", "out of range"),
            ("-0001-12-31", "out of range"),
            ("9999-12-31", "out of range"),
            ("+10000-01-01", "out of range"),
            ("+262142-12-31", "out of range"),
            ("-262143-01-01", "out of range"),
            ("+262143-01-01", "not a valid date"),
            ("2100-02-29", "not a valid date"),
            ("2023-02-29", "not a valid date"),
            ("1900-02-29", "not a valid date"),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("startDate"), "{bad}");
            let text = e.to_string();
            assert!(text.contains(why) && text.contains(&format!("\"{bad}\"")), "{bad}: {text}");
            if why == "out of range" {
                assert!(text.contains("2000 to 2100"), "{text}");
            }
        }
        // An event at the last days there may be, and one typed past them: refused on both
        // dates, the event unchanged.
        let last = event()
            .with_input(&EventInput {
                start_date: Some("2100-12-01".into()),
                end_date: Some("2100-12-31".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((last.days.len(), last.days[30].date.to_string()), (31, "2100-12-31".to_string()));
        let e = event()
            .with_input(&EventInput {
                start_date: Some("+262142-12-30".into()),
                end_date: Some("+262142-12-31".into()),
                ..Default::default()
            })
            .unwrap_err();
        let Error::Validation { issues } = &e else { panic!("{e:?}") };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["startDate", "endDate"]);
        // The date of a day: checked at the end of the calendar, never a panic.
        assert_eq!(day_date(NaiveDate::MAX, 1), Some(NaiveDate::MAX));
        assert_eq!(day_date(NaiveDate::MAX, 2), None);
        assert_eq!(
            day_date(NaiveDate::from_ymd_opt(2100, 2, 28).unwrap(), 2).unwrap().to_string(),
            "2100-03-01"
        );
        assert_eq!(
            day_date(NaiveDate::from_ymd_opt(2096, 2, 28).unwrap(), 2).unwrap().to_string(),
            "2096-02-29"
        );
        assert_eq!(day_date(NaiveDate::MIN, 0), None);
    }
}
