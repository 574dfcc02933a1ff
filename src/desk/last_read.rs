//! The roster as this desk last read it from a database server, so that while the server
//! cannot be reached the desk can still find people and show their cards: read-only, and
//! marked with the time it was read. What a card shows from it is the arrival rule's
//! ([`crate::checkin`]); this file keeps the copy.
//!
//! Kept on the server engine only (a file cannot become unreachable). It follows the audit
//! trail with the search index ([`super::search`]): each refresh names the people changed
//! since the last one, and they are read again with their check-ins and current badge. A
//! change that touches the waitlist reads every person again, since the others' places move.
//! The window refreshes it with every poll, so it is never more than a poll behind.

use super::search::Changed;
use crate::error::{Error, Result};
use crate::model::{Attendee, Event, Status};
use crate::params;
use crate::store::db::Db;
use crate::store::records::{
    attendee_from_row, badge_print_from_row, checkin_from_row, current_badge, history_of, load_attendee,
    load_event, now, BadgePrint, CheckIn, ATTENDEE_SELECT, CHECKIN_SELECT,
};
use std::collections::HashMap;

/// One person as last read: who they are, their check-ins, their current badge.
pub(crate) struct Person {
    pub(crate) attendee: Attendee,
    pub(crate) history: Vec<CheckIn>,
    pub(crate) badge: Option<BadgePrint>,
}

/// Everyone as last read: the event, each person with their check-ins and current badge, and
/// when it was last known to match the server.
#[derive(Default)]
pub(crate) struct LastRead {
    /// `None` until everyone has been read (and again after a failed refresh).
    event: Option<Event>,
    people: HashMap<i64, Person>,
    read_at: String,
}

impl LastRead {
    /// Bring the copy up to date with `changed`. A failure halfway leaves the copy as it was
    /// or newer, never older: the search index does not move on either, so the next refresh
    /// names the same people again (and reading a person again changes nothing).
    pub(crate) fn follow(&mut self, db: &Db, changed: &Changed) -> Result<()> {
        let ids = match (changed, &self.event) {
            (Changed::Nothing, Some(_)) => {
                self.read_at = now();
                return Ok(());
            }
            (Changed::These(ids), Some(_)) => ids,
            _ => return self.read_everyone(db),
        };
        let event = load_event(db)?;
        let mut waitlist_moved = false;
        for &id in ids {
            let was_waiting = self.people.get(&id).is_some_and(|p| p.attendee.status == Status::Waitlisted);
            match load_attendee(db, id) {
                Ok(attendee) => {
                    waitlist_moved |= was_waiting || attendee.status == Status::Waitlisted;
                    let person = Person {
                        history: history_of(db, &event, id)?,
                        badge: current_badge(db, id)?,
                        attendee,
                    };
                    self.people.insert(id, person);
                }
                Err(Error::NotFound(_)) => {
                    waitlist_moved |= was_waiting;
                    self.people.remove(&id);
                }
                Err(e) => return Err(e),
            }
        }
        if waitlist_moved {
            for a in db.query_map(ATTENDEE_SELECT, params![], attendee_from_row)? {
                if let Some(p) = self.people.get_mut(&a.id) {
                    p.attendee = a;
                }
            }
        }
        self.event = Some(event);
        self.read_at = now();
        Ok(())
    }

    fn read_everyone(&mut self, db: &Db) -> Result<()> {
        let event = load_event(db)?;
        let mut people: HashMap<i64, Person> = db
            .query_map(ATTENDEE_SELECT, params![], attendee_from_row)?
            .into_iter()
            .map(|a| (a.id, Person { attendee: a, history: Vec::new(), badge: None }))
            .collect();
        for c in
            db.query_map(&format!("{} ORDER BY id", CHECKIN_SELECT), params![], checkin_from_row(&event))?
        {
            if let Some(p) = people.get_mut(&c.attendee_id) {
                p.history.push(c);
            }
        }
        let prints = db.query_map(
            "SELECT version, at, operator, preset, reason, note, attendee_id FROM badge_print ORDER BY attendee_id, version",
            params![],
            |r| Ok((r.get::<i64>(6)?, badge_print_from_row(r)?)),
        )?;
        for (id, print) in prints {
            if let Some(p) = people.get_mut(&id) {
                p.badge = Some(print);
            }
        }
        self.people = people;
        self.event = Some(event);
        self.read_at = now();
        Ok(())
    }

    /// Whether everyone has been read.
    pub(crate) fn is_read(&self) -> bool {
        self.event.is_some()
    }

    /// When the copy was last known to match the server (RFC 3339).
    pub(crate) fn read_at(&self) -> &str {
        &self.read_at
    }

    /// Everyone as last read, by id.
    pub(crate) fn people(&self) -> &HashMap<i64, Person> {
        &self.people
    }

    /// Attendee `id` as last read.
    pub(crate) fn person(&self, id: i64) -> Result<&Person> {
        self.people.get(&id).ok_or_else(|| Error::NotFound(format!("There is no attendee #{id}")))
    }

    /// The event as last read.
    pub(crate) fn event(&self) -> Result<&Event> {
        self.event.as_ref().ok_or_else(not_read)
    }
}

/// The failure when the server is gone and nothing was read yet.
pub(crate) fn not_read() -> Error {
    Error::Unreachable(
        "The database server cannot be reached, and this desk had not read the roster yet".into(),
    )
}
