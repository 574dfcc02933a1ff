//! What only the choice of engine brings: copying an event between a file and a server
//! exactly and back, refusing a target that holds anything, refusing a server database that is
//! not ours or is too new (untouched), the password kept out of messages, and a desk that
//! finds its server again after the connection was cut.
//!
//! The copy tests run in both passes (file to file, and under `DELEGATE_DESK_TEST_PG` file to
//! server to file); the server's own tests run only in the PostgreSQL pass.

mod common;

use common::{new_db, nth, on_postgres, person};
use delegate_desk::db::{Db, Value};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{params, AttendeeInput, Desk, Error, EventInput, ListFilter};
use std::path::Path;

/// A new test database (see `common::new_db`) and its name on the server.
fn named_db(dir: &Path) -> (std::path::PathBuf, String) {
    let db = new_db(dir);
    let name = db.to_str().unwrap().rsplit('/').next().unwrap().to_string();
    (db, name)
}

/// Every row of every table of the event, as stored, in key order.
fn contents(db: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let c = Db::open_raw(db).unwrap();
    let tables = [
        ("event", "id, name, venue, start_date, end_date, timezone, capacity, allocation_policy, require_vetting"),
        ("event_day", "day, theme"),
        ("delegation", "name, full_name, kind, iso3166, sovereign"),
        ("attendee", "id, rank, given_name, family_name, badge_name, position, organization, delegation, category, email, phone, days, dietary, accessibility, notes, status, registered_at, waitlist_seq, created_at, updated_at, name_key, delegation_key, email_key, search_key, vetting, vetting_note, vetting_by, vetting_desk, vetting_at, head_of_delegation, notify_protocol"),
        ("status_count", "status, n"),
        ("allocation", "delegation_key, delegation, seats"),
        ("calibration", "preset, dx_mm, dy_mm"),
        ("import_mapping", "signature, mapping, updated_at"),
        ("coordinator_pin", "id, hash, set_at, set_by"),
        ("print_job", "id, at, operator, desk, printer, cups_job, preset, copies, file, note, retry_of, state, words, updated_at"),
        ("print_job_badge", "job_id, attendee_id, version, reason, token"),
        ("badge_print", "id, attendee_id, version, at, operator, preset, reason, note, token, print_job"),
        ("checkin", "id, attendee_id, day, at, operator, desk, method, undone_at, undone_by, undo_reason"),
        ("audit", "id, at, operator, desk, action, attendee_id, before, after"),
        ("request", "id, at, operator, desk, kind, result"),
        ("session", "id, day, starts_at, ends_at, title, room, categories, created_at, updated_at"),
        ("session_access", "session_id, attendee_id, admitted"),
        ("protocol_notice", "id, attendee_id, checkin_id, session, at, operator, desk, closed_at, closed_by, closed_desk, closed_how"),
    ];
    tables
        .iter()
        .map(|(t, cols)| {
            let n = cols.split(',').count();
            let first = cols.split(',').next().unwrap();
            let rows = c
                .query_map(&format!("SELECT {cols} FROM {t} ORDER BY {first}, {cols}"), params![], |r| {
                    (0..n).map(|i| r.get::<Value>(i)).collect()
                })
                .unwrap();
            (t.to_string(), rows)
        })
        .collect()
}

/// A desk with some of everything: seats, a waitlist, a cancellation after a check-in, prints
/// and a reprint, an undone check-in, an allocation, a calibration, a programme with
/// admissions (one undone, one of a person cancelled since), a PIN, awkward text.
fn busy_event(desk: &mut Desk, out: &Path) {
    desk.update_event(&EventInput {
        capacity: Some("4".into()),
        start_date: Some(chrono::Local::now().date_naive().to_string()),
        end_date: Some(chrono::Local::now().date_naive().to_string()),
        timezone: Some("UTC".into()),
        ..Default::default()
    })
    .unwrap();
    desk.set_allocation("Haïti", "1").unwrap();
    let names =
        [("Zoë", "O'Brien-Ísleifsdóttir"), ("Łukasz", "Żółć"), ("Мария", "Иванова"), ("Ana", "Pérez 🇯🇲")];
    let ids: Vec<i64> = names
        .iter()
        .enumerate()
        .map(|(i, (g, f))| {
            let p = AttendeeInput {
                notes: Some("line one\nline \"two\", 'three'".into()),
                email: Some(format!("person{i}@example.org")),
                ..person(g, f, "Jamaica")
            };
            desk.register(&p).unwrap().attendee.id
        })
        .collect();
    let waiting = desk
        .once(Some("busy-event-waiting"), "register", &nth(5), |d| d.register(&nth(5)))
        .unwrap()
        .attendee
        .id;
    let request = |selection, reason: Option<&str>| BadgeRequest {
        selection,
        preset: "letter-6up-4x3".into(),
        reason: reason.map(str::to_string),
        note: None,
    };
    desk.print_badges(&request(BadgeSelection::AllRegistered, None), &out.join("b.pdf")).unwrap();
    desk.print_badges(&request(BadgeSelection::Ids(vec![ids[0]]), Some("damaged")), &out.join("b2.pdf"))
        .unwrap();
    // Badges sent to printers (when the machine has CUPS): one that printed, a reprint still
    // waiting on a printer that never answers, then sent again to the one that answers.
    if let Some(cups) = common::cups::scheduler() {
        std::env::set_var(delegate_desk::printing::OUTPUT_DIR_ENV, out);
        let listener = common::cups::Listener::start();
        let good = cups.queue(&common::cups::queue_name("copy"), &listener.device);
        let dead = cups.queue(&common::cups::queue_name("copy-dead"), &common::cups::dead_device());
        let to = |q: &common::cups::Queue, wait_seconds| delegate_desk::printing::PrinterChoice {
            printer: q.name.clone(),
            copies: 1,
            wait_seconds,
        };
        let one = |id, reason| BadgeRequest {
            preset: "cr80".into(),
            ..request(BadgeSelection::Ids(vec![id]), reason)
        };
        assert!(
            desk.print_to_printer(&one(ids[1], Some("lost")), &to(&good, 15), &mut |_, _| {})
                .unwrap()
                .printed
        );
        let waiting =
            desk.print_to_printer(&one(ids[0], Some("lost")), &to(&dead, 0), &mut |_, _| {}).unwrap();
        assert!(!waiting.printed);
        assert!(desk.retry_print_job(waiting.id, Some(&good.name), false, 15).unwrap().printed);
    }
    desk.check_in(ids[0], Some(1)).unwrap();
    desk.check_in(ids[1], Some(1)).unwrap();
    desk.undo_check_in(ids[1], 1, "wrong person").unwrap();
    desk.check_in(ids[2], Some(1)).unwrap();
    desk.cancel(ids[2]).unwrap();
    // The seat freed is held for Ana (the allocation of Haïti kept her waiting first): with one
    // more seat for a moment, the next in line is promoted past nobody; Ana stays waiting.
    desk.update_event(&EventInput { capacity: Some("5".into()), ..Default::default() }).unwrap();
    desk.once(Some("busy-event-promote"), "promote", &[waiting], |d| d.promote(&[waiting])).unwrap();
    desk.update_event(&EventInput { capacity: Some("4".into()), ..Default::default() }).unwrap();
    desk.set_calibration("cr80", "1.5", "-0.25").unwrap();
    // A programme with people admitted and excluded by name (several rows per session).
    let session = |day, start: &str, end: &str, title: &str| delegate_desk::programme::SessionInput {
        day: Some(day),
        start: Some(start.into()),
        end: Some(end.into()),
        title: Some(title.into()),
        room: Some("Salle Été".into()),
        ..Default::default()
    };
    let opening = desk.add_session(&session(1, "08:00", "08:30", "Welcoming remarks — «press»")).unwrap();
    let removed = desk.add_session(&session(1, "09:00", "10:00", "Removed")).unwrap();
    let closed = desk.add_session(&session(1, "10:00", "11:00", "Closed briefing")).unwrap();
    desk.remove_session(removed.id, false).unwrap();
    use delegate_desk::programme::PeopleList;
    desk.set_session_people(closed.id, &[ids[3], ids[0]], PeopleList::Admit).unwrap();
    desk.set_session_people(closed.id, &[ids[1]], PeopleList::Exclude).unwrap();
    desk.set_session_people(opening.id, &[ids[3]], PeopleList::Exclude).unwrap();
    // Admissions at the door: in force, undone, and one of a person cancelled since (the
    // database would refuse to admit them now; the copy keeps what was recorded).
    desk.check_in_session(ids[0], opening.id).unwrap();
    desk.check_in_session(ids[3], closed.id).unwrap();
    desk.check_in_session(waiting, opening.id).unwrap();
    desk.undo_check_in(waiting, 1, "admitted by mistake").unwrap();
    desk.check_in_session(waiting, closed.id).unwrap();
    desk.cancel(waiting).unwrap();
    // Vetting required, one person cleared with a note, one refused, the rest pending.
    desk.update_event(&EventInput { require_vetting: Some("on".into()), ..Default::default() }).unwrap();
    desk.set_vetting(ids[0], "cleared", Some("Host nation list — «ok»")).unwrap();
    desk.set_vetting(ids[1], "refused", None).unwrap();
    // A head of delegation made VIP arrives again: a notice left open; a person flagged for
    // protocol arrives again: a notice acknowledged.
    let vip = AttendeeInput {
        category: Some("vip".into()),
        head_of_delegation: Some("yes".into()),
        ..Default::default()
    };
    let seated: Vec<i64> = desk
        .list(&delegate_desk::ListFilter { status: Some("registered".into()), ..Default::default() })
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    desk.edit(seated[0], &vip).unwrap();
    desk.edit(seated[1], &AttendeeInput { notify_protocol: Some("yes".into()), ..Default::default() })
        .unwrap();
    for &id in &seated[..2] {
        desk.set_vetting(id, "cleared", Some("protocol")).unwrap();
        if desk.arrival_card(id, Some(1)).unwrap().checkin.is_some() {
            desk.undo_check_in(id, 1, "to arrive again").unwrap();
        }
        assert_eq!(desk.check_in(id, Some(1)).unwrap().result, delegate_desk::checkin::Arrival::CheckedIn);
    }
    let notices = desk.protocol_notices(false).unwrap();
    assert_eq!(notices.len(), 2);
    desk.acknowledge_notice(notices[1].id).unwrap();
    desk.set_pin(None, "copy-test-pin").unwrap();
}

#[test]
fn a_copy_to_the_other_engine_and_back_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.sqlite3");
    let mut desk = Desk::open(&file).unwrap();
    busy_event(&mut desk, dir.path());
    let before_status = desk.status().unwrap();
    drop(desk);
    let original = contents(&file);

    let middle_dir = tempfile::tempdir().unwrap();
    let middle = new_db(middle_dir.path());
    let report = delegate_desk::copy::copy(&file, &middle).unwrap();
    assert!(report.message.contains("Copied 5 attendees"), "{}", report.message);
    assert_eq!(contents(&middle), original, "the first copy differs");

    let back = dir.path().join("back.sqlite3");
    delegate_desk::copy::copy(&middle, &back).unwrap();
    assert_eq!(contents(&back), original, "the copy back differs");

    // The copy is a working desk: same figures, and the next person gets the next id.
    let mut copied = Desk::open(&middle).unwrap();
    assert_eq!(copied.status().unwrap(), before_status);
    let max_id = original.iter().find(|(t, _)| t == "attendee").unwrap().1.len() as i64;
    let next = copied.register(&nth(9)).unwrap().attendee;
    assert_eq!(next.id, max_id + 1);
    assert_eq!(copied.audit_trail(&Default::default()).unwrap().last().unwrap().attendee_id, Some(next.id));
    // Vetting is required on the copy too: not cleared, refused first.
    assert_eq!(copied.check_in(next.id, Some(1)).unwrap().result, delegate_desk::checkin::Arrival::Refused);
    copied.unlock("copy-test-pin").unwrap();
    copied.set_vetting(next.id, "cleared", None).unwrap();
    // Waitlisted behind the person the allocation kept waiting: no check-in, as on the original.
    assert_eq!(next.waitlist_position, Some(2));
    assert_eq!(
        copied.check_in(next.id, Some(1)).unwrap().result,
        delegate_desk::checkin::Arrival::Waitlisted
    );
}

#[test]
fn a_copy_never_writes_over_a_database_that_holds_an_event() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.sqlite3");
    Desk::open(&file).unwrap().register(&nth(1)).unwrap();
    // A target that holds an event (file or server) is refused, and stays as it was.
    let target_dir = tempfile::tempdir().unwrap();
    let target = new_db(target_dir.path());
    Desk::open(&target).unwrap().register(&nth(2)).unwrap();
    let before = contents(&target);
    let e = delegate_desk::copy::copy(&file, &target).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("nothing was written"), "{e}");
    assert_eq!(contents(&target), before);
    // A file that is not a database at all is refused as a source and as a target, untouched.
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, b"not a database, but precious").unwrap();
    assert!(delegate_desk::copy::copy(&other, &dir.path().join("new.sqlite3")).is_err());
    assert!(delegate_desk::copy::copy(&file, &other).is_err());
    assert_eq!(std::fs::read(&other).unwrap(), b"not a database, but precious");
    assert!(!dir.path().join("new.sqlite3").exists(), "a refused copy created its target");
    // A source that does not exist is not created.
    let missing = dir.path().join("missing.sqlite3");
    assert!(delegate_desk::copy::copy(&missing, &dir.path().join("new2.sqlite3")).is_err());
    assert!(!missing.exists());
}

/// The server's database must be ours: one holding another program's tables, or written by a
/// newer version, is refused and left exactly as it was.
#[test]
fn a_server_database_that_is_not_ours_or_too_new_is_refused_untouched() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let foreign = new_db(dir.path());
    let raw = Db::open_raw(&foreign).unwrap();
    raw.batch("CREATE TABLE invoices (n BIGINT); INSERT INTO invoices VALUES (42)").unwrap();
    let e = Desk::open(&foreign).err().expect("a foreign database is refused");
    assert!(e.to_string().contains("not a Delegate Desk database"), "{e}");
    let tables: i64 =
        raw.value("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", params![]).unwrap();
    assert_eq!(tables, 1, "the desk created tables in a foreign database");

    // Another program's tables in a schema of their own: still not ours, left untouched.
    let elsewhere = new_db(dir.path());
    let raw = Db::open_raw(&elsewhere).unwrap();
    raw.batch("CREATE SCHEMA app; CREATE TABLE app.invoices (n BIGINT)").unwrap();
    let e = Desk::open(&elsewhere).err().expect("another program's schema is refused");
    assert!(e.to_string().contains("not a Delegate Desk database"), "{e}");
    let ours: i64 =
        raw.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", params![]).unwrap();
    assert_eq!(ours, 0, "the desk created tables beside another program's");

    // The server's own database (an address without a database name lands there): no roster
    // is made in it.
    let e = Desk::open(Path::new("postgres:///postgres")).err().expect("the maintenance database is refused");
    assert!(e.to_string().contains("is the server's own database “postgres”"), "{e}");
    let raw = Db::open_raw(Path::new("postgres:///postgres")).unwrap();
    let made: i64 =
        raw.value("SELECT count(*) FROM pg_tables WHERE tablename = 'delegate_desk'", params![]).unwrap();
    assert_eq!(made, 0, "a roster was made in the server's own database");

    let newer = new_db(dir.path());
    Desk::open(&newer).unwrap().register(&nth(1)).unwrap();
    let raw = Db::open_raw(&newer).unwrap();
    raw.execute("UPDATE delegate_desk SET schema_version = 99", params![]).unwrap();
    let e = Desk::open(&newer).err().expect("a newer schema is refused");
    assert!(e.to_string().contains("newer version"), "{e}");
    assert_eq!(raw.value::<i64>("SELECT schema_version FROM delegate_desk", params![]).unwrap(), 99);
}

/// A server database of schema 8 (before request ids) is brought to this version in place,
/// keeping its roster, and answers a retried request from then on.
#[test]
fn a_server_database_of_an_earlier_schema_is_upgraded_in_place() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    Desk::open(&db).unwrap().register(&nth(1)).unwrap();
    let raw = Db::open_raw(&db).unwrap();
    raw.batch(
        "DROP TRIGGER attendee_capacity_insert_statement ON attendee; DROP TRIGGER attendee_capacity_update_statement ON attendee;
         DROP FUNCTION dd_capacity_statement();
         ALTER TABLE badge_print DROP COLUMN print_job; DROP TABLE print_job_badge; DROP TABLE print_job;
         DROP TABLE protocol_notice; ALTER TABLE attendee DROP COLUMN head_of_delegation, DROP COLUMN notify_protocol;
         ALTER TABLE attendee DROP COLUMN vetting, DROP COLUMN vetting_note, DROP COLUMN vetting_by,
             DROP COLUMN vetting_desk, DROP COLUMN vetting_at;
         ALTER TABLE event DROP COLUMN require_vetting;
         DROP TABLE session_checkin; DROP TABLE session_access; DROP TABLE session;
         DROP FUNCTION dd_session_checkin_registered(); DROP FUNCTION dd_session_checkin_only_undo();
         DROP TABLE request; ALTER TABLE event DROP COLUMN demo;
         ALTER TABLE coordinator_pin DROP COLUMN failures, DROP COLUMN wait_until, DROP COLUMN reset_at, DROP COLUMN reset_by;
         UPDATE delegate_desk SET schema_version = 8",
    )
    .unwrap();
    let mut desk = Desk::open(&db).unwrap();
    assert_eq!(
        raw.value::<i64>("SELECT schema_version FROM delegate_desk", params![]).unwrap(),
        delegate_desk::pg::SCHEMA_VERSION
    );
    assert_eq!(desk.list(&Default::default()).unwrap().len(), 1);
    assert!(desk.sessions(None).unwrap().is_empty(), "the programme's tables exist, empty");
    assert!(!desk.event().unwrap().require_vetting);
    assert_eq!(
        desk.list(&ListFilter { vetting: Some("pending".into()), ..Default::default() }).unwrap().len(),
        1
    );
    let first = desk.once(Some("after-upgrade"), "register", &nth(2), |d| d.register(&nth(2))).unwrap();
    assert_eq!(
        desk.once(Some("after-upgrade"), "register", &nth(2), |d| d.register(&nth(2))).unwrap(),
        first
    );
    assert_eq!(desk.list(&Default::default()).unwrap().len(), 2);
}

/// Dates a person types are bounded by one rule in the core, whichever engine stores them: a
/// date SQLite would take and PostgreSQL would refuse is refused on both, naming the field, and
/// an audit filter at the end of the calendar is refused instead of overflowing.
#[test]
fn dates_out_of_range_are_refused_the_same_on_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let mut desk = Desk::open(&db).unwrap();
    let before = desk.event().unwrap();
    for (start, end, field) in [
        ("+262142-12-30", "+262142-12-31", "startDate"),
        ("2100-12-31", "2101-01-01", "endDate"),
        ("1999-12-31", "2000-01-01", "startDate"),
    ] {
        let e = desk
            .update_event(&EventInput {
                start_date: Some(start.into()),
                end_date: Some(end.into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field(), Some(field), "{start} {end}: {e}");
        assert!(e.to_string().contains("2000 to 2100"), "{e}");
    }
    assert_eq!(desk.event().unwrap(), before, "nothing was written");
    for (since, until) in [(None, Some("+262142-12-31 23:59")), (Some("-262143-01-01"), None)] {
        let filter = delegate_desk::AuditFilter {
            since: since.map(Into::into),
            until: until.map(Into::into),
            ..Default::default()
        };
        let e = desk.audit_trail(&filter).unwrap_err();
        assert_eq!(e.field(), Some(if since.is_some() { "since" } else { "until" }), "{e}");
    }
    let at_the_edges = EventInput {
        start_date: Some("2100-12-30".into()),
        end_date: Some("2100-12-31".into()),
        ..Default::default()
    };
    desk.update_event(&at_the_edges).unwrap();
    assert_eq!(desk.event().unwrap().days[1].date.to_string(), "2100-12-31");
}

/// A password holding every character an address uses for itself (`/ : @ ? # & =`, a `%`, a
/// space) connects as typed — in the user part, percent-encoded, or as a `password=`
/// parameter — and the window's footer shows the address with it masked; a wrong one is
/// refused without it either.
#[test]
fn a_password_holding_any_character_connects_and_is_never_shown() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, name) = named_db(dir.path());
    let role = format!("{name}_owner");
    let secret = "Se/c:r@t?#&=% 99";
    let admin = Db::open_raw(&db).unwrap();
    admin.batch(&format!("CREATE ROLE {role} LOGIN PASSWORD '{secret}'")).unwrap();
    admin.batch(&format!("ALTER DATABASE {name} OWNER TO {role}")).unwrap();
    drop(admin);
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let encoded: String = secret
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    for (i, password) in [secret, encoded.as_str()].into_iter().enumerate() {
        for url in [
            format!("postgres://{role}:{password}@127.0.0.1:{port}/{name}"),
            format!("postgresql://127.0.0.1:{port}/{name}?user={role}&password={password}&sslmode=prefer"),
        ] {
            let desk = Desk::open(Path::new(&url)).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(desk.status().unwrap().capacity, 100);
            let footer = desk.info().path;
            // The database's name is random (it may hold "98" or "99"): taken out before looking.
            let unnamed = |text: &str| text.replace(&name, "NAME");
            assert!(!unnamed(&footer).contains("99") && !unnamed(&footer).contains("Se"), "{footer}");
            assert!(footer.contains(":***@127.0.0.1") || footer.contains("password=***"), "{footer}");
            assert_eq!(desk.path().display().to_string(), footer);
            if i == 0 {
                let wrong = url.replace("% 99", "% 98");
                let e = Desk::open(Path::new(&wrong)).err().unwrap().to_string();
                assert!(
                    e.contains("refused the connection")
                        && !unnamed(&e).contains("98")
                        && !unnamed(&e).contains("Se"),
                    "{e}"
                );
            }
        }
    }
}

/// A wrong password or an unknown database is reported with the server's reason, and the
/// password never appears in any message.
#[test]
fn connection_failures_are_explained_without_the_password() {
    if !on_postgres() {
        return;
    }
    let secret = "Sup3r-s3cret-pw";
    let e = Desk::open(Path::new(&format!("postgres://nobody:{secret}@localhost/postgres"))).err().unwrap();
    let text = e.to_string();
    assert!(text.contains("refused the connection") || text.contains("cannot be reached"), "{text}");
    assert!(!text.contains(secret), "{text}");
    assert!(text.contains("nobody:***@"), "{text}");
    let e = Desk::open(Path::new("postgres:///no_such_event_db")).err().unwrap();
    assert!(e.to_string().contains("does not exist"), "{e}");
    // Nothing listens on port 1: cannot be reached, said at once.
    let started = std::time::Instant::now();
    let e = Desk::open(Path::new("postgres://localhost:1/x")).err().unwrap();
    assert!(e.to_string().contains("cannot be reached"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// The server drops the desk's connection (restart, network cut): the next action fails
/// cleanly or just works, nothing half-done is left, and the desk carries on connected again.
#[test]
fn a_desk_connects_again_after_the_server_dropped_it() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let mut desk = Desk::open(&db).unwrap();
    desk.register(&nth(1)).unwrap();
    let admin = Db::open_raw(&db).unwrap();
    let kill = || {
        let n: i64 = admin
            .value(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'delegate-desk') k",
                params![],
            )
            .unwrap();
        assert!(n >= 1, "no desk connection to cut");
    };
    kill();
    // A read after the cut connects again by itself.
    assert_eq!(desk.status().unwrap().registered, 1);
    kill();
    // So does a change: the transaction starts on a new connection.
    desk.register(&nth(2)).unwrap();
    assert_eq!(desk.status().unwrap().registered, 2);
    let audit: i64 = admin.value("SELECT count(*) FROM audit WHERE action = 'register'", params![]).unwrap();
    assert_eq!(audit, 2, "each registration has exactly one audit row");
}

/// The desk's connection is encrypted when asked (`sslmode=require`) and refused when the
/// server cannot be authenticated (`verify-full` against a self-signed certificate).
#[test]
fn tls_is_used_when_asked_and_an_unverified_server_is_refused() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, name) = named_db(dir.path());
    let url = format!("{}?sslmode=require", db.display());
    let c = Db::open_raw(Path::new(&url)).unwrap();
    let ssl: bool = c.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", params![]).unwrap();
    assert!(ssl, "sslmode=require gave an unencrypted connection");
    let desk = Desk::open(Path::new(&url)).unwrap();
    assert_eq!(desk.status().unwrap().registered, 0);
    let plain = format!("{}?sslmode=disable", db.display());
    let c = Db::open_raw(Path::new(&plain)).unwrap();
    let ssl: bool = c.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", params![]).unwrap();
    assert!(!ssl);
    // The test server's certificate names "localhost" (Debian's snakeoil one, which this machine
    // trusts): reached as 127.0.0.1, verify-ca accepts it and verify-full refuses it.
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let by_ip = |mode: &str| format!("postgres://127.0.0.1:{port}/{name}?sslmode={mode}");
    Desk::open(Path::new(&by_ip("verify-ca"))).unwrap();
    let e = Desk::open(Path::new(&by_ip("verify-full")))
        .err()
        .expect("a certificate for another name is refused");
    // What was wrong with the certificate is said, not only that it was refused.
    assert!(e.to_string().contains("cannot be reached safely") && e.to_string().contains("mismatch"), "{e}");
}

/// A desk on the same machine as its server reaches it through the server's Unix socket
/// (`postgres:///db` without `PGHOST`, or a `host` that is a folder): there the TLS connector
/// is given no host name, and must not refuse one.
#[test]
fn a_desk_reaches_its_server_through_the_unix_socket() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, name) = named_db(dir.path());
    let admin = Db::open_raw(&db).unwrap();
    let sockets: String = admin.value("SHOW unix_socket_directories", params![]).unwrap();
    let socket_dir = sockets.split(',').next().unwrap().trim().to_string();
    assert!(socket_dir.starts_with('/'), "the test server listens on a Unix socket: {sockets:?}");
    // On the socket the server knows the client by its system user (`peer`): a role of that
    // name, owning the database.
    let me = String::from_utf8(std::process::Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    let role = format!("\"{}\"", me.replace('"', "\"\""));
    admin
        .batch(&format!(
            "DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
             ALTER DATABASE {name} OWNER TO {role}"
        ))
        .unwrap();
    for mode in ["prefer", "disable"] {
        let url = format!("postgres://{me}@/{name}?host={socket_dir}&sslmode={mode}");
        let desk = Desk::open(Path::new(&url)).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(desk.status().unwrap().registered, 0);
    }
}

/// With `sslrootcert`, the file's authorities are the only ones a desk trusts, as libpq: the
/// test server's certificate (Debian's snakeoil one, which the system trusts) is refused against
/// another authority, and accepted against itself.
#[test]
fn sslrootcert_is_the_only_authority_trusted() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, name) = named_db(dir.path());
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let bundle =
        std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").expect("the system's authorities");
    let end = "-----END CERTIFICATE-----";
    let other = dir.path().join("other-ca.pem");
    std::fs::write(&other, &bundle[..bundle.find(end).unwrap() + end.len()]).unwrap();
    let with_root = |root: &Path| {
        format!("postgres://127.0.0.1:{port}/{name}?sslmode=verify-ca&sslrootcert={}", root.display())
    };
    let e = Desk::open(Path::new(&with_root(&other)))
        .err()
        .expect("a server signed by another authority is refused");
    assert!(
        e.to_string().contains("cannot be reached safely") && e.to_string().contains("self-signed"),
        "{e}"
    );
    Desk::open(Path::new(&with_root(Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem")))).unwrap();
}

/// `delegate-desk-cli copy` as a coordinator types it: the report on stdout, exit 0; a second
/// copy onto the same target is refused with exit 2 and a message, and writes nothing.
#[test]
fn the_cli_copies_and_refuses_a_used_target() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.sqlite3");
    Desk::open(&file).unwrap().register(&nth(1)).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = new_db(target_dir.path());
    let run = || {
        std::process::Command::new(cli)
            .arg("copy")
            .arg("--from")
            .arg(&file)
            .arg("--to")
            .arg(&target)
            .arg("--json")
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["message"].as_str().unwrap().contains("Copied 1 attendees"), "{report}");
    let before = contents(&target);
    let again = run();
    assert_eq!(again.status.code(), Some(2), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(contents(&target), before);
}

/// A TCP relay between a desk and the test server that can lose the server's answer to the
/// next `COMMIT`: it passes the COMMIT on, so the server commits, then closes the desk's
/// connection instead of passing the reply back. Every later connection is relayed plainly.
struct Relay {
    port: u16,
    armed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    cuts: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// While set, a new connection is closed at once (the server out of reach).
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Relay {
    fn start() -> Relay {
        use std::io::{Read, Write};
        use std::net::{Shutdown, TcpListener, TcpStream};
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::sync::Arc;
        let server_port: u16 = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into()).parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let armed = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicUsize::new(0));
        let down = Arc::new(AtomicBool::new(false));
        let (armed2, cuts2, down2) = (armed.clone(), cuts.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                if down2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else { continue };
                let cut = Arc::new(AtomicBool::new(false));
                let (mut c_in, mut c_out) = (client.try_clone().unwrap(), client);
                let (mut s_in, mut s_out) = (server.try_clone().unwrap(), server);
                let (armed, cuts, cut2) = (armed2.clone(), cuts2.clone(), cut.clone());
                std::thread::spawn(move || {
                    let mut buf = [0u8; 65536];
                    while let Ok(n) = c_in.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        // A simple query message: 'Q', length, "COMMIT\0".
                        let commit = buf[..n].windows(7).any(|w| w == b"COMMIT\0");
                        if commit && armed.swap(false, Ordering::SeqCst) {
                            cut2.store(true, Ordering::SeqCst);
                            cuts.fetch_add(1, Ordering::SeqCst);
                        }
                        if s_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = s_out.shutdown(Shutdown::Write);
                });
                std::thread::spawn(move || {
                    let mut buf = [0u8; 65536];
                    while let Ok(n) = s_in.read(&mut buf) {
                        // The server answered the COMMIT: the desk never hears it.
                        if n == 0 || cut.load(Ordering::SeqCst) {
                            break;
                        }
                        if c_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = c_out.shutdown(Shutdown::Both);
                    let _ = s_in.shutdown(Shutdown::Both);
                });
            }
        });
        Relay { port, armed, cuts, down }
    }

    /// The address of `db` (a test database) through the relay.
    fn url(&self, db: &Path) -> std::path::PathBuf {
        let name = db.to_str().unwrap().rsplit('/').next().unwrap();
        format!("postgres://127.0.0.1:{}/{name}?sslmode=disable", self.port).into()
    }

    /// Lose the reply to the next COMMIT.
    fn lose_next_commit_reply(&self) {
        self.armed.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Refuse new connections (`true`), or relay them again.
    fn set_down(&self, down: bool) {
        self.down.store(down, std::sync::atomic::Ordering::SeqCst);
    }

    fn cuts(&self) -> usize {
        self.cuts.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The server commits a registration and the connection drops before its reply: the desk
/// cannot know from the reply. With a request id it asks the server, finds the id stored and
/// answers with the registration, once; without one it can only report the failure — though
/// the server has the person — which is why the window sends an id with every change.
#[test]
fn a_commit_whose_reply_is_lost_is_recognised_by_its_request_id() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    Desk::open(&db).unwrap();
    let relay = Relay::start();
    let mut desk = Desk::open(&relay.url(&db)).unwrap();
    let admin = Db::open_raw(&db).unwrap();
    let count = |sql: &str| admin.value::<i64>(sql, params![]).unwrap();

    relay.lose_next_commit_reply();
    let out = desk
        .once(Some("lost-reply-0001"), "register", &nth(1), |d| d.register(&nth(1)))
        .expect("recognised as applied");
    assert_eq!(relay.cuts(), 1, "the reply was not lost: the test proves nothing");
    assert_eq!(out.seat, Some(1));
    assert_eq!(count("SELECT count(*) FROM attendee"), 1);
    assert_eq!(count("SELECT count(*) FROM audit WHERE action = 'register'"), 1);
    // The window's retry, with the same id: answered, nothing written.
    assert_eq!(
        desk.once(Some("lost-reply-0001"), "register", &nth(1), |d| d.register(&nth(1))).unwrap(),
        out
    );
    assert_eq!(
        count("SELECT count(*) FROM audit"),
        1 + count("SELECT count(*) FROM audit WHERE action <> 'register'")
    );

    relay.lose_next_commit_reply();
    let e = desk.register(&nth(2)).expect_err("without an id the lost reply is an error");
    assert_eq!(relay.cuts(), 2);
    assert!(matches!(e, Error::Unreachable(_)), "{e:?}");
    // The server did commit it: the desk does not know, and must not say "not saved".
    assert!(e.to_string().contains("it may have been saved or not"), "{e}");
    assert!(!e.to_string().contains("not saved"), "{e}");
    assert_eq!(count("SELECT count(*) FROM attendee"), 2, "the server did commit it");

    // A print whose reply is lost: its first badge's token is on the server, so the desk
    // keeps the PDF and reports the print as done.
    let pdf = dir.path().join("lost.pdf");
    let req = BadgeRequest {
        selection: BadgeSelection::Ids(vec![out.attendee.id]),
        preset: "insert-4x3".into(),
        reason: None,
        note: None,
    };
    relay.lose_next_commit_reply();
    let printed = desk.print_badges(&req, &pdf).expect("the print was recorded");
    assert_eq!(relay.cuts(), 3);
    assert_eq!(printed.badges, 1);
    assert!(pdf.exists(), "the PDF of a recorded print was thrown away");
    assert_eq!(count("SELECT count(*) FROM badge_print"), 1);

    // The same, and the server stays out of reach, so the desk cannot ask whether the print
    // was recorded: it was, and its PDF is kept, and the failure says so. (The PDF was thrown
    // away, and the retry was answered "saved as PDF" with a file that was gone.)
    let pdf2 = dir.path().join("unknown.pdf");
    let reprint = BadgeRequest { reason: Some("damaged".into()), ..req.clone() };
    relay.lose_next_commit_reply();
    let cut_before = relay.cuts();
    relay.set_down(true);
    let e = desk.print_badges(&reprint, &pdf2).expect_err("the server cannot be asked");
    relay.set_down(false);
    assert_eq!(relay.cuts(), cut_before + 1);
    assert!(matches!(e, Error::Unreachable(_) | Error::Storage(_)), "{e:?}");
    assert!(e.to_string().contains("their PDF is kept"), "{e}");
    assert!(pdf2.exists(), "the PDF of a print the server recorded was thrown away");
    assert_eq!(count("SELECT count(*) FROM badge_print"), 2, "the server did record it");
    // The server back: the desk connects again once its pause after a failed attempt is over.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while let Err(e) = desk.status() {
        assert!(std::time::Instant::now() < deadline, "not connected again: {e}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // A check-in whose COMMIT reply is lost, then undone: the same check-in sent again is a
    // new change (the window drops the id once another change went through) and is applied;
    // the spent id answers only its own request and is refused for another person.
    let who = out.attendee.id;
    let day = Some(1);
    relay.lose_next_commit_reply();
    desk.once(Some("arrive-lost-01"), "arrive", &(who, day), |d| d.arrive(who, day))
        .expect("recognised as applied");
    assert_eq!(relay.cuts(), 5);
    let live = "SELECT count(*) FROM checkin WHERE undone_at IS NULL";
    assert_eq!(count(live), 1);
    desk.once(Some("undo-lost-001"), "checkin.undo", &(who, 1, "wrong person"), |d| {
        d.undo_check_in(who, 1, "wrong person")
    })
    .unwrap();
    assert_eq!(count(live), 0);
    let again = desk.once(Some("arrive-new-01"), "arrive", &(who, day), |d| d.arrive(who, day)).unwrap();
    assert_eq!(again.result, delegate_desk::checkin::Arrival::CheckedIn, "{}", again.message);
    assert_eq!(count(live), 1, "the same check-in after the undo was applied");
    let other = desk.register(&nth(3)).unwrap().attendee.id;
    let e = desk.once(Some("arrive-lost-01"), "arrive", &(other, day), |d| d.arrive(other, day)).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert_eq!(count("SELECT count(*) FROM checkin"), 2, "nobody checked in under a spent id");
}

/// A desk that stops in the middle of a change (put to sleep, cut off the network) holds the
/// locks the others need: they wait a bounded time, then are refused with why, and nothing is
/// written; once it is gone they write again. (The wait is shortened here through the address's
/// own options, which come after the desk's.)
#[test]
fn a_stalled_desk_holds_the_others_a_bounded_time() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    Desk::open(&db).unwrap();
    let stalled = Db::open_raw(&db).unwrap();
    stalled.batch("BEGIN; SELECT * FROM event FOR UPDATE").unwrap();
    let quick = format!("{}?options=-c%20lock_timeout%3D1500ms", db.display());
    let mut other = Desk::open(Path::new(&quick)).unwrap();
    let before = other.revision().unwrap();
    let e = other.register(&nth(1)).expect_err("the lock is held");
    assert!(
        e.to_string().contains("Another desk kept the database busy for too long: this change was not saved"),
        "{e}"
    );
    assert_eq!(other.revision().unwrap(), before, "refused, nothing written");
    stalled.batch("ROLLBACK").unwrap();
    other.register(&nth(1)).unwrap();
    // Without options of its own, a desk's session carries the bounds.
    let plain = Db::open_raw(&db).unwrap();
    let lock: String = plain.value("SELECT current_setting('lock_timeout')", params![]).unwrap();
    let idle: String =
        plain.value("SELECT current_setting('idle_in_transaction_session_timeout')", params![]).unwrap();
    assert_eq!((lock.as_str(), idle.as_str()), ("30s", "5min"));
}
