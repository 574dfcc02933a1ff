//! This desk's lock on coordinator actions: whether they are open (and until when), and the
//! check-ins this desk made (undoing one of them needs no PIN). Kept in memory, per desk; the
//! PIN itself, and how it is set and tried, is the coordinator rule's ([`crate::coordinator`]).

use super::Desk;
use crate::error::{Error, Result};
use crate::store::records::{stored_pin, CheckIn};
use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime};

/// How long the coordinator actions stay open after the PIN or the last such action.
pub const UNLOCKED_FOR: Duration = Duration::from_secs(5 * 60);
/// How long the PIN just typed answers for the action it was asked for (the window asks for
/// it, then sends the action again at once).
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(60);
/// When a window of time that opened now ends, on two clocks: the monotonic one, which a clock
/// set back or forward does not move, and the wall clock, which goes on while the computer
/// sleeps (Linux's monotonic clock stops then: a lid closed a minute after the PIN, opened
/// hours later, found the coordinator actions still open). Over when either says so, or when
/// the wall clock is now before the moment it opened (set back: nobody can tell how long).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    opened: SystemTime,
    mono: Instant,
    wall: SystemTime,
}

impl Deadline {
    /// The window of `length` that opens now.
    pub(crate) fn after(length: Duration) -> Deadline {
        let now = SystemTime::now();
        Deadline { opened: now, mono: Instant::now() + length, wall: now + length }
    }

    /// How long is left (zero once over).
    pub(crate) fn left(&self) -> Duration {
        let now = SystemTime::now();
        if now < self.opened {
            return Duration::ZERO;
        }
        let wall = self.wall.duration_since(now).unwrap_or(Duration::ZERO);
        self.mono.saturating_duration_since(Instant::now()).min(wall)
    }

    /// Whether the window is still open.
    pub(crate) fn alive(&self) -> bool {
        !self.left().is_zero()
    }
}

/// This desk's lock on coordinator actions (kept in memory, per desk).
#[derive(Debug, Default)]
pub(crate) struct Guard {
    /// The window: before any PIN is set, coordinator actions ask for one to be set first.
    pub(crate) ask_first_pin: bool,
    /// Until when coordinator actions are open.
    pub(crate) unlocked_until: Option<Deadline>,
    /// The stored PIN (its hash) they were opened with: once the PIN is changed or reset, at
    /// any desk, or a restore puts another in place, what the old one opened is closed.
    pub(crate) unlocked_with: Option<String>,
    /// Until when the PIN just typed answers for the one action it was asked for: set by
    /// [`Desk::unlock`], spent by the next coordinator action. What needs the PIN typed for
    /// itself (admitting a person whose vetting is not cleared) needs this, not an earlier
    /// unlock that happens to be open.
    pub(crate) fresh_until: Option<Deadline>,
    /// The check-ins this desk made, by id, person and time: undoing one of them needs no
    /// PIN. The id alone is not enough: after another program restores an older backup, ids
    /// are given again to other desks' check-ins.
    pub(crate) made: HashSet<(i64, i64, String)>,
}

impl Desk {
    /// Closes the coordinator actions of this desk (the coordinator leaves the desk).
    pub fn lock(&mut self) {
        self.guard.unlocked_until = None;
        self.guard.unlocked_with = None;
        self.guard.fresh_until = None;
    }

    /// Opens coordinator actions with the stored PIN whose hash is `hash` (just typed, or just
    /// set at this desk).
    pub(crate) fn open_with(&mut self, hash: String) {
        self.guard.unlocked_until = Some(Deadline::after(UNLOCKED_FOR));
        self.guard.unlocked_with = Some(hash);
        self.guard.fresh_until = Some(Deadline::after(FRESH_FOR));
    }

    /// Whether coordinator actions are open now, with the PIN stored now (`stored`: its
    /// hash, if one is set): a PIN changed since at any desk closes them.
    pub(crate) fn is_open(&self, stored: Option<&str>) -> bool {
        self.guard.unlocked_until.is_some_and(|t| t.alive()) && self.guard.unlocked_with.as_deref() == stored
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
        let stored = stored_pin(&self.db)?.map(|p| p.hash);
        // The PIN just typed answers for one action: this one.
        self.guard.fresh_until = None;
        if self.is_open(stored.as_deref()) {
            self.guard.unlocked_until = Some(Deadline::after(UNLOCKED_FOR));
            return Ok(());
        }
        let changed = self.guard.unlocked_until.is_some_and(|t| t.alive());
        self.lock();
        if stored.is_none() && !self.guard.ask_first_pin {
            return Ok(());
        }
        Err(Error::CoordinatorOnly(match (stored.is_some(), changed) {
            (true, true) => format!(
                "{what} is for the coordinator, and the coordinator PIN has changed since it was entered at this desk: enter the coordinator PIN"
            ),
            (true, false) => format!("{what} is for the coordinator: enter the coordinator PIN"),
            (false, _) => format!(
                "{what} is for the coordinator, and this event has no coordinator PIN yet: the coordinator sets one in Event settings (Alt+4) or with delegate-desk-cli pin set"
            ),
        }))
    }

    /// Like [`Desk::coordinator_only`], for an action that needs the PIN typed for itself:
    /// allowed only right after the PIN was entered at this desk, with no other coordinator
    /// action since; coordinator actions are closed afterwards, so the next one asks again.
    /// Before any PIN is set the CLI lets it through, as any coordinator action.
    pub(crate) fn coordinator_now(&mut self, what: &str) -> Result<()> {
        let fresh = self.guard.fresh_until.is_some_and(|t| t.alive());
        let stored = stored_pin(&self.db)?.map(|p| p.hash);
        if stored.is_some() && !fresh {
            self.lock();
            return Err(Error::CoordinatorOnly(format!(
                "{what} is for the coordinator, and needs the coordinator PIN entered for it: enter the coordinator PIN"
            )));
        }
        self.coordinator_only(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The computer slept (the monotonic clock stopped, the wall clock went on), or the wall
    /// clock was set back: the window is over either way. Set forward: over too.
    #[test]
    fn a_window_closes_by_either_clock() {
        let open = Deadline::after(UNLOCKED_FOR);
        assert!(open.alive() && open.left() <= UNLOCKED_FOR && open.left() > UNLOCKED_FOR / 2);
        let hour = Duration::from_secs(3600);
        // Opened two hours ago by the wall clock, a minute ago by the monotonic one (asleep).
        let slept = Deadline { opened: open.opened - 2 * hour, wall: open.wall - 2 * hour, ..open };
        assert!(!slept.alive() && slept.left().is_zero());
        // Opened, by the wall clock, after now: the clock was set back since.
        let set_back = Deadline { opened: open.opened + hour, wall: open.wall + hour, ..open };
        assert!(!set_back.alive());
        // Over by the monotonic clock, whatever the wall clock says (set forward... or back).
        let over = Deadline { mono: Instant::now() - Duration::from_millis(1), ..open };
        assert!(!over.alive());
    }
}
