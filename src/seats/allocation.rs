//! Seat allocations per delegation, inside the capacity: "Jamaica 4, CDEMA 2". A delegation
//! with an allocation holds at most that many seats; the delegations without one share the
//! seats not allocated. Registering beyond an allocation waitlists or is refused, as the
//! coordinator chooses.

use crate::error::{Error, Result};
use crate::model::Status;
use crate::params;
use crate::store::db::Db;
use crate::store::records::{audit, count};
use crate::text::{clean, fold, TextRule};
use crate::Desk;
use serde::{Deserialize, Serialize};

/// What happens to someone whose delegation's allocation is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AllocationPolicy {
    /// Added to the waitlist (the default).
    Waitlist,
    /// Refused, with a message that names the delegation and its allocation.
    Refuse,
}

impl AllocationPolicy {
    /// The stored value.
    pub fn wire(self) -> &'static str {
        match self {
            AllocationPolicy::Waitlist => "waitlist",
            AllocationPolicy::Refuse => "refuse",
        }
    }

    /// Parse a policy as typed.
    pub fn parse(s: &str) -> Result<AllocationPolicy> {
        match s.trim().to_lowercase().as_str() {
            "waitlist" | "wait-list" => Ok(AllocationPolicy::Waitlist),
            "refuse" | "refused" => Ok(AllocationPolicy::Refuse),
            other => {
                let other = crate::text::shortened(other, 40);
                Err(Error::invalid("policy", format!("Unknown policy \"{other}\"; use waitlist or refuse")))
            }
        }
    }
}

/// One delegation's allocation and how much of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationStatus {
    /// Delegation, as written when the allocation was set.
    pub delegation: String,
    /// Seats allocated.
    pub seats: u32,
    /// Of them, registered.
    pub registered: u32,
}

/// Every allocation, the policy, and the seats left to the delegations without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Allocations {
    /// What happens beyond an allocation.
    pub policy: AllocationPolicy,
    /// The allocations, by delegation name.
    pub allocations: Vec<AllocationStatus>,
    /// Seats not allocated to any delegation (capacity − allocated).
    pub unallocated_seats: u32,
    /// Of them, registered (people of delegations without an allocation).
    pub unallocated_registered: u32,
}

const DELEGATION: TextRule = TextRule {
    field: "delegation",
    label: "Delegation",
    max_chars: 100,
    why: "it must fit on a badge",
    multiline: false,
};

fn policy(db: &Db) -> Result<AllocationPolicy> {
    let p: String =
        db.query_row("SELECT allocation_policy FROM event WHERE id = 1", params![], |r| r.get(0))?;
    AllocationPolicy::parse(&p)
}

/// The allocations as stored: (key, name, seats).
fn stored(db: &Db) -> Result<Vec<(String, String, u32)>> {
    db.query_map(
        "SELECT delegation_key, delegation, seats FROM allocation ORDER BY delegation_key",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

fn registered_in(db: &Db, key: &str) -> Result<u32> {
    db.query_row(
        "SELECT count(*) FROM attendee WHERE delegation_key = ?1 AND status = 'registered'",
        params![key],
        |r| r.get(0),
    )
}

/// The seats left under each allocation and in the shared pool, to hand out one by one.
pub(crate) struct Room {
    per_delegation: std::collections::HashMap<String, u32>,
    pool: u32,
}

impl Room {
    /// The room left now.
    pub(crate) fn now(db: &Db) -> Result<Room> {
        let a = load(db)?;
        let per_delegation = a
            .allocations
            .iter()
            .map(|x| (fold(&x.delegation), x.seats.saturating_sub(x.registered)))
            .collect();
        Ok(Room { per_delegation, pool: a.unallocated_seats.saturating_sub(a.unallocated_registered) })
    }

    /// Take a seat for someone of `delegation`, if there is room for them.
    pub(crate) fn take(&mut self, delegation: &str) -> bool {
        let left = self.per_delegation.get_mut(&fold(delegation)).unwrap_or(&mut self.pool);
        if *left == 0 {
            return false;
        }
        *left -= 1;
        true
    }
}

/// Whether `delegation` has an allocation of its own.
pub(crate) fn is_allocated(db: &Db, delegation: &str) -> Result<bool> {
    let key = fold(delegation);
    Ok(stored(db)?.iter().any(|r| r.0 == key))
}

/// The current allocations.
pub(crate) fn load(db: &Db) -> Result<Allocations> {
    let capacity: u32 = db.query_row("SELECT capacity FROM event WHERE id = 1", params![], |r| r.get(0))?;
    let rows = stored(db)?;
    let mut allocations = Vec::with_capacity(rows.len());
    let mut allocated_registered: u64 = 0;
    for (key, delegation, seats) in &rows {
        let registered = registered_in(db, key)?;
        allocated_registered += u64::from(registered);
        allocations.push(AllocationStatus { delegation: delegation.clone(), seats: *seats, registered });
    }
    let allocated = allocated_total(&rows);
    let registered = u64::from(count(db, Status::Registered)?);
    Ok(Allocations {
        policy: policy(db)?,
        allocations,
        unallocated_seats: u32::try_from(u64::from(capacity).saturating_sub(allocated)).unwrap_or(u32::MAX),
        unallocated_registered: u32::try_from(registered.saturating_sub(allocated_registered))
            .unwrap_or(u32::MAX),
    })
}

/// Why someone of `delegation` cannot take one of the event's free seats, if an allocation
/// stands in the way; and whether the policy refuses rather than waitlists.
pub(crate) fn blocked(db: &Db, delegation: &str) -> Result<Option<(String, AllocationPolicy)>> {
    let rows = stored(db)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let key = fold(delegation);
    let why = match rows.iter().find(|r| r.0 == key) {
        Some((_, name, seats)) => {
            let reg = registered_in(db, &key)?;
            (reg >= *seats).then(|| {
                format!("{name}'s allocation of {seats} seat{} is full", if *seats == 1 { "" } else { "s" })
            })
        }
        None => {
            let a = load(db)?;
            (a.unallocated_registered >= a.unallocated_seats).then(|| {
                let who = if delegation.is_empty() { "people without a delegation".to_string() } else { delegation.to_string() };
                format!(
                    "the {} seats not allocated to a delegation are taken ({who} has no allocation of its own)",
                    a.unallocated_seats
                )
            })
        }
    };
    Ok(match why {
        Some(w) => Some((w, policy(db)?)),
        None => None,
    })
}

/// The seats allocated in all, summed without overflow.
fn allocated_total(rows: &[(String, String, u32)]) -> u64 {
    rows.iter().map(|r| u64::from(r.2)).sum()
}

/// The people registered without an allocation of their own, by delegation (most first): who
/// could move into an allocated delegation, or be cancelled, to free shared seats.
fn unallocated_people(db: &Db) -> Result<Vec<(String, u32)>> {
    db.query_map(
        "SELECT min(a.delegation), count(*) AS n FROM attendee a
         WHERE a.status = 'registered' AND a.delegation_key NOT IN (SELECT delegation_key FROM allocation)
         GROUP BY a.delegation_key ORDER BY n DESC, a.delegation_key LIMIT 5",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// "8 registered without an allocation (Jamaica 5, Haiti 3)", for refusals.
fn describe_unallocated(db: &Db, n: u64) -> Result<String> {
    let who: Vec<String> = unallocated_people(db)?
        .into_iter()
        .map(|(d, k)| format!("{} {k}", if d.is_empty() { "no delegation" } else { d.as_str() }))
        .collect();
    Ok(format!(
        "{n} {} registered without an allocation of their own ({})",
        if n == 1 { "person is" } else { "people are" },
        who.join(", ")
    ))
}

/// Refuse a capacity below the seats allocated, or one that would leave the people registered
/// without an allocation more than the seats not allocated.
pub(crate) fn check_capacity(db: &Db, capacity: u32) -> Result<()> {
    let rows = stored(db)?;
    let allocated = allocated_total(&rows);
    if u64::from(capacity) < allocated {
        return Err(Error::invalid(
            "capacity",
            format!("Capacity cannot be {capacity}: {allocated} seats are allocated to delegations. Lower the allocations first"),
        ));
    }
    let pool_registered = u64::from(load(db)?.unallocated_registered);
    let pool = u64::from(capacity) - allocated;
    if pool_registered > pool {
        return Err(Error::invalid(
            "capacity",
            format!(
                "Capacity cannot be {capacity}: it would leave {pool} seat{} not allocated, but {}. Lower the allocations, or give those people's delegations an allocation, first",
                if pool == 1 { "" } else { "s" },
                describe_unallocated(db, pool_registered)?
            ),
        ));
    }
    Ok(())
}

/// Parse a number of seats as typed: a whole number from 0 to the largest capacity.
pub fn parse_seats(raw: &str) -> Result<u32> {
    let s = raw.trim();
    let max = *crate::model::CAPACITY_RANGE.end();
    if s.is_empty() {
        return Err(Error::invalid("seats", "Enter a number of seats"));
    }
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("seats", format!("Seats \"{s}\" is not a whole number of seats")));
    }
    s.parse::<u32>().ok().filter(|&n| n <= max).ok_or_else(|| {
        let shown = crate::text::shortened(s, 12);
        Error::invalid(
            "seats",
            format!("Seats {shown} is out of range; at most {max} (the largest capacity)"),
        )
    })
}

impl Desk {
    /// The allocations, the policy and the seats left to delegations without one, all read in
    /// one snapshot: the seats left over are the registered people of one moment less the
    /// allocations' people of the same moment, whatever other desks register meanwhile.
    pub fn allocations(&self) -> Result<Allocations> {
        let tx = self.db.snapshot()?;
        let allocations = load(&tx)?;
        tx.commit()?;
        Ok(allocations)
    }

    /// Allocate `seats` (as typed) to `delegation`; 0 is allowed (no seat for them).
    /// Refused if the allocations would total more than the capacity, if the delegation
    /// already has more people registered, or if the seats left unallocated could no longer
    /// hold the people registered without an allocation.
    pub fn set_allocation(&mut self, delegation: &str, seats: &str) -> Result<Allocations> {
        self.coordinator_only("Allocating seats")?;
        let name = clean(&DELEGATION, delegation)?;
        // A name that folds to nothing (an accent alone, invisible characters) would stand for
        // the people of no delegation.
        if fold(&name).is_empty() {
            return Err(Error::invalid("delegation", "Name the delegation to allocate seats to"));
        }
        let n = parse_seats(seats)?;
        // Spelled as the delegation is already known ("jamaica" is Jamaica).
        let key = fold(&name);
        let name = self.delegations()?.into_iter().find(|d| fold(d) == key).unwrap_or(name);
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let capacity: u32 =
            tx.query_row("SELECT capacity FROM event WHERE id = 1", params![], |r| r.get(0))?;
        let rows = stored(&tx)?;
        let before =
            rows.iter().find(|r| r.0 == key).map(|r| serde_json::json!({"delegation": r.1, "seats": r.2}));
        let others: u64 = rows.iter().filter(|r| r.0 != key).map(|r| u64::from(r.2)).sum();
        let total = others + u64::from(n);
        if total > u64::from(capacity) {
            return Err(Error::invalid(
                "seats",
                format!(
                    "The allocations would total {total} seats, more than the capacity of {capacity}; at most {} can go to {name}",
                    u64::from(capacity).saturating_sub(others)
                ),
            ));
        }
        let registered = registered_in(&tx, &key)?;
        if n < registered {
            return Err(Error::invalid(
                "seats",
                format!("{name} already has {registered} people registered; allocate at least {registered}"),
            ));
        }
        // The seats left unallocated must still hold everyone registered without an
        // allocation (this delegation's people leave that pool when it gets one).
        let pool = u64::from(capacity) - total;
        let pool_registered = u64::from(load(&tx)?.unallocated_registered)
            - if before.is_none() { u64::from(registered) } else { 0 };
        if pool_registered > pool {
            return Err(Error::invalid(
                "seats",
                format!(
                    "{n} seats for {name} would leave {pool} seat{} not allocated, but {}. Allocate fewer, or cancel or move some of them first",
                    if pool == 1 { "" } else { "s" },
                    describe_unallocated(&tx, pool_registered)?
                ),
            ));
        }
        tx.execute(
            "INSERT INTO allocation (delegation_key, delegation, seats) VALUES (?1, ?2, ?3)
             ON CONFLICT (delegation_key) DO UPDATE SET delegation = excluded.delegation, seats = excluded.seats",
            params![&key, &name, n],
        )?;
        let record = serde_json::json!({"delegation": name, "seats": n});
        audit(&tx, &operator, "allocation.set", None, before.as_ref(), Some(&record))?;
        let out = load(&tx)?;
        tx.finish(out)
    }

    /// Remove the allocation of `delegation`: its people share the unallocated seats again.
    pub fn remove_allocation(&mut self, delegation: &str) -> Result<Allocations> {
        self.coordinator_only("Removing an allocation")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let key = fold(delegation);
        let Some((_, name, seats)) = stored(&tx)?.into_iter().find(|r| r.0 == key) else {
            return Err(Error::NotFound(format!("{} has no allocation", delegation.trim())));
        };
        tx.execute("DELETE FROM allocation WHERE delegation_key = ?1", params![&key])?;
        let record = serde_json::json!({"delegation": name, "seats": seats});
        audit(&tx, &operator, "allocation.remove", None, Some(&record), None::<&()>)?;
        let out = load(&tx)?;
        tx.finish(out)
    }

    /// Choose what happens beyond an allocation: "waitlist" or "refuse".
    pub fn set_allocation_policy(&mut self, policy: &str) -> Result<Allocations> {
        self.coordinator_only("Changing what happens beyond an allocation")?;
        let p = AllocationPolicy::parse(policy)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = self::policy(&tx)?;
        tx.execute("UPDATE event SET allocation_policy = ?1 WHERE id = 1", params![p.wire()])?;
        audit(
            &tx,
            &operator,
            "allocation.policy",
            None,
            Some(&serde_json::json!({"policy": before.wire()})),
            Some(&serde_json::json!({"policy": p.wire()})),
        )?;
        let out = load(&tx)?;
        tx.finish(out)
    }
}
