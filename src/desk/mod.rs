//! The desk's operations on one database: event settings, register, edit, cancel, promote,
//! list, seat status; and the capacity invariant.
//!
//! Every change is one `BEGIN IMMEDIATE` transaction that reads, decides, writes and appends
//! its audit row before it commits, so that `count(registered) <= capacity` holds whatever the
//! number of windows, processes and desks writing at once. Triggers in the schema are the
//! backstop.

pub(crate) mod guard;
pub(crate) mod last_read;
pub mod search;

use crate::error::{Error, Result};
use crate::model::{
    days_to_string, Attendee, AttendeeFields, AttendeeInput, Category, Event, EventInput, Status,
};
use crate::params;
use crate::store::db::{Db, Row, Tx};
pub use crate::store::records::Operator;
use crate::store::records::{
    attendee_from_row, audit, count, load_attendee, load_event, now, seats_taken, ATTENDEE_ONE,
    ATTENDEE_SELECT,
};
use crate::text::fold;
use crate::{seed, storage};
use chrono::{NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The operator recorded when nobody is named and the system knows no user name.
pub const DEFAULT_OPERATOR: &str = "desk";
/// Environment variable naming the operator recorded in the audit trail.
pub const OPERATOR_ENV: &str = "DELEGATE_DESK_OPERATOR";
/// Environment variable naming the desk recorded with every change ("Desk 2").
pub const DESK_ENV: &str = "DELEGATE_DESK_DESK";
/// The longest desk label, in characters.
pub const MAX_DESK_CHARS: usize = 40;

/// Who is at the desk when nobody said: `DELEGATE_DESK_OPERATOR`, else the login name of the
/// system user, else [`DEFAULT_OPERATOR`].
pub fn default_operator() -> String {
    [OPERATOR_ENV, "USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_OPERATOR.to_string())
}

/// The operator named by `DELEGATE_DESK_OPERATOR`, if it names one: the window then does not
/// ask who is at the desk.
pub fn operator_from_env() -> Option<String> {
    std::env::var(OPERATOR_ENV).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Which desk this is when nobody said: `DELEGATE_DESK_DESK`, else the computer's name, else
/// "Desk".
pub fn default_desk() -> String {
    let named = std::env::var(DESK_ENV).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    named
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
        })
        .map(|d| d.chars().take(MAX_DESK_CHARS).collect())
        .unwrap_or_else(|| "Desk".to_string())
}

/// The seat count, for the gauge and `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatStatus {
    /// Seats of the event.
    pub capacity: u32,
    /// People holding a seat.
    pub registered: u32,
    /// People waiting for a seat.
    pub waitlisted: u32,
    /// People invited who hold no seat yet.
    pub invited: u32,
    /// People who cancelled.
    pub cancelled: u32,
    /// Seats still free: capacity − registered.
    pub seats_left: u32,
    /// Of the free seats, those held for people waiting who could take them (oldest first,
    /// within their delegation's allocation): a newcomer gets only the seats beyond them.
    pub held_for_waitlist: u32,
    /// Seat allocations per delegation, if any.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub allocations: Vec<crate::allocation::AllocationStatus>,
}

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

/// Which attendees to list; every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListFilter {
    /// Status, as people write it ("registered", "Waitlisted").
    pub status: Option<String>,
    /// Category, wire value or label.
    pub category: Option<String>,
    /// Delegation, case and accents ignored.
    pub delegation: Option<String>,
    /// Delegations with a word starting with this, case and accents ignored ("jam" finds
    /// Jamaica, "rep" the Dominican Republic): the filter as it is being typed.
    pub delegation_starts: Option<String>,
    /// Part of a name or e-mail, case and accents ignored ("helene" finds "Hélène").
    pub name: Option<String>,
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

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Order of the entry.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub operator: String,
    /// At which desk.
    pub desk: String,
    /// What: `register`, `edit`, `cancel`, `promote`, `reinstate`, `event.update`,
    /// `checkin`, `checkin.undo`, `badge.print`, `import`, `allocation.set`, ….
    pub action: String,
    /// Which attendee, if any.
    pub attendee_id: Option<i64>,
    /// The record before the change, as JSON.
    pub before: Option<serde_json::Value>,
    /// The record after the change, as JSON.
    pub after: Option<serde_json::Value>,
}

/// Which audit entries to read; every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditFilter {
    /// From this time on: RFC 3339, or a date or date and time at the venue
    /// ("2019-11-14", "2019-11-14 08:00").
    pub since: Option<String>,
    /// Before this time, written the same ways.
    pub until: Option<String>,
    /// Only this attendee.
    pub person: Option<i64>,
    /// Only the people these words find, as the arrival search finds them ("dupre hel"; at
    /// most [`crate::search::MAX_RESULTS`] people).
    pub who: Option<String>,
    /// Only this operator (case and accents ignored).
    pub operator: Option<String>,
    /// Only this action, or this family of actions (`checkin` is also `checkin.undo`).
    pub action: Option<String>,
    /// At most this many, the newest (default and most: [`MAX_AUDIT_ROWS`]).
    pub limit: Option<usize>,
}

/// The most audit entries one read returns.
pub const MAX_AUDIT_ROWS: usize = 100_000;

/// A time typed for an audit filter, as the UTC RFC 3339 text the audit rows hold.
fn audit_time(event: &Event, field: &str, typed: &str) -> Result<String> {
    let t = typed.trim();
    let label = if field == "until" { "Until" } else { "From" };
    let utc =
        |dt: chrono::DateTime<Utc>| -> Result<String> { Ok(dt.to_rfc3339_opts(SecondsFormat::Millis, true)) };
    // Bounded like every date a person types (the date as written): no arithmetic below can
    // overflow.
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        crate::model::check_year(field, label, dt.date_naive(), t)?;
        return utc(dt.with_timezone(&Utc));
    }
    let local = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .or_else(|_| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        });
    // A local time that does not exist (the clocks jumped over it) means the first instant
    // after the jump: try every quarter of an hour for up to four hours.
    if let Ok(l) = local {
        crate::model::check_year(field, label, l.date(), t)?;
    }
    let exists = |l: chrono::NaiveDateTime| {
        (0..=16).find_map(|q| {
            l.checked_add_signed(chrono::Duration::minutes(15 * q))?.and_local_timezone(event.tz()).earliest()
        })
    };
    match local.map(exists) {
        Ok(Some(dt)) => utc(dt.with_timezone(&Utc)),
        _ => Err(Error::invalid(
            field,
            format!(
                "\"{}\" is not a time: write 2019-11-14, 2019-11-14 08:00 (at the venue) or an RFC 3339 time",
                crate::text::shortened(t, 40)
            ),
        )),
    }
}

/// Where the database is, for the footer of the window and for support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DbInfo {
    /// The database file, or the server's address with its password redacted.
    pub path: String,
    /// "sqlite" (a file on this computer) or "postgres" (a server shared by several desks).
    pub engine: String,
    /// Its schema version.
    pub schema_version: i64,
    /// Where the window writes badge PDFs and rosters (see
    /// [`crate::printing::output_dir_path`]), if a folder is known.
    pub output_dir: Option<String>,
}

/// One open database and the operator working on it.
pub struct Desk {
    pub(crate) db: Db,
    /// The database file, or the server's address with its password redacted.
    path: PathBuf,
    pub(crate) operator: Operator,
    /// The folded words of everyone, for [`Desk::search`]; refreshed from the audit trail.
    pub(crate) search_index: std::cell::RefCell<search::SearchIndex>,
    /// This desk's lock on coordinator actions, and the check-ins it made.
    pub(crate) guard: guard::Guard,
}

/// The oldest waitlisted people who can take `seats` free seats, oldest first: someone whose
/// delegation's allocation (or the shared pool) is full is passed over for the next in line.
fn oldest_waitlisted(db: &Db, seats: u32) -> Result<Vec<Attendee>> {
    let mut room = crate::allocation::Room::now(db)?;
    let mut out = Vec::new();
    if seats == 0 {
        return Ok(out);
    }
    db.query_while(
        &format!("{ATTENDEE_SELECT} WHERE a.status = 'waitlisted' ORDER BY a.waitlist_seq"),
        params![],
        |r| {
            let a = attendee_from_row(r)?;
            if room.take(&a.fields.delegation) {
                out.push(a);
            }
            Ok(out.len() < seats as usize)
        },
    )?;
    Ok(out)
}

/// Refuse a second record of the same person: same e-mail (case ignored), or same given and
/// family name (case and accents ignored) in the same delegation.
pub(crate) fn check_duplicates(db: &Db, f: &AttendeeFields, exclude: Option<i64>) -> Result<()> {
    let keys = Keys::of(f);
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
    let same_email = |a: &&Attendee| !keys.email.is_empty() && Keys::of(&a.fields).email == keys.email;
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

/// The folded keys stored beside an attendee.
pub(crate) struct Keys {
    pub(crate) name: String,
    pub(crate) delegation: String,
    pub(crate) email: String,
    search: String,
}

impl Keys {
    pub(crate) fn of(f: &AttendeeFields) -> Keys {
        Keys {
            name: fold(&format!("{} {}", f.given_name, f.family_name)),
            delegation: fold(&f.delegation),
            email: f.email.to_lowercase(),
            search: fold(&format!(
                "{} {} {} {}",
                f.given_name,
                f.family_name,
                f.badge_name.as_deref().unwrap_or(""),
                f.email
            )),
        }
    }
}

/// Where a newcomer goes: the next free seat, or the end of the waitlist. Decided inside the
/// caller's IMMEDIATE transaction, so no other writer can take the same seat meanwhile.
pub(crate) struct SeatClaim {
    pub(crate) status: Status,
    registered_at: Option<String>,
    waitlist_seq: Option<i64>,
    /// The seat's number (people registered including this one), if registered.
    seat: Option<u32>,
    /// Why waitlisted although seats are free (an allocation is full, or people wait).
    pub(crate) reason: Option<String>,
    /// Whether that reason is a full allocation (not the waitlist's priority).
    pub(crate) allocation_full: bool,
}

/// Refuses to move a registered person into another delegation whose seat allocation is full:
/// the seat moves with the person. A move between two delegations without an allocation keeps
/// its seat in the shared pool.
/// Whether a change takes a held seat from one delegation to another.
fn moves_a_seat(before: &Attendee, fields: &AttendeeFields) -> bool {
    before.status == Status::Registered && fold(&fields.delegation) != fold(&before.fields.delegation)
}

pub(crate) fn check_move(tx: &Tx, before: &Attendee, fields: &AttendeeFields) -> Result<()> {
    if !moves_a_seat(before, fields) {
        return Ok(());
    }
    if !crate::allocation::is_allocated(tx, &before.fields.delegation)?
        && !crate::allocation::is_allocated(tx, &fields.delegation)?
    {
        return Ok(());
    }
    match crate::allocation::blocked(tx, &fields.delegation)? {
        Some((why, _)) => Err(Error::Conflict(format!(
            "{} cannot move to {} while registered: {why}",
            before.display_name, fields.delegation
        ))),
        None => Ok(()),
    }
}

/// The waitlisted person the desk proposes for a free seat now: the oldest who can take one,
/// if a seat is free. A newcomer queues behind them, a cancellation proposes them, and a
/// change of delegation must leave their seat to them.
pub(crate) fn next_in_line(db: &Db, capacity: u32) -> Result<Option<Attendee>> {
    let (registered, waiting) = seats_taken(db)?;
    next_given(db, capacity, registered, waiting)
}

/// [`next_in_line`] with the counts already read.
fn next_given(db: &Db, capacity: u32, registered: u32, waiting: u32) -> Result<Option<Attendee>> {
    if registered >= capacity || waiting == 0 {
        return Ok(None);
    }
    Ok(oldest_waitlisted(db, 1)?.pop())
}

/// [`next_in_line`] before a change that moves `before`'s seat to another delegation (none
/// for any other change), to be checked after it with [`check_promise`].
pub(crate) fn promised_seat(tx: &Tx, before: &Attendee, fields: &AttendeeFields) -> Result<Option<Attendee>> {
    if !moves_a_seat(before, fields) {
        return Ok(None);
    }
    next_in_line(tx, load_event(tx)?.capacity)
}

/// Refuse a move that took the seat the waitlist was promised: `promised` could be promoted
/// before the change, and no longer can.
pub(crate) fn check_promise(tx: &Tx, who: &Attendee, promised: Option<&Attendee>) -> Result<()> {
    if let Some(p) = promised {
        if let Some((why, _)) = crate::allocation::blocked(tx, &p.fields.delegation)? {
            return Err(Error::Conflict(format!(
                "{} cannot change delegation now: the free seat belongs to {} (#{}), first on the waitlist, and after this change {why}. Promote them first",
                who.display_name, p.display_name, p.id
            )));
        }
    }
    Ok(())
}

/// The room left once the free seats owed to the waitlist are set aside.
/// A freed seat belongs to the waitlist, but only as many seats as there are people waiting
/// who could take them (oldest first, each within their delegation's allocation): the seats
/// beyond that are free for anyone (pretix subtracts the waiting list's length from the quota).
fn room_after_waitlist(db: &Db, free: u32, waiting: u32) -> Result<crate::allocation::Room> {
    Ok(held_for_waitlist(db, free, waiting)?.0)
}

/// [`room_after_waitlist`], and how many of the `free` seats it holds for people waiting.
fn held_for_waitlist(db: &Db, free: u32, waiting: u32) -> Result<(crate::allocation::Room, u32)> {
    let mut room = crate::allocation::Room::now(db)?;
    let mut held = 0u32;
    if free == 0 || waiting == 0 {
        return Ok((room, 0));
    }
    db.query_while(
        "SELECT delegation FROM attendee WHERE status = 'waitlisted' ORDER BY waitlist_seq",
        params![],
        |r| {
            if room.take(&r.get::<String>(0)?) {
                held += 1;
            }
            Ok(held < free)
        },
    )?;
    Ok((room, held))
}

/// Why a newcomer of `delegation` would get no seat now (the event full, the free seats held
/// for the people waiting, the delegation's allocation full), or `None` when one is free for
/// them. Read only: what [`claim_seat`] would decide.
pub(crate) fn no_seat_now(db: &Db, event: &Event, delegation: &str) -> Result<Option<String>> {
    match claim_seat(db, event, delegation, "") {
        Ok(claim) if claim.status == Status::Registered => Ok(None),
        Ok(claim) => {
            let (registered, _) = seats_taken(db)?;
            Ok(Some(if registered >= event.capacity {
                format!("The event is full ({registered} of {} seats taken)", event.capacity)
            } else {
                capitalised(&claim.reason.unwrap_or_else(|| "no seat is free".into()))
            }))
        }
        Err(Error::Conflict(why)) => Ok(Some(why)),
        Err(e) => Err(e),
    }
}

pub(crate) fn claim_seat(tx: &Db, event: &Event, delegation: &str, at: &str) -> Result<SeatClaim> {
    let (registered, waiting) = seats_taken(tx)?;
    let mut reason = None;
    let mut allocation_full = false;
    if registered < event.capacity {
        match crate::allocation::blocked(tx, delegation)? {
            None => {
                // The seats held for the people waiting are theirs, so that the promotion the
                // desk proposes succeeds; a newcomer takes a seat only beyond them.
                let mut room = room_after_waitlist(tx, event.capacity - registered, waiting)?;
                if room.take(delegation) {
                    return Ok(SeatClaim {
                        status: Status::Registered,
                        registered_at: Some(at.to_string()),
                        waitlist_seq: None,
                        seat: Some(registered + 1),
                        reason: None,
                        allocation_full: false,
                    });
                }
                reason = Some(format!(
                    "{waiting} {} waiting for a seat",
                    if waiting == 1 { "person is" } else { "people are" }
                ))
            }
            Some((why, crate::allocation::AllocationPolicy::Refuse)) => {
                return Err(Error::Conflict(format!("{} — registration refused", capitalised(&why))))
            }
            Some((why, crate::allocation::AllocationPolicy::Waitlist)) => {
                allocation_full = true;
                reason = Some(why)
            }
        }
    }
    let seq: i64 = tx.value("SELECT coalesce(max(waitlist_seq), 0) + 1 FROM attendee", params![])?;
    Ok(SeatClaim {
        status: Status::Waitlisted,
        registered_at: None,
        waitlist_seq: Some(seq),
        seat: None,
        reason,
        allocation_full,
    })
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

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

impl SeatClaim {
    /// On the invite list, no seat held.
    pub(crate) fn invited() -> SeatClaim {
        SeatClaim {
            status: Status::Invited,
            registered_at: None,
            waitlist_seq: None,
            seat: None,
            reason: None,
            allocation_full: false,
        }
    }

    /// The outcome for the operator: "<done> — seat 73 of 100" or "Event full — <waitlisted>,
    /// position 3".
    fn outcome(
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
    /// Open the database at `path` (creating it, with the demo event, if it does not exist).
    ///
    /// `path` may also be a PostgreSQL server's address (`postgres://user@host/db`): several
    /// desks then share one roster, with the same rules (see [`crate::pg`]).
    pub fn open(path: &Path) -> Result<Desk> {
        let (db, path) = match crate::store::pg::Location::of(path, "db")? {
            crate::store::pg::Location::Server(address) => {
                (crate::store::pg::open(&address, &seed::statements()?)?, PathBuf::from(address.to_string()))
            }
            crate::store::pg::Location::File(file) => {
                (Db::sqlite(storage::open(&file, seed::seed_demo)?), file)
            }
        };
        Ok(Desk {
            db,
            path,
            operator: Operator { name: default_operator(), desk: default_desk() },
            search_index: Default::default(),
            guard: Default::default(),
        })
    }

    /// The database file (for a server, its address with the password redacted).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database file, its schema version, and where the window writes files.
    pub fn info(&self) -> DbInfo {
        DbInfo {
            path: self.path.display().to_string(),
            engine: match self.db.engine() {
                crate::store::db::Engine::Sqlite => "sqlite".into(),
                crate::store::db::Engine::Postgres => "postgres".into(),
            },
            schema_version: match self.db.engine() {
                crate::store::db::Engine::Sqlite => storage::SCHEMA_VERSION,
                crate::store::db::Engine::Postgres => crate::store::pg::SCHEMA_VERSION,
            },
            output_dir: storage::output_dir_path().ok().map(|d| d.display().to_string()),
        }
    }

    /// Refuse to write `out` when it is this desk's database or one of its journal files,
    /// by any spelling (see [`storage::check_output`]).
    pub fn check_output(&self, out: &Path) -> Result<()> {
        match self.db.engine() {
            crate::store::db::Engine::Sqlite => storage::check_output(&self.path, out),
            crate::store::db::Engine::Postgres => storage::check_output_name(out),
        }
    }

    /// Who is recorded in the audit trail for the changes made through this desk: a name of
    /// 1 to 80 characters on one line.
    pub fn set_operator(&mut self, operator: &str) -> Result<()> {
        const OPERATOR: crate::text::TextRule = crate::text::TextRule {
            field: "operator",
            label: "Operator",
            max_chars: 80,
            why: "it is written on every audit entry",
            multiline: false,
        };
        let name = crate::text::clean(&OPERATOR, operator)?;
        if name.is_empty() {
            return Err(Error::invalid("operator", "Name the operator"));
        }
        self.operator.name = name;
        Ok(())
    }

    /// Which desk is recorded with every change made through this one: a label of 1 to
    /// [`MAX_DESK_CHARS`] characters on one line ("Desk 2").
    pub fn set_desk(&mut self, desk: &str) -> Result<()> {
        const DESK: crate::text::TextRule = crate::text::TextRule {
            field: "desk",
            label: "Desk",
            max_chars: MAX_DESK_CHARS,
            why: "it is written on every audit entry and check-in",
            multiline: false,
        };
        let label = crate::text::clean(&DESK, desk)?;
        if label.is_empty() {
            return Err(Error::invalid("desk", "Name the desk (for example \"Desk 1\")"));
        }
        self.operator.desk = label;
        Ok(())
    }

    /// Who is recorded in the audit trail for the changes made through this desk.
    pub fn operator(&self) -> &str {
        &self.operator.name
    }

    /// Who is at this desk: the operator and the desk's label.
    pub fn who(&self) -> Operator {
        self.operator.clone()
    }

    /// Name the operator and the desk at once: both are checked before either changes.
    pub fn sign_in(&mut self, name: &str, desk: &str) -> Result<Operator> {
        let before = self.operator.clone();
        let result = self.set_operator(name).and_then(|()| self.set_desk(desk));
        if result.is_err() {
            self.operator = before;
        }
        result.map(|()| self.operator.clone())
    }

    /// Which desk is recorded with the changes made through this one.
    pub fn desk_label(&self) -> &str {
        &self.operator.desk
    }

    pub(crate) fn begin(&mut self) -> Result<Tx<'_>> {
        self.db.begin()
    }

    /// Which engine holds this desk's roster.
    pub fn engine(&self) -> crate::store::db::Engine {
        self.db.engine()
    }

    /// The event settings.
    pub fn event(&self) -> Result<Event> {
        load_event(&self.db)
    }

    /// Change the event settings. Lowering the capacity below the number registered is
    /// refused; raising it proposes the oldest waitlisted people for the new seats.
    pub fn update_event(&mut self, input: &EventInput) -> Result<EventUpdateOutcome> {
        self.coordinator_only("Changing the event settings")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = load_event(&tx)?;
        let after = before.with_input(input)?;
        let registered = count(&tx, Status::Registered)?;
        crate::allocation::check_capacity(&tx, after.capacity)?;
        if after.capacity < registered {
            return Err(Error::invalid(
                "capacity",
                format!(
                    "Capacity cannot be {}: {registered} people are registered. Choose at least {registered}, or cancel registrations first",
                    after.capacity
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
        tx.execute(
            "UPDATE event SET name = ?1, venue = ?2, start_date = ?3, end_date = ?4, timezone = ?5, capacity = ?6 WHERE id = 1",
            params![&after.name, &after.venue, after.start_date.to_string(), after.end_date.to_string(), &after.timezone, after.capacity],
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
        let message = if after.capacity > before.capacity {
            format!(
                "Saved. Capacity raised from {} to {}: {seats_left} seat{} free{}",
                before.capacity,
                after.capacity,
                if seats_left == 1 { "" } else { "s" },
                match candidates.len() {
                    0 => String::new(),
                    n => format!(
                        ", {n} waitlisted {} can be promoted",
                        if n == 1 { "person" } else { "people" }
                    ),
                }
            )
        } else if before == after {
            "No change".to_string()
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
        check_duplicates(&tx, &fields, None)?;
        let at = now();
        let seat = claim_seat(&tx, &event, &fields.delegation, &at)?;
        let id = insert_attendee(&tx, &fields, &seat, &at)?;
        let attendee = load_attendee(&tx, id)?;
        audit(&tx, &operator, "register", Some(id), None::<&Attendee>, Some(&attendee))?;
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
    pub fn edit(&mut self, id: i64, input: &AttendeeInput) -> Result<Attendee> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let before = load_attendee(&tx, id)?;
        let fields = AttendeeFields::from_input(Some(&before.fields), input, event.day_count())?;
        if fields == before.fields {
            return Ok(before);
        }
        check_duplicates(&tx, &fields, Some(id))?;
        check_move(&tx, &before, &fields)?;
        let promised = promised_seat(&tx, &before, &fields)?;
        update_fields(&tx, id, &fields, &now())?;
        check_promise(&tx, &before, promised.as_ref())?;
        let after = load_attendee(&tx, id)?;
        audit(&tx, &operator, "edit", Some(id), Some(&before), Some(&after))?;
        tx.finish(after)
    }

    /// Cancel an attendee. A freed seat is not given away: the oldest waitlisted person is
    /// proposed, and promoted only by [`Desk::promote`] when the operator confirms.
    pub fn cancel(&mut self, id: i64) -> Result<CancelOutcome> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = load_attendee(&tx, id)?;
        if before.status == Status::Cancelled {
            return Err(Error::Conflict(format!("{} (#{id}) is already cancelled", before.display_name)));
        }
        tx.execute(
            "UPDATE attendee SET status = 'cancelled', registered_at = NULL, waitlist_seq = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        let after = load_attendee(&tx, id)?;
        audit(&tx, &operator, "cancel", Some(id), Some(&before), Some(&after))?;
        let event = load_event(&tx)?;
        let registered = count(&tx, Status::Registered)?;
        let proposal =
            if before.status == Status::Registered { next_in_line(&tx, event.capacity)? } else { None };
        let left = event.capacity - registered;
        let mut message = match before.status {
            Status::Registered => {
                format!("Cancelled {} — seat freed, {left} of {} left", before.display_name, event.capacity)
            }
            other => format!("Cancelled {} (was {})", before.display_name, other.wire()),
        };
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
            if let Some((why, _)) = crate::allocation::blocked(&tx, &before.fields.delegation)? {
                return Err(Error::Conflict(format!("Cannot promote {}: {why}", before.display_name)));
            }
            let registered = count(&tx, Status::Registered)?;
            if registered >= event.capacity {
                return Err(Error::Conflict(format!(
                    "No seat is free for {}: {registered} of {} registered. Raise the capacity or cancel a registration first",
                    before.display_name, event.capacity
                )));
            }
            let at = now();
            tx.execute(
                "UPDATE attendee SET status = 'registered', registered_at = ?2, waitlist_seq = NULL, updated_at = ?2 WHERE id = ?1",
                params![id, &at],
            )?;
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

    /// One attendee.
    pub fn attendee(&self, id: i64) -> Result<Attendee> {
        load_attendee(&self.db, id)
    }

    /// The attendees that match `filter`: the waitlist in its order when listing waitlisted
    /// people, everyone else by family name then given name (case and accents ignored).
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Attendee>> {
        let some =
            |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let status = some(&filter.status).map(|s| Status::parse(&s)).transpose()?;
        let category = some(&filter.category).map(|s| Category::parse(&s)).transpose()?;
        let delegation = some(&filter.delegation).map(|d| fold(&d));
        let like = |s: &str| s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let name = some(&filter.name).map(|n| format!("%{}%", like(&fold(&n))));
        let starts = some(&filter.delegation_starts).map(|d| format!("% {}%", like(&fold(&d))));
        let sql = format!(
            "{ATTENDEE_SELECT}
             WHERE (CAST(?1 AS TEXT) IS NULL OR a.status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR a.category = ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR a.delegation_key = ?3)
               AND (CAST(?4 AS TEXT) IS NULL OR a.search_key LIKE ?4 ESCAPE '\\')
               AND (CAST(?5 AS TEXT) IS NULL OR ' ' || a.delegation_key LIKE ?5 ESCAPE '\\')"
        );
        let mut rows = self.db.query_map(
            &sql,
            params![status.map(Status::wire), category.map(Category::wire), delegation, name, starts],
            attendee_from_row,
        )?;
        if status == Some(Status::Waitlisted) {
            rows.sort_by_key(|a| a.waitlist_position);
        } else {
            rows.sort_by_cached_key(|a| (fold(&a.fields.family_name), fold(&a.fields.given_name), a.id));
        }
        Ok(rows)
    }

    /// The seat count.
    pub fn status(&self) -> Result<SeatStatus> {
        // One read transaction: every figure from the same moment, whatever other desks do.
        let tx = self.db.snapshot()?;
        let capacity: u32 = tx.value("SELECT capacity FROM event WHERE id = 1", params![])?;
        let mut by_status = [0u32; 4];
        let rows = tx.query_map("SELECT status, n FROM status_count", params![], |r| {
            Ok((r.get::<String>(0)?, r.get::<u32>(1)?))
        })?;
        for (status, n) in rows {
            if let Some(i) = Status::ALL.iter().position(|s| s.wire() == status) {
                by_status[i] = n;
            }
        }
        let [invited, registered, waitlisted, cancelled] = by_status;
        let allocations = crate::allocation::load(&tx)?.allocations;
        let seats_left = capacity.saturating_sub(registered);
        let (_, held) = held_for_waitlist(&tx, seats_left, waitlisted)?;
        tx.commit()?;
        Ok(SeatStatus {
            capacity,
            registered,
            waitlisted,
            invited,
            cancelled,
            seats_left,
            held_for_waitlist: held,
            allocations,
        })
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

    /// The delegations for the type-ahead: the known ones and every one typed so far, each
    /// once (case and accents ignored), sorted.
    pub fn delegations(&self) -> Result<Vec<String>> {
        let mut names: Vec<(String, String)> = self.db.query_map(
            "SELECT name FROM delegation UNION SELECT delegation FROM attendee WHERE delegation <> ''",
            params![],
            |r| r.get::<String>(0).map(|n| (fold(&n), n)),
        )?;
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        Ok(names.into_iter().map(|(_, n)| n).collect())
    }

    /// A number that grows with every change to the database, by this or any other process:
    /// the UI polls it to know when to refresh. On a server roster it also reads what the
    /// other desks changed ([`Desk::follow`]), so that the roster kept for an outage is never
    /// more than a poll behind.
    pub fn revision(&self) -> Result<i64> {
        match self.db.engine() {
            // Following reads the newest audit row itself: one statement per poll, not two.
            crate::store::db::Engine::Postgres => self.follow(),
            crate::store::db::Engine::Sqlite => {
                self.db.value("SELECT coalesce(max(id), 0) FROM audit", params![])
            }
        }
    }

    /// The audit trail of one attendee, oldest first.
    pub fn history(&self, id: i64) -> Result<Vec<AuditEntry>> {
        load_attendee(&self.db, id)?;
        self.db.query_map(
            "SELECT id, at, operator, desk, action, attendee_id, before, after FROM audit WHERE attendee_id = ?1 ORDER BY id",
            params![id],
            audit_from_row,
        )
    }
}

impl Desk {
    /// The audit trail: the entries matching `filter`, oldest first (the newest
    /// `filter.limit` when there are more).
    pub fn audit_trail(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let event = load_event(&self.db)?;
        let some =
            |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let since = some(&filter.since).map(|t| audit_time(&event, "since", &t)).transpose()?;
        let until = some(&filter.until).map(|t| audit_time(&event, "until", &t)).transpose()?;
        let operator = some(&filter.operator).map(|o| fold(&o));
        let action = some(&filter.action);
        let who: Option<std::collections::HashSet<i64>> = match some(&filter.who) {
            Some(words) if crate::search::query_words(&words).is_empty() => {
                return Err(Error::invalid("who", "Type letters of a name to find the person by"))
            }
            Some(words) => Some(self.search_ids(&words, crate::search::MAX_RESULTS)?.into_iter().collect()),
            None => None,
        };
        if filter.limit == Some(0) {
            return Err(Error::invalid("limit", "Ask for at least 1 entry"));
        }
        let limit = filter.limit.unwrap_or(MAX_AUDIT_ROWS).clamp(1, MAX_AUDIT_ROWS) as i64;
        let rows = self.db.query_map(
            "SELECT id, at, operator, desk, action, attendee_id, before, after FROM audit
             WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR at < ?2)
               AND (CAST(?3 AS BIGINT) IS NULL OR attendee_id = ?3)
               AND (CAST(?4 AS TEXT) IS NULL OR action = ?4 OR substr(action, 1, length(?4) + 1) = ?4 || '.')
             ORDER BY id",
            params![since, until, filter.person, action],
            audit_from_row,
        )?;
        let mut out = Vec::new();
        for row in rows {
            if operator.as_ref().is_some_and(|o| fold(&row.operator) != *o) {
                continue;
            }
            if who.as_ref().is_some_and(|ids| !row.attendee_id.is_some_and(|id| ids.contains(&id))) {
                continue;
            }
            out.push(row);
        }
        let extra = out.len().saturating_sub(limit as usize);
        out.drain(..extra);
        Ok(out)
    }
}

/// An audit row read by `SELECT id, at, operator, desk, action, attendee_id, before, after`.
pub(crate) fn audit_from_row(r: &Row) -> Result<AuditEntry> {
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        desk: r.get(3)?,
        action: r.get(4)?,
        attendee_id: r.get(5)?,
        before: json(r.get(6)?),
        after: json(r.get(7)?),
    })
}

/// An attendee's personal fields ready to bind: the derived columns (category, days, folded
/// keys) computed once, in the order of [`FIELD_COLUMNS`] (parameters `?1` to `?18`). The one
/// binding that [`insert_attendee`] and [`update_fields`] share.
fn field_values(f: &AttendeeFields) -> Vec<crate::store::db::Value> {
    let keys = Keys::of(f);
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
        keys.name,
        keys.delegation,
        keys.email,
        keys.search
    ]
    .to_vec()
}

/// Overwrite the personal fields (and keys) of attendee `id`; its status is left alone.
pub(crate) fn update_fields(tx: &Tx, id: i64, fields: &AttendeeFields, at: &str) -> Result<()> {
    let mut values = field_values(fields);
    values.extend(params![id, at].iter().cloned());
    tx.execute(
        "UPDATE attendee SET rank = ?1, given_name = ?2, family_name = ?3, badge_name = ?4, position = ?5,
             organization = ?6, delegation = ?7, category = ?8, email = ?9, phone = ?10, days = ?11,
             dietary = ?12, accessibility = ?13, notes = ?14, name_key = ?15, delegation_key = ?16,
             email_key = ?17, search_key = ?18, updated_at = ?20
         WHERE id = ?19",
        &values,
    )?;
    Ok(())
}

pub(crate) fn insert_attendee(tx: &Tx, f: &AttendeeFields, seat: &SeatClaim, at: &str) -> Result<i64> {
    let mut values = field_values(f);
    values.extend(params![seat.status.wire(), &seat.registered_at, seat.waitlist_seq, at].iter().cloned());
    tx.value(
        "INSERT INTO attendee (rank, given_name, family_name, badge_name, position, organization, delegation,
             category, email, phone, days, dietary, accessibility, notes, name_key, delegation_key, email_key,
             search_key, status, registered_at, waitlist_seq, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
             ?21, ?22, ?22)
         RETURNING id",
        &values,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event at a venue in `timezone`.
    fn event_in(timezone: &str) -> Event {
        Event {
            name: "E".into(),
            venue: "V".into(),
            start_date: NaiveDate::from_ymd_opt(2019, 11, 14).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2019, 11, 15).unwrap(),
            timezone: timezone.into(),
            days: vec![],
            capacity: 100,
            demo: false,
        }
    }

    #[test]
    fn audit_times_are_bounded_before_any_arithmetic() {
        let ny = event_in("America/New_York");
        for (typed, utc) in [
            ("2000-01-01", "2000-01-01T05:00:00.000Z"),
            ("2100-12-31 23:59", "2101-01-01T04:59:00.000Z"),
            ("2100-12-31T23:59", "2101-01-01T04:59:00.000Z"),
            ("2100-12-31T23:59:59.999-12:00", "2101-01-01T11:59:59.999Z"),
            ("2000-01-01T00:00:00+14:00", "1999-12-31T10:00:00.000Z"),
            ("2024-02-29 08:00", "2024-02-29T13:00:00.000Z"),
            // A time the clocks jumped over: the first instant after the jump.
            ("2019-03-10 02:30", "2019-03-10T07:00:00.000Z"),
        ] {
            assert_eq!(audit_time(&ny, "until", typed).unwrap(), utc, "{typed}");
        }
        // Out of range or no date at all, at every offset: refused naming the flag's field,
        // never a panic (`+262142-12-31 23:59` overflowed adding a quarter of an hour).
        for tz in ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/London"] {
            let event = event_in(tz);
            for (typed, why) in [
                ("+262142-12-31 23:59", "out of range"),
                ("+262142-12-31", "out of range"),
                ("262142-12-31T23:59:59Z", "is not a time"),
                ("+262142-12-31T23:59:59-23:59", "is not a time"),
                ("9999-12-31T23:59:59-23:59", "out of range"),
                ("0000-01-01T00:00:00+23:59", "out of range"),
                ("-262143-01-01 00:00", "out of range"),
                ("9999-12-31 23:59", "out of range"),
                ("2101-01-01 00:00", "out of range"),
                ("1999-12-31 23:59", "out of range"),
                ("1999-12-31T23:59:59-12:00", "out of range"),
                ("1970-01-01", "out of range"),
                ("0000-01-01", "out of range"),
                ("-0001-12-31 12:00", "out of range"),
                ("+262143-01-01", "is not a time"),
                ("2100-02-29", "is not a time"),
                ("2023-02-29 08:00", "is not a time"),
                ("tomorrow", "is not a time"),
            ] {
                for field in ["since", "until"] {
                    let e = audit_time(&event, field, typed).unwrap_err();
                    assert_eq!(e.field(), Some(field), "{tz} {typed}");
                    let text = e.to_string();
                    assert!(text.contains(why) && text.contains(typed), "{tz} {typed}: {text}");
                }
            }
        }
    }
}
