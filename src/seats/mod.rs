//! Seats: the capacity invariant, the waitlist's order, the seat a registration claims
//! (inside its delegation's allocation, after the seats held for the people waiting) and the
//! seat status the header shows. Every rule that gives or takes a seat asks here.
//!
//! Every change is one `BEGIN IMMEDIATE` transaction that reads, decides, writes and appends
//! its audit row before it commits, so that `count(registered) <= capacity` holds whatever the
//! number of windows, processes and desks writing at once. Triggers in the schema are the
//! backstop.

pub mod allocation;

use crate::error::{Error, Result};
use crate::model::{Attendee, AttendeeFields, Event, Status};
use crate::params;
use crate::store::db::{Db, Tx};
use crate::store::records::{attendee_from_row, load_event, seats_taken, ATTENDEE_SELECT};
use crate::text::fold;
use crate::Desk;
use serde::{Deserialize, Serialize};

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
    pub allocations: Vec<allocation::AllocationStatus>,
}

/// The oldest waitlisted people who can take `seats` free seats, oldest first: someone whose
/// delegation's allocation (or the shared pool) is full is passed over for the next in line.
pub(crate) fn oldest_waitlisted(db: &Db, seats: u32) -> Result<Vec<Attendee>> {
    let mut room = allocation::Room::now(db)?;
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

/// Where a newcomer goes: the next free seat, or the end of the waitlist. Decided inside the
/// caller's IMMEDIATE transaction, so no other writer can take the same seat meanwhile.
pub(crate) struct SeatClaim {
    pub(crate) status: Status,
    /// When registered (RFC 3339), if the claim is a seat.
    pub(crate) registered_at: Option<String>,
    /// The place in the waitlist's order, if waitlisted.
    pub(crate) waitlist_seq: Option<i64>,
    /// The seat's number (people registered including this one), if registered.
    pub(crate) seat: Option<u32>,
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
    if !allocation::is_allocated(tx, &before.fields.delegation)?
        && !allocation::is_allocated(tx, &fields.delegation)?
    {
        return Ok(());
    }
    match allocation::blocked(tx, &fields.delegation)? {
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
    Ok(held_people(db, capacity, 1)?.pop())
}

/// The people the free seats are held for before a change that moves `before`'s seat to
/// another delegation (nobody for any other change), oldest first, to be checked after it
/// with [`check_promise`].
pub(crate) fn promised_seat(tx: &Tx, before: &Attendee, fields: &AttendeeFields) -> Result<Vec<Attendee>> {
    if !moves_a_seat(before, fields) {
        return Ok(Vec::new());
    }
    held_people(tx, load_event(tx)?.capacity, u32::MAX)
}

/// The waitlisted people the free seats are held for now, oldest first: at most `most`.
fn held_people(db: &Db, capacity: u32, most: u32) -> Result<Vec<Attendee>> {
    let (registered, waiting) = seats_taken(db)?;
    if registered >= capacity || waiting == 0 {
        return Ok(Vec::new());
    }
    oldest_waitlisted(db, most.min(capacity - registered))
}

/// Refuse a move that took a seat held for someone waiting: each of `promised` could be
/// promoted before the change, and must still be after it. (Only the first in line was
/// checked once, and a move could take the seat held for the second.)
pub(crate) fn check_promise(tx: &Tx, who: &Attendee, promised: &[Attendee]) -> Result<()> {
    if promised.is_empty() {
        return Ok(());
    }
    let still = held_people(tx, load_event(tx)?.capacity, u32::MAX)?;
    let Some((place, lost)) = promised.iter().enumerate().find(|(_, p)| !still.iter().any(|s| s.id == p.id))
    else {
        return Ok(());
    };
    let why = match allocation::blocked(tx, &lost.fields.delegation)? {
        Some((why, _)) => why,
        None => "no seat would be left for them".into(),
    };
    Err(Error::Conflict(format!(
        "{} cannot change delegation now: the free seat belongs to {} (#{}), waiting for it{}, and after this change {why}. Promote them first",
        who.display_name,
        lost.display_name,
        lost.id,
        if place == 0 { " first in line" } else { "" }
    )))
}

/// The waitlisted people the free seats are held for now, oldest first, each within their
/// delegation's allocation: to be checked after a promotion with [`check_promotion`].
pub(crate) fn held_seats(tx: &Tx) -> Result<Vec<Attendee>> {
    held_people(tx, load_event(tx)?.capacity, u32::MAX)
}

/// Refuse a promotion of `who` (already made in `tx`) that took a seat held for someone
/// waiting before them: each of `held` but `who` must still have a free seat after it. The
/// desk proposes the oldest in line when a seat frees; a promotion past them made that
/// proposal fail ("No seat is free").
pub(crate) fn check_promotion(tx: &Tx, who: &Attendee, held: &[Attendee]) -> Result<()> {
    let still = held_people(tx, load_event(tx)?.capacity, u32::MAX)?;
    let Some(lost) = held.iter().find(|p| p.id != who.id && !still.iter().any(|s| s.id == p.id)) else {
        return Ok(());
    };
    Err(Error::Conflict(format!(
        "Cannot promote {} (#{}): the free seat is held for {} (#{}), waiting longer. Promote them first, or raise the capacity to seat both",
        who.display_name, who.id, lost.display_name, lost.id
    )))
}

/// The room left once the free seats owed to the waitlist are set aside.
/// A freed seat belongs to the waitlist, but only as many seats as there are people waiting
/// who could take them (oldest first, each within their delegation's allocation): the seats
/// beyond that are free for anyone (pretix subtracts the waiting list's length from the quota).
fn room_after_waitlist(db: &Db, free: u32, waiting: u32) -> Result<allocation::Room> {
    Ok(held_for_waitlist(db, free, waiting)?.0)
}

/// [`room_after_waitlist`], and how many of the `free` seats it holds for people waiting.
fn held_for_waitlist(db: &Db, free: u32, waiting: u32) -> Result<(allocation::Room, u32)> {
    let mut room = allocation::Room::now(db)?;
    let mut held = 0u32;
    if free == 0 || waiting == 0 {
        return Ok((room, 0));
    }
    // Walked in the waitlist's own index, stopping at the last seat held: filtered by status
    // it sorted the whole waitlist first, for every registration while people wait (an import
    // of 10,000 onto a waitlist grew as its square).
    db.query_while(
        "SELECT delegation FROM attendee WHERE waitlist_seq IS NOT NULL ORDER BY waitlist_seq",
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
    // The delegation's allocation is asked about whether or not the event is full: a full
    // allocation refuses under "refuse", and is the reason someone waits under "waitlist".
    // (Asked only while seats were free, a full event waitlisted anyone as "Event full", the
    // refuse policy aside, and they waited for a seat their allocation could never give.)
    match allocation::blocked(tx, delegation)? {
        Some((why, allocation::AllocationPolicy::Refuse)) => {
            return Err(Error::Conflict(format!("{} — registration refused", capitalised(&why))))
        }
        Some((why, allocation::AllocationPolicy::Waitlist)) => {
            allocation_full = true;
            reason = Some(why)
        }
        None if registered < event.capacity => {
            // The seats held for the people waiting are theirs, so that the promotion the
            // desk proposes succeeds; a newcomer takes a seat only beyond them. With nobody
            // waiting, the seat `blocked` just found free is theirs (no need to read the
            // allocations again to hand it out).
            if waiting == 0 || room_after_waitlist(tx, event.capacity - registered, waiting)?.take(delegation)
            {
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
        // The event is full, and nothing else stands in the way: "Event full".
        None => {}
    }
    // Read through the partial index of the waitlist (a bare max() read the whole table for
    // every person waitlisted: 9 ms each with 16,000 on file, so an import grew as its square).
    let seq: i64 = tx.value(
        "SELECT coalesce(max(waitlist_seq), 0) + 1 FROM attendee WHERE waitlist_seq IS NOT NULL",
        params![],
    )?;
    Ok(SeatClaim {
        status: Status::Waitlisted,
        registered_at: None,
        waitlist_seq: Some(seq),
        seat: None,
        reason,
        allocation_full,
    })
}

pub(crate) fn capitalised(s: &str) -> String {
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
}

impl Desk {
    /// The seat count.
    pub fn status(&self) -> Result<SeatStatus> {
        // One read transaction: every figure from the same moment, whatever other desks do.
        let tx = self.db.snapshot()?;
        let status = seat_status(&tx)?;
        tx.commit()?;
        Ok(status)
    }
}

/// The seat count read inside the caller's transaction (the dashboard reads it with its other
/// figures in one snapshot).
pub(crate) fn seat_status(tx: &Db) -> Result<SeatStatus> {
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
    let allocations = allocation::load(tx)?.allocations;
    let seats_left = capacity.saturating_sub(registered);
    let (_, held) = held_for_waitlist(tx, seats_left, waitlisted)?;
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
