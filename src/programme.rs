//! The programme: sessions per event day and who may attend them. Adding, changing and
//! removing a session, admitting or excluding people by name, and the programme as CSV in and
//! out — each a coordinator action, one transaction with its audit row.
//!
//! Refused with a message naming the problem: a session on a day the event does not have, one
//! that ends before it starts, two sessions at the same time in one room, a change that would
//! leave someone already checked in to a session outside its access (named), removing a
//! session anyone was checked in to (unless forced: the attendance goes in the audit row).

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::model::{
    clean_room, clean_title, default_categories, named_text, parse_categories, parse_clock, since_loaded,
    sort_categories, Access, Category, Event, Judged, Session, NO_CATEGORY,
};
use crate::params;
use crate::sheet::{csv_document, escape_cell, unescape_cell};
use crate::store::db::Tx;
use crate::store::records::{
    audit, load_attendee, load_event, load_session, load_sessions, now, session_attendance,
};
use crate::text::fold;
use serde::{Deserialize, Serialize};

/// The most sessions a programme holds (and a programme file may carry).
pub const MAX_SESSIONS: usize = 1000;
/// The largest programme file read, in bytes.
pub const MAX_PROGRAMME_BYTES: usize = 1024 * 1024;
/// The most people named in one admit or exclude.
pub const MAX_PEOPLE_AT_ONCE: usize = 10_000;

/// A session as typed: every field optional, so that a change names only what changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionInput {
    /// The event day (1-based).
    pub day: Option<u32>,
    /// Start at the venue, as typed ("8:00").
    pub start: Option<String>,
    /// End at the venue, as typed ("9:30").
    pub end: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The room.
    pub room: Option<String>,
    /// Exactly the categories admitted ("delegate, vip"; empty: none); replaces them.
    pub categories: Option<String>,
    /// Categories added to those admitted (to the default, every one but the press, for a
    /// new session).
    pub open_to: Option<String>,
    /// Categories taken away from those admitted.
    pub closed_to: Option<String>,
}

impl SessionInput {
    /// The change an edit form makes to the session `stored` now, given the values it was
    /// `loaded` with when Edit was pressed: only the fields typed differently (a time typed
    /// "8:00" for a loaded "08:00" is no change). A form left open while another desk changed
    /// the same session thus does not put back what it still shows. A field changed here that
    /// another desk also changed since, to another value than the one typed here, is a
    /// conflict ([`Error::Stale`]): nothing is taken, and the message names each field with its
    /// stored value. Each field is judged alone, by its own rule; one loaded as the rules of
    /// today refuse it (a day the event no longer has) is compared as written. Categories
    /// added or taken away (`open_to`, `closed_to`) say a change of their own: always taken.
    pub fn since_loaded(
        &self,
        loaded: &SessionInput,
        stored: &Session,
        event: &Event,
    ) -> Result<SessionInput> {
        let mut judged = Judged::default();
        let mut out = SessionInput {
            open_to: self.open_to.clone(),
            closed_to: self.closed_to.clone(),
            ..Default::default()
        };
        let days = event.day_count();
        let (typed, at_load) = (self.day.map(|d| d.to_string()), loaded.day.map(|d| d.to_string()));
        let day =
            |v: Option<&str>| v.and_then(|v| v.trim().parse::<u32>().ok()).filter(|d| (1..=days).contains(d));
        let verdict =
            since_loaded(typed.as_deref(), at_load.as_deref(), day, &stored.day, || stored.day.to_string());
        if judged.take(verdict, "day".into(), || format!("the day (now day {})", stored.day)) {
            out.day = self.day;
        }
        let text = |s: &String| named_text(s);
        macro_rules! field {
            ($f:ident, $label:expr, $rule:expr, $shown:expr) => {
                let read = |v: Option<&str>| v.and_then(|v| ($rule)(v).ok());
                let verdict =
                    since_loaded(self.$f.as_deref(), loaded.$f.as_deref(), read, &stored.$f, || {
                        stored.$f.clone()
                    });
                if judged.take(verdict, stringify!($f).into(), || {
                    format!("{} (now {})", $label, ($shown)(&stored.$f))
                }) {
                    out.$f = self.$f.clone();
                }
            };
        }
        field!(start, "the start", |v| parse_clock("start", v, false), String::clone);
        field!(end, "the end", |v| parse_clock("end", v, true), String::clone);
        field!(title, "the title", clean_title, text);
        field!(room, "the room", clean_room, text);
        let categories = |v: Option<&str>| {
            v.and_then(|v| parse_categories(v).ok()).map(|mut c| {
                sort_categories(&mut c);
                c
            })
        };
        let verdict = since_loaded(
            self.categories.as_deref(),
            loaded.categories.as_deref(),
            categories,
            &stored.categories,
            || stored.categories_wire(),
        );
        if judged.take(verdict, "categories".into(), || {
            let open_to = if stored.categories.is_empty() {
                "no category".to_string()
            } else {
                labels(&stored.categories)
            };
            format!("who may attend (now {open_to})")
        }) {
            out.categories = self.categories.clone();
        }
        judged.check("this session was opened")?;
        Ok(out)
    }
}

/// What [`Desk::set_session_people`] does with the people it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PeopleList {
    /// Admitted whatever their category.
    Admit,
    /// Excluded whatever their category.
    Exclude,
    /// Back to what their category allows.
    Clear,
}

/// A session as a window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// The session.
    #[serde(flatten)]
    pub session: Session,
    /// Who may attend, in words ("everyone but the press; admitted by name: #7").
    pub open_to: String,
    /// The people admitted or excluded by name, admitted first, each by number.
    pub people: Vec<NamedPerson>,
}

/// A person on a session's list, as a window names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedPerson {
    /// Their number.
    pub id: i64,
    /// Their name as shown.
    pub display_name: String,
    /// Admitted (true) or excluded (false) whatever their category.
    pub admitted: bool,
}

/// A session removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRemoved {
    /// The session as it was.
    pub session: Session,
    /// How many people had been checked in to it (kept in the audit row).
    pub attendance: usize,
    /// One line for the operator.
    pub message: String,
}

/// A programme file applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeImport {
    /// Sessions added.
    pub added: usize,
    /// Sessions already there (same day, start and title) that were changed.
    pub updated: usize,
    /// Sessions already there and the same.
    pub unchanged: usize,
    /// One line for the operator.
    pub message: String,
}

/// The columns of a programme file, in order.
pub const PROGRAMME_COLUMNS: [&str; 6] = ["day", "start", "end", "title", "room", "open to"];

/// A session's times and title, as a refusal names it: "“Welcoming remarks” (session #3,
/// day 1, 08:00–09:00)".
fn named(s: &Session) -> String {
    format!("“{}” (session #{}, day {}, {}–{})", s.title, s.id, s.day, s.start, s.end)
}

/// `input` applied to `base` (a new session when `None`), checked as values.
fn apply_input(base: Option<&Session>, input: &SessionInput, event: &Event) -> Result<Session> {
    let mut s = base.cloned().unwrap_or_else(|| Session {
        id: 0,
        day: 0,
        start: String::new(),
        end: String::new(),
        title: String::new(),
        room: String::new(),
        categories: default_categories(),
        admitted: Vec::new(),
        excluded: Vec::new(),
    });
    let mut issues = Vec::new();
    let mut keep = |r: Result<()>| {
        if let Err(Error::Validation { issues: found }) = r {
            issues.extend(found);
            Ok(())
        } else {
            r
        }
    };
    if let Some(day) = input.day {
        s.day = day;
    }
    if base.is_none() && input.day.is_none() {
        keep(Err(Error::invalid("day", "A session needs its day")))?;
    } else if s.day == 0 || s.day > event.day_count() {
        let n = event.day_count();
        keep(Err(Error::invalid(
            "day",
            format!(
                "Day {} is not a day of the event (it has {n} day{})",
                s.day,
                if n == 1 { "" } else { "s" }
            ),
        )))?;
    }
    for (field, value, end, target) in
        [("start", &input.start, false, &mut s.start), ("end", &input.end, true, &mut s.end)]
    {
        match value {
            Some(v) => keep(parse_clock(field, v, end).map(|t| *target = t))?,
            None if base.is_none() => {
                keep(Err(Error::invalid(field, format!("A session needs its {field} time"))))?
            }
            None => {}
        }
    }
    match &input.title {
        Some(t) => keep(clean_title(t).map(|t| s.title = t))?,
        None if base.is_none() => keep(Err(Error::invalid("title", "A session needs a title")))?,
        None => {}
    }
    if let Some(r) = &input.room {
        keep(clean_room(r).map(|r| s.room = r))?;
    }
    let mut cats = s.categories.clone();
    if let Some(c) = &input.categories {
        keep(parse_categories(c).map(|c| cats = c))?;
    }
    // Each named as typed (--open-to, --closed-to), and one category never both: it was
    // closed without a word.
    let on = |field: &str, r: Result<Vec<Category>>| {
        r.map_err(|e| match e {
            Error::Validation { mut issues } => {
                for i in &mut issues {
                    i.field = field.into();
                }
                Error::Validation { issues }
            }
            e => e,
        })
    };
    let opened = input.open_to.as_deref().map(|c| on("openTo", parse_categories(c))).transpose();
    let closed = input.closed_to.as_deref().map(|c| on("closedTo", parse_categories(c))).transpose();
    if let (Ok(Some(o)), Ok(Some(c))) = (&opened, &closed) {
        if let Some(both) = o.iter().find(|x| c.contains(x)) {
            keep(Err(Error::invalid(
                "closedTo",
                format!("{} is both opened and closed to; say one of them", both.label()),
            )))?;
        }
    }
    match opened {
        Ok(o) => cats.extend(o.unwrap_or_default()),
        Err(e) => keep(Err(e))?,
    }
    match closed {
        Ok(Some(c)) => cats.retain(|x| !c.contains(x)),
        Ok(None) => {}
        Err(e) => keep(Err(e))?,
    }
    sort_categories(&mut cats);
    s.categories = cats;
    if issues.is_empty() && s.end <= s.start {
        issues.push(crate::error::FieldIssue {
            field: "end".into(),
            message: if s.end == s.start {
                format!("The session ends at {} as it starts; give it an end after {}", s.end, s.start)
            } else {
                format!("The session ends at {}, before it starts at {}", s.end, s.start)
            },
        });
    }
    if issues.is_empty() {
        Ok(s)
    } else {
        Err(Error::Validation { issues })
    }
}

/// The checks against the rest of the programme and the attendance: no two sessions at once
/// in one room; nobody checked in left outside the session's access; a session with
/// attendance keeps its day.
fn check_against(tx: &Tx, s: &Session, before: Option<&Session>) -> Result<()> {
    let room = fold(&s.room);
    if !room.is_empty() {
        let clash = load_sessions(tx, Some(s.day))?
            .into_iter()
            .find(|o| o.id != s.id && fold(&o.room) == room && o.overlaps(s));
        if let Some(o) = clash {
            return Err(Error::Conflict(format!(
                "{} is taken on day {} from {} to {} by {}; choose another room or time",
                o.room,
                o.day,
                o.start,
                o.end,
                named(&o)
            )));
        }
    }
    let Some(before) = before else { return Ok(()) };
    let present = session_attendance(tx, s.id)?;
    if !present.is_empty() && before.day != s.day {
        return Err(Error::Conflict(format!(
            "{} has {} people checked in to it; it stays on day {}",
            named(before),
            present.len(),
            before.day
        )));
    }
    let left_out: Vec<String> = present
        .iter()
        .filter(|a| s.access(a.id, a.fields.category) != Access::Admitted)
        .map(|a| format!("{} (#{}, {})", a.display_name, a.id, a.fields.category.label()))
        .collect();
    if !left_out.is_empty() {
        return Err(Error::Conflict(format!(
            "This change would leave {} checked in to {} outside its access: {}. Admit them by name, or undo their check-in first",
            if left_out.len() == 1 { "one person" } else { "people" },
            named(before),
            left_out.join(", ")
        )));
    }
    Ok(())
}

fn write_lists(tx: &Tx, s: &Session) -> Result<()> {
    tx.execute("DELETE FROM session_access WHERE session_id = ?1", params![s.id])?;
    for (ids, admitted) in [(&s.admitted, 1i64), (&s.excluded, 0)] {
        for id in ids {
            tx.execute(
                "INSERT INTO session_access (session_id, attendee_id, admitted) VALUES (?1, ?2, ?3)",
                params![s.id, *id, admitted],
            )?;
        }
    }
    Ok(())
}

fn insert(tx: &Tx, s: &Session, at: &str) -> Result<i64> {
    if load_sessions(tx, None)?.len() >= MAX_SESSIONS {
        return Err(Error::Conflict(format!("The programme holds at most {MAX_SESSIONS} sessions")));
    }
    tx.value(
        "INSERT INTO session (day, starts_at, ends_at, title, room, categories, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
        params![s.day, &s.start, &s.end, &s.title, &s.room, s.categories_wire(), at],
    )
}

fn update(tx: &Tx, s: &Session, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE session SET day = ?2, starts_at = ?3, ends_at = ?4, title = ?5, room = ?6, categories = ?7,
             updated_at = ?8 WHERE id = ?1",
        params![s.id, s.day, &s.start, &s.end, &s.title, &s.room, s.categories_wire(), at],
    )?;
    Ok(())
}

/// Who may attend by category, as the programme file lists it: the labels joined by "; ", or
/// "none" for a session open to people admitted by name only (an empty cell is read back as "as it is", or the defaults for
/// a new session).
fn labels(c: &[Category]) -> String {
    if c.is_empty() {
        return NO_CATEGORY.to_string();
    }
    c.iter().map(|c| c.label()).collect::<Vec<_>>().join("; ")
}

impl Desk {
    /// The programme (of `day` when given), by day and start.
    pub fn sessions(&self, day: Option<u32>) -> Result<Vec<Session>> {
        load_sessions(&self.db, day)
    }

    /// The programme (of `day` when given) as a window shows it: each session with who may
    /// attend in words.
    pub fn programme(&self, day: Option<u32>) -> Result<Vec<SessionView>> {
        load_sessions(&self.db, day)?
            .into_iter()
            .map(|session| {
                let named = |ids: &[i64], admitted: bool| -> Result<Vec<NamedPerson>> {
                    ids.iter()
                        .map(|&id| {
                            let a = load_attendee(&self.db, id)?;
                            Ok(NamedPerson { id, display_name: a.display_name, admitted })
                        })
                        .collect()
                };
                let mut people = named(&session.admitted, true)?;
                people.extend(named(&session.excluded, false)?);
                Ok(SessionView { open_to: session.open_to_words(), people, session })
            })
            .collect()
    }

    /// Session `id`.
    pub fn session(&self, id: i64) -> Result<Session> {
        load_session(&self.db, id)
    }

    /// Add a session to the programme (a coordinator action).
    pub fn add_session(&mut self, input: &SessionInput) -> Result<Session> {
        self.coordinator_only("Changing the programme")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let mut s = apply_input(None, input, &event)?;
        check_against(&tx, &s, None)?;
        s.id = insert(&tx, &s, &now())?;
        audit(&tx, &operator, "session.add", None, None::<&Session>, Some(&s))?;
        tx.finish(s)
    }

    /// Change session `id`: only the fields given (a coordinator action).
    pub fn set_session(&mut self, id: i64, input: &SessionInput) -> Result<Session> {
        self.set_session_from(id, input, None)
    }

    /// [`Desk::set_session`] from a form filled with `loaded` when Edit was pressed (the
    /// window's programme): only the fields typed differently from `loaded` are taken, and one
    /// that another desk changed meanwhile too refuses the change, naming it
    /// ([`SessionInput::since_loaded`]). Without `loaded`, every field given is taken.
    pub fn set_session_from(
        &mut self,
        id: i64,
        input: &SessionInput,
        loaded: Option<&SessionInput>,
    ) -> Result<Session> {
        self.coordinator_only("Changing the programme")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let before = load_session(&tx, id)?;
        let change = match loaded {
            Some(l) => std::borrow::Cow::Owned(input.since_loaded(l, &before, &event)?),
            None => std::borrow::Cow::Borrowed(input),
        };
        let after = apply_input(Some(&before), &change, &event)?;
        if after == before {
            return Ok(before);
        }
        check_against(&tx, &after, Some(&before))?;
        update(&tx, &after, &now())?;
        audit(&tx, &operator, "session.edit", None, Some(&before), Some(&after))?;
        tx.finish(after)
    }

    /// Remove session `id` (a coordinator action). Refused once anyone has been checked in
    /// to it, unless `force`: then their attendance is written in the audit row and removed
    /// with the session.
    pub fn remove_session(&mut self, id: i64, force: bool) -> Result<SessionRemoved> {
        self.coordinator_only("Changing the programme")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let session = load_session(&tx, id)?;
        let present = session_attendance(&tx, id)?;
        let ever: i64 =
            tx.value("SELECT count(*) FROM session_checkin WHERE session_id = ?1", params![id])?;
        if ever > 0 && !force {
            return Err(Error::Confirm(format!(
                "{} has had {} check-in{} ({} in it now); remove it with force to keep them only in the audit trail",
                named(&session),
                ever,
                if ever == 1 { "" } else { "s" },
                present.len()
            )));
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Removed<'a> {
            session: &'a Session,
            attendance: Vec<serde_json::Value>,
        }
        let attendance = tx.query_map(
            "SELECT attendee_id, at, operator, desk, method, undone_at, undone_by, undo_reason
             FROM session_checkin WHERE session_id = ?1 ORDER BY id",
            params![id],
            |r| {
                Ok(serde_json::json!({
                    "attendeeId": r.get::<i64>(0)?, "at": r.get::<String>(1)?,
                    "operator": r.get::<String>(2)?, "desk": r.get::<String>(3)?,
                    "method": r.get::<String>(4)?, "undoneAt": r.get::<Option<String>>(5)?,
                    "undoneBy": r.get::<Option<String>>(6)?, "undoReason": r.get::<Option<String>>(7)?,
                }))
            },
        )?;
        tx.execute("DELETE FROM session_checkin WHERE session_id = ?1", params![id])?;
        tx.execute("DELETE FROM session_access WHERE session_id = ?1", params![id])?;
        tx.execute("DELETE FROM session WHERE id = ?1", params![id])?;
        let record = Removed { session: &session, attendance };
        audit(&tx, &operator, "session.remove", None, Some(&record), None::<&Session>)?;
        let message = if ever > 0 {
            format!(
                "Removed {}; its {ever} check-in{} kept in the audit trail",
                named(&session),
                if ever == 1 { "" } else { "s" }
            )
        } else {
            format!("Removed {}", named(&session))
        };
        tx.finish(SessionRemoved { session, attendance: present.len(), message })
    }

    /// Admit or exclude `people` by name at session `id`, or put them back under their
    /// category's rule (a coordinator action). Refused whole if anyone is unknown, or if an
    /// exclusion would leave someone checked in outside the session's access.
    pub fn set_session_people(&mut self, id: i64, people: &[i64], list: PeopleList) -> Result<Session> {
        self.coordinator_only("Changing the programme")?;
        if people.is_empty() {
            return Err(Error::invalid("people", "Name at least one person (their number, as in #12)"));
        }
        if people.len() > MAX_PEOPLE_AT_ONCE {
            return Err(Error::invalid("people", format!("At most {MAX_PEOPLE_AT_ONCE} people at once")));
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = load_session(&tx, id)?;
        let mut after = before.clone();
        for &p in people {
            load_attendee(&tx, p)?;
            after.admitted.retain(|x| *x != p);
            after.excluded.retain(|x| *x != p);
            match list {
                PeopleList::Admit => after.admitted.push(p),
                PeopleList::Exclude => after.excluded.push(p),
                PeopleList::Clear => {}
            }
        }
        after.admitted.sort_unstable();
        after.admitted.dedup();
        after.excluded.sort_unstable();
        after.excluded.dedup();
        if after == before {
            return Ok(before);
        }
        check_against(&tx, &after, Some(&before))?;
        write_lists(&tx, &after)?;
        tx.execute("UPDATE session SET updated_at = ?2 WHERE id = ?1", params![id, now()])?;
        let action = match list {
            PeopleList::Admit => "session.admit",
            PeopleList::Exclude => "session.exclude",
            PeopleList::Clear => "session.clear",
        };
        audit(&tx, &operator, action, None, Some(&before), Some(&after))?;
        tx.finish(after)
    }

    /// The programme as CSV (day, start, end, title, room, open to), by day and start. The
    /// people admitted or excluded by name stay out: their numbers mean nothing in another
    /// database.
    pub fn programme_csv(&self) -> Result<Vec<u8>> {
        let sessions = self.sessions(None)?;
        csv_document(
            PROGRAMME_COLUMNS,
            sessions.iter().map(|s| {
                [
                    s.day.to_string(),
                    s.start.clone(),
                    s.end.clone(),
                    s.title.clone(),
                    s.room.clone(),
                    labels(&s.categories),
                ]
                .map(|v| escape_cell(&v))
            }),
        )
    }

    /// Write the programme as CSV to `out` (checked first: never the database, its backups or
    /// a folder), whole or not at all; the line for the operator.
    pub fn export_programme(&self, out: &std::path::Path) -> Result<String> {
        self.check_output(out)?;
        let bytes = self.programme_csv()?;
        let n = self.sessions(None)?.len();
        crate::store::storage::write_atomically(out, &bytes)?;
        Ok(format!("Wrote the programme ({n} session{}) to {}", if n == 1 { "" } else { "s" }, out.display()))
    }

    /// Apply a programme file (CSV with the columns of [`Desk::programme_csv`], "open to"
    /// optional: every category but the press when absent or empty) in one transaction: a
    /// session with the same day, start and title (case and accents ignored) is changed, any
    /// other added. Refused whole, naming the line, if any row is wrong (a coordinator action).
    pub fn import_programme(&mut self, bytes: &[u8]) -> Result<ProgrammeImport> {
        self.coordinator_only("Importing a programme")?;
        if bytes.len() > MAX_PROGRAMME_BYTES {
            return Err(Error::invalid(
                "file",
                format!(
                    "A programme file is at most {} KiB; this one is {} KiB",
                    MAX_PROGRAMME_BYTES / 1024,
                    bytes.len() / 1024
                ),
            ));
        }
        let text =
            std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| {
                Error::invalid("file", "The programme file is not UTF-8 text; save it as CSV UTF-8")
            })?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::invalid("file", format!("The programme file cannot be read: {e}")))?
            .iter()
            .map(|h| fold(h).replace('_', " "))
            .collect();
        let col = |name: &str| header.iter().position(|h| h == name);
        let missing: Vec<&str> =
            PROGRAMME_COLUMNS[..4].iter().copied().filter(|c| col(c).is_none()).collect();
        if !missing.is_empty() {
            return Err(Error::invalid(
                "file",
                format!(
                    "The programme file has no {} column; its first line must name: {}",
                    missing.join(", "),
                    PROGRAMME_COLUMNS.join(", ")
                ),
            ));
        }
        let cols: Vec<Option<usize>> = PROGRAMME_COLUMNS.iter().map(|c| col(c)).collect();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            // The line the record starts on in the file (a cell may hold a line break: counted
            // by records, every line after it was named one too early).
            let line = match &record {
                Ok(r) => r.position().map_or(i as u64 + 2, |p| p.line()),
                Err(e) => e.position().map_or(i as u64 + 2, |p| p.line()),
            } as usize;
            let record = record.map_err(|e| Error::invalid("file", format!("Line {line}: {e}")))?;
            if record.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            if rows.len() >= MAX_SESSIONS {
                return Err(Error::invalid(
                    "file",
                    format!("A programme holds at most {MAX_SESSIONS} sessions"),
                ));
            }
            let cell = |k: usize| cols[k].and_then(|c| record.get(c)).map(|v| unescape_cell(v).to_string());
            rows.push((line, cell(0), cell(1), cell(2), cell(3), cell(4), cell(5)));
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let event = load_event(&tx)?;
        let at = now();
        let (mut added, mut updated, mut unchanged) = (0, 0, 0);
        let on_line = |line: usize, e: Error| match e {
            Error::Validation { issues } => Error::invalid(
                "file",
                format!(
                    "Line {line}: {}; nothing was imported",
                    issues.iter().map(|i| i.message.as_str()).collect::<Vec<_>>().join("; ")
                ),
            ),
            Error::Conflict(why) => Error::Conflict(format!("Line {line}: {why}; nothing was imported")),
            other => other,
        };
        // Every line read first: which lines name the same session time and title (parallel
        // tracks, told apart by their rooms).
        let mut parsed = Vec::with_capacity(rows.len());
        for (line, day, start, end, title, room, open) in rows {
            let day = day.unwrap_or_default();
            let day = day.trim().parse::<u32>().map_err(|_| {
                Error::invalid(
                    "file",
                    format!("Line {line}: day \"{}\" is not a day number; nothing was imported", day.trim()),
                )
            })?;
            let given = open.as_ref().is_some_and(|o| !o.trim().is_empty());
            let input = SessionInput {
                day: Some(day),
                start,
                end,
                title,
                room,
                categories: open.filter(|o| !o.trim().is_empty()),
                ..SessionInput::default()
            };
            let new = apply_input(None, &input, &event).map_err(|e| on_line(line, e))?;
            parsed.push((line, new, given));
        }
        let key = |s: &Session| (s.day, s.start.clone(), fold(&s.title));
        let mut in_file = std::collections::HashMap::new();
        for (_, new, _) in &parsed {
            *in_file.entry(key(new)).or_insert(0usize) += 1;
        }
        for (line, new, given) in parsed {
            // The session this line is: the one of its day, start and title (in its room, when
            // several share them). Matched by day, start and title alone, a second session of
            // the same name and time (another room) was overwritten by the other's line.
            let named_so: Vec<Session> = load_sessions(&tx, Some(new.day))?
                .into_iter()
                .filter(|o| o.start == new.start && fold(&o.title) == fold(&new.title))
                .collect();
            let in_room: Vec<&Session> =
                named_so.iter().filter(|o| fold(&o.room) == fold(&new.room)).collect();
            let same = match (in_room.as_slice(), named_so.as_slice()) {
                ([one], _) => Some((*one).clone()),
                ([], []) => None,
                // One session of that name then, and this line is the file's only one for it:
                // the same session, moved to another room.
                ([], [one]) if in_file[&key(&new)] == 1 => Some(one.clone()),
                // Another room of a name and time the file lists more than once: a new track.
                ([], _) if in_file[&key(&new)] > 1 => None,
                _ => {
                    return Err(on_line(
                        line,
                        Error::Conflict(format!(
                            "{} sessions on day {} at {} are called “{}”{}, and this line cannot say which one it is. Change them in the programme instead",
                            named_so.len(),
                            new.day,
                            new.start,
                            new.title,
                            if in_room.len() > 1 { format!(" in {}", new.room) } else { String::new() }
                        )),
                    ))
                }
            };
            match same {
                Some(before) => {
                    let after = Session {
                        id: before.id,
                        admitted: before.admitted.clone(),
                        excluded: before.excluded.clone(),
                        // An empty "open to" cell leaves who may attend as it is (a session
                        // open to nobody by category, people admitted by name only, was
                        // opened to everyone but the press).
                        categories: if given { new.categories.clone() } else { before.categories.clone() },
                        ..new
                    };
                    if after == before {
                        unchanged += 1;
                        continue;
                    }
                    check_against(&tx, &after, Some(&before)).map_err(|e| on_line(line, e))?;
                    update(&tx, &after, &at)?;
                    audit(&tx, &operator, "session.edit", None, Some(&before), Some(&after))?;
                    updated += 1;
                }
                None => {
                    let mut s = new;
                    check_against(&tx, &s, None).map_err(|e| on_line(line, e))?;
                    s.id = insert(&tx, &s, &at).map_err(|e| on_line(line, e))?;
                    audit(&tx, &operator, "session.add", None, None::<&Session>, Some(&s))?;
                    added += 1;
                }
            }
        }
        let message = format!("Programme imported: {added} added, {updated} changed, {unchanged} unchanged");
        tx.finish(ProgrammeImport { added, updated, unchanged, message })
    }
}
