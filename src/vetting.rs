//! Security vetting: whether the event requires it (an event setting, see
//! [`crate::EventInput::require_vetting`]) and each person's state — pending (the default),
//! cleared or refused — with a note and who set it, where and when. Setting a state is the
//! coordinator's (the PIN): a cleared person is let in, so clearing is not a desk action.
//!
//! The check-in rule reads the state ([`crate::checkin`]): while vetting is required, a
//! person not cleared is refused at the desk and at every door, and the coordinator may admit
//! them once with the PIN and a reason ([`Desk::admit_unvetted`]).

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::model::{clean_vetting_note, Attendee, VettingState};
use crate::store::records::{load_attendee, write_vetting};
use serde::{Deserialize, Serialize};

/// The result of setting a person's vetting: the person now and one line for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VettingOutcome {
    /// The person, with their vetting as it is now.
    pub attendee: Attendee,
    /// Whether anything changed.
    pub changed: bool,
    /// One line for the operator.
    pub message: String,
}

/// What a vetting form showed when it was filled: the person's name and their vetting as
/// stored then. A change sent with it is refused if any of it changed since (see
/// [`Desk::set_vetting_seen`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VettingSeen {
    /// The name shown (a person renamed since may be someone else to security).
    pub display_name: String,
    /// The state shown (pending, cleared, refused).
    pub state: String,
    /// The note shown.
    #[serde(default)]
    pub note: String,
    /// When the state shown was set (none: never set).
    #[serde(default)]
    pub at: Option<String>,
}

impl Desk {
    /// Set the security vetting of person `id` to `state` as typed (pending, cleared,
    /// refused) with `note` (none: no note), a coordinator action; who set it, at which desk
    /// and when is kept, and the change is in the audit. Setting what is already there writes
    /// nothing and says so.
    pub fn set_vetting(&mut self, id: i64, state: &str, note: Option<&str>) -> Result<VettingOutcome> {
        self.set_vetting_seen(id, state, note, None)
    }

    /// [`Desk::set_vetting`] from a form that showed `seen`: refused as stale, with nothing
    /// written, when the person's name or vetting changed since (security refused them at
    /// another desk while the coordinator typed a note: the form's "cleared" would undo it).
    pub fn set_vetting_seen(
        &mut self,
        id: i64,
        state: &str,
        note: Option<&str>,
        seen: Option<&VettingSeen>,
    ) -> Result<VettingOutcome> {
        let state = VettingState::parse(state)?;
        let note = clean_vetting_note(note.unwrap_or(""))?;
        // Refuse a person who is not there before asking for the PIN.
        let name = load_attendee(&self.db, id)?.display_name;
        self.coordinator_only(&format!("Setting the security vetting of {name}"))?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        if let Some(seen) = seen {
            // Read under the write lock: no other desk changes them between this and the write.
            let now = load_attendee(&tx, id)?;
            let v = &now.vetting;
            let same = now.display_name == seen.display_name
                && v.state.wire() == seen.state
                && v.note == seen.note
                && v.at == seen.at;
            if !same {
                let by = v.by.as_deref().map(|b| format!(", set by {b}")).unwrap_or_default();
                let note = if v.note.is_empty() { String::new() } else { format!(" ({})", v.note) };
                return Err(Error::Stale {
                    message: format!(
                        "The vetting of {} changed at another desk since this form was filled: it is now {}{note}{by}. \
                         Nothing was changed; look at it, then set it again",
                        now.display_name,
                        v.state.wire()
                    ),
                    typed: vec!["vetting".into(), "note".into()],
                });
            }
        }
        let before = write_vetting(&tx, &operator, id, state, &note)?;
        let attendee = load_attendee(&tx, id)?;
        let message = match &before {
            None => format!("No change: the vetting of {name} is already {}", state.wire()),
            Some(b) if b.state == state => {
                format!("Vetting of {name}: still {}, note changed", state.wire())
            }
            Some(b) => format!("Vetting of {name}: {} (was {})", state.wire(), b.state.wire()),
        };
        let changed = before.is_some();
        tx.finish(VettingOutcome { attendee, changed, message })
    }

    /// How many people (not cancelled) are in each vetting state: pending, cleared, refused.
    pub fn vetting_counts(&self) -> Result<[(VettingState, u32); 3]> {
        let rows: Vec<(String, u32)> = self.db.query_map(
            "SELECT vetting, count(*) FROM attendee WHERE status <> 'cancelled' GROUP BY vetting",
            crate::params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let n = |s: VettingState| rows.iter().find(|(w, _)| w == s.wire()).map_or(0, |(_, n)| *n);
        Ok(VettingState::ALL.map(|s| (s, n(s))))
    }
}
