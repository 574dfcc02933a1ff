//! The records every rule of the desk reads and writes the same way: the event, a person
//! (and how a row becomes one), the counts by status, the audit row each change appends, a
//! check-in, a badge print, the coordinator PIN's row, the time stamps, and who makes the
//! change. The rules (seats, waitlist, allocations, check-in,
//! prints, imports) call these instead of each other.

use super::db::{Db, Row, Tx};
use crate::error::{Error, Result};
use crate::model::{
    categories_from_wire, Attendee, AttendeeFields, Category, Event, EventDay, Session, Status, Vetting,
    VettingState,
};
use crate::params;
use chrono::{NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// Who makes the changes through a [`crate::Desk`]: the operator's name and the desk's label, both
/// written on every audit row (and on every check-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    /// The person at the desk.
    pub name: String,
    /// The desk ("Desk 1", "Protocol desk").
    pub desk: String,
}

thread_local! {
    /// A time that stands for "now" on this thread (see [`at_time`]); `None`: the clock's.
    static CLOCK: std::cell::Cell<Option<chrono::DateTime<Utc>>> = const { std::cell::Cell::new(None) };
}

/// The time now, as stored (RFC 3339, UTC, milliseconds).
pub(crate) fn now() -> String {
    CLOCK.with(std::cell::Cell::get).unwrap_or_else(Utc::now).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Run `f` with [`now`] answering `at` on this thread: the demo's made-up morning, whose
/// check-ins and their audit rows carry the times a real arrival would have.
pub(crate) fn at_time<T>(at: chrono::DateTime<Utc>, f: impl FnOnce() -> T) -> T {
    let before = CLOCK.with(|c| c.replace(Some(at)));
    let out = f();
    CLOCK.with(|c| c.set(before));
    out
}

/// The columns of an attendee, in the order [`attendee_from_row`] reads them (less the
/// waitlist position and the two times, which each query adds).
macro_rules! attendee_columns {
    () => {
        "a.id, a.rank, a.given_name, a.family_name, a.badge_name, a.position, a.organization,
         a.delegation, a.category, a.email, a.phone, a.days, a.dietary, a.accessibility,
         a.notes, a.status, a.registered_at"
    };
}

/// The columns of a person's vetting (schema 13), after the attendee's; then the two protocol
/// flags (schema 14).
macro_rules! vetting_columns {
    () => {
        "a.vetting, a.vetting_note, a.vetting_by, a.vetting_desk, a.vetting_at, a.head_of_delegation,
         a.notify_protocol"
    };
}

/// Attendees with their place in the waitlist, for lists.
pub(crate) const ATTENDEE_SELECT: &str = concat!(
    "WITH line AS (
        SELECT id, ROW_NUMBER() OVER (ORDER BY waitlist_seq) AS pos
        FROM attendee WHERE status = 'waitlisted'
    )
    SELECT ",
    attendee_columns!(),
    ", line.pos, a.created_at, a.updated_at, ",
    vetting_columns!(),
    "
    FROM attendee a LEFT JOIN line ON line.id = a.id"
);

/// One attendee without the waitlist window: a statement SQLite prepares once and keeps (the
/// window query was prepared again at every run). [`load_attendee`] adds the position.
pub(crate) const ATTENDEE_ONE: &str = concat!(
    "SELECT ",
    attendee_columns!(),
    ", NULL, a.created_at, a.updated_at, ",
    vetting_columns!(),
    " FROM attendee a"
);

fn parse_stored<T>(what: &str, value: &str, parse: impl Fn(&str) -> Result<T>) -> Result<T> {
    parse(value).map_err(|e| Error::Storage(format!("The database holds a damaged {what} {value:?}: {e}")))
}

/// A person from a row of [`ATTENDEE_SELECT`] or [`ATTENDEE_ONE`]; a stored value the desk
/// cannot read is reported as damaged.
pub(crate) fn attendee_from_row(row: &Row) -> Result<Attendee> {
    let category: String = row.get(8)?;
    let days: String = row.get(11)?;
    let status: String = row.get(15)?;
    let fields = AttendeeFields {
        rank: row.get(1)?,
        given_name: row.get(2)?,
        family_name: row.get(3)?,
        badge_name: row.get(4)?,
        position: row.get(5)?,
        organization: row.get(6)?,
        delegation: row.get(7)?,
        category: parse_stored("category", &category, Category::parse)?,
        email: row.get(9)?,
        phone: row.get(10)?,
        days: parse_stored("days", &days, |d| {
            d.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u32>().map_err(|e| Error::Internal(e.to_string())))
                .collect()
        })?,
        dietary: row.get(12)?,
        accessibility: row.get(13)?,
        notes: row.get(14)?,
        head_of_delegation: row.get::<i64>(25)? == 1,
        notify_protocol: row.get::<i64>(26)? == 1,
    };
    Ok(Attendee {
        id: row.get(0)?,
        display_name: fields.display_name(),
        fields,
        status: parse_stored("status", &status, Status::parse)?,
        registered_at: row.get(16)?,
        waitlist_position: row.get(17)?,
        created_at: row.get(18)?,
        updated_at: row.get(19)?,
        vetting: Vetting {
            state: parse_stored("vetting state", &row.get::<String>(20)?, VettingState::parse)?,
            note: row.get(21)?,
            by: row.get(22)?,
            desk: row.get(23)?,
            at: row.get(24)?,
        },
    })
}

/// Attendee `id` with their place in the waitlist, or "There is no attendee #id".
pub(crate) fn load_attendee(db: &Db, id: i64) -> Result<Attendee> {
    let mut a = db
        .query_opt(&format!("{ATTENDEE_ONE} WHERE a.id = ?1"), params![id], attendee_from_row)?
        .ok_or_else(|| Error::NotFound(format!("There is no attendee #{id}")))?;
    if a.status == Status::Waitlisted {
        // Everyone waiting (kept by the triggers), less those behind: one lookup for the
        // person just added at the end, where counting those ahead walked the whole waitlist
        // (an import onto a long waitlist grew as its square).
        a.waitlist_position = Some(db.value(
            "SELECT (SELECT n FROM status_count WHERE status = 'waitlisted')
                  - (SELECT count(*) FROM attendee WHERE waitlist_seq IS NOT NULL
                       AND waitlist_seq > (SELECT waitlist_seq FROM attendee WHERE id = ?1))",
            params![id],
        )?);
    }
    Ok(a)
}

/// The event with its days and themes.
pub(crate) fn load_event(db: &Db) -> Result<Event> {
    // The event and its days' themes in one statement: every change reads it first.
    type Row10 = (String, String, String, String, String, u32, Option<u32>, Option<String>, i64, i64);
    let rows: Vec<Row10> = db.query_map(
        "SELECT e.name, e.venue, e.start_date, e.end_date, e.timezone, e.capacity, d.day, d.theme, e.demo,
                e.require_vetting
         FROM event e LEFT JOIN event_day d ON 1 = 1 WHERE e.id = 1",
        params![],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        },
    )?;
    let Some((name, venue, start, end, timezone, capacity, _, _, demo, vetting)) = rows.first().cloned()
    else {
        return Err(Error::Storage("The database has no event; it is damaged".into()));
    };
    let date = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Error::Storage(format!("Stored date {s:?} is damaged")))
    };
    let (start_date, end_date) = (date(&start)?, date(&end)?);
    let themes: Vec<(u32, String)> =
        rows.into_iter().filter_map(|r| Some((r.6?, r.7.unwrap_or_default()))).collect();
    let mut event = Event {
        name,
        venue,
        start_date,
        end_date,
        timezone,
        days: vec![],
        capacity,
        demo: demo == 1,
        require_vetting: vetting == 1,
    };
    // Bounded as typed dates are (a damaged row must not make millions of days).
    event.days = (1..=event.day_count().min(crate::model::MAX_EVENT_DAYS))
        .map(|day| {
            let date = crate::model::day_date(start_date, day)
                .ok_or_else(|| Error::Storage(format!("Stored date {start:?} is damaged")))?;
            let theme = themes.iter().find(|(d, _)| *d == day).map(|(_, t)| t.clone()).unwrap_or_default();
            Ok(EventDay { day, date, theme })
        })
        .collect::<Result<_>>()?;
    Ok(event)
}

/// How many people are registered and how many waiting, in one statement.
pub(crate) fn seats_taken(db: &Db) -> Result<(u32, u32)> {
    // Two lookups by key: an `IN` list would make SQLite build a temporary table at every run.
    db.query_row(
        "SELECT (SELECT n FROM status_count WHERE status = 'registered'),
                (SELECT n FROM status_count WHERE status = 'waitlisted')",
        params![],
        |r| Ok((r.get::<Option<u32>>(0)?.unwrap_or(0), r.get::<Option<u32>>(1)?.unwrap_or(0))),
    )
}

/// How many people have `status`.
pub(crate) fn count(db: &Db, status: Status) -> Result<u32> {
    // Kept by triggers in the same transaction as every change (schema 5): one row, whatever
    // the size of the list.
    db.value("SELECT n FROM status_count WHERE status = ?1", params![status.wire()])
}

/// The actions whose rows are about one person but hold no copy of them (a check-in, a vetting
/// state): [`audit`] writes the person's name as it is at that moment beside them.
const NAMED_BY_ID: &[&str] = &[
    "checkin",
    "checkin.undo",
    "checkin.session",
    "checkin.session.undo",
    "vetting",
    "vetting.override",
    "protocol.ack",
];

/// Append the audit row of a change (by `operator`, on `attendee`, the record before and after)
/// inside the change's transaction.
pub(crate) fn audit(
    tx: &Tx,
    operator: &Operator,
    action: &str,
    attendee: Option<i64>,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Result<()> {
    let before = before.map(serde_json::to_string).transpose()?;
    let after = match (attendee, after) {
        // Rows about a person that hold no copy of them name them as they are now: the audit
        // keeps the name they had, not the one a later edit gives them.
        (Some(id), Some(after)) if NAMED_BY_ID.contains(&action) => {
            let mut v = serde_json::to_value(after)?;
            if let serde_json::Value::Object(map) = &mut v {
                if !map.contains_key("displayName") {
                    map.insert("displayName".into(), load_attendee(tx, id)?.display_name.into());
                }
            }
            Some(v.to_string())
        }
        (_, after) => after.map(serde_json::to_string).transpose()?,
    };
    tx.execute(
        "INSERT INTO audit (at, operator, desk, action, attendee_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![now(), &operator.name, &operator.desk, action, attendee, before, after],
    )?;
    Ok(())
}

/// One check-in of one person for one event day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckIn {
    /// Order of the check-in.
    pub id: i64,
    /// Who checked in.
    pub attendee_id: i64,
    /// The event day (1-based).
    pub day: u32,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// The time at the venue, "08:12".
    pub local_time: String,
    /// Who checked them in.
    pub operator: String,
    /// At which desk.
    pub desk: String,
    /// `desk` (found by name) or `scan` (badge scanned).
    pub method: String,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
    /// Who undid it.
    pub undone_by: Option<String>,
    /// Why it was undone.
    pub undo_reason: Option<String>,
}

pub(crate) const CHECKIN_SELECT: &str =
    "SELECT id, attendee_id, day, at, operator, desk, method, undone_at, undone_by, undo_reason
     FROM checkin";

pub(crate) fn checkin_from_row(event: &Event) -> impl Fn(&Row) -> Result<CheckIn> + '_ {
    move |r| {
        let at: String = r.get(3)?;
        Ok(CheckIn {
            id: r.get(0)?,
            attendee_id: r.get(1)?,
            day: r.get(2)?,
            local_time: crate::model::venue_time(event, &at),
            at,
            operator: r.get(4)?,
            desk: r.get(5)?,
            method: r.get(6)?,
            undone_at: r.get(7)?,
            undone_by: r.get(8)?,
            undo_reason: r.get(9)?,
        })
    }
}

/// Every check-in of attendee `id`, every day, undone ones too, oldest first.
pub(crate) fn history_of(db: &Db, event: &Event, id: i64) -> Result<Vec<CheckIn>> {
    db.query_map(
        &format!("{CHECKIN_SELECT} WHERE attendee_id = ?1 ORDER BY id"),
        params![id],
        checkin_from_row(event),
    )
}

/// One admission to a session at its door (at most one in force per person and session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionCheckIn {
    /// Order of the admission.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// Who was admitted.
    pub attendee_id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// The time at the venue, "08:03".
    pub local_time: String,
    /// Who admitted them.
    pub operator: String,
    /// At which desk or door.
    pub desk: String,
    /// `desk` (found by name) or `scan` (badge scanned).
    pub method: String,
}

pub(crate) const SESSION_CHECKIN_SELECT: &str =
    "SELECT id, session_id, attendee_id, at, operator, desk, method FROM session_checkin";

pub(crate) fn session_checkin_from_row(event: &Event) -> impl Fn(&Row) -> Result<SessionCheckIn> + '_ {
    move |r| {
        let at: String = r.get(3)?;
        Ok(SessionCheckIn {
            id: r.get(0)?,
            session_id: r.get(1)?,
            attendee_id: r.get(2)?,
            local_time: crate::model::venue_time(event, &at),
            at,
            operator: r.get(4)?,
            desk: r.get(5)?,
            method: r.get(6)?,
        })
    }
}

/// The admission of attendee `id` to session `session` in force, if any.
pub(crate) fn session_checkin_of(
    db: &Db,
    event: &Event,
    session: i64,
    id: i64,
) -> Result<Option<SessionCheckIn>> {
    db.query_opt(
        &format!("{SESSION_CHECKIN_SELECT} WHERE session_id = ?1 AND attendee_id = ?2 AND undone_at IS NULL"),
        params![session, id],
        session_checkin_from_row(event),
    )
}

/// Every admission to session `session` in force, in the order they came in.
pub(crate) fn session_checkins_in(db: &Db, event: &Event, session: i64) -> Result<Vec<SessionCheckIn>> {
    db.query_map(
        &format!("{SESSION_CHECKIN_SELECT} WHERE session_id = ?1 AND undone_at IS NULL ORDER BY at, id"),
        params![session],
        session_checkin_from_row(event),
    )
}

/// One print of one badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgePrint {
    /// Badge version.
    pub version: u32,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who printed it.
    pub operator: String,
    /// Stock preset.
    pub preset: String,
    /// `first`, `lost`, `damaged`, `correction`, `other`.
    pub reason: String,
    /// Remark.
    pub note: String,
}

/// A print read by `SELECT version, at, operator, preset, reason, note FROM badge_print`.
pub(crate) fn badge_print_from_row(r: &Row) -> Result<BadgePrint> {
    Ok(BadgePrint {
        version: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        preset: r.get(3)?,
        reason: r.get(4)?,
        note: r.get(5)?,
    })
}

/// The newest print of attendee `id`'s badge, if any.
pub(crate) fn current_badge(db: &Db, id: i64) -> Result<Option<BadgePrint>> {
    db.query_opt(
        "SELECT version, at, operator, preset, reason, note FROM badge_print
             WHERE attendee_id = ?1 ORDER BY version DESC LIMIT 1",
        params![id],
        badge_print_from_row,
    )
}

/// The stored PIN with its count of wrong tries.
pub(crate) struct StoredPin {
    pub(crate) hash: String,
    pub(crate) set_at: String,
    pub(crate) set_by: String,
    pub(crate) failures: u32,
    pub(crate) wait_until: Option<String>,
    pub(crate) reset_at: Option<String>,
    pub(crate) reset_by: Option<String>,
}

/// The coordinator PIN row, if a PIN was ever set.
pub(crate) fn stored_pin(db: &Db) -> Result<Option<StoredPin>> {
    db.query_opt(
        "SELECT hash, set_at, set_by, failures, wait_until, reset_at, reset_by FROM coordinator_pin WHERE id = 1",
        params![],
        |r| {
            Ok(StoredPin {
                hash: r.get(0)?,
                set_at: r.get(1)?,
                set_by: r.get(2)?,
                failures: u32::try_from(r.get::<i64>(3)?).unwrap_or(u32::MAX),
                wait_until: r.get(4)?,
                reset_at: r.get(5)?,
                reset_by: r.get(6)?,
            })
        },
    )
}

/// The sessions of the programme (of `day` when given), by day, start and number, each with
/// the people admitted or excluded by name.
pub(crate) fn load_sessions(db: &Db, day: Option<u32>) -> Result<Vec<Session>> {
    let mut sessions = db.query_map(
        "SELECT id, day, starts_at, ends_at, title, room, categories FROM session
         WHERE CAST(?1 AS BIGINT) IS NULL OR day = ?1 ORDER BY day, starts_at, id",
        params![day],
        session_from_row,
    )?;
    if sessions.is_empty() {
        return Ok(sessions);
    }
    let lists = db.query_map(
        "SELECT session_id, attendee_id, admitted FROM session_access ORDER BY session_id, attendee_id",
        params![],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)? == 1)),
    )?;
    for s in &mut sessions {
        fill_lists(s, &lists);
    }
    Ok(sessions)
}

/// Session `id`, with its lists.
pub(crate) fn load_session(db: &Db, id: i64) -> Result<Session> {
    let mut s = db
        .query_opt(
            "SELECT id, day, starts_at, ends_at, title, room, categories FROM session WHERE id = ?1",
            params![id],
            session_from_row,
        )?
        .ok_or_else(|| Error::NotFound(format!("There is no session #{id}")))?;
    let lists = db.query_map(
        "SELECT session_id, attendee_id, admitted FROM session_access WHERE session_id = ?1 ORDER BY attendee_id",
        params![id],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)? == 1)),
    )?;
    fill_lists(&mut s, &lists);
    Ok(s)
}

fn fill_lists(s: &mut Session, lists: &[(i64, i64, bool)]) {
    for &(_, person, admitted) in lists.iter().filter(|(session, ..)| *session == s.id) {
        if admitted {
            s.admitted.push(person);
        } else {
            s.excluded.push(person);
        }
    }
}

fn session_from_row(r: &Row) -> Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        day: r.get(1)?,
        start: r.get(2)?,
        end: r.get(3)?,
        title: r.get(4)?,
        room: r.get(5)?,
        categories: categories_from_wire(&r.get::<String>(6)?)?,
        admitted: Vec::new(),
        excluded: Vec::new(),
    })
}

/// The people checked in to session `id` now (in force), by id.
pub(crate) fn session_attendance(db: &Db, id: i64) -> Result<Vec<Attendee>> {
    db.query_map(
        &format!("{ATTENDEE_ONE} WHERE a.id IN (SELECT attendee_id FROM session_checkin WHERE session_id = ?1 AND undone_at IS NULL) ORDER BY a.id"),
        params![id],
        attendee_from_row,
    )
}

/// One session's attendance: how many are in the room and how many are expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    /// The session.
    pub session: Session,
    /// People admitted now (admissions in force).
    pub in_room: usize,
    /// Registered people down for its day who may enter it.
    pub expected: usize,
}

/// Each session's attendance (of `day` when given), read in `db`.
pub(crate) fn attendance_in(db: &Db, day: Option<u32>) -> Result<Vec<Attendance>> {
    let sessions = load_sessions(db, day)?;
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let people =
        db.query_map(&format!("{ATTENDEE_ONE} WHERE a.status = 'registered'"), params![], attendee_from_row)?;
    let in_room: Vec<(i64, i64)> = db.query_map(
        "SELECT c.session_id, COUNT(*) FROM session_checkin c JOIN attendee a ON a.id = c.attendee_id
         WHERE c.undone_at IS NULL AND a.status = 'registered' GROUP BY c.session_id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(sessions
        .into_iter()
        .map(|s| {
            let expected = people.iter().filter(|a| s.expects(a)).count();
            let in_room = in_room
                .iter()
                .find(|(id, _)| *id == s.id)
                .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0));
            Attendance { session: s, in_room, expected }
        })
        .collect())
}

/// Set the vetting of person `id` to `state` with `note` inside `tx`, with its audit row
/// (`vetting`, the vetting before and after): the vetting before, or `None` when it already
/// was exactly that (nothing written).
pub(crate) fn write_vetting(
    tx: &Tx,
    operator: &Operator,
    id: i64,
    state: VettingState,
    note: &str,
) -> Result<Option<Vetting>> {
    let before = load_attendee(tx, id)?.vetting;
    if before.state == state && before.note == note && (before.at.is_some() || state == VettingState::Pending)
    {
        return Ok(None);
    }
    let at = now();
    tx.execute(
        "UPDATE attendee SET vetting = ?2, vetting_note = ?3, vetting_by = ?4, vetting_desk = ?5, vetting_at = ?6,
             updated_at = ?6
         WHERE id = ?1",
        params![id, state.wire(), note, &operator.name, &operator.desk, &at],
    )?;
    let after = Vetting {
        state,
        note: note.to_string(),
        by: Some(operator.name.clone()),
        desk: Some(operator.desk.clone()),
        at: Some(at),
    };
    audit(tx, operator, "vetting", Some(id), Some(&before), Some(&after))?;
    Ok(Some(before))
}

/// Open a protocol notice for the arrival of `a` (check-in `checkin_id`, at the door of the
/// session titled `session` if any) inside the check-in's transaction.
pub(crate) fn open_notice(
    tx: &Tx,
    operator: &Operator,
    a: &Attendee,
    checkin_id: i64,
    session: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO protocol_notice (attendee_id, checkin_id, session, at, operator, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![a.id, checkin_id, session, now(), &operator.name, &operator.desk],
    )?;
    Ok(())
}

/// Close, as `how` (`acknowledged` or `undone`), the open protocol notice of check-in
/// `checkin_id` inside `tx`: whether there was one.
pub(crate) fn close_notice_of(tx: &Tx, operator: &Operator, checkin_id: i64, how: &str) -> Result<bool> {
    let n = tx.execute(
        "UPDATE protocol_notice SET closed_at = ?2, closed_by = ?3, closed_desk = ?4, closed_how = ?5
         WHERE checkin_id = ?1 AND closed_at IS NULL",
        params![checkin_id, now(), &operator.name, &operator.desk, how],
    )?;
    Ok(n > 0)
}

/// Undo, with `reason`, the day's check-in `before` of person `id` inside `tx`: it stays in the
/// history with who undid it and why, the undo is in the audit, and its open protocol notice
/// is closed (protocol need not meet someone whose arrival was a mistake).
pub(crate) fn undo_checkin_in(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    id: i64,
    before: &CheckIn,
    reason: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE checkin SET undone_at = ?2, undone_by = ?3, undo_reason = ?4 WHERE id = ?1",
        params![before.id, now(), &operator.name, reason],
    )?;
    let after = tx.query_row(
        &format!("{CHECKIN_SELECT} WHERE id = ?1"),
        params![before.id],
        checkin_from_row(event),
    )?;
    audit(tx, operator, "checkin.undo", Some(id), Some(before), Some(&after))?;
    close_notice_of(tx, operator, before.id, "undone")?;
    Ok(())
}

/// Undo, with `reason`, every admission of person `id` in force to a session of `day` (of any
/// day when `None`): the titles of the sessions they were in.
pub(crate) fn undo_admissions_in(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    id: i64,
    day: Option<u32>,
    reason: &str,
) -> Result<Vec<String>> {
    let mut titles = Vec::new();
    for s in load_sessions(tx, day)? {
        let Some(before) = session_checkin_of(tx, event, s.id, id)? else { continue };
        tx.execute(
            "UPDATE session_checkin SET undone_at = ?2, undone_by = ?3, undo_reason = ?4 WHERE id = ?1",
            params![before.id, now(), &operator.name, reason],
        )?;
        let record = serde_json::json!({
            "sessionId": s.id, "title": s.title, "day": s.day, "undoReason": reason, "sessionCheckinId": before.id,
        });
        audit(tx, operator, "checkin.session.undo", Some(id), Some(&before), Some(&record))?;
        titles.push(format!("“{}”", s.title));
    }
    Ok(titles)
}

/// Undo, with `reason`, every check-in of person `id` still in force — each day's
/// ([`undo_checkin_in`]) and each admission to a session ([`undo_admissions_in`]) — inside
/// `tx`, as cancelling their registration does. The day check-ins undone, as they were.
/// The day check-ins of person `id` in force, by day.
pub(crate) fn checkins_in_force(db: &Db, event: &Event, id: i64) -> Result<Vec<CheckIn>> {
    db.query_map(
        &format!("{CHECKIN_SELECT} WHERE attendee_id = ?1 AND undone_at IS NULL ORDER BY day"),
        params![id],
        checkin_from_row(event),
    )
}

pub(crate) fn undo_checkins_of(
    tx: &Tx,
    operator: &Operator,
    event: &Event,
    id: i64,
    reason: &str,
) -> Result<Vec<CheckIn>> {
    let days = checkins_in_force(tx, event, id)?;
    for before in &days {
        undo_checkin_in(tx, operator, event, id, before, reason)?;
    }
    undo_admissions_in(tx, operator, event, id, None, reason)?;
    Ok(days)
}
