//! The roster as this desk last read it from a database server, so that while the server
//! cannot be reached the desk can still find people and show their cards: read-only, and
//! marked with the time it was read.
//!
//! Kept on the server engine only (a file cannot become unreachable). It follows the audit
//! trail with the search index ([`crate::search`]): each refresh names the people changed
//! since the last one, and they are read again with their check-ins and current badge. A
//! change that touches the waitlist reads every person again, since the others' places move.
//! The window refreshes it with every poll, so it is never more than a poll behind.

use crate::checkin::{card_of, day_or_today, history_of, in_force_of, ArrivalCard, CheckIn, Found};
use crate::error::{Error, Result};
use crate::model::{Attendee, Event, Status};
use crate::params;
use crate::printing::{badge_print_from_row, BadgePrint};
use crate::search::Changed;
use crate::store::db::Db;
use crate::store::records::{attendee_from_row, load_attendee, load_event, now, ATTENDEE_SELECT};
use crate::Desk;
use std::collections::HashMap;

struct Person {
    attendee: Attendee,
    history: Vec<CheckIn>,
    badge: Option<BadgePrint>,
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
                        badge: crate::checkin::current_badge(db, id)?,
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
        for c in db.query_map(
            &format!("{} ORDER BY id", crate::checkin::CHECKIN_SELECT),
            params![],
            crate::checkin::checkin_from_row(&event),
        )? {
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

    fn person(&self, id: i64) -> Result<&Person> {
        self.people.get(&id).ok_or_else(|| Error::NotFound(format!("There is no attendee #{id}")))
    }

    /// The card of `id` as last read, marked with the time.
    fn card(&self, id: i64, day: Option<u32>) -> Result<ArrivalCard> {
        let event = self.event.as_ref().ok_or_else(not_read)?;
        let day = day_or_today(event, day)?;
        let p = self.person(id)?;
        let mut card = card_of(p.attendee.clone(), p.history.clone(), p.badge.clone(), day);
        card.read_at = Some(self.read_at.clone());
        Ok(card)
    }

    /// The event as last read.
    pub(crate) fn event(&self) -> Result<&Event> {
        self.event.as_ref().ok_or_else(not_read)
    }

    /// `ids` (found in the search index) as last read, marked with the time.
    fn found(&self, ids: &[i64], day: Option<u32>) -> Result<Vec<Found>> {
        let event = self.event.as_ref().ok_or_else(not_read)?;
        let day = day_or_today(event, day)?;
        Ok(ids
            .iter()
            .filter_map(|id| self.people.get(id))
            .map(|p| Found {
                attendee: p.attendee.clone(),
                checkin: day.and_then(|d| in_force_of(&p.history, d)),
                read_at: Some(self.read_at.clone()),
            })
            .collect())
    }
}

fn not_read() -> Error {
    Error::Unreachable(
        "The database server cannot be reached, and this desk had not read the roster yet".into(),
    )
}

impl Desk {
    /// `live`, unless the server cannot be reached: then `last` answers from the roster as
    /// this desk last read it (when it has read it), and otherwise the failure stands.
    fn or_last_read<T>(
        &self,
        live: Result<T>,
        last: impl FnOnce(&crate::search::SearchIndex, &LastRead) -> Result<T>,
    ) -> Result<T> {
        match live {
            Err(e @ Error::Unreachable(_)) => {
                let index = self.search_index.borrow();
                match index.last_read() {
                    Some(read) => last(&index, read).map_err(|_| e),
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// [`Desk::find`], from the roster as last read when the server cannot be reached.
    pub(crate) fn find_or_last_read(
        &self,
        live: Result<Vec<Found>>,
        query: &str,
        limit: usize,
        day: Option<u32>,
    ) -> Result<Vec<Found>> {
        self.or_last_read(live, |index, read| read.found(&index.matching(query, limit), day))
    }

    /// The event, as last read when the server cannot be reached.
    pub(crate) fn event_or_last_read(&self, live: Result<Event>) -> Result<Event> {
        self.or_last_read(live, |_, read| read.event().cloned())
    }

    /// [`Desk::arrival_card`], from the roster as last read when the server cannot be reached.
    pub(crate) fn card_or_last_read(
        &self,
        live: Result<ArrivalCard>,
        id: i64,
        day: Option<u32>,
    ) -> Result<ArrivalCard> {
        self.or_last_read(live, |_, read| read.card(id, day))
    }
}
