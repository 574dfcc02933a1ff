//! Opening files: a foreign file or a newer schema is refused and left byte-identical.

use delegate_desk::{storage, Desk};
use std::fs;

/// What schema 17 and later changed, undone: the two indexes of the attendees by status a file
/// of an earlier schema has, in place of the one by status then delegation; no print job's
/// scheduler (20) nor its file's SHA-256 (21).
const BEFORE_SCHEMA_17: &str = "DROP INDEX attendee_status_delegation;
     CREATE INDEX attendee_status ON attendee (status);
     CREATE INDEX attendee_delegation_status ON attendee (delegation_key, status);
     ALTER TABLE print_job DROP COLUMN sha256;
     ALTER TABLE print_job DROP COLUMN scheduler;";

fn siblings(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    v.sort();
    v
}

#[test]
fn a_text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("guests.csv");
    let bytes = "given,family\nHélène,Dupré\n".repeat(200).into_bytes();
    fs::write(&p, &bytes).unwrap();
    let e = Desk::open(&p).err().expect("refused");
    assert_eq!(e.kind(), "storage");
    assert!(e.to_string().contains("is not a Delegate Desk database"), "{e}");
    assert!(e.to_string().contains("left untouched"), "{e}");
    assert_eq!(fs::read(&p).unwrap(), bytes);
    assert_eq!(siblings(dir.path()), ["guests.csv"]);
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('keep me');").unwrap();
    }
    let bytes = fs::read(&p).unwrap();
    let e = Desk::open(&p).err().expect("refused");
    assert!(e.to_string().contains("another program's SQLite file"), "{e}");
    assert_eq!(fs::read(&p).unwrap(), bytes);
    assert_eq!(siblings(dir.path()), ["other.db"]);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    drop(Desk::open(&p).unwrap());
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", storage::SCHEMA_VERSION + 1).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = fs::read(&p).unwrap();
    let e = Desk::open(&p).err().expect("refused");
    assert!(e.to_string().contains("newer version of Delegate Desk"), "{e}");
    assert_eq!(fs::read(&p).unwrap(), bytes);
}

#[test]
fn reopening_keeps_the_data_and_does_not_seed_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nested/folder/desk.sqlite3");
    {
        let mut d = Desk::open(&p).unwrap();
        d.update_event(&delegate_desk::EventInput { name: Some("Renamed".into()), ..Default::default() })
            .unwrap();
    }
    let d = Desk::open(&p).unwrap();
    assert_eq!(d.event().unwrap().name, "Renamed");
}

#[test]
fn a_folder_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let e = Desk::open(dir.path()).err().expect("refused");
    assert!(e.to_string().contains("is a folder"), "{e}");
}

#[test]
fn a_database_of_an_earlier_schema_is_upgraded_in_place_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    {
        let mut d = Desk::open(&p).unwrap();
        let input = delegate_desk::AttendeeInput {
            given_name: Some("Hélène".into()),
            category: Some("delegate".into()),
            ..Default::default()
        };
        d.register(&input).unwrap();
    }
    {
        // Make it a schema-1 file: what version 1 of the app wrote.
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(
            "ALTER TABLE badge_print DROP COLUMN print_job; DROP TABLE print_job_badge; DROP TABLE print_job;
             DROP TABLE protocol_notice; ALTER TABLE attendee DROP COLUMN head_of_delegation;
             ALTER TABLE attendee DROP COLUMN notify_protocol;
             ALTER TABLE attendee DROP COLUMN vetting; ALTER TABLE attendee DROP COLUMN vetting_note;
             ALTER TABLE attendee DROP COLUMN vetting_by; ALTER TABLE attendee DROP COLUMN vetting_desk;
             ALTER TABLE attendee DROP COLUMN vetting_at; ALTER TABLE event DROP COLUMN require_vetting;
             DROP TABLE session_checkin; DROP TABLE session_access; DROP TABLE session;
             ALTER TABLE event DROP COLUMN demo; DROP TABLE request; DROP TABLE coordinator_pin;
             DROP TRIGGER checkin_registered; DROP TRIGGER checkin_only_undo; DROP TRIGGER checkin_no_delete;
             DROP TABLE checkin; ALTER TABLE audit DROP COLUMN desk;
             DROP TRIGGER badge_print_no_update; DROP TRIGGER badge_print_no_delete;
             DROP TABLE badge_print; DROP TABLE calibration;
             DROP TABLE allocation; ALTER TABLE event DROP COLUMN allocation_policy;
             DROP TABLE import_mapping;
             DROP TRIGGER attendee_count_insert; DROP TRIGGER attendee_count_update;
             DROP TRIGGER attendee_count_delete; DROP TRIGGER status_count_no_insert;
             DROP TRIGGER attendee_capacity_insert; DROP TRIGGER attendee_capacity_update;
             DROP TRIGGER event_capacity_floor; DROP TABLE status_count;
             DROP INDEX attendee_status_delegation; CREATE INDEX attendee_status ON attendee (status);
             CREATE TRIGGER attendee_capacity_insert BEFORE INSERT ON attendee
             WHEN NEW.status = 'registered'
              AND (SELECT count(*) FROM attendee WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
             BEGIN SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left'); END;
             CREATE TRIGGER attendee_capacity_update BEFORE UPDATE OF status ON attendee
             WHEN NEW.status = 'registered' AND OLD.status <> 'registered'
              AND (SELECT count(*) FROM attendee WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
             BEGIN SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left'); END;
             CREATE TRIGGER event_capacity_floor BEFORE UPDATE OF capacity ON event
             WHEN NEW.capacity < (SELECT count(*) FROM attendee WHERE status = 'registered')
             BEGIN SELECT RAISE(ABORT, 'delegate-desk: the capacity cannot be lower than the number of people registered'); END;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    // A file from before demos is no demo, and saying so changes nothing.
    let before = std::fs::read(&p).unwrap();
    assert!(!delegate_desk::demo::is_demo_file(&p).unwrap());
    assert_eq!(std::fs::read(&p).unwrap(), before);
    let d = Desk::open(&p).unwrap();
    assert!(!d.event().unwrap().demo);
    let c = rusqlite::Connection::open(&p).unwrap();
    let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, storage::SCHEMA_VERSION);
    assert_eq!(d.list(&Default::default()).unwrap()[0].fields.given_name, "Hélène");
    assert_eq!(d.calibration("cr80").unwrap().dx_mm, 0.0, "the new tables exist");
    assert!(d.allocations().unwrap().allocations.is_empty());
    assert!(!d.pin_status().unwrap().set, "the PIN table exists, empty");
    assert!(!d.applied("after-upgrade").unwrap(), "the request table exists, empty");
    // The counts kept by triggers start from what was on file, and so do the search words.
    let s = d.status().unwrap();
    assert_eq!((s.registered, s.invited), (1, 0));
    assert_eq!(d.search("helene", 10).unwrap().len(), 1);
    // Every table, index and trigger of a new file, and no other (schema 7's audit_at, dropped
    // again by schema 16, included).
    let fresh = dir.path().join("fresh.sqlite3");
    drop(Desk::open(&fresh).unwrap());
    assert_eq!(schema_objects(&p), schema_objects(&fresh));
}

/// The tables, indexes and triggers of a file, by kind and name.
fn schema_objects(p: &std::path::Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(p).unwrap();
    let mut st = c
        .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// Schema 16 drops the audit's index by time, which no read on a file uses; the audit and its
/// filters by time read the same rows before and after.
#[test]
fn a_schema_15_file_loses_the_audit_index_by_time_and_keeps_its_audit() {
    use delegate_desk::audit::AuditFilter;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    let since = {
        let mut d = Desk::open(&p).unwrap();
        for name in ["Ana", "Bruno", "Carla"] {
            let input = delegate_desk::AttendeeInput {
                given_name: Some(name.into()),
                category: Some("delegate".into()),
                ..Default::default()
            };
            d.register(&input).unwrap();
        }
        d.audit_trail(&AuditFilter::default()).unwrap()[1].at.clone()
    };
    let before = {
        let d = Desk::open(&p).unwrap();
        d.audit_trail(&AuditFilter { since: Some(since.clone()), ..Default::default() }).unwrap()
    };
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!(
            "{BEFORE_SCHEMA_17} CREATE INDEX audit_at ON audit (at); PRAGMA user_version = 15;"
        ))
        .unwrap();
    }
    let d = Desk::open(&p).unwrap();
    let c = rusqlite::Connection::open(&p).unwrap();
    let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, storage::SCHEMA_VERSION);
    let left: i64 =
        c.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'audit_at'", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    let after = d.audit_trail(&AuditFilter { since: Some(since), ..Default::default() }).unwrap();
    assert_eq!(after, before);
    assert!(!after.is_empty());
}

/// The status counts kept by triggers agree with the list after every kind of change, and
/// nobody but the triggers can write them.
#[test]
fn status_counts_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    let mut d = Desk::open(&p).unwrap();
    d.update_event(&delegate_desk::EventInput { capacity: Some("2".into()), ..Default::default() }).unwrap();
    let person = |i: u32| delegate_desk::AttendeeInput {
        given_name: Some(format!("P{i}")),
        category: Some("delegate".into()),
        ..Default::default()
    };
    let a = d.register(&person(1)).unwrap().attendee.id;
    d.register(&person(2)).unwrap();
    let w = d.register(&person(3)).unwrap().attendee.id;
    d.import(b"given_name,category\nInv,vip\n", &Default::default()).unwrap();
    d.cancel(a).unwrap();
    d.promote(&[w]).unwrap();
    d.reinstate(a).unwrap();
    let c = rusqlite::Connection::open(&p).unwrap();
    let wrong: i64 = c
        .query_row(
            "SELECT count(*) FROM status_count s WHERE n <> (SELECT count(*) FROM attendee a WHERE a.status = s.status)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0);
    let s = d.status().unwrap();
    assert_eq!((s.registered, s.waitlisted, s.invited, s.cancelled), (2, 1, 1, 0));
    let e = c.execute("INSERT INTO status_count (status, n) VALUES ('registered', 0)", []).unwrap_err();
    assert!(e.to_string().contains("kept by the database"), "{e}");
}

/// A file whose main part looks empty but whose `-wal` is large is refused without copying
/// or reading the whole journal, and left as it was.
#[test]
fn an_empty_looking_file_with_a_huge_wal_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let c = rusqlite::Connection::open(&live).unwrap();
    c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x BLOB);")
        .unwrap();
    for _ in 0..20 {
        c.execute("INSERT INTO t VALUES (zeroblob(1024 * 1024))", []).unwrap();
    }
    let db = dir.path().join("copy.db");
    std::fs::copy(&live, &db).unwrap();
    std::fs::copy(dir.path().join("live.db-wal"), dir.path().join("copy.db-wal")).unwrap();
    drop(c);
    let before = (std::fs::read(&db).unwrap(), std::fs::read(dir.path().join("copy.db-wal")).unwrap());
    let e = Desk::open(&db).err().expect("refused");
    assert!(e.to_string().contains("MB journal"), "{e}");
    let after = (std::fs::read(&db).unwrap(), std::fs::read(dir.path().join("copy.db-wal")).unwrap());
    assert!(before == after, "the file and its -wal are unchanged");
    assert!(!dir.path().join("copy.db-shm").exists());
}

#[test]
fn a_schema_11_file_gains_the_programme_and_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    {
        let mut d = Desk::open(&p).unwrap();
        d.register(&delegate_desk::AttendeeInput {
            given_name: Some("Hélène".into()),
            family_name: Some("Dubois".into()),
            category: Some("delegate".into()),
            ..Default::default()
        })
        .unwrap();
        drop(d);
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!(
            "{BEFORE_SCHEMA_17}
             ALTER TABLE badge_print DROP COLUMN print_job; DROP TABLE print_job_badge; DROP TABLE print_job;
             DROP TABLE protocol_notice; ALTER TABLE attendee DROP COLUMN head_of_delegation;
             ALTER TABLE attendee DROP COLUMN notify_protocol;
             ALTER TABLE attendee DROP COLUMN vetting; ALTER TABLE attendee DROP COLUMN vetting_note;
             ALTER TABLE attendee DROP COLUMN vetting_by; ALTER TABLE attendee DROP COLUMN vetting_desk;
             ALTER TABLE attendee DROP COLUMN vetting_at; ALTER TABLE event DROP COLUMN require_vetting;
             DROP TABLE session_checkin; DROP TABLE session_access; DROP TABLE session; PRAGMA user_version = 11;",
        ))
        .unwrap();
    }
    let mut d = Desk::open(&p).unwrap();
    assert_eq!(d.list(&Default::default()).unwrap()[0].fields.given_name, "Hélène");
    assert!(d.sessions(None).unwrap().is_empty(), "the programme's tables exist, empty");
    // Vetting arrives off, everyone pending, and can be set.
    assert!(!d.event().unwrap().require_vetting);
    let id = d.list(&Default::default()).unwrap()[0].id;
    assert!(d.set_vetting(id, "cleared", None).unwrap().changed);
    let s = d
        .add_session(&delegate_desk::programme::SessionInput {
            day: Some(1),
            start: Some("08:00".into()),
            end: Some("09:00".into()),
            title: Some("Opening".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(d.session(s.id).unwrap().title, "Opening");
}

/// Schema 17 replaces the two indexes of the attendees by status (one by status, one by
/// delegation then status) with one by status then delegation. Every read that used them
/// answers the same on the upgraded file: the seat count, the waitlist in its order, the
/// registered people, the allocations with the seats beyond them, and the dashboard.
#[test]
fn a_schema_16_file_gets_one_status_index_and_reads_the_same() {
    use delegate_desk::ListFilter;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("desk.sqlite3");
    delegate_desk::demo::create_demo(&p).unwrap();
    let reads = |d: &Desk| {
        let ids = |status: &str| -> Vec<i64> {
            let f = ListFilter { status: Some(status.into()), ..Default::default() };
            d.list(&f).unwrap().into_iter().map(|a| a.id).collect()
        };
        (
            d.status().unwrap(),
            ids("waitlisted"),
            ids("registered"),
            d.allocations().unwrap(),
            d.dashboard(None).unwrap(),
        )
    };
    let before = {
        let mut d = Desk::open(&p).unwrap();
        d.set_allocation("Jamaica", "4").unwrap();
        let r = reads(&d);
        assert!(
            r.1.len() > 1 && !r.2.is_empty() && !r.3.allocations.is_empty(),
            "the demo has people to read"
        );
        r
    };
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!("{BEFORE_SCHEMA_17} PRAGMA user_version = 16;")).unwrap();
    }
    let d = Desk::open(&p).unwrap();
    let c = rusqlite::Connection::open(&p).unwrap();
    assert_eq!(
        c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(),
        storage::SCHEMA_VERSION
    );
    let indexes: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attendee' AND name LIKE 'attendee_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        [
            "attendee_email_unique",
            "attendee_name_unique",
            "attendee_status_delegation",
            "attendee_waitlist_unique"
        ]
    );
    assert_eq!(reads(&d), before);
}
