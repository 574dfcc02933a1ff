//! Protocol: the arrival of a VIP, or of a person flagged "notify protocol", is a notice that
//! every desk's window and the dashboard show until someone acknowledges it. The check-in
//! rule opens the notice in the check-in's own transaction ([`crate::checkin`]); an undone
//! check-in closes it. This file reads the notices and acknowledges them, with who and when
//! in the audit.
//!
//! The order of precedence of rosters and lists (heads of delegation first, then by
//! delegation, then as recorded) is a reading of the list: [`crate::model::precedence`].

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::model::{venue_time, Category};
use crate::params;
use crate::store::db::{Db, Row};
use crate::store::records::{audit, close_notice_of, load_attendee, load_event};
use serde::{Deserialize, Serialize};

/// The arrival of someone protocol must meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolNotice {
    /// The notice's number.
    pub id: i64,
    /// Who arrived.
    pub attendee_id: i64,
    /// Their name as addressed ("H.E. Amb. Hélène Dupré").
    pub display_name: String,
    /// Their delegation.
    pub delegation: String,
    /// Their category.
    pub category: Category,
    /// Head of their delegation.
    pub head_of_delegation: bool,
    /// Why protocol is told: "VIP" or "Notify protocol".
    pub why: String,
    /// The check-in that opened it.
    pub checkin_id: i64,
    /// The event day of that check-in.
    pub day: u32,
    /// At the door of this session, if the arrival was there.
    pub session: Option<String>,
    /// When they arrived (UTC, RFC 3339).
    pub at: String,
    /// The time at the venue, "08:03".
    pub local_time: String,
    /// Who checked them in, and at which desk.
    pub operator: String,
    /// The desk.
    pub desk: String,
    /// When the notice was closed, by whom, at which desk and how (`acknowledged`, or
    /// `undone` when the check-in was undone); all `None` while it is open.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// At which desk.
    pub closed_desk: Option<String>,
    /// `acknowledged` or `undone`.
    pub closed_how: Option<String>,
}

/// The result of acknowledging a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticeOutcome {
    /// The notice, closed.
    pub notice: ProtocolNotice,
    /// One line for the operator.
    pub message: String,
}

const NOTICE_SELECT: &str = "SELECT n.id, n.attendee_id, n.checkin_id, n.session, n.at, n.operator, n.desk,
        n.closed_at, n.closed_by, n.closed_desk, n.closed_how, c.day
        FROM protocol_notice n JOIN checkin c ON c.id = n.checkin_id";

/// The notices chosen by `filter` (SQL after the select), with each person as they are now.
fn notices(db: &Db, filter: &str, args: &[crate::store::db::Value]) -> Result<Vec<ProtocolNotice>> {
    let event = load_event(db)?;
    type Bare = (i64, i64, i64, Option<String>, String, String, String, [Option<String>; 4], u32);
    let rows: Vec<Bare> = db.query_map(&format!("{NOTICE_SELECT} {filter}"), args, |r: &Row| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            [r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?],
            r.get(11)?,
        ))
    })?;
    rows.into_iter()
        .map(
            |(
                id,
                attendee_id,
                checkin_id,
                session,
                at,
                operator,
                desk,
                [closed_at, closed_by, closed_desk, closed_how],
                day,
            )| {
                let a = load_attendee(db, attendee_id)?;
                Ok(ProtocolNotice {
                    id,
                    attendee_id,
                    // Said as the person is now; one no longer VIP nor flagged was when they
                    // arrived, which is what raised the notice.
                    why: if a.fields.category == Category::Vip {
                        "VIP"
                    } else if a.fields.notify_protocol {
                        "Notify protocol"
                    } else {
                        "VIP or flagged for protocol when they arrived"
                    }
                    .to_string(),
                    display_name: a.display_name,
                    delegation: a.fields.delegation,
                    category: a.fields.category,
                    head_of_delegation: a.fields.head_of_delegation,
                    checkin_id,
                    day,
                    session,
                    local_time: venue_time(&event, &at),
                    at,
                    operator,
                    desk,
                    closed_at,
                    closed_by,
                    closed_desk,
                    closed_how,
                })
            },
        )
        .collect()
}

impl Desk {
    /// The protocol notices still open (nobody acknowledged them), oldest first; with `all`,
    /// every notice, the closed ones too.
    pub fn protocol_notices(&self, all: bool) -> Result<Vec<ProtocolNotice>> {
        if all {
            notices(&self.db, "ORDER BY n.id", params![])
        } else {
            notices(&self.db, "WHERE n.closed_at IS NULL ORDER BY n.id", params![])
        }
    }

    /// Acknowledge notice `id`: protocol has it in hand. Any desk may; who and when go in the
    /// audit. A notice already closed is refused, saying by whom and when.
    pub fn acknowledge_notice(&mut self, id: i64) -> Result<NoticeOutcome> {
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let Some(before) = notices(&tx, "WHERE n.id = ?1", params![id])?.pop() else {
            return Err(Error::NotFound(format!("There is no protocol notice #{id}")));
        };
        if let (Some(at), Some(by)) = (&before.closed_at, &before.closed_by) {
            let event = load_event(&tx)?;
            let how = if before.closed_how.as_deref() == Some("undone") {
                "closed: the check-in was undone"
            } else {
                "already acknowledged"
            };
            return Err(Error::Conflict(format!(
                "The arrival of {} was {how} by {by} ({}) at {}",
                before.display_name,
                before.closed_desk.as_deref().unwrap_or_default(),
                venue_time(&event, at)
            )));
        }
        close_notice_of(&tx, &operator, before.checkin_id, "acknowledged")?;
        let notice = notices(&tx, "WHERE n.id = ?1", params![id])?
            .pop()
            .ok_or_else(|| Error::Internal("a notice just acknowledged cannot be read".into()))?;
        let record = serde_json::json!({"noticeId": id, "why": notice.why, "arrivedAt": notice.at});
        audit(&tx, &operator, "protocol.ack", Some(notice.attendee_id), None::<&()>, Some(&record))?;
        let message = format!(
            "Acknowledged: {} ({}) arrived at {} — protocol has it",
            notice.display_name, notice.delegation, notice.local_time
        );
        tx.finish(NoticeOutcome { notice, message })
    }
}
