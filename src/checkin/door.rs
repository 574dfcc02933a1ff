//! The door of a session: whether a person may enter, their admission (which counts as the
//! day's check-in too), a second scan that says since when they are in, and the sessions'
//! attendance. The rule of who may enter is the session's own ([`Session::access`]); this file
//! writes and reads the admissions.

use super::{badge_token, ArrivalCard, ArrivalOutcome, Method, Who};
use crate::desk::Operator;
use crate::error::Result;
use crate::model::{Attendee, Event, Session};
use crate::params;
use crate::store::db::{Db, Tx};
pub use crate::store::records::Attendance;
pub use crate::store::records::SessionCheckIn;
use crate::store::records::{
    attendance_in, audit, load_event, load_session, now, session_checkin_of, session_checkins_in,
};
use crate::Desk;
use serde::{Deserialize, Serialize};

/// A person at a session's door: the session, whether they may enter and, if they are in,
/// since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Door {
    /// The session's number.
    pub session_id: i64,
    /// Its day.
    pub day: u32,
    /// Its title.
    pub title: String,
    /// Its start at the venue, "08:00".
    pub start: String,
    /// Its end at the venue, "08:30".
    pub end: String,
    /// Its room (may be empty).
    pub room: String,
    /// Why they may not enter, in one line for the door steward; `None` when they may.
    pub refusal: Option<String>,
    /// Their admission in force, if they are in.
    pub checkin: Option<SessionCheckIn>,
}

/// `a` at the door of `s`.
pub(super) fn door_of(db: &Db, event: &Event, s: &Session, a: &Attendee) -> Result<Door> {
    Ok(Door {
        session_id: s.id,
        day: s.day,
        title: s.title.clone(),
        start: s.start.clone(),
        end: s.end.clone(),
        room: s.room.clone(),
        refusal: s.access(a.id, a.fields.category).refusal(),
        checkin: session_checkin_of(db, event, s.id, a.id)?,
    })
}

/// Admit `a` (registered, checked in for the session's day, allowed in) to `s` inside `tx`:
/// the admission in force, and whether it was made now.
pub(super) fn admit_in(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    a: &Attendee,
    s: &Session,
    method: Method,
) -> Result<(SessionCheckIn, bool)> {
    if let Some(c) = session_checkin_of(tx, event, s.id, a.id)? {
        return Ok((c, false));
    }
    tx.execute(
        "INSERT INTO session_checkin (session_id, attendee_id, at, operator, desk, method)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.id, a.id, now(), operator.name, operator.desk, method.wire()],
    )?;
    let c = session_checkin_of(tx, event, s.id, a.id)?
        .ok_or_else(|| crate::error::Error::Internal("an admission just written cannot be read".into()))?;
    let record = serde_json::json!({
        "sessionId": s.id, "title": s.title, "day": s.day, "method": method.wire(), "sessionCheckinId": c.id,
    });
    audit(tx, operator, "checkin.session", Some(a.id), None::<&()>, Some(&record))?;
    Ok((c, true))
}

impl Desk {
    /// Check a registered person in at the door of session `session`: refused (nothing
    /// written, the reason in the message) when the session is not open to them; otherwise
    /// admitted, and checked in for the session's day if they were not. A second admission
    /// writes nothing and says since when they are in.
    pub fn check_in_session(&mut self, id: i64, session: i64) -> Result<ArrivalOutcome> {
        self.arrive_who(Who::Id(id), None, Some(session), Method::Desk, false, None)
    }

    /// The one key at a session's door ([`Desk::arrive`] there): who may not enter is refused
    /// first, whatever their status; an invited person who may is registered when a seat can
    /// be given now, checked in and admitted.
    pub fn arrive_session(&mut self, id: i64, session: i64) -> Result<ArrivalOutcome> {
        self.arrive_who(Who::Id(id), None, Some(session), Method::Desk, true, None)
    }

    /// A badge scanned at the door of session `session`: its holder is admitted or refused
    /// as in [`Desk::check_in_session`]; a replaced or foreign badge as in [`Desk::scan`].
    pub fn scan_session(&mut self, code: &str, session: i64) -> Result<ArrivalOutcome> {
        let token = badge_token(code)?;
        self.arrive_who(Who::Token(token), None, Some(session), Method::Scan, false, None)
    }

    /// A person's card at the door of session `session`: whether they may enter, whether
    /// they are in, and everything the day's card shows.
    pub fn session_card(&self, id: i64, session: i64) -> Result<ArrivalCard> {
        let event = load_event(&self.db)?;
        let s = load_session(&self.db, session)?;
        super::card(&self.db, &event, id, Some(s.day), Some(&s))
    }

    /// Everyone admitted to session `session` now, in the order they came in.
    pub fn session_checkins(&self, session: i64) -> Result<Vec<SessionCheckIn>> {
        let event = load_event(&self.db)?;
        load_session(&self.db, session)?;
        session_checkins_in(&self.db, &event, session)
    }

    /// Each session's attendance (of `day` when given): in the room and expected.
    pub fn attendance(&self, day: Option<u32>) -> Result<Vec<Attendance>> {
        attendance_in(&self.db, day)
    }
}
