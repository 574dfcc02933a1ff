//! The coordinator's one admission of a person whose security vetting is not cleared while
//! the event requires it: the PIN, a reason, and the same arrival as the one key (registered
//! when invited and a seat can be given, checked in, admitted at a session's door), with a
//! `vetting.override` audit row beside it. It admits once: the next arrival is refused again.

use super::{ArrivalOutcome, Method, Who, REASON};
use crate::error::{Error, Result};
use crate::store::records::load_attendee;
use crate::text::clean;
use crate::Desk;

impl Desk {
    /// Admit person `id` once although their security vetting is not cleared: for `day`
    /// (today's event day when `None`), or at the door of `session` when given. A
    /// coordinator action with a reason, written in the audit. Who may not enter a session
    /// for another reason is still refused; a person whom nothing holds back arrives as with
    /// [`Desk::arrive`]. Coordinator actions are closed afterwards: each such admission asks for
    /// the PIN.
    pub fn admit_unvetted(
        &mut self,
        id: i64,
        day: Option<u32>,
        session: Option<i64>,
        reason: &str,
    ) -> Result<ArrivalOutcome> {
        let reason = clean(&REASON, reason)?;
        if crate::text::shows_nothing(&reason) {
            return Err(Error::invalid("reason", "Say why this person is admitted without cleared vetting"));
        }
        let name = load_attendee(&self.db, id)?.display_name;
        // The PIN typed for this admission, not an unlock left open by an earlier action.
        self.coordinator_now(&format!("Admitting {name} without cleared security vetting"))?;
        let out = self.arrive_who(Who::Id(id), day, session, Method::Desk, true, Some(&reason));
        // Once: coordinator actions close again, so the next such admission asks for the PIN
        // (a desk left open would let anyone admit anyone).
        self.lock();
        out
    }
}
