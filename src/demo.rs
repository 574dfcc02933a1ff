//! Demo data: a database of its own, filled with the sample invite list (120 invented people
//! over the real delegations) and the conference's programme, so that a new user can try every screen without typing and
//! without touching the event's real database.
//!
//! The demo is built in a hidden file beside its final name and renamed into place when it is
//! complete, so a demo is never seen half-made. It is marked as a demo in the database itself
//! (`event.demo`), so every window on it says so, and a file that is not a demo is never
//! written over: a demo replaces only an older demo.

use crate::error::{Error, Result};
use crate::import::{ImportMode, ImportOptions};
use crate::printing::{BadgeRequest, BadgeSelection};
use crate::programme::SessionInput;
use crate::store::storage;
use crate::{AttendeeInput, Desk, EventInput, ListFilter, Status};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The sample invite list: 120 invented people (names, posts, e-mail addresses at
/// example.org) over the delegations a Caribbean security conference invites.
pub const SAMPLE_INVITE_LIST: &str = include_str!("data/invitees-sample.csv");

/// Who the audit trail of a demo names for the changes that made it.
pub const DEMO_OPERATOR: &str = "Demo data";

/// How many of the sample list are registered in file order (the event has 100 seats, so the
/// last six wait), how many of them then cancel (three seats free for the waiting to be
/// promoted), how many badges are printed and how many people checked in on day 1 (yesterday)
/// and day 2 (today, those whose arrival time has come).
const REGISTER: usize = 106;
const CANCEL: [usize; 3] = [4, 37, 71];
const PRINT: usize = 70;
const CHECKED_IN_DAY_1: usize = 45;
const CHECKED_IN_DAY_2: usize = 12;
/// Security vetting is required; everyone is cleared but the last few registered (none of
/// them checked in): these are still pending, and one was refused by security.
const VETTING_PENDING: usize = 4;
const VETTING_REFUSED_NOTE: &str = "Not on the host nation's list — see the chief of security";

/// The conference's programme: (day, start, end, title, room, open to the press). Day 1 opens
/// with welcoming remarks the press may attend; every other session is closed to it.
const PROGRAMME: [(u32, &str, &str, &str, &str, bool); 8] = [
    (1, "08:00", "08:30", "Welcoming remarks", "Main hall", true),
    (1, "08:30", "10:00", "Disaster response: lessons of the 2017 hurricane season", "Main hall", false),
    (1, "10:30", "12:00", "Humanitarian assistance and regional coordination", "Main hall", false),
    (1, "13:30", "15:00", "Building resilience with CDEMA and partner nations", "Room B", false),
    (2, "08:30", "10:00", "Transnational threats: trafficking and illicit flows", "Main hall", false),
    (2, "10:30", "12:00", "Maritime security and interdiction", "Main hall", false),
    (2, "13:30", "15:00", "Cyber security and information sharing", "Room B", false),
    (2, "15:00", "15:30", "Closing remarks", "Main hall", false),
];

/// What a new demo database holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    /// The demo database.
    pub path: String,
    /// People on file.
    pub people: usize,
    /// Registered, holding a seat.
    pub registered: usize,
    /// On the waitlist.
    pub waitlisted: usize,
    /// Invited, not yet registered.
    pub invited: usize,
    /// Cancelled.
    pub cancelled: usize,
    /// Badges printed.
    pub badges_printed: usize,
    /// Check-ins, all days.
    pub checked_in: usize,
    /// One line for the user.
    pub message: String,
}

/// Where the window keeps the demo for the database at `real`: beside it, named after it
/// (`delegate-desk.sqlite3` → `delegate-desk-demo.sqlite3`); for a server, in this user's data
/// folder.
pub fn demo_path_for(real: &Path) -> Result<PathBuf> {
    if crate::store::pg::is_server(real) {
        let default = storage::default_db_path()?;
        return Ok(default.with_file_name("delegate-desk-demo.sqlite3"));
    }
    let stem = real.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if stem.is_empty() {
        "delegate-desk-demo.sqlite3".to_string()
    } else {
        format!("{stem}-demo.sqlite3")
    };
    Ok(real.with_file_name(name))
}

/// Whether the file at `path` is a demo database, read without changing it. A file that is
/// not a Delegate Desk database is an error naming it.
pub fn is_demo_file(path: &Path) -> Result<bool> {
    let db = storage::open_read_only(path)?;
    let unreadable = |e: Error| Error::Storage(format!("{} cannot be read: {e}", path.display()));
    // A database older than schema 10 has no demo column: it is not a demo.
    let has_column: i64 = db
        .value("SELECT count(*) FROM pragma_table_info('event') WHERE name = 'demo'", crate::params![])
        .map_err(unreadable)?;
    if has_column == 0 {
        return Ok(false);
    }
    let demo: i64 =
        db.value("SELECT coalesce(max(demo), 0) FROM event", crate::params![]).map_err(unreadable)?;
    Ok(demo == 1)
}

/// Create a demo database at `path`, dated yesterday and today at the venue: the sample list
/// imported, 106 registered in file order (100 seats, 6 waiting), 3 cancelled (so 3 seats
/// wait to be given to the waitlist), 14 still invited, 70 badges printed, 45 people checked
/// in over yesterday's morning (day 1) and up to 12 this morning (day 2), none at a time that
/// has not come.
///
/// `path` must be new, or an older demo (which is replaced). Any other file is refused and left
/// as it was, and so is a server: a demo is a file of its own.
pub fn create_demo(path: &Path) -> Result<DemoSummary> {
    if crate::store::pg::is_server(path) {
        return Err(Error::invalid(
            "db",
            "Demo data goes into a file of its own, never onto a server; name a new file",
        ));
    }
    storage::check_not_a_journal(path)?;
    let replaces = path.exists();
    if replaces && !is_demo_file(path)? {
        return Err(Error::invalid(
            "db",
            format!(
                "{} is not a demo database; demo data never replaces a real one. Name a new file",
                path.display()
            ),
        ));
    }
    let dir = crate::store::storage::folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid("db", format!("{} is not a file name", path.display())))?;
    if !dir.exists() {
        storage::create_private_dir(dir)
            .map_err(|e| Error::Io(format!("Cannot create the folder {}: {e}", dir.display())))?;
    }
    // A hidden file of its own beside the target (two windows trying at once each build
    // their own), removed if anything fails.
    let temp = storage::temp_beside(dir, name)
        .map_err(|e| Error::Io(format!("Cannot write in {}: {e}", dir.display())))?
        .into_temp_path();
    let summary = match fill(&temp) {
        Ok(s) => s,
        Err(e) => {
            let _ = remove_database(&temp);
            return Err(e);
        }
    };
    // Looked at again just before anything is removed: the making took seconds, and meanwhile
    // another file may have been put at `path`, or another window (a process of its own)
    // opened the demo there. Removing a file open elsewhere leaves that window writing into a
    // file nobody will open again.
    if path.exists() {
        let refuse = |why: String| {
            let _ = remove_database(&temp);
            Err(Error::invalid("db", why))
        };
        if !is_demo_file(path).unwrap_or(false) {
            return refuse(format!(
                "{} is not a demo database (it was put there while the demo was being made); demo \
                 data never replaces a real one. Name a new file",
                path.display()
            ));
        }
        if storage::in_use(path) {
            return refuse(format!(
                "The demo at {} is open in another window or program; leave the demo there (or close \
                 it) first. Nothing was changed",
                path.display()
            ));
        }
    }
    // The old demo's journal files must go with it: beside the new file they would be read as
    // its own.
    remove_database(path)?;
    temp.persist(path)
        .map_err(|e| Error::Io(format!("Cannot put the demo database at {}: {e}", path.display())))?;
    let what = if replaces { "Demo data made again" } else { "Demo data made" };
    Ok(DemoSummary {
        path: path.display().to_string(),
        message: format!(
            "{what} in {}: {} invented people — {} registered, {} waitlisted, {} invited, {} cancelled; {} badges printed, {} check-ins. Your real database was not touched",
            path.display(),
            summary.people,
            summary.registered,
            summary.waitlisted,
            summary.invited,
            summary.cancelled,
            summary.badges_printed,
            summary.checked_in
        ),
        ..summary
    })
}

/// Remove a database file and its journal files, if there.
fn remove_database(path: &Path) -> Result<()> {
    for file in std::iter::once(path.to_path_buf()).chain(storage::journal_files(path)) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io(format!("Cannot remove the old demo {}: {e}", file.display()))),
        }
    }
    Ok(())
}

/// Make the demo in the new file `path` through the desk's own operations, as a coordinator,
/// logistics and the arrival desk would.
fn fill(path: &Path) -> Result<DemoSummary> {
    let mut desk = Desk::open(path)?;
    desk.set_operator(DEMO_OPERATOR)?;
    desk.set_desk("demo")?;
    desk.mark_demo()?;
    // Day 1 was yesterday (its whole morning happened), day 2 is today (the morning so far):
    // no check-in is ever dated in a day or an hour that has not come.
    let today = desk.event()?.local_now().date_naive();
    let start = today - chrono::Days::new(1);
    desk.update_event(&EventInput {
        start_date: Some(start.format("%Y-%m-%d").to_string()),
        end_date: Some(today.format("%Y-%m-%d").to_string()),
        ..Default::default()
    })?;
    let mut welcome = None;
    for (day, start, end, title, room, press) in PROGRAMME {
        let s = desk.add_session(&SessionInput {
            day: Some(day),
            start: Some(start.into()),
            end: Some(end.into()),
            title: Some(title.into()),
            room: Some(room.into()),
            open_to: press.then(|| "press".into()),
            ..Default::default()
        })?;
        welcome = welcome.or(Some(s.id));
    }
    let options = ImportOptions { mode: ImportMode::Invite, ..Default::default() };
    desk.import(SAMPLE_INVITE_LIST.as_bytes(), &options)?;
    let mut people = desk.list(&ListFilter::default())?;
    people.sort_by_key(|a| a.id);
    for a in people.iter().take(REGISTER) {
        desk.reinstate(a.id)?;
    }
    for i in CANCEL {
        let who =
            people.get(i).ok_or_else(|| Error::Internal("The sample invite list is too short".into()))?;
        desk.cancel(who.id)?;
    }
    let people = {
        let mut p = desk.list(&ListFilter::default())?;
        p.sort_by_key(|a| a.id);
        p
    };
    let registered: Vec<_> = people.iter().filter(|a| a.status == Status::Registered).collect();
    desk.update_event(&EventInput { require_vetting: Some("on".into()), ..Default::default() })?;
    let held: Vec<i64> = registered.iter().rev().take(VETTING_PENDING + 1).map(|a| a.id).collect();
    for a in people.iter().filter(|a| a.status != Status::Cancelled && !held.contains(&a.id)) {
        desk.set_vetting(a.id, "cleared", None)?;
    }
    if let Some(&refused) = held.first() {
        desk.set_vetting(refused, "refused", Some(VETTING_REFUSED_NOTE))?;
    }
    // Each delegation's first registered person heads it (first in the order of precedence);
    // the first to arrive today is flagged for protocol, whose notice waits on every desk.
    let mut headed = std::collections::HashSet::new();
    for a in registered.iter().filter(|a| headed.insert(crate::text::fold(&a.fields.delegation))) {
        desk.edit(a.id, &AttendeeInput { head_of_delegation: Some("yes".into()), ..Default::default() })?;
    }
    if let Some(first) = registered.iter().find(|a| a.fields.days.contains(&2)) {
        desk.edit(first.id, &AttendeeInput { notify_protocol: Some("yes".into()), ..Default::default() })?;
    }
    let printed: Vec<i64> = registered.iter().take(PRINT).map(|a| a.id).collect();
    // The badges are recorded as printed (their codes scan); the PDF itself is not kept.
    let scratch = tempfile::tempdir().map_err(|e| Error::Io(format!("Cannot make a scratch folder: {e}")))?;
    let preset = crate::badge::PRESETS.first().map(|p| p.name.to_string()).unwrap_or_default();
    desk.print_badges(
        &BadgeRequest {
            selection: BadgeSelection::Ids(printed.clone()),
            preset,
            reason: None,
            note: Some("Demo data".into()),
        },
        &scratch.path().join("demo-badges.pdf"),
    )?;
    let mut checked_in = 0;
    let on = |a: &&&crate::Attendee, day: u32| a.fields.days.contains(&day);
    let event = desk.event()?;
    for (day, n) in [(1, CHECKED_IN_DAY_1), (2, CHECKED_IN_DAY_2)] {
        let date = event.days.iter().find(|d| d.day == day).map_or(today, |d| d.date);
        let who: Vec<i64> = registered.iter().filter(|a| on(a, day)).take(n).map(|a| a.id).collect();
        let now = chrono::Utc::now();
        for (i, id) in who.iter().enumerate() {
            let at = arrival_time(&event.tz(), date, i, who.len())?;
            if at > now {
                break;
            }
            // Day 1's arrivals came through the door of the welcoming remarks (which counts as
            // the day's check-in); day 2's at the desk.
            match welcome.filter(|_| day == 1) {
                Some(s) => crate::store::records::at_time(at, || desk.check_in_session(*id, s))?,
                None => crate::store::records::at_time(at, || desk.check_in(*id, Some(day)))?,
            };
            checked_in += 1;
        }
    }
    // Yesterday's arrivals were met.
    for n in desk.protocol_notices(false)?.into_iter().filter(|n| n.day == 1) {
        desk.acknowledge_notice(n.id)?;
    }
    let count = |s: Status| people.iter().filter(|a| a.status == s).count();
    Ok(DemoSummary {
        path: path.display().to_string(),
        people: people.len(),
        registered: count(Status::Registered),
        waitlisted: count(Status::Waitlisted),
        invited: count(Status::Invited),
        cancelled: count(Status::Cancelled),
        badges_printed: printed.len(),
        checked_in,
        message: String::new(),
    })
}

/// When the `i`-th of `n` people arrives on a demo morning at the venue: from 07:30, most in
/// the quarter hour before the 08:00 welcoming remarks, some just after, a few stragglers
/// until 09:30 (minutes past 07:30 by share of arrivals, the seconds spread within each).
fn arrival_time(
    tz: &chrono_tz::Tz,
    date: chrono::NaiveDate,
    i: usize,
    n: usize,
) -> Result<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    // (share of the arrivals so far, minutes past 07:30): a piecewise-linear curve.
    const CURVE: [(f64, f64); 5] = [(0.0, 0.0), (0.2, 15.0), (0.75, 29.0), (0.92, 60.0), (1.0, 120.0)];
    let share = if n <= 1 { 0.0 } else { i as f64 / (n - 1) as f64 };
    let minutes = CURVE
        .windows(2)
        .find(|w| share <= w[1].0)
        .map(|w| w[0].1 + (share - w[0].0) / (w[1].0 - w[0].0) * (w[1].1 - w[0].1))
        .unwrap_or(120.0);
    let start = date.and_hms_opt(7, 30, 0).ok_or_else(|| Error::Internal("07:30 is not a time".into()))?;
    let local = start + chrono::TimeDelta::seconds((minutes * 60.0) as i64 + (i as i64 * 17) % 50);
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| Error::Internal(format!("{local} does not exist in {tz}")))
}

impl Desk {
    /// Mark this database as a demo (see [`create_demo`]); only a demo's own making calls it.
    fn mark_demo(&mut self) -> Result<()> {
        let tx = self.begin()?;
        tx.execute("UPDATE event SET demo = 1 WHERE id = 1", crate::params![])?;
        tx.finish(())
    }
}
