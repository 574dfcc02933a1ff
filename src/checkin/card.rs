//! A person's card at the desk: who they are, their check-ins, their badge, their door, what
//! holds them back (security vetting) and what needs the operator's attention.

use super::door::door_of;
use super::{in_force_of, ArrivalCard, Attention, BadgePrint, CheckIn};
use crate::error::Result;
use crate::model::{access_words, Attendee, Category, Event, Session, Status};
use crate::store::db::Db;
use crate::store::records::{current_badge, history_of, load_attendee, load_sessions};

/// What needs attention about `a` on `day`; `access` is where they may go that day, in words
/// ([`access_words`]; empty without a programme).
fn attention(a: &Attendee, day: Option<u32>, badge: Option<&BadgePrint>, access: &str) -> Vec<Attention> {
    let f = &a.fields;
    let mut out = Vec::new();
    let mut push = |kind: &str, text: String| out.push(Attention { kind: kind.to_string(), text });
    match f.category {
        Category::Vip => push("vip", "VIP — escort and notify protocol".to_string()),
        Category::Speaker => push("speaker", "Speaker — notify the programme team".to_string()),
        Category::Press => push(
            "press",
            match access {
                "" => "Press — hand the press pack".to_string(),
                w if w.starts_with("Press — ") => format!("{w}; hand the press pack"),
                w => format!("Press — {w}; hand the press pack"),
            },
        ),
        _ => {}
    }
    if !f.accessibility.is_empty() {
        push("accessibility", format!("Accessibility: {}", f.accessibility));
    }
    if !f.dietary.is_empty() {
        push("dietary", format!("Dietary: {}", f.dietary));
    }
    if !f.notes.is_empty() {
        push("notes", format!("Note: {}", f.notes));
    }
    if let Some(d) = day {
        if !f.days.contains(&d) {
            let theirs: Vec<String> = f.days.iter().map(u32::to_string).collect();
            push("otherDay", format!("Not down for day {d} (registered for day {})", theirs.join(" and ")));
        }
    }
    if a.status == Status::Registered {
        match badge {
            None => push("badge", "No badge printed yet".to_string()),
            Some(b) if b.version > 1 => push("badge", format!("Badge version {} ({})", b.version, b.reason)),
            Some(_) => {}
        }
    }
    out
}

pub(super) fn card(
    db: &Db,
    event: &Event,
    id: i64,
    day: Option<u32>,
    at: Option<&Session>,
) -> Result<ArrivalCard> {
    let attendee = load_attendee(db, id)?;
    let door = at.map(|s| door_of(db, event, s, &attendee)).transpose()?;
    let history = history_of(db, event, id)?;
    let badge = current_badge(db, id)?;
    let no_seat = if attendee.status == Status::Invited {
        crate::seats::no_seat_now(db, event, &attendee.fields.delegation)?
    } else {
        None
    };
    // Where they may go that day, for the press line.
    let access = match day {
        Some(d) if attendee.fields.category == Category::Press => {
            access_words(&load_sessions(db, Some(d))?, &attendee)
        }
        _ => String::new(),
    };
    Ok(ArrivalCard { no_seat, door, ..card_of(event, attendee, history, badge, day, &access) })
}

/// A person's card from what is known of them (read now, or as last read) at `event`;
/// `access` is where they may go that day, in words (empty when not known).
pub(crate) fn card_of(
    event: &Event,
    attendee: Attendee,
    history: Vec<CheckIn>,
    badge: Option<BadgePrint>,
    day: Option<u32>,
    access: &str,
) -> ArrivalCard {
    let checkin = day.and_then(|d| in_force_of(&history, d));
    let attention = attention(&attendee, day, badge.as_ref(), access);
    let vetting = held_back(event, &attendee);
    ArrivalCard {
        attendee,
        day,
        checkin,
        history,
        badge,
        attention,
        no_seat: None,
        door: None,
        vetting,
        read_at: None,
    }
}

/// Why `a` is not checked in at `event` for security vetting (required, and theirs not
/// cleared); `None` when nothing holds them back.
pub(super) fn held_back(event: &Event, a: &Attendee) -> Option<String> {
    event.require_vetting.then(|| a.vetting.refusal()).flatten()
}
