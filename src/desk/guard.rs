//! This desk's lock on coordinator actions: whether they are open (and until when), and the
//! check-ins this desk made (undoing one of them needs no PIN). Kept in memory, per desk; the
//! PIN itself, and how it is set and tried, is the coordinator rule's ([`crate::coordinator`]).

use super::Desk;
use crate::error::{Error, Result};
use crate::store::records::{stored_pin, CheckIn};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How long the coordinator actions stay open after the PIN or the last such action.
pub const UNLOCKED_FOR: Duration = Duration::from_secs(5 * 60);
/// This desk's lock on coordinator actions (kept in memory, per desk).
#[derive(Debug, Default)]
pub(crate) struct Guard {
    /// The window: before any PIN is set, coordinator actions ask for one to be set first.
    pub(crate) ask_first_pin: bool,
    /// Until when coordinator actions are open.
    pub(crate) unlocked_until: Option<Instant>,
    /// The check-ins this desk made, by id, person and time: undoing one of them needs no
    /// PIN. The id alone is not enough: after another program restores an older backup, ids
    /// are given again to other desks' check-ins.
    pub(crate) made: HashSet<(i64, i64, String)>,
}

impl Desk {
    /// Closes the coordinator actions of this desk (the coordinator leaves the desk).
    pub fn lock(&mut self) {
        self.guard.unlocked_until = None;
    }

    /// Remember that this desk made check-in `c` (undoing it needs no PIN).
    pub(crate) fn made_checkin(&mut self, c: &CheckIn) {
        self.guard.made.insert((c.id, c.attendee_id, c.at.clone()));
    }

    /// Forget the check-ins this desk made (the database was replaced by a restore: its
    /// check-in ids are not the ones this desk wrote).
    pub(crate) fn forget_checkins_made(&mut self) {
        self.guard.made.clear();
    }

    /// Whether this desk made check-in `c`: the same row, of the same person, made at the same
    /// moment.
    pub(crate) fn made_here(&self, c: &CheckIn) -> bool {
        self.guard.made.contains(&(c.id, c.attendee_id, c.at.clone()))
    }

    /// Refuses `what` (e.g. "Changing the event settings") unless coordinator actions are
    /// open; an allowed action keeps them open for another [`UNLOCKED_FOR`]. Before any PIN is
    /// set, the window asks for one; the CLI lets the action through.
    pub(crate) fn coordinator_only(&mut self, what: &str) -> Result<()> {
        let now = Instant::now();
        if self.guard.unlocked_until.is_some_and(|t| t > now) {
            self.guard.unlocked_until = Some(now + UNLOCKED_FOR);
            return Ok(());
        }
        self.guard.unlocked_until = None;
        let set = stored_pin(&self.db)?.is_some();
        if !set && !self.guard.ask_first_pin {
            return Ok(());
        }
        Err(Error::CoordinatorOnly(if set {
            format!("{what} is for the coordinator: enter the coordinator PIN")
        } else {
            format!(
                "{what} is for the coordinator, and this event has no coordinator PIN yet: the coordinator sets one in Event settings (Alt+4) or with delegate-desk-cli pin set"
            )
        }))
    }
}
