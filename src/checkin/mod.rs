//! Arrival at the desk: check-in per event day, undo with a reason, badge scans and the one
//! key that does the right thing for the person found.
//!
//! A check-in names the person, the event day, the time, the operator and the desk; at most
//! one is in force per person and day (a unique index is the backstop). A second check-in the
//! same day is not an error: the desk is told when and by whom the first was made. An undo
//! keeps the row and records who undid it and why. Every change here is one `BEGIN IMMEDIATE`
//! transaction with its audit row, so two desks checking in the same person at once give one
//! check-in and one "already checked in".
//!
//! A badge's QR code carries a random token ([`crate::token`]) stored with its print; only the
//! newest print of a person is valid, so a lost badge stops working when it is reprinted.
//!
//! At the door of a session ([`door`]) the same flow admits or refuses: who may enter is
//! judged before anything else, and an admission counts as the day's check-in too.

mod card;
mod door;
mod last_read;
mod unvetted;

pub(crate) use card::card_of;
use card::{card, held_back};

use door::admit_in;
pub use door::{Attendance, Door, SessionCheckIn};

use crate::desk::Operator;
use crate::error::{Error, Result};
pub use crate::model::{day_of, today_of, venue_format, venue_time};
use crate::model::{Attendee, Event, Status};
use crate::params;
use crate::registration::reinstate_in;
use crate::store::db::{Db, Tx};
use crate::store::records::{audit, load_attendee, load_event, load_session, now, open_notice};
pub(crate) use crate::store::records::{checkin_from_row, current_badge, CHECKIN_SELECT};
pub use crate::store::records::{BadgePrint, CheckIn};
use crate::text::{clean, TextRule};
use crate::token::{recognise, Typed};
use crate::Desk;
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a check-in was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Method {
    /// Found by name (window or CLI).
    Desk,
    /// Their badge was scanned.
    Scan,
}

impl Method {
    fn wire(self) -> &'static str {
        match self {
            Method::Desk => "desk",
            Method::Scan => "scan",
        }
    }
}

/// Something the desk should act on when a person arrives: escort a VIP, tell protocol a
/// speaker is here, a wheelchair, a meal, a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attention {
    /// `vip`, `speaker`, `press`, `accessibility`, `dietary`, `notes`, `otherDay`, `badge`:
    /// the window colours each kind.
    pub kind: String,
    /// What to tell the operator.
    pub text: String,
}

/// What the desk shows about a person: who they are, their check-ins, their badge and what
/// needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArrivalCard {
    /// The person.
    pub attendee: Attendee,
    /// The event day the desk is checking in for, if any.
    pub day: Option<u32>,
    /// Their check-in in force for that day.
    pub checkin: Option<CheckIn>,
    /// Every check-in of theirs, every day, undone ones too, oldest first.
    pub history: Vec<CheckIn>,
    /// Their current badge (the newest print), if one was printed.
    pub badge: Option<BadgePrint>,
    /// What needs the operator's attention, most important first.
    pub attention: Vec<Attention>,
    /// For an invited person: why they would get no seat now (the desk then offers the
    /// waitlist, not a registration that would be refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_seat: Option<String>,
    /// At a session's door: the session, whether they may enter and their admission to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub door: Option<Door>,
    /// While security vetting is required and theirs is not cleared: why they are not
    /// checked in ("Security vetting pending"), in red on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vetting: Option<String>,
    /// Set when the database server cannot be reached: the card is as this desk last read
    /// it, at this time (RFC 3339), and nothing can be changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
}

/// What happened at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Arrival {
    /// Checked in now.
    CheckedIn,
    /// Was already checked in for the day: nothing written.
    AlreadyCheckedIn,
    /// Was invited: registered (a seat) and checked in now.
    RegisteredAndCheckedIn,
    /// Was invited, and no seat can be given now: nothing written; the waitlist is offered.
    NoSeat,
    /// Is waiting for a seat: nothing written.
    Waitlisted,
    /// Cancelled: nothing written; reinstating is offered.
    Cancelled,
    /// A replaced badge was scanned: nothing written.
    ReplacedBadge,
    /// The check-in was undone.
    Undone,
    /// Admitted to a session at its door now (and checked in for its day if they were not).
    Admitted,
    /// Refused at a session's door (the message says why): nothing written.
    Refused,
}

/// The result of an action at the arrival desk: what happened, one line for the operator and
/// the person's card as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArrivalOutcome {
    /// What happened.
    pub result: Arrival,
    /// One line for the operator.
    pub message: String,
    /// The person now.
    pub card: ArrivalCard,
}

/// One person found at the desk, with their check-in for the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Found {
    /// The person.
    pub attendee: Attendee,
    /// Their check-in in force for the day asked, if any.
    pub checkin: Option<CheckIn>,
    /// Set when the database server cannot be reached: found in the roster as this desk last
    /// read it, at this time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
}

/// A check-in with whom it is for, for the list of recent arrivals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arrived {
    /// The check-in.
    pub checkin: CheckIn,
    /// The person's name as shown.
    pub display_name: String,
    /// Their delegation.
    pub delegation: String,
}

/// The day the desk is checking in for, as shown at the top of the arrival view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArrivalDay {
    /// Today's event day, if today (at the venue) is one.
    pub today: Option<u32>,
    /// Today's date at the venue.
    pub date: NaiveDate,
    /// The event's days.
    pub days: u32,
}

const REASON: TextRule = TextRule {
    field: "reason",
    label: "Reason",
    max_chars: 200,
    why: "a short explanation kept in the check-in history",
    multiline: false,
};

/// The day a card or a search shows check-ins for: `day` when given (checked against the
/// event), else today's event day if there is one.
pub(crate) fn day_or_today(event: &Event, day: Option<u32>) -> Result<Option<u32>> {
    match day {
        Some(d) => resolve_day(event, Some(d)).map(Some),
        None => Ok(today_of(event)),
    }
}

/// The day to check in for: `day` when given (checked against the event), else today at the
/// venue, refused when today is not a day of the event.
fn resolve_day(event: &Event, day: Option<u32>) -> Result<u32> {
    let count = event.day_count();
    match day {
        Some(d) if (1..=count).contains(&d) => Ok(d),
        Some(d) => Err(Error::invalid(
            "day",
            format!(
                "Day {d} is not a day of the event: it has {count} day{}",
                if count == 1 { "" } else { "s" }
            ),
        )),
        None => {
            let today = event.local_now().date_naive();
            day_of(event, today).ok_or_else(|| {
                Error::invalid(
                    "day",
                    format!(
                        "Today ({} at the venue) is not a day of the event ({} to {}); name the day to check in for",
                        today.format("%-d %b %Y"),
                        event.start_date.format("%-d %b %Y"),
                        event.end_date.format("%-d %b %Y")
                    ),
                )
            })
        }
    }
}

fn in_force(db: &Db, event: &Event, id: i64, day: u32) -> Result<Option<CheckIn>> {
    db.query_opt(
        &format!("{CHECKIN_SELECT} WHERE attendee_id = ?1 AND day = ?2 AND undone_at IS NULL"),
        params![id, day],
        checkin_from_row(event),
    )
}

/// The check-in in force for `day` among `history`.
pub(crate) fn in_force_of(history: &[CheckIn], day: u32) -> Option<CheckIn> {
    history.iter().find(|c| c.day == day && c.undone_at.is_none()).cloned()
}

/// "today" when `day` is today's event day, else "for day 2".
fn which_day(event: &Event, day: u32) -> String {
    if today_of(event) == Some(day) {
        "today".to_string()
    } else {
        format!("for day {day}")
    }
}

fn already(event: &Event, a: &Attendee, c: &CheckIn) -> String {
    // A check-in made on another date (a scan tried the evening before, for day 1) says on
    // which: "at 18:30" alone would read as today.
    let at = chrono::DateTime::parse_from_rfc3339(&c.at).map(|t| t.with_timezone(&event.tz()));
    let when = match at {
        Ok(t) if t.date_naive() != event.local_now().date_naive() => {
            format!("{} on {}", c.local_time, t.format("%-d %b %Y"))
        }
        _ => c.local_time.clone(),
    };
    format!(
        "{} is already checked in {} at {when} by {} ({})",
        a.display_name,
        which_day(event, c.day),
        c.operator,
        c.desk
    )
}

/// Check `a` (registered) in for `day` inside `tx` (at the door of the session titled `door`,
/// if any): the check-in in force, and whether it was made now. A new check-in of a VIP or of
/// a person flagged for protocol opens a protocol notice in the same transaction.
fn check_in_in(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    a: &Attendee,
    day: u32,
    method: Method,
    door: Option<&str>,
) -> Result<(CheckIn, bool)> {
    if let Some(c) = in_force(tx, event, a.id, day)? {
        return Ok((c, false));
    }
    tx.execute(
        "INSERT INTO checkin (attendee_id, day, at, operator, desk, method) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![a.id, day, now(), operator.name, operator.desk, method.wire()],
    )?;
    let c = in_force(tx, event, a.id, day)?
        .ok_or_else(|| Error::Internal("a check-in just written cannot be read".into()))?;
    let record = serde_json::json!({"day": day, "method": method.wire(), "checkinId": c.id});
    audit(tx, operator, "checkin", Some(a.id), None::<&()>, Some(&record))?;
    if a.fields.notifies_protocol() {
        open_notice(tx, operator, a, c.id, door)?;
    }
    Ok((c, true))
}

impl Desk {
    /// Today's event day at the venue (if today is one), today's date and the number of days.
    /// When the database server cannot be reached, the event as this desk last read it.
    pub fn arrival_day(&self) -> Result<ArrivalDay> {
        let event = self.event_or_last_read(load_event(&self.db))?;
        let date = event.local_now().date_naive();
        Ok(ArrivalDay { today: day_of(&event, date), date, days: event.day_count() })
    }

    /// A person's card for the arrival desk: check-ins, badge, what needs attention. `day`:
    /// the day the desk checks in for (today's event day when `None`, if there is one).
    ///
    /// When the database server cannot be reached, the card is the one this desk last read,
    /// marked with the time (`read_at`).
    pub fn arrival_card(&self, id: i64, day: Option<u32>) -> Result<ArrivalCard> {
        let live = load_event(&self.db).and_then(|event| {
            let day = day_or_today(&event, day)?;
            card(&self.db, &event, id, day, None)
        });
        self.card_or_last_read(live, id, day)
    }

    /// The people matching `query` ([`Desk::search`]), each with their check-in in force for
    /// `day` (today's event day when `None`, if there is one).
    ///
    /// When the database server cannot be reached, the people are found in the roster as this
    /// desk last read it, each marked with the time (`read_at`).
    pub fn find(&self, query: &str, limit: usize, day: Option<u32>) -> Result<Vec<Found>> {
        let live = self.find_live(query, limit, day);
        self.find_or_last_read(live, query, limit, day)
    }

    fn find_live(&self, query: &str, limit: usize, day: Option<u32>) -> Result<Vec<Found>> {
        let ids = self.search_ids(query, limit)?;
        let event = load_event(&self.db)?;
        let day = day_or_today(&event, day)?;
        ids.into_iter()
            .map(|id| {
                let attendee = load_attendee(&self.db, id)?;
                let checkin = match day {
                    Some(d) => in_force(&self.db, &event, id, d)?,
                    None => None,
                };
                Ok(Found { attendee, checkin, read_at: None })
            })
            .collect()
    }

    /// Check a registered person in for `day` (today's event day when `None`). A second
    /// check-in the same day writes nothing and says when and by whom the first was made.
    /// Anyone not registered is refused, naming what they are.
    pub fn check_in(&mut self, id: i64, day: Option<u32>) -> Result<ArrivalOutcome> {
        self.arrive_as(id, day, Method::Desk, false)
    }

    /// The one key of the arrival desk for the person found: a registered person is checked
    /// in; an invited one registered and checked in when a seat can be given now (otherwise
    /// nothing is written and the outcome says the event is full); a waitlisted or cancelled
    /// one is told what they are and what can be done, and nothing is written.
    pub fn arrive(&mut self, id: i64, day: Option<u32>) -> Result<ArrivalOutcome> {
        self.arrive_as(id, day, Method::Desk, true)
    }

    fn arrive_as(
        &mut self,
        id: i64,
        day: Option<u32>,
        method: Method,
        register: bool,
    ) -> Result<ArrivalOutcome> {
        self.arrive_who(Who::Id(id), day, None, method, register, None)
    }

    /// The arrival of `who` in one IMMEDIATE transaction: a badge's token is looked up and
    /// checked against the newest print inside it, so a reprint committed meanwhile by another
    /// desk is seen before anyone is checked in. At a session (`session`), its day is the day
    /// and who may enter is judged first: a refusal writes nothing, whatever their status.
    /// While security vetting is required, a person not cleared is refused first, at the desk
    /// and at every door, unless `unvetted` carries the coordinator's reason to admit them
    /// once (the caller has asked for the PIN); that admission is in the audit.
    fn arrive_who(
        &mut self,
        who: Who,
        day: Option<u32>,
        session: Option<i64>,
        method: Method,
        register: bool,
        unvetted: Option<&str>,
    ) -> Result<ArrivalOutcome> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let at = session.map(|id| load_session(&tx, id)).transpose()?;
        let day = at.as_ref().map(|s| s.day).or(day);
        let id = match who {
            Who::Id(id) => id,
            Who::Token(token) => {
                let printed: Option<(i64, u32)> = tx.query_opt(
                    "SELECT attendee_id, version FROM badge_print WHERE token = ?1",
                    params![&token],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                // A badge of a print job not settled yet (the printer was out of paper, or
                // slower than the desk waited): it is in the hand of the one who scans it, so it
                // came out. It is theirs if no newer badge of theirs was printed since.
                let on_its_way = || -> Result<Option<(i64, u32)>> {
                    tx.query_opt(
                        "SELECT b.attendee_id, b.version FROM print_job_badge b JOIN print_job j ON j.id = b.job_id
                          WHERE b.token = ?1 AND j.state IN ('sending', 'waiting')",
                        params![&token],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                };
                let Some((id, version)) = printed.map_or_else(on_its_way, |p| Ok(Some(p)))? else {
                    return Err(Error::NotFound(
                        "Not a badge of this event: no badge printed here carries this code".into(),
                    ));
                };
                // A reprint on its way replaces this badge already (a lost badge must not go on
                // checking its finder in until the printer is seen to finish).
                let newer: Option<(u32, String, String, String)> = tx.query_opt(
                    "SELECT b.version, b.reason, j.printer, j.at FROM print_job_badge b JOIN print_job j ON j.id = b.job_id
                      WHERE b.attendee_id = ?1 AND b.version > ?2 AND j.state IN ('sending', 'waiting')
                      ORDER BY b.version DESC LIMIT 1",
                    params![id, version],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                if let Some((newer, reason, printer, sent)) = newer {
                    let day = day_or_today(&event, day)?;
                    let card = card(&tx, &event, id, day, at.as_ref())?;
                    drop(tx);
                    let message = format!(
                        "Replaced badge of {} (version {version}) — a new badge, version {newer} ({reason}), was sent to {printer} at {} and is not known to have printed yet. Check their identity",
                        card.attendee.display_name,
                        crate::model::venue_time(&event, &sent),
                    );
                    return Ok(ArrivalOutcome { result: Arrival::ReplacedBadge, message, card });
                }
                if let Some(cur) = current_badge(&tx, id)?.filter(|c| c.version > version) {
                    let day = day_or_today(&event, day)?;
                    let card = card(&tx, &event, id, day, at.as_ref())?;
                    drop(tx);
                    let message = format!(
                        "Replaced badge of {} (version {version}) — the current badge is version {}, printed {} ({}). Check their identity",
                        card.attendee.display_name,
                        cur.version,
                        printed_when(&event, &cur.at),
                        cur.reason
                    );
                    return Ok(ArrivalOutcome { result: Arrival::ReplacedBadge, message, card });
                }
                id
            }
        };
        let day = resolve_day(&event, day)?;
        let before = load_attendee(&tx, id)?;
        let name = before.display_name.clone();
        let held = held_back(&event, &before);
        if let (Some(why), None) = (&held, unvetted) {
            let card = card(&tx, &event, id, Some(day), at.as_ref())?;
            drop(tx);
            return Ok(ArrivalOutcome { result: Arrival::Refused, message: why.clone(), card });
        }
        if let Some(s) = &at {
            if let Some(why) = s.access(id, before.fields.category).refusal() {
                let card = card(&tx, &event, id, Some(day), Some(s))?;
                drop(tx);
                return Ok(ArrivalOutcome { result: Arrival::Refused, message: why, card });
            }
        }
        // The day's check-in written now, which this desk may then undo without the PIN.
        let mut made = None;
        let (result, message) = match before.status {
            Status::Registered if at.is_some() => {
                let s = at.as_ref().expect("a session");
                let (day_in, new) = check_in_in(&tx, &operator, &event, &before, day, method, Some(&s.title))?;
                made = Some(day_in).filter(|_| new);
                let (c, new) = admit_in(&tx, &operator, &event, &before, s, method)?;
                if new {
                    (Arrival::Admitted, format!("{name} admitted to “{}” at {}", s.title, c.local_time))
                } else {
                    (
                        Arrival::AlreadyCheckedIn,
                        format!("{name} is already in “{}” since {} ({}, {})", s.title, c.local_time, c.operator, c.desk),
                    )
                }
            }
            Status::Registered => {
                let (c, new) = check_in_in(&tx, &operator, &event, &before, day, method, None)?;
                made = Some(c.clone()).filter(|_| new);
                if new {
                    (Arrival::CheckedIn, format!("{name} checked in {} at {}", which_day(&event, day), c.local_time))
                } else {
                    (Arrival::AlreadyCheckedIn, already(&event, &before, &c))
                }
            }
            Status::Invited if register => {
                let registration = reinstate_in(&tx, &operator, id)?;
                if registration.attendee.status == Status::Registered {
                    let door = at.as_ref().map(|s| s.title.as_str());
                    let (c, _) = check_in_in(&tx, &operator, &event, &registration.attendee, day, method, door)?;
                    made = Some(c.clone());
                    let seat = registration.seat.unwrap_or_default();
                    let admitted = match &at {
                        Some(s) => {
                            admit_in(&tx, &operator, &event, &registration.attendee, s, method)?;
                            format!(" and admitted to “{}”", s.title)
                        }
                        None => String::new(),
                    };
                    (
                        Arrival::RegisteredAndCheckedIn,
                        format!(
                            "{name} registered — seat {seat} of {} — and checked in {} at {}{admitted}",
                            event.capacity,
                            which_day(&event, day),
                            c.local_time
                        ),
                    )
                } else {
                    // No seat now: nothing is written; the operator decides about the waitlist.
                    // Why, in the seat rule's own words (the event full, the seats held for the
                    // people waiting, the delegation's allocation full), not the registration's
                    // message, which told of a waitlist place that was never written.
                    drop(tx);
                    let why = crate::seats::no_seat_now(&self.db, &event, &before.fields.delegation)?
                        .unwrap_or_else(|| "No seat could be given just now".to_string());
                    let message = format!("{why} — {name} is invited but cannot get a seat now. Add them to the waitlist?");
                    let card = card(&self.db, &event, id, Some(day), at.as_ref())?;
                    return Ok(ArrivalOutcome { result: Arrival::NoSeat, message, card });
                }
            }
            Status::Invited => {
                return Err(Error::Conflict(format!(
                    "{name} (#{id}) is invited, not registered; register them first"
                )))
            }
            Status::Waitlisted => (
                Arrival::Waitlisted,
                format!(
                    "{name} is on the waitlist (position {}) and holds no seat: promote them when a seat is free, then check them in",
                    before.waitlist_position.unwrap_or_default()
                ),
            ),
            Status::Cancelled => (
                Arrival::Cancelled,
                format!("{name} cancelled their registration: reinstate them to give them a seat again"),
            ),
        };
        // Every desk shows the arrival to protocol until someone acknowledges it.
        let message = if made.is_some() && before.fields.notifies_protocol() {
            format!("{message} — protocol notified")
        } else {
            message
        };
        // The coordinator's one admission of a person not cleared, in the audit beside it.
        let message = match (&held, unvetted) {
            (Some(why), Some(reason))
                if matches!(
                    result,
                    Arrival::CheckedIn | Arrival::Admitted | Arrival::RegisteredAndCheckedIn
                ) =>
            {
                let record = serde_json::json!({
                    "vetting": before.vetting.state.wire(), "day": day,
                    "sessionId": at.as_ref().map(|s| s.id), "reason": reason,
                });
                audit(&tx, &operator, "vetting.override", Some(id), None::<&()>, Some(&record))?;
                format!("{message} — {why}: admitted once by the coordinator ({reason})")
            }
            _ => message,
        };
        let card = card(&tx, &event, id, Some(day), at.as_ref())?;
        let out = tx.finish(ArrivalOutcome { result, message, card })?;
        if let Some(c) = made {
            self.made_checkin(&c);
        }
        Ok(out)
    }

    /// A badge scanned (or its code typed): the person whose current badge carries `code` is
    /// checked in for `day` (today's event day when `None`). A replaced badge writes nothing
    /// and says which badge is current; a code that is no badge of this event is refused.
    pub fn scan(&mut self, code: &str, day: Option<u32>) -> Result<ArrivalOutcome> {
        let token = badge_token(code)?;
        self.arrive_who(Who::Token(token), day, None, Method::Scan, false, None)
    }

    /// Undo the check-in of `id` for `day`, with a reason; the check-in stays in the history
    /// with who undid it and why.
    pub fn undo_check_in(&mut self, id: i64, day: u32, reason: &str) -> Result<ArrivalOutcome> {
        self.undo_check_in_seen(id, day, None, reason)
    }

    /// [`Desk::undo_check_in`] of the check-in the operator was shown (`seen`, its id): if
    /// another desk undid it and the person was checked in again meanwhile, the newer one is
    /// not undone in its place — refused, nothing written, and the card is to be looked at
    /// again.
    pub fn undo_check_in_seen(
        &mut self,
        id: i64,
        day: u32,
        seen: Option<i64>,
        reason: &str,
    ) -> Result<ArrivalOutcome> {
        let reason = clean(&REASON, reason)?;
        if crate::text::shows_nothing(&reason) {
            return Err(Error::invalid("reason", "Say why the check-in is undone"));
        }
        // Undoing a check-in that this desk did not make is for the coordinator: who made it
        // is judged by the desk that wrote it, never by an operator name anyone can type.
        let event = load_event(&self.db)?;
        let day = resolve_day(&event, Some(day))?;
        let now_in = in_force(&self.db, &event, id, day)?;
        if let (Some(seen), Some(c)) = (seen, &now_in) {
            if c.id != seen {
                let a = load_attendee(&self.db, id)?;
                return Err(Error::Conflict(format!(
                    "{} was checked in again meanwhile for day {day}, at {} by {} ({}); the check-in shown was undone already. Look at the card and undo again if need be",
                    a.display_name, c.local_time, c.operator, c.desk
                )));
            }
        }
        let checked = now_in.map(|c| {
            if !self.made_here(&c) {
                let by = if c.operator == self.operator.name {
                    format!("{} at another desk or window ({})", c.operator, c.desk)
                } else {
                    format!("{} ({})", c.operator, c.desk)
                };
                return (c.id, Some(by));
            }
            (c.id, None)
        });
        if let Some((_, Some(by))) = &checked {
            self.coordinator_only(&format!("Undoing a check-in made by {by}"))?;
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let a = load_attendee(&tx, id)?;
        let Some(before) = in_force(&tx, &event, id, day)? else {
            return Err(Error::Conflict(format!(
                "{} (#{id}) is not checked in for day {day}",
                a.display_name
            )));
        };
        if checked.as_ref().map(|c| c.0) != Some(before.id) {
            // Checked in again meanwhile (by another desk): the PIN was judged for another row.
            return Err(Error::Conflict(format!(
                "The check-in of {} for day {day} changed meanwhile; look at the card and undo again",
                a.display_name
            )));
        }
        crate::store::records::undo_checkin_in(&tx, &operator, &event, id, &before, &reason)?;
        // Not in for the day is in no session of it either.
        let left = crate::store::records::undo_admissions_in(&tx, &operator, &event, id, Some(day), &reason)?;
        let also = if left.is_empty() {
            String::new()
        } else {
            format!(" (and their admission to {})", left.join(", "))
        };
        let message = format!(
            "Check-in of {} for day {day} ({}) undone{also}: {reason}",
            a.display_name, before.local_time
        );
        let card = card(&tx, &event, id, Some(day), None)?;
        tx.finish(ArrivalOutcome { result: Arrival::Undone, message, card })
    }

    /// The newest `limit` check-ins in force for `day` (at most 100), newest first.
    pub fn recent_arrivals(&self, day: u32, limit: usize) -> Result<Vec<Arrived>> {
        let event = load_event(&self.db)?;
        let day = resolve_day(&event, Some(day))?;
        let ids: Vec<i64> = self.db.query_map(
            "SELECT id FROM checkin WHERE day = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT ?2",
            params![day, limit.clamp(1, 100) as i64],
            |r| r.get(0),
        )?;
        let one = format!("{CHECKIN_SELECT} WHERE id = ?1");
        ids.into_iter()
            .map(|id| {
                let checkin = self.db.query_row(&one, params![id], checkin_from_row(&event))?;
                let a = load_attendee(&self.db, checkin.attendee_id)?;
                Ok(Arrived { checkin, display_name: a.display_name, delegation: a.fields.delegation })
            })
            .collect()
    }

    /// Every check-in in force for `day`, oldest first.
    pub fn checkins(&self, day: u32) -> Result<Vec<CheckIn>> {
        let event = load_event(&self.db)?;
        let day = resolve_day(&event, Some(day))?;
        let rows = self.db.query_map(
            &format!("{CHECKIN_SELECT} WHERE day = ?1 AND undone_at IS NULL ORDER BY at, id"),
            params![day],
            checkin_from_row(&event),
        )?;
        Ok(rows)
    }
}

/// The token of a scanned (or typed) badge code, refused in words when it is none.
fn badge_token(code: &str) -> Result<String> {
    Ok(match recognise(code) {
        Typed::Token(t) => t,
        Typed::Damaged => {
            return Err(Error::invalid(
                "code",
                "The badge code was not read correctly (its check character does not match): scan again, or type the name",
            ))
        }
        Typed::OldBadge => {
            return Err(Error::Conflict(
                "This badge was printed before badges carried a secure code and is not accepted: find the person by name and reprint their badge".into(),
            ))
        }
        Typed::Words => {
            return Err(Error::invalid("code", "This is not a badge code: type a name to search instead"))
        }
    })
}

/// Whom an arrival is for: a person found, or the holder of a scanned badge.
enum Who {
    Id(i64),
    Token(String),
}

/// "07:55" when `at` is today at the venue, else "14 Nov 07:55".
fn printed_when(event: &Event, at: &str) -> String {
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let local = t.with_timezone(&event.tz());
            if local.date_naive() == event.local_now().date_naive() {
                local.format("%H:%M").to_string()
            } else {
                local.format("%-d %b %H:%M").to_string()
            }
        }
        Err(_) => at.to_string(),
    }
}
