//! The data model on the wire (camelCase), and the parsing of what people type into it.
//!
//! Raw input (`AttendeeInput`, `EventInput`) is a bag of optional strings, as it comes from a
//! form, a command line or a spreadsheet. It becomes a validated value (`AttendeeFields`,
//! `EventSettings`) only through the constructors here; storage accepts only validated values.

mod attendee;
mod event;
mod session;

pub use attendee::*;
pub use event::*;
pub use session::*;

use crate::error::{Error, FieldIssue, Result};
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
                    format!(
                        "Unknown category \"{}\"; use one of: {}",
                        crate::text::shortened(s.trim(), 60),
                        names.join(", ")
                    ),
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
                    crate::text::shortened(s.trim(), 40)
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

/// How one field of a form, saved after another desk may have saved the same record, is taken
/// ([`EventInput::since_loaded`], [`AttendeeInput::since_loaded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SinceLoaded {
    /// Typed as loaded, or so that it means the same: left as stored now.
    Unchanged,
    /// Changed in the form and not elsewhere, or elsewhere to what was typed: taken.
    Take,
    /// Changed in the form and, to another value, elsewhere since the form was filled.
    Conflict,
}

/// Judges one field: `typed` and `loaded` as written in the form, `read` one of them (or the
/// field not given) as today's rules store it (`None` when they refuse it), `now` the stored
/// value as a form can show it and `now_written` as the form writes it. A loaded value the
/// rules refuse is compared as written.
pub(crate) fn since_loaded<T: PartialEq>(
    typed: Option<&str>,
    loaded: Option<&str>,
    read: impl Fn(Option<&str>) -> Option<T>,
    now: &T,
    now_written: impl FnOnce() -> String,
) -> SinceLoaded {
    let Some(typed) = typed.filter(|t| loaded != Some(*t)) else { return SinceLoaded::Unchanged };
    let at_load = read(loaded);
    let want = read(Some(typed));
    if at_load.is_some() && at_load == want {
        return SinceLoaded::Unchanged;
    }
    let moved = match &at_load {
        Some(was) => was != now,
        None => loaded != Some(now_written().as_str()),
    };
    if moved && want.as_ref() != Some(now) {
        SinceLoaded::Conflict
    } else {
        SinceLoaded::Take
    }
}

/// One form's fields as [`since_loaded`] judged them, one after another: the fields it
/// changed (by their names on the wire) and, among them, the conflicts, each named with its
/// stored value ("the capacity (now 110)").
#[derive(Default)]
pub(crate) struct Judged {
    conflicts: Vec<String>,
    typed: Vec<String>,
}

impl Judged {
    /// Notes the `verdict` on field `name` (`label` names it with its stored value, asked for a
    /// conflict only); whether the field is taken from the form.
    pub(crate) fn take(
        &mut self,
        verdict: SinceLoaded,
        name: String,
        label: impl FnOnce() -> String,
    ) -> bool {
        if verdict == SinceLoaded::Conflict {
            self.conflicts.push(label());
        }
        if verdict != SinceLoaded::Unchanged {
            self.typed.push(name);
        }
        verdict != SinceLoaded::Unchanged
    }

    /// The refusal of the form's save if any field was a conflict ([`Error::Stale`]): `since`
    /// says since when ("this form was filled").
    pub(crate) fn check(self, since: &str) -> Result<()> {
        let Judged { conflicts, typed } = self;
        if conflicts.is_empty() {
            return Ok(());
        }
        Err(Error::Stale {
            message: format!(
                "Changed at another desk since {since}: {}. Nothing was saved; what you typed is kept — save again to replace {}",
                conflicts.join(", "),
                if conflicts.len() == 1 { "it" } else { "them" }
            ),
            typed,
        })
    }
}

/// A text field's stored value as a stale refusal names it: quoted and shortened, or "empty".
pub(crate) fn named_text(s: &str) -> String {
    if s.is_empty() {
        "empty".to_string()
    } else {
        format!("“{}”", crate::text::shortened(s, 40))
    }
}

/// A field's name on the wire (camelCase) from its name in Rust: `given_name` is `givenName`.
pub(crate) fn wire_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::event::*;
    use super::*;
    use chrono::NaiveDate;

    /// The names a stale refusal gives the window are the keys of the inputs on the wire.
    #[test]
    fn a_fields_wire_name_is_its_key_in_the_input() {
        let keys = |v: serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let attendee = keys(serde_json::to_value(AttendeeInput::default()).unwrap());
        for f in ["given_name", "head_of_delegation", "notify_protocol", "days", "badge_name"] {
            assert!(attendee.contains(&wire_name(f)), "{f}: {attendee:?}");
        }
        let event = keys(serde_json::to_value(EventInput::default()).unwrap());
        for f in ["start_date", "end_date", "require_vetting", "capacity", "timezone"] {
            assert!(event.contains(&wire_name(f)), "{f}: {event:?}");
        }
        assert_eq!(wire_name("a_b_c"), "aBC");
    }

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
            require_vetting: false,
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

    #[test]
    fn vetting_states_flags_and_the_order_of_precedence() {
        for (s, want) in [
            ("cleared", VettingState::Cleared),
            (" Clear ", VettingState::Cleared),
            ("VETTED", VettingState::Cleared),
            ("pending", VettingState::Pending),
            ("denied", VettingState::Refused),
        ] {
            assert_eq!(VettingState::parse(s).unwrap(), want, "{s}");
        }
        let e = VettingState::parse("maybe").unwrap_err();
        assert_eq!(e.field(), Some("vetting"));
        assert!(e.to_string().contains("\"maybe\""));
        // Only cleared lets a person in while vetting is required.
        let v = |state| Vetting { state, ..Default::default() };
        assert_eq!(v(VettingState::Cleared).refusal(), None);
        assert_eq!(v(VettingState::Pending).refusal().as_deref(), Some("Security vetting pending"));
        assert_eq!(v(VettingState::Refused).refusal().as_deref(), Some("Security vetting refused"));
        for (raw, want) in [("yes", true), ("X", true), ("1", true), ("No", false), ("0", false)] {
            assert_eq!(parse_yes_no("headOfDelegation", "Head of delegation", raw).unwrap(), want, "{raw}");
        }
        let e = parse_yes_no("notifyProtocol", "Notify protocol", "perhaps").unwrap_err();
        assert_eq!(e.field(), Some("notifyProtocol"));
        assert!(parse_on_off("requireVetting", "Security vetting required", "sometimes").is_err());
        // Heads first, then by delegation (accents and case ignored, none last), then as recorded.
        let person = |id: i64, delegation: &str, head: bool| {
            let input = AttendeeInput {
                given_name: Some(format!("P{id}")),
                delegation: Some(delegation.into()),
                category: Some("delegate".into()),
                head_of_delegation: Some(if head { "yes" } else { "no" }.into()),
                ..Default::default()
            };
            let fields = AttendeeFields::from_input(None, &input, 2).unwrap();
            Attendee {
                id,
                display_name: fields.display_name(),
                fields,
                status: Status::Registered,
                registered_at: None,
                waitlist_position: None,
                created_at: String::new(),
                updated_at: String::new(),
                vetting: Vetting::default(),
            }
        };
        let mut people = [
            person(1, "", false),
            person(2, "belize", false),
            person(3, "Barbados", false),
            person(4, "Belize", true),
            person(5, "Anguilla", false),
            person(6, "Ántigua", true),
        ];
        people.sort_by_key(precedence);
        let ids: Vec<i64> = people.iter().map(|a| a.id).collect();
        assert_eq!(ids, [6, 4, 5, 3, 2, 1]);
    }
}
