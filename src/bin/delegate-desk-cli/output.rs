//! How the CLI prints what the core answers: JSON, an attendee, a card, allocations, an
//! import preview; and `--theme` parsing.

use delegate_desk::allocation::Allocations;
use delegate_desk::checkin::ArrivalCard;
use delegate_desk::import::ImportPreview;
use delegate_desk::model::DayTheme;
use delegate_desk::{Attendee, Error, Result};
use serde::Serialize;

/// A person's arrival card: name, status, check-ins, badge, what needs attention.
pub(crate) fn print_card(c: &ArrivalCard) {
    let a = &c.attendee;
    println!("#{}  {} — {} ({})", a.id, a.display_name, a.fields.delegation, status_word(a));
    if let Some(why) = &c.vetting {
        println!(
            "  ! {why}{}",
            if a.vetting.note.is_empty() { String::new() } else { format!(" — {}", a.vetting.note) }
        );
    }
    for x in &c.attention {
        println!("  ! {}", x.text);
    }
    for ci in &c.history {
        let undone = match (&ci.undone_by, &ci.undo_reason) {
            (Some(by), Some(why)) => format!(" — undone by {by}: {why}"),
            _ => String::new(),
        };
        println!(
            "  day {} checked in {} by {} ({}, {}){undone}",
            ci.day, ci.local_time, ci.operator, ci.desk, ci.method
        );
    }
    if let Some(d) = &c.door {
        let state = match (&d.refusal, &d.checkin) {
            (Some(why), _) => format!("refused: {why}"),
            (None, Some(ci)) => format!("in since {} ({}, {})", ci.local_time, ci.operator, ci.desk),
            (None, None) => "may enter".to_string(),
        };
        println!("  session #{} “{}” (day {}, {}–{}): {state}", d.session_id, d.title, d.day, d.start, d.end);
    }
}

pub(crate) fn print_json(v: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub(crate) fn status_word(a: &Attendee) -> String {
    match a.waitlist_position {
        Some(p) => format!("waitlisted #{p}"),
        None => a.status.wire().to_string(),
    }
}

pub(crate) fn print_attendee(a: &Attendee) {
    let f = &a.fields;
    let days: Vec<String> = f.days.iter().map(u32::to_string).collect();
    let lines = [
        ("Id", a.id.to_string()),
        ("Name", a.display_name.clone()),
        ("Badge name", f.badge_name.clone().unwrap_or_default()),
        ("Position", f.position.clone()),
        ("Organisation", f.organization.clone()),
        ("Delegation", f.delegation.clone()),
        ("Category", f.category.label().to_string()),
        ("Email", f.email.clone()),
        ("Phone", f.phone.clone()),
        ("Days", days.join(",")),
        ("Dietary", f.dietary.clone()),
        ("Accessibility", f.accessibility.clone()),
        ("Notes", f.notes.clone()),
        ("Head of deleg.", if f.head_of_delegation { "yes".into() } else { String::new() }),
        ("Protocol", if f.notifies_protocol() { "notified on arrival".into() } else { String::new() }),
        ("Status", status_word(a)),
        ("Registered at", a.registered_at.clone().unwrap_or_default()),
    ];
    for (k, v) in lines.iter().filter(|(_, v)| !v.is_empty()) {
        println!("{k:<14} {v}");
    }
    print_vetting(a);
}

/// "Vetting  cleared — note (by Ana, Desk 1, 2019-11-13T…)".
pub(crate) fn print_vetting(a: &Attendee) {
    let v = &a.vetting;
    let note = if v.note.is_empty() { String::new() } else { format!(" — {}", v.note) };
    let by = match (&v.by, &v.desk, &v.at) {
        (Some(by), Some(desk), Some(at)) => format!(" (set by {by}, {desk}, {at})"),
        _ => String::new(),
    };
    println!("{:<14} {}{note}{by}", "Vetting", v.state.wire());
}

pub(crate) fn print_allocations(a: &Allocations) {
    println!("Beyond an allocation: {}", a.policy.wire());
    for x in &a.allocations {
        println!("  {:<32} {} of {} seats registered", x.delegation, x.registered, x.seats);
    }
    println!(
        "  {:<32} {} of {} seats registered",
        "(no allocation)", a.unallocated_registered, a.unallocated_seats
    );
}

/// `s` as it may be written to a terminal: a control character (an escape sequence in a
/// file's header or cell, which a terminal would obey: a new title, a cleared screen, moved
/// text) is written as `\u{1b}`; line ends and tabs stay.
pub(crate) fn terminal(s: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| !c.is_control() || c == '\n' || c == '\t';
    if s.chars().all(plain) {
        return s.into();
    }
    s.chars()
        .map(|c| if plain(c) { c.to_string() } else { format!("\\u{{{:x}}}", u32::from(c)) })
        .collect::<String>()
        .into()
}

pub(crate) fn print_preview(p: &ImportPreview) {
    println!(
        "Read {} rows ({}, {}-separated): {} new, {} already present, {} changed, {} invalid",
        p.rows, p.encoding, p.separator, p.new, p.present, p.changed, p.invalid
    );
    for c in p.columns.iter().filter(|c| c.source == "manual" || c.source == "remembered") {
        println!(
            "Column \"{}\" read as {} ({})",
            terminal(&c.header),
            c.field.unwrap_or("not used"),
            c.source
        );
    }
    if !p.unknown_columns.is_empty() {
        println!("Columns not used: {}", terminal(&p.unknown_columns.join(", ")));
    }
    if let Some(c) = p.default_category {
        println!("{} row(s) without a category are {}", p.defaulted, c.label());
    }
    for e in &p.errors {
        println!("  line {}: {} ({})", e.line, terminal(&e.message), e.field);
    }
    for c in &p.changes {
        let what: Vec<String> = c
            .changes
            .iter()
            .map(|f| format!("{}: \"{}\" → \"{}\"", f.field, terminal(&f.before), terminal(&f.after)))
            .collect();
        println!("  line {}: #{} {} — {}", c.line, c.attendee_id, c.display_name, what.join("; "));
    }
    // A refusal forecast is the dry run's error, said once on stderr.
    if let Some(f) = p.forecast.as_ref().filter(|f| f.refused.is_none()) {
        println!("{}", f.message);
    }
}

pub(crate) fn parse_themes(raw: &[String]) -> Result<Option<Vec<DayTheme>>> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.iter()
        .map(|t| {
            let (d, theme) = t.split_once('=').ok_or_else(|| {
                Error::invalid(
                    "themes",
                    format!("Theme \"{t}\" must be written DAY=THEME, e.g. \"1=Disaster response\""),
                )
            })?;
            let day = d.trim().parse().map_err(|_| {
                Error::invalid("themes", format!("Theme \"{t}\": \"{}\" is not a day number", d.trim()))
            })?;
            Ok(DayTheme { day, theme: theme.to_string() })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
