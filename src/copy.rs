//! Moving an event between storage engines: `copy --from A --to B` copies everything a
//! database holds (event, days, delegations, attendees, allocations, badge prints, check-ins,
//! calibration, import mappings, the coordinator PIN and the whole audit trail) with the same
//! ids, from a file or a server to a new file or an empty server database, and then checks
//! that every table reads back the same.
//!
//! The source is read in one read transaction (a consistent moment while desks keep working);
//! the target is written in one transaction, so a failed copy leaves it empty.

use crate::error::{Error, Result};
use crate::params;
use crate::store::db::{Db, Value};
use crate::store::pg::Location;
use serde::Serialize;
use std::path::Path;

/// Each table, in an order that satisfies its references, with its columns and its key.
const TABLES: &[(&str, &[&str])] = &[
    (
        "event",
        &[
            "id",
            "name",
            "venue",
            "start_date",
            "end_date",
            "timezone",
            "capacity",
            "allocation_policy",
            "demo",
            "require_vetting",
        ],
    ),
    ("event_day", &["day", "theme"]),
    ("delegation", &["name", "full_name", "kind", "iso3166", "sovereign"]),
    (
        "attendee",
        &[
            "id",
            "rank",
            "given_name",
            "family_name",
            "badge_name",
            "position",
            "organization",
            "delegation",
            "category",
            "email",
            "phone",
            "days",
            "dietary",
            "accessibility",
            "notes",
            "status",
            "registered_at",
            "waitlist_seq",
            "created_at",
            "updated_at",
            "name_key",
            "delegation_key",
            "email_key",
            "search_key",
            "vetting",
            "vetting_note",
            "vetting_by",
            "vetting_desk",
            "vetting_at",
            "head_of_delegation",
            "notify_protocol",
        ],
    ),
    ("allocation", &["delegation_key", "delegation", "seats"]),
    ("calibration", &["preset", "dx_mm", "dy_mm"]),
    ("import_mapping", &["signature", "mapping", "updated_at"]),
    (
        "coordinator_pin",
        &["id", "hash", "set_at", "set_by", "failures", "wait_until", "reset_at", "reset_by"],
    ),
    (
        "print_job",
        &[
            "id",
            "at",
            "operator",
            "desk",
            "printer",
            "cups_job",
            "preset",
            "copies",
            "file",
            "note",
            "retry_of",
            "state",
            "words",
            "updated_at",
            "scheduler",
            "sha256",
        ],
    ),
    ("print_job_badge", &["job_id", "attendee_id", "version", "reason", "token"]),
    (
        "badge_print",
        &["id", "attendee_id", "version", "at", "operator", "preset", "reason", "note", "token", "print_job"],
    ),
    (
        "checkin",
        &[
            "id",
            "attendee_id",
            "day",
            "at",
            "operator",
            "desk",
            "method",
            "undone_at",
            "undone_by",
            "undo_reason",
        ],
    ),
    (
        "session",
        &["id", "day", "starts_at", "ends_at", "title", "room", "categories", "created_at", "updated_at"],
    ),
    ("session_access", &["session_id", "attendee_id", "admitted"]),
    (
        "session_checkin",
        &[
            "id",
            "session_id",
            "attendee_id",
            "at",
            "operator",
            "desk",
            "method",
            "undone_at",
            "undone_by",
            "undo_reason",
        ],
    ),
    (
        "protocol_notice",
        &[
            "id",
            "attendee_id",
            "checkin_id",
            "session",
            "at",
            "operator",
            "desk",
            "closed_at",
            "closed_by",
            "closed_desk",
            "closed_how",
        ],
    ),
    ("audit", &["id", "at", "operator", "desk", "action", "attendee_id", "before", "after"]),
    ("request", &["id", "at", "operator", "desk", "kind", "result", "command", "digest"]),
];

/// Tables whose ids the server hands out: after a copy, the next id follows the copied ones.
const IDENTITIES: &[&str] = &[
    "attendee",
    "print_job",
    "badge_print",
    "checkin",
    "session",
    "session_checkin",
    "protocol_notice",
    "audit",
];

/// Rows per INSERT statement (well under both engines' limit on parameters).
const BATCH_ROWS: usize = 200;

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyReport {
    /// Rows copied per table, in copy order.
    pub tables: Vec<(String, usize)>,
    /// "Copied 120 attendees, 3 prints, … to …".
    pub message: String,
}

/// The database a copy writes: a server's, or a new file made under a temporary name beside
/// the one asked for, given that name only once the copy reads back the same — a copy that
/// fails, or is killed, leaves no half-made database under the name.
struct Target {
    db: Db,
    staged: Option<(tempfile::NamedTempFile, std::path::PathBuf)>,
}

impl Target {
    fn open(to: &Path) -> Result<Target> {
        if let Location::Server(address) = Location::of(to, "to")? {
            return Ok(Target { db: open_server(&address, true)?, staged: None });
        }
        if !crate::store::storage::is_new(to)? {
            return Err(Error::Conflict(format!(
                "{} already exists; copy only into a new file (nothing was written)",
                to.display()
            )));
        }
        let dir = crate::store::storage::folder_of(to);
        let name = to
            .file_name()
            .ok_or_else(|| Error::invalid("to", format!("{} is not a file name", to.display())))?;
        let temp = crate::store::storage::temp_beside(dir, name)
            .map_err(|e| Error::Io(format!("Cannot write {}: {e}", to.display())))?;
        let db = Db::sqlite(crate::store::storage::open(temp.path(), &[])?);
        Ok(Target { db, staged: Some((temp, to.to_path_buf())) })
    }

    /// The copy is committed: a file becomes one self-contained file, flushed, and takes its
    /// name if the name is still free.
    fn finish(self) -> Result<()> {
        let Some((temp, to)) = self.staged else { return Ok(()) };
        let fail = |e: &dyn std::fmt::Display| Error::Io(format!("Cannot write {}: {e}", to.display()));
        if let Some(c) = self.db.as_sqlite() {
            let mode: String = c.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(Error::Storage(format!("The copy keeps journal mode {mode}; nothing was kept")));
            }
        }
        drop(self.db);
        temp.as_file().sync_all().map_err(|e| fail(&e))?;
        temp.persist_noclobber(&to).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Conflict(format!(
                    "{} was made by someone else meanwhile; the copy was not kept (nothing was written)",
                    to.display()
                ))
            } else {
                fail(&e.error)
            }
        })?;
        let dir = crate::store::storage::folder_of(&to);
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Open a server's database for the copy, without the desk's demo data: the source (`create`
/// false), or the empty database to copy into.
fn open_server(address: &crate::store::pg::Address, create: bool) -> Result<Db> {
    if crate::store::pg::probe(address)?.is_none() && !create {
        return Err(Error::NotFound(format!("{address} holds no Delegate Desk event")));
    }
    let db = crate::store::pg::open(address, &[])?;
    // A database whose schema an earlier, failed copy created is still empty.
    if create
        && db.value::<i64>("SELECT (SELECT count(*) FROM event) + (SELECT count(*) FROM audit)", params![])?
            > 0
    {
        return Err(Error::Conflict(format!(
            "{address} already holds an event; copy only into an empty database (create one with createdb); nothing was written"
        )));
    }
    Ok(db)
}

/// The source of a copy: a server's database as it is, or a private copy of a file in memory,
/// so that the file is never written (see [`crate::store::file_copy::working_copy`]; opened
/// read-write, it was migrated in place, a backup used as the source too).
fn open_source(path: &Path) -> Result<Db> {
    if let Location::Server(address) = Location::of(path, "from")? {
        return open_server(&address, false);
    }
    crate::store::file_copy::working_copy(path)
}

/// Refuse, before anything is written, an event whose dates not every engine stores: one
/// saved by an earlier version with a year out of [`crate::model::YEARS`] (SQLite took
/// +262142-12-30, PostgreSQL refuses it), saying how to mend it.
fn check_dates(db: &Db) -> Result<()> {
    let event = crate::store::records::load_event(db)?;
    for (label, date) in [("start date", event.start_date), ("end date", event.end_date)] {
        if !crate::model::YEARS.contains(&chrono::Datelike::year(&date)) {
            return Err(Error::invalid(
                "from",
                format!(
                    "The event's {label} {date} is out of range (dates must be in the years {} to {}); set the event's dates first (event set --start-date … --end-date …). Nothing was copied",
                    crate::model::YEARS.start(),
                    crate::model::YEARS.end()
                ),
            ));
        }
    }
    Ok(())
}

fn select(table: &str, columns: &[&str]) -> String {
    format!("SELECT {} FROM {table}", columns.join(", "))
}

/// Every row of `table`, in the order of its columns (the key first) compared here, byte by
/// byte: a server sorts text by its locale ("Caribbean" before "CARICOM"), a file by bytes,
/// and the copy compares what both read. A key of several columns (a session's list: session
/// and person) is ordered by all of them.
fn read(db: &Db, table: &str, columns: &[&str]) -> Result<Vec<Vec<Value>>> {
    let mut rows = db.query_map(&select(table, columns), params![], |r| {
        (0..columns.len()).map(|i| r.get::<Value>(i)).collect::<Result<Vec<Value>>>()
    })?;
    rows.sort_by(|a, b| a.iter().map(key).cmp(b.iter().map(key)));
    Ok(rows)
}

fn key(v: &Value) -> (i64, &[u8]) {
    match v {
        Value::Int(n) => (*n, &[]),
        Value::Text(t) => (0, t.as_bytes()),
        Value::Null | Value::Real(_) => (0, &[]),
    }
}

fn insert(db: &Db, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut n = 0;
        let tuples: Vec<String> = chunk
            .iter()
            .map(|_| {
                let marks: Vec<String> = columns
                    .iter()
                    .map(|_| {
                        n += 1;
                        format!("?{n}")
                    })
                    .collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), tuples.join(", "));
        let values: Vec<Value> = chunk.iter().flatten().cloned().collect();
        db.execute(&sql, &values)?;
    }
    Ok(())
}

/// The triggers that let only registered people check in (for a day, or at a session's door
/// with the day's check-in in force) are lifted inside the copy's transaction: someone checked
/// in, admitted and later cancelled keeps their check-in and their admission as recorded.
fn with_checkins_as_recorded(db: &Db, f: impl FnOnce() -> Result<()>) -> Result<()> {
    db.with_trigger_lifted("checkin_registered", "checkin", || {
        db.with_trigger_lifted("session_checkin_registered", "session_checkin", f)
    })
}

/// Copy the event at `from` into the new database `to` (a new file, or an empty database on a
/// server), then check that both read the same. A target that holds anything is refused
/// untouched; a failed copy leaves no file (it is made under a temporary name) or a server's
/// database without an event.
pub fn copy(from: &Path, to: &Path) -> Result<CopyReport> {
    if from == to {
        return Err(Error::invalid("to", "Copy to another database than the one copied"));
    }
    // Before the source is opened: a refusal leaves both as they were.
    if !crate::store::pg::is_server(to) {
        crate::store::storage::check_not_a_journal(to)?;
    }
    let source = open_source(from)?;
    check_dates(&source)?;
    let target = Target::open(to)?;
    let snapshot = source.snapshot()?;
    // A removed session's number is never given again, in the copy either.
    let sessions_given = snapshot.highest_id_given("session")?;
    let admissions_given = snapshot.highest_id_given("session_checkin")?;
    let mut tables = Vec::new();
    let tx = target.db.begin()?;
    let mut contents = Vec::new();
    for (table, columns) in TABLES {
        let rows = read(&snapshot, table, columns)?;
        tables.push((table.to_string(), rows.len()));
        contents.push(rows);
    }
    with_checkins_as_recorded(&tx, || {
        for ((table, columns), rows) in TABLES.iter().zip(&contents) {
            insert(&tx, table, columns, rows)?;
        }
        Ok(())
    })?;
    tx.follow_inserted_ids(IDENTITIES)?;
    tx.give_ids_after("session", sessions_given)?;
    tx.give_ids_after("session_checkin", admissions_given)?;
    for ((table, columns), rows) in TABLES.iter().zip(&contents) {
        if read(&tx, table, columns)? != *rows {
            return Err(Error::Internal(format!(
                "The copy of {table} does not read back the same; nothing was copied"
            )));
        }
    }
    tx.commit()?;
    snapshot.commit()?;
    target.finish()?;
    let n = |t: &str| tables.iter().find(|(name, _)| name == t).map_or(0, |(_, n)| *n);
    let shown = crate::store::pg::shown;
    let message = format!(
        "Copied {} attendees, {} badge prints, {} check-ins and {} audit entries from {} to {}; every table reads back the same",
        n("attendee"),
        n("badge_print"),
        n("checkin"),
        n("audit"),
        shown(from),
        shown(to)
    );
    Ok(CopyReport { tables, message })
}
