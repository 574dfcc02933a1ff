//! The arrival desk when the database server cannot be reached: the same cards and search
//! results, from the roster as this desk last read it, each marked with the time it was read.

use super::{card_of, day_or_today, in_force_of, ArrivalCard, Found};
use crate::desk::last_read::LastRead;
use crate::desk::search::SearchIndex;
use crate::error::{Error, Result};
use crate::model::Event;
use crate::Desk;

// The roster as last read (a server that cannot be reached): the same cards, marked.

/// The card of `id` as last read, marked with the time.
fn card_as_read(read: &LastRead, id: i64, day: Option<u32>) -> Result<ArrivalCard> {
    let event = read.event()?;
    let day = day_or_today(event, day)?;
    let p = read.person(id)?;
    let mut card = card_of(event, p.attendee.clone(), p.history.clone(), p.badge.clone(), day, "");
    card.read_at = Some(read.read_at().to_string());
    Ok(card)
}

/// `ids` (found in the search index) as last read, marked with the time.
fn found_as_read(read: &LastRead, ids: &[i64], day: Option<u32>) -> Result<Vec<Found>> {
    let event = read.event()?;
    let day = day_or_today(event, day)?;
    Ok(ids
        .iter()
        .filter_map(|id| read.people().get(id))
        .map(|p| Found {
            attendee: p.attendee.clone(),
            checkin: day.and_then(|d| in_force_of(&p.history, d)),
            read_at: Some(read.read_at().to_string()),
        })
        .collect())
}

impl Desk {
    /// `live`, unless the server cannot be reached: then `last` answers from the roster as
    /// this desk last read it (when it has read it), and otherwise the failure stands.
    fn or_last_read<T>(
        &self,
        live: Result<T>,
        last: impl FnOnce(&SearchIndex, &LastRead) -> Result<T>,
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
        self.or_last_read(live, |index, read| found_as_read(read, &index.matching(query, limit), day))
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
        self.or_last_read(live, |_, read| card_as_read(read, id, day))
    }
}
