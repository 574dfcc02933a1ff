//! Registration: event settings, register, reinstate, edit, cancel, promote, the list and
//! the delegations — each one transaction that asks [`crate::seats`] for the seat it gives or
//! takes, checks duplicates, and appends its audit row.

pub use crate::desk::ListFilter;
use crate::error::{Error, Result};
use crate::model::{
    days_to_string, Access, Attendee, AttendeeFields, AttendeeInput, Event, EventInput, Keys, Status,
};
use crate::params;
use crate::seats::{
    capitalised, check_move, check_promise, check_promotion, claim_seat, held_seats, next_in_line,
    oldest_waitlisted, promised_seat, SeatClaim,
};
use crate::store::db::{Db, Tx};
use crate::store::records::{
    attendee_from_row, audit, count, load_attendee, load_event, load_sessions, now, Operator, ATTENDEE_ONE,
};
use crate::text::fold;
use crate::Desk;
use serde::{Deserialize, Serialize};

/// What a registration did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationOutcome {
    /// The new attendee, registered or waitlisted.
    pub attendee: Attendee,
    /// Which seat was taken (the number of people registered after this one), if registered.
    pub seat: Option<u32>,
    /// Seats of the event.
    pub capacity: u32,
    /// One line for the operator: "Registered — seat 73 of 100" or "Event full — added to
    /// waitlist, position 3".
    pub message: String,
}

/// What a cancellation did, and whom the desk proposes for the freed seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelOutcome {
    /// The attendee, now cancelled.
    pub attendee: Attendee,
    /// The oldest waitlisted person, proposed for the freed seat; promoted only when the
    /// operator confirms.
    pub proposal: Option<Attendee>,
    /// One line for the operator.
    pub message: String,
}

/// What a promotion did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PromoteOutcome {
    /// The people promoted, now registered.
    pub promoted: Vec<Attendee>,
    /// One line for the operator.
    pub message: String,
}

/// What an event settings change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventUpdateOutcome {
    /// The settings now stored.
    pub event: Event,
    /// The oldest waitlisted people who fit in the free seats, proposed for promotion when
    /// the capacity was raised; promoted only when the operator confirms.
    pub promotion_candidates: Vec<Attendee>,
    /// One line for the operator.
    pub message: String,
}

/// A delegation typed, checked against the known ones ([`Desk::check_delegation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DelegationCheck {
    /// Whether it is a delegation already known (or nothing was typed).
    pub known: bool,
    /// For a new one: the known delegation it is probably meant to be.
    pub suggestion: Option<String>,
}

/// A person added or changed through [`write_in`].
pub(crate) enum Write<'a> {
    /// A new person: given a seat if one is free (else the end of the waitlist) when `seat`,
    /// else invited. Refused as a duplicate of someone on file unless `matched`: the caller
    /// matched these fields against the roster in this same transaction (the import's
    /// preview), and the unique indexes stay the backstop.
    New { fields: &'a AttendeeFields, seat: bool, matched: bool },
    /// A person's fields changed, `before` as read in this transaction: refused as a
    /// duplicate, as a move out of an allocation that is full, or when it would take the seat
    /// promised to the next person waiting.
    Change { before: &'a Attendee, fields: &'a AttendeeFields },
}

/// The one way a person is added to the roster or has their fields changed, inside the
/// caller's IMMEDIATE transaction, with its audit row under `action`: [`Desk::register`] and
/// [`Desk::edit`] come here, and so does the import for each of its rows. Returns the person
/// as written and, for a new one, the seat claimed.
pub(crate) fn write_in(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    write: Write<'_>,
    action: &str,
    at: &str,
) -> Result<(Attendee, Option<SeatClaim>)> {
    match write {
        Write::New { fields, seat, matched } => {
            // Folding the names takes a tenth of a registration's own work: once per write.
            let keys = Keys::of(fields);
            if !matched {
                check_duplicates(tx, &keys, None)?;
            }
            let claim =
                if seat { claim_seat(tx, event, &fields.delegation, at)? } else { SeatClaim::invited() };
            let id = insert_attendee(tx, fields, &keys, &claim, at)?;
            let after = load_attendee(tx, id)?;
            audit(tx, operator, action, Some(id), None::<&Attendee>, Some(&after))?;
            Ok((after, Some(claim)))
        }
        Write::Change { before, fields } => {
            let id = before.id;
            let keys = Keys::of(fields);
            check_duplicates(tx, &keys, Some(id))?;
            check_move(tx, before, fields)?;
            check_admissions(tx, before, fields)?;
            check_days(tx, before, fields)?;
            let promised = promised_seat(tx, before, fields)?;
            update_fields(tx, id, fields, &keys, at)?;
            check_promise(tx, before, &promised)?;
            let after = load_attendee(tx, id)?;
            audit(tx, operator, action, Some(id), Some(before), Some(&after))?;
            Ok((after, None))
        }
    }
}

/// Refuse a change of category that would leave the person admitted to a session the new
/// category may not attend (not admitted there by name): the door would then refuse them while
/// their admission stays in force, and the session could no longer be changed.
fn check_admissions(tx: &Tx, before: &Attendee, fields: &AttendeeFields) -> Result<()> {
    if before.fields.category == fields.category {
        return Ok(());
    }
    let admitted: Vec<i64> = tx.query_map(
        "SELECT DISTINCT session_id FROM session_checkin WHERE attendee_id = ?1 AND undone_at IS NULL",
        params![before.id],
        |r| r.get(0),
    )?;
    if admitted.is_empty() {
        return Ok(());
    }
    let closed: Vec<String> = load_sessions(tx, None)?
        .into_iter()
        .filter(|s| admitted.contains(&s.id) && s.access(before.id, fields.category) != Access::Admitted)
        .map(|s| format!("“{}” (#{}, day {})", s.title, s.id, s.day))
        .collect();
    if closed.is_empty() {
        return Ok(());
    }
    Err(Error::Conflict(format!(
        "{} cannot become {}: they are checked in to {}, which {} closed to {}. Admit them there by name, or undo that check-in first",
        before.display_name,
        fields.category.label(),
        closed.join(", "),
        if closed.len() == 1 { "is" } else { "are" },
        fields.category.label()
    )))
}

/// Refuse taking a day off a person who is checked in for it: the check-in would stay in
/// force, counted for a day they are no longer down for.
fn check_days(tx: &Tx, before: &Attendee, fields: &AttendeeFields) -> Result<()> {
    let dropped: Vec<u32> = before.fields.days.iter().copied().filter(|d| !fields.days.contains(d)).collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let days: Vec<i64> = tx.query_map(
        "SELECT day FROM checkin WHERE attendee_id = ?1 AND undone_at IS NULL ORDER BY day",
        params![before.id],
        |r| r.get(0),
    )?;
    let held: Vec<String> = days
        .into_iter()
        .filter(|d| u32::try_from(*d).is_ok_and(|d| dropped.contains(&d)))
        .map(|d| format!("day {d}"))
        .collect();
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "days",
        format!(
            "{} is checked in for {}: that day stays among their days. Undo that check-in first if they were not there",
            before.display_name,
            held.join(" and ")
        ),
    ))
}

/// Refuse a second record of the same person (`keys`: the new fields' keys): same e-mail (case
/// ignored), or same given and family name (case and accents ignored) in the same delegation.
fn check_duplicates(db: &Db, keys: &Keys, exclude: Option<i64>) -> Result<()> {
    let describe = |a: &Attendee| {
        let of = if a.fields.delegation.is_empty() {
            String::new()
        } else {
            format!(" ({})", a.fields.delegation)
        };
        let hint =
            if a.status == Status::Cancelled { " (reinstate them instead of registering again)" } else { "" };
        format!("{}{of} is already on the list as #{}, {}{hint}", a.display_name, a.id, a.status.wire())
    };
    // Both checks in one statement (a round trip less per registration on a server); each
    // half uses its unique index (`email_key <> ''` lets SQLite use the partial one).
    let found = db.query_map(
        &format!(
            "{ATTENDEE_ONE} WHERE a.email_key = ?1 AND a.email_key <> '' AND a.id IS NOT ?4
             UNION ALL
             {ATTENDEE_ONE} WHERE a.name_key = ?2 AND a.delegation_key = ?3 AND a.id IS NOT ?4"
        ),
        params![&keys.email, &keys.name, &keys.delegation, exclude],
        attendee_from_row,
    )?;
    let same_email = |a: &&Attendee| !keys.email.is_empty() && Keys::email_of(&a.fields.email) == keys.email;
    if let Some(a) = found.iter().find(same_email) {
        return Err(Error::Conflict(format!("Duplicate: {} — same email {}", describe(a), a.fields.email)));
    }
    if let Some(a) = found.first() {
        return Err(Error::Conflict(format!(
            "Duplicate: {} — same name in the same delegation",
            describe(a)
        )));
    }
    Ok(())
}

/// [`Desk::reinstate`] inside the caller's IMMEDIATE transaction, with its audit row: the
/// arrival desk registers an invited person and checks them in in one transaction.
pub(crate) fn reinstate_in(tx: &Tx, operator: &Operator, id: i64) -> Result<RegistrationOutcome> {
    let event = load_event(tx)?;
    let before = load_attendee(tx, id)?;
    let (action, done, waitlisted) = match before.status {
        Status::Cancelled => ("reinstate", "Reinstated", "reinstated to the waitlist"),
        Status::Invited => ("register", "Registered", "added to waitlist"),
        other => {
            return Err(Error::Conflict(format!(
                "{} (#{id}) is {}; only invited or cancelled people can be registered again",
                before.display_name,
                other.wire()
            )))
        }
    };
    if let Some(d) = before.fields.days.iter().find(|&&d| d == 0 || d > event.day_count()) {
        return Err(Error::Conflict(format!(
            "{} (#{id}) is down for day {d}, but the event has {} day{}; edit their days first",
            before.display_name,
            event.day_count(),
            if event.day_count() == 1 { "" } else { "s" }
        )));
    }
    let at = now();
    let seat = claim_seat(tx, &event, &before.fields.delegation, &at)?;
    tx.execute(
        "UPDATE attendee SET status = ?2, registered_at = ?3, waitlist_seq = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, seat.status.wire(), &seat.registered_at, seat.waitlist_seq, &at],
    )?;
    let after = load_attendee(tx, id)?;
    audit(tx, operator, action, Some(id), Some(&before), Some(&after))?;
    Ok(seat.outcome(after, event.capacity, done, waitlisted))
}

/// An attendee's personal fields ready to bind: the derived columns (category, days) and the
/// folded `keys` that [`write_in`] computed once for the write, in the column order of
/// [`insert_attendee`] (parameters `?1` to `?20`: the fields, their folded keys, then the two
/// protocol flags). The one binding that [`insert_attendee`] and [`update_fields`] share.
fn field_values(f: &AttendeeFields, keys: &Keys) -> Vec<crate::store::db::Value> {
    params![
        &f.rank,
        &f.given_name,
        &f.family_name,
        &f.badge_name,
        &f.position,
        &f.organization,
        &f.delegation,
        f.category.wire(),
        &f.email,
        &f.phone,
        days_to_string(&f.days),
        &f.dietary,
        &f.accessibility,
        &f.notes,
        &keys.name,
        &keys.delegation,
        &keys.email,
        &keys.search,
        i64::from(f.head_of_delegation),
        i64::from(f.notify_protocol)
    ]
    .to_vec()
}

/// Writes the edit of `before` to `fields` (see [`Desk::edit`]).
fn edit_in(
    tx: Tx,
    operator: &Operator,
    event: &Event,
    before: &Attendee,
    fields: &AttendeeFields,
) -> Result<Attendee> {
    let (after, _) = write_in(&tx, operator, event, Write::Change { before, fields }, "edit", &now())?;
    tx.finish(after)
}

/// Whether `after` makes another person of `before`, or gives them another standing: a name,
/// the rank or the badge name (all printed on the badge; letter case and accents aside), the
/// delegation, the email (letter case aside), or the category (the sessions they may enter, protocol). A title,
/// an organisation or a note is the same person.
fn who_changes(before: &AttendeeFields, after: &AttendeeFields) -> bool {
    let same = |a: &str, b: &str| crate::text::fold(a) == crate::text::fold(b);
    !same(&before.given_name, &after.given_name)
        || !same(&before.family_name, &after.family_name)
        || !same(&before.rank, &after.rank)
        || !same(before.badge_name.as_deref().unwrap_or(""), after.badge_name.as_deref().unwrap_or(""))
        || !same(&before.delegation, &after.delegation)
        // An address differs by its accents ("josé@" is not "jose@"): compared as its key.
        || crate::text::email_key(&before.email) != crate::text::email_key(&after.email)
        || before.category != after.category
}

/// Overwrite the personal fields (and keys) of attendee `id`; its status is left alone.
fn update_fields(tx: &Tx, id: i64, fields: &AttendeeFields, keys: &Keys, at: &str) -> Result<()> {
    let mut values = field_values(fields, keys);
    values.extend(params![id, at].iter().cloned());
    tx.execute(
        "UPDATE attendee SET rank = ?1, given_name = ?2, family_name = ?3, badge_name = ?4, position = ?5,
             organization = ?6, delegation = ?7, category = ?8, email = ?9, phone = ?10, days = ?11,
             dietary = ?12, accessibility = ?13, notes = ?14, name_key = ?15, delegation_key = ?16,
             email_key = ?17, search_key = ?18, head_of_delegation = ?19, notify_protocol = ?20,
             updated_at = ?22
         WHERE id = ?21",
        &values,
    )?;
    Ok(())
}

fn insert_attendee(tx: &Tx, f: &AttendeeFields, keys: &Keys, seat: &SeatClaim, at: &str) -> Result<i64> {
    let mut values = field_values(f, keys);
    values.extend(params![seat.status.wire(), &seat.registered_at, seat.waitlist_seq, at].iter().cloned());
    tx.value(
        "INSERT INTO attendee (rank, given_name, family_name, badge_name, position, organization, delegation,
             category, email, phone, days, dietary, accessibility, notes, name_key, delegation_key, email_key,
             search_key, head_of_delegation, notify_protocol, status, registered_at, waitlist_seq, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
             ?21, ?22, ?23, ?24, ?24)
         RETURNING id",
        &values,
    )
}

impl SeatClaim {
    /// The outcome for the operator: "<done> — seat 73 of 100" or "Event full — <waitlisted>,
    /// position 3".
    pub(crate) fn outcome(
        &self,
        attendee: Attendee,
        capacity: u32,
        done: &str,
        waitlisted: &str,
    ) -> RegistrationOutcome {
        let position = attendee.waitlist_position.unwrap_or_default();
        let message = match (self.seat, &self.reason) {
            (Some(n), _) => format!("{done} — seat {n} of {capacity}"),
            (None, Some(why)) => format!("{} — {waitlisted}, position {position}", capitalised(why)),
            (None, None) => format!("Event full — {waitlisted}, position {position}"),
        };
        RegistrationOutcome { attendee, seat: self.seat, capacity, message }
    }
}

impl Desk {
    /// Change the event settings. Lowering the capacity below the number registered is
    /// refused; raising it proposes the oldest waitlisted people for the new seats.
    pub fn update_event(&mut self, input: &EventInput) -> Result<EventUpdateOutcome> {
        // Turning the vetting off lets anyone through the door at once: it needs the PIN typed
        // for it, as admitting one person whose vetting is not cleared does (an unlock left
        // open by an earlier action is not enough).
        let now = load_event(&self.db)?;
        // A form filled before another desk's save is judged on what it changes (a conflict
        // found here is found again, and said, inside the transaction, after the PIN).
        let turns_off = match input.since_loaded(&now) {
            Ok(change) => now.require_vetting && !now.with_input(&change)?.require_vetting,
            Err(_) => false,
        };
        if turns_off {
            self.coordinator_now("Turning off the security vetting checked at the door")?;
        } else {
            self.coordinator_only("Changing the event settings")?;
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = load_event(&tx)?;
        let after = before.with_input(&input.since_loaded(&before)?)?;
        if before.require_vetting && !after.require_vetting && !turns_off {
            return Err(Error::Conflict(
                "Security vetting was turned on at another desk meanwhile: nothing was saved; save again to turn it off".into(),
            ));
        }
        let registered = count(&tx, Status::Registered)?;
        // The number registered first: it is the reason whether allocations are set or not.
        if after.capacity < registered {
            return Err(Error::invalid(
                "capacity",
                format!(
                    "Capacity cannot be {}: {registered} people are registered. Choose at least {registered}, or cancel registrations first",
                    after.capacity
                ),
            ));
        }
        crate::seats::allocation::check_capacity(&tx, after.capacity)?;
        // Check-ins are kept by day number: moving the first day would move every arrival
        // recorded to another date, and removing a day would leave arrivals on no day.
        let (checkins, first_day): (i64, Option<i64>) = if after.start_date == before.start_date {
            (0, None)
        } else {
            tx.query_row("SELECT count(*), min(day) FROM checkin WHERE undone_at IS NULL", params![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
        };
        if let Some(day) = first_day {
            return Err(Error::invalid(
                "startDate",
                format!(
                    "The event cannot start on another date: {checkins} check-in{} {} recorded (the first on day {day}, {}), and {} would then count on other dates. Keep the start date, or undo the check-ins first",
                    if checkins == 1 { "" } else { "s" },
                    if checkins == 1 { "is" } else { "are" },
                    u32::try_from(day).ok().and_then(|d| crate::model::day_date(before.start_date, d)).map(|d| d.format("%-d %b %Y").to_string()).unwrap_or_default(),
                    if checkins == 1 { "it" } else { "they" },
                ),
            ));
        }
        let (late, last_day): (i64, Option<i64>) = tx.query_row(
            "SELECT count(*), max(day) FROM checkin WHERE undone_at IS NULL AND day > ?1",
            params![i64::from(after.day_count())],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some(day) = last_day {
            return Err(Error::invalid(
                "endDate",
                format!(
                    "The event cannot be shortened to {} days: {late} check-in{} {} recorded on a later day (up to day {day}); undo {} first",
                    after.day_count(),
                    if late == 1 { "" } else { "s" },
                    if late == 1 { "is" } else { "are" },
                    if late == 1 { "it" } else { "them" },
                ),
            ));
        }
        let out_of_range: Vec<i64> = {
            // Cancelled people count too: they may be reinstated with the days they had.
            let rows = tx.query_map("SELECT id, days FROM attendee ORDER BY id", params![], |r| {
                Ok((r.get::<i64>(0)?, r.get::<String>(1)?))
            })?;
            let mut ids = Vec::new();
            for (id, days) in rows {
                if days.split(',').filter_map(|d| d.parse::<u32>().ok()).any(|d| d > after.day_count()) {
                    ids.push(id);
                }
            }
            ids
        };
        if !out_of_range.is_empty() {
            return Err(Error::invalid(
                "endDate",
                format!(
                    "The event cannot be shortened to {} days: {} attendee(s) are down for a later day (first: #{})",
                    after.day_count(),
                    out_of_range.len(),
                    out_of_range[0]
                ),
            ));
        }
        let beyond: Vec<_> =
            load_sessions(&tx, None)?.into_iter().filter(|s| s.day > after.day_count()).collect();
        if let Some(first) = beyond.first() {
            return Err(Error::invalid(
                "endDate",
                format!(
                    "The event cannot be shortened to {} days: {} session{} of the programme {} on a later day (first: “{}”, day {}); move or remove {} first",
                    after.day_count(),
                    beyond.len(),
                    if beyond.len() == 1 { "" } else { "s" },
                    if beyond.len() == 1 { "is" } else { "are" },
                    first.title,
                    first.day,
                    if beyond.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        tx.execute(
            "UPDATE event SET name = ?1, venue = ?2, start_date = ?3, end_date = ?4, timezone = ?5, capacity = ?6,
                 require_vetting = ?7 WHERE id = 1",
            params![
                &after.name,
                &after.venue,
                after.start_date.to_string(),
                after.end_date.to_string(),
                &after.timezone,
                after.capacity,
                i64::from(after.require_vetting)
            ],
        )?;
        tx.execute("DELETE FROM event_day", params![])?;
        for d in &after.days {
            tx.execute("INSERT INTO event_day (day, theme) VALUES (?1, ?2)", params![d.day, &d.theme])?;
        }
        if before != after {
            audit(&tx, &operator, "event.update", None, Some(&before), Some(&after))?;
        }
        let seats_left = after.capacity - registered;
        let candidates =
            if after.capacity > before.capacity { oldest_waitlisted(&tx, seats_left)? } else { vec![] };
        // What changed that the desk must say: the capacity raised, and vetting turned on or
        // off — each in the message, whichever came in the same save.
        let vetting = if after.require_vetting && !before.require_vetting {
            let waiting: u32 = tx.value(
                "SELECT count(*) FROM attendee WHERE status <> 'cancelled' AND vetting <> 'cleared'",
                params![],
            )?;
            Some(format!(
                "Security vetting is now required: {waiting} {} not cleared will not be checked in",
                if waiting == 1 { "person" } else { "people" }
            ))
        } else if before.require_vetting && !after.require_vetting {
            Some("Security vetting is no longer required: nobody is held back for it".to_string())
        } else {
            None
        };
        let message = if after.capacity > before.capacity {
            format!(
                "Saved. Capacity raised from {} to {}: {seats_left} seat{} free{}{}",
                before.capacity,
                after.capacity,
                if seats_left == 1 { "" } else { "s" },
                match candidates.len() {
                    0 => String::new(),
                    n => format!(
                        ", {n} waitlisted {} can be promoted",
                        if n == 1 { "person" } else { "people" }
                    ),
                },
                vetting.map(|v| format!(". {v}")).unwrap_or_default()
            )
        } else if before == after {
            "No change".to_string()
        } else if let Some(v) = vetting {
            format!("Saved. {v}")
        } else {
            "Saved".to_string()
        };
        tx.finish(EventUpdateOutcome { event: after, promotion_candidates: candidates, message })
    }

    /// Register a new attendee: a seat if one is free, else the end of the waitlist.
    pub fn register(&mut self, input: &AttendeeInput) -> Result<RegistrationOutcome> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let fields = AttendeeFields::from_input(None, input, event.day_count())?;
        let new = Write::New { fields: &fields, seat: true, matched: false };
        let (attendee, seat) = write_in(&tx, &operator, &event, new, "register", &now())?;
        let seat = seat.unwrap_or_else(SeatClaim::invited);
        tx.finish(seat.outcome(attendee, event.capacity, "Registered", "added to waitlist"))
    }

    /// Bring a cancelled attendee back, or register an invited one: a seat if one is free,
    /// else the end of the waitlist.
    pub fn reinstate(&mut self, id: i64) -> Result<RegistrationOutcome> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let outcome = reinstate_in(&tx, &operator, id)?;
        tx.finish(outcome)
    }

    /// Change an attendee's personal fields; fields absent from `input` stay as they are.
    ///
    /// Who a person with cleared security vetting is (their names, rank, badge name,
    /// delegation, email, category) was cleared: changing it is the coordinator's. Otherwise a
    /// desk could turn a cleared delegate into anyone, who would walk in as cleared with the
    /// same badge.
    pub fn edit(&mut self, id: i64, input: &AttendeeInput) -> Result<Attendee> {
        self.edit_from(id, input, None)
    }

    /// [`Desk::edit`] from a form filled with `loaded` when the person was opened (the
    /// window's panel): only the fields typed differently from `loaded` are taken, and one that
    /// another desk changed meanwhile too refuses the edit, naming it
    /// ([`AttendeeInput::since_loaded`]). Without `loaded`, every field given is taken.
    pub fn edit_from(
        &mut self,
        id: i64,
        input: &AttendeeInput,
        loaded: Option<&AttendeeInput>,
    ) -> Result<Attendee> {
        let mut opened = false;
        loop {
            let operator = self.operator.clone();
            let tx = self.begin()?;
            let event = load_event(&tx)?;
            let before = load_attendee(&tx, id)?;
            let change = match loaded {
                Some(l) => {
                    std::borrow::Cow::Owned(input.since_loaded(l, &before.fields, event.day_count())?)
                }
                None => std::borrow::Cow::Borrowed(input),
            };
            let fields = AttendeeFields::from_input(Some(&before.fields), &change, event.day_count())?;
            if fields == before.fields {
                return Ok(before);
            }
            if !opened
                && before.vetting.state == crate::model::VettingState::Cleared
                && who_changes(&before.fields, &fields)
            {
                drop(tx);
                self.coordinator_only(&format!(
                    "Changing the name, rank, badge name, delegation, email or category of {}, whose security vetting is cleared,",
                    before.display_name
                ))?;
                opened = true;
                continue;
            }
            return edit_in(tx, &operator, &event, &before, &fields);
        }
    }

    /// Cancel an attendee. A freed seat is not given away: the oldest waitlisted person is
    /// proposed, and promoted only by [`Desk::promote`] when the operator confirms.
    ///
    /// A cancel undoes the person's check-ins: one made at another desk is undone only by the
    /// coordinator, as [`Desk::undo_check_in`] does.
    pub fn cancel(&mut self, id: i64) -> Result<CancelOutcome> {
        let event = load_event(&self.db)?;
        let seen = crate::store::records::checkins_in_force(&self.db, &event, id)?;
        if let Some(c) = seen.iter().find(|c| !self.made_here(c)) {
            let name = load_attendee(&self.db, id)?.display_name;
            self.coordinator_only(&format!(
                "Cancelling {name}, checked in for day {} by {} ({}), and so undoing that check-in,",
                c.day, c.operator, c.desk
            ))?;
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = load_attendee(&tx, id)?;
        if before.status == Status::Cancelled {
            return Err(Error::Conflict(format!("{} (#{id}) is already cancelled", before.display_name)));
        }
        let event = load_event(&tx)?;
        let now_in = crate::store::records::checkins_in_force(&tx, &event, id)?;
        if now_in.iter().map(|c| c.id).ne(seen.iter().map(|c| c.id)) {
            // Checked in (or out) meanwhile at another desk: the PIN was judged for other rows.
            return Err(Error::Conflict(format!(
                "The check-ins of {} changed meanwhile; nothing was cancelled. Look at the card and cancel again",
                before.display_name
            )));
        }
        tx.execute(
            "UPDATE attendee SET status = 'cancelled', registered_at = NULL, waitlist_seq = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        let after = load_attendee(&tx, id)?;
        audit(&tx, &operator, "cancel", Some(id), Some(&before), Some(&after))?;
        // Checked in holds a seat: a cancelled person's check-ins are undone with the cancel,
        // kept in their history, so that a later reinstatement does not find them in force.
        let undone =
            crate::store::records::undo_checkins_of(&tx, &operator, &event, id, "registration cancelled")?;
        let registered = count(&tx, Status::Registered)?;
        let proposal =
            if before.status == Status::Registered { next_in_line(&tx, event.capacity)? } else { None };
        // A server can be left over its capacity (two desks of an older version at once): the
        // cancel that mends it says how many are still over, and never underflows.
        let mut message = match before.status {
            Status::Registered if registered > event.capacity => format!(
                "Cancelled {} — seat freed; still {} registered over the capacity of {}",
                before.display_name,
                registered - event.capacity,
                event.capacity
            ),
            Status::Registered => format!(
                "Cancelled {} — seat freed, {} of {} left",
                before.display_name,
                event.capacity - registered,
                event.capacity
            ),
            other => format!("Cancelled {} (was {})", before.display_name, other.wire()),
        };
        if !undone.is_empty() {
            let days: Vec<String> =
                undone.iter().map(|c| format!("day {} ({})", c.day, c.local_time)).collect();
            message.push_str(&format!(
                "; their check-in{} for {} undone",
                if undone.len() == 1 { "" } else { "s" },
                days.join(", ")
            ));
        }
        if let Some(p) = &proposal {
            message.push_str(&format!(". Next on the waitlist: {} (#{})", p.display_name, p.id));
        }
        tx.finish(CancelOutcome { attendee: after, proposal, message })
    }

    /// Give seats to waitlisted people, all or none: refused if any of them is not waitlisted
    /// or if there are not enough free seats for all of them.
    pub fn promote(&mut self, ids: &[i64]) -> Result<PromoteOutcome> {
        if ids.is_empty() {
            return Err(Error::invalid("ids", "Choose at least one waitlisted person to promote"));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(Error::invalid("ids", format!("#{twice} is listed twice; name each person once")));
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let mut promoted = Vec::with_capacity(ids.len());
        for &id in ids {
            let before = load_attendee(&tx, id)?;
            if before.status != Status::Waitlisted {
                return Err(Error::Conflict(format!(
                    "{} (#{id}) is {}, not waitlisted; only waitlisted people can be promoted",
                    before.display_name,
                    before.status.wire()
                )));
            }
            if let Some((why, _)) = crate::seats::allocation::blocked(&tx, &before.fields.delegation)? {
                return Err(Error::Conflict(format!("Cannot promote {}: {why}", before.display_name)));
            }
            let registered = count(&tx, Status::Registered)?;
            if registered >= event.capacity {
                return Err(Error::Conflict(format!(
                    "No seat is free for {}: {registered} of {} registered. Raise the capacity or cancel a registration first",
                    before.display_name, event.capacity
                )));
            }
            let held = held_seats(&tx)?;
            let at = now();
            tx.execute(
                "UPDATE attendee SET status = 'registered', registered_at = ?2, waitlist_seq = NULL, updated_at = ?2 WHERE id = ?1",
                params![id, &at],
            )?;
            check_promotion(&tx, &before, &held)?;
            let after = load_attendee(&tx, id)?;
            audit(&tx, &operator, "promote", Some(id), Some(&before), Some(&after))?;
            promoted.push(after);
        }
        let registered = count(&tx, Status::Registered)?;
        let names: Vec<&str> = promoted.iter().map(|a| a.display_name.as_str()).collect();
        let message =
            format!("Promoted {} — {registered} of {} seats taken", names.join(", "), event.capacity);
        tx.finish(PromoteOutcome { promoted, message })
    }

    /// What a delegation typed on a form is to the ones already known: known (case and
    /// accents ignored), or new with the nearest known one as a suggestion, so that "Fra" or
    /// "Jamiaca" is confirmed against "France" or "Jamaica" before it becomes a delegation
    /// of its own. A suggestion is a known delegation that starts with what was typed (the
    /// shortest), else one at most two letters away from a typed name of 4 letters or more.
    pub fn check_delegation(&self, typed: &str) -> Result<DelegationCheck> {
        let t = fold(typed.trim());
        if t.is_empty() {
            return Ok(DelegationCheck { known: true, suggestion: None });
        }
        let known = self.delegations()?;
        if known.iter().any(|k| fold(k) == t) {
            return Ok(DelegationCheck { known: true, suggestion: None });
        }
        // Longer than any delegation name: nothing to compare (and no quadratic work).
        if t.chars().count() > 200 {
            return Ok(DelegationCheck { known: false, suggestion: None });
        }
        let by_start =
            known.iter().filter(|k| fold(k).starts_with(&t)).min_by_key(|k| (k.chars().count(), fold(k)));
        let near = || {
            (t.chars().count() >= 4)
                .then(|| {
                    known
                        .iter()
                        .map(|k| (strsim::damerau_levenshtein(&fold(k), &t), k))
                        .filter(|(d, _)| *d <= 2)
                        .min_by_key(|(d, k)| (*d, fold(k)))
                        .map(|(_, k)| k)
                })
                .flatten()
        };
        Ok(DelegationCheck { known: false, suggestion: by_start.or_else(near).cloned() })
    }
}
