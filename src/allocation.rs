//! Seat allocations per delegation, inside the capacity: "Jamaica 4, CDEMA 2". A delegation
//! with an allocation holds at most that many seats; the delegations without one share the
//! seats not allocated. Registering beyond an allocation waitlists or is refused, as the
//! coordinator chooses.

use crate::desk::{audit, count};
use crate::error::{Error, Result};
use crate::model::Status;
use crate::text::{clean, fold, TextRule};
use crate::Desk;
use rusqlite::{params, Connection};
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

fn policy(conn: &Connection) -> Result<AllocationPolicy> {
    let p: String = conn.query_row("SELECT allocation_policy FROM event WHERE id = 1", [], |r| r.get(0))?;
    AllocationPolicy::parse(&p)
}

/// The allocations as stored: (key, name, seats).
fn stored(conn: &Connection) -> Result<Vec<(String, String, u32)>> {
    let mut stmt =
        conn.prepare("SELECT delegation_key, delegation, seats FROM allocation ORDER BY delegation_key")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn registered_in(conn: &Connection, key: &str) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM attendee WHERE status = 'registered' AND delegation_key = ?1",
        [key],
        |r| r.get(0),
    )?)
}

/// The seats left under each allocation and in the shared pool, to hand out one by one.
pub(crate) struct Room {
    per_delegation: std::collections::HashMap<String, u32>,
    pool: u32,
}

impl Room {
    /// The room left now.
    pub(crate) fn now(conn: &Connection) -> Result<Room> {
        let a = load(conn)?;
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
pub(crate) fn is_allocated(conn: &Connection, delegation: &str) -> Result<bool> {
    let key = fold(delegation);
    Ok(stored(conn)?.iter().any(|r| r.0 == key))
}

/// The current allocations.
pub(crate) fn load(conn: &Connection) -> Result<Allocations> {
    let capacity: u32 = conn.query_row("SELECT capacity FROM event WHERE id = 1", [], |r| r.get(0))?;
    let rows = stored(conn)?;
    let mut allocations = Vec::with_capacity(rows.len());
    let mut allocated_registered = 0;
    for (key, delegation, seats) in &rows {
        let registered = registered_in(conn, key)?;
        allocated_registered += registered;
        allocations.push(AllocationStatus { delegation: delegation.clone(), seats: *seats, registered });
    }
    let allocated: u32 = rows.iter().map(|r| r.2).sum();
    Ok(Allocations {
        policy: policy(conn)?,
        allocations,
        unallocated_seats: capacity.saturating_sub(allocated),
        unallocated_registered: count(conn, Status::Registered)? - allocated_registered,
    })
}

/// Why someone of `delegation` cannot take one of the event's free seats, if an allocation
/// stands in the way; and whether the policy refuses rather than waitlists.
pub(crate) fn blocked(conn: &Connection, delegation: &str) -> Result<Option<(String, AllocationPolicy)>> {
    let rows = stored(conn)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let key = fold(delegation);
    let why = match rows.iter().find(|r| r.0 == key) {
        Some((_, name, seats)) => {
            let reg = registered_in(conn, &key)?;
            (reg >= *seats).then(|| {
                format!("{name}'s allocation of {seats} seat{} is full", if *seats == 1 { "" } else { "s" })
            })
        }
        None => {
            let a = load(conn)?;
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
        Some(w) => Some((w, policy(conn)?)),
        None => None,
    })
}

/// Refuse a capacity below the seats allocated.
pub(crate) fn check_capacity(conn: &Connection, capacity: u32) -> Result<()> {
    let allocated: u32 = stored(conn)?.iter().map(|r| r.2).sum();
    if capacity < allocated {
        return Err(Error::invalid(
            "capacity",
            format!("Capacity cannot be {capacity}: {allocated} seats are allocated to delegations. Lower the allocations first"),
        ));
    }
    Ok(())
}

impl Desk {
    /// The allocations, the policy and the seats left to delegations without one.
    pub fn allocations(&self) -> Result<Allocations> {
        load(&self.conn)
    }

    /// Allocate `seats` (as typed) to `delegation`; 0 is allowed (no seat for them).
    /// Refused if the allocations would total more than the capacity, or if the delegation
    /// already has more people registered.
    pub fn set_allocation(&mut self, delegation: &str, seats: &str) -> Result<Allocations> {
        let name = clean(&DELEGATION, delegation)?;
        if name.is_empty() {
            return Err(Error::invalid("delegation", "Name the delegation to allocate seats to"));
        }
        let n: u32 = seats.trim().parse().map_err(|_| {
            Error::invalid("seats", format!("Seats \"{}\" is not a whole number of seats", seats.trim()))
        })?;
        // Spelled as the delegation is already known ("jamaica" is Jamaica).
        let key = fold(&name);
        let name = self.delegations()?.into_iter().find(|d| fold(d) == key).unwrap_or(name);
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let capacity: u32 = tx.query_row("SELECT capacity FROM event WHERE id = 1", [], |r| r.get(0))?;
        let others: u32 = stored(&tx)?.iter().filter(|r| r.0 != key).map(|r| r.2).sum();
        if others + n > capacity {
            return Err(Error::invalid(
                "seats",
                format!(
                    "The allocations would total {} seats, more than the capacity of {capacity}; at most {} can go to {name}",
                    others + n,
                    capacity - others
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
        tx.execute(
            "INSERT INTO allocation (delegation_key, delegation, seats) VALUES (?1, ?2, ?3)
             ON CONFLICT (delegation_key) DO UPDATE SET delegation = excluded.delegation, seats = excluded.seats",
            params![key, name, n],
        )?;
        let record = serde_json::json!({"delegation": name, "seats": n});
        audit(&tx, &operator, "allocation.set", None, None::<&()>, Some(&record))?;
        let out = load(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Remove the allocation of `delegation`: its people share the unallocated seats again.
    pub fn remove_allocation(&mut self, delegation: &str) -> Result<Allocations> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let removed = tx.execute("DELETE FROM allocation WHERE delegation_key = ?1", [fold(delegation)])?;
        if removed == 0 {
            return Err(Error::NotFound(format!("{} has no allocation", delegation.trim())));
        }
        let record = serde_json::json!({"delegation": delegation.trim()});
        audit(&tx, &operator, "allocation.remove", None, Some(&record), None::<&()>)?;
        let out = load(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Choose what happens beyond an allocation: "waitlist" or "refuse".
    pub fn set_allocation_policy(&mut self, policy: &str) -> Result<Allocations> {
        let p = AllocationPolicy::parse(policy)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        tx.execute("UPDATE event SET allocation_policy = ?1 WHERE id = 1", [p.wire()])?;
        audit(
            &tx,
            &operator,
            "allocation.policy",
            None,
            None::<&()>,
            Some(&serde_json::json!({"policy": p.wire()})),
        )?;
        let out = load(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}
