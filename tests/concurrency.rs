//! The capacity invariant under a race: threads with their own connections and separate CLI
//! processes register at the same moment on one database (a file, or under
//! `DELEGATE_DESK_TEST_PG` a PostgreSQL server); and why the desk locks the event row there.

mod common;

use common::nth;
use delegate_desk::{Desk, EventInput, ListFilter, Status};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");
const ROUNDS: usize = 50;
const THREADS: usize = 8;
const PROCESSES: usize = 4;
const PEOPLE: usize = 20;

fn cli_register(db: &Path, n: usize) -> std::process::Output {
    let p = nth(n);
    Command::new(CLI)
        .arg("--db")
        .arg(db)
        .args(["register", "--json", "--category", "delegate", "--delegation", "Jamaica"])
        .args(["--given-name", p.given_name.as_deref().unwrap()])
        .args(["--family-name", p.family_name.as_deref().unwrap()])
        .args(["--email", p.email.as_deref().unwrap()])
        .output()
        .expect("run the CLI")
}

/// 20 people for the last 5 seats: 5 registered, 15 waitlisted in a gap-free line, nobody
/// twice, every round.
#[test]
fn twenty_racers_for_the_last_five_seats() {
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let db = common::new_db(dir.path());
        {
            let mut desk = Desk::open(&db).unwrap();
            desk.update_event(&EventInput { capacity: Some("10".into()), ..Default::default() }).unwrap();
            for i in 1000..1005 {
                desk.register(&nth(i)).unwrap();
            }
        }
        // Of people 0..20, the CLI processes take 4, 9, 14 and 19 (one each); the threads
        // the other 16 (two each).
        let start = Arc::new(Barrier::new(THREADS + PROCESSES));
        let mut handles = Vec::new();
        for t in 0..THREADS {
            let (db, start) = (db.clone(), start.clone());
            handles.push(std::thread::spawn(move || {
                let mut desk = Desk::open(&db).unwrap();
                let mine: Vec<usize> =
                    (0..PEOPLE).filter(|n| n % 5 != 4).filter(|n| n % THREADS == t).collect();
                start.wait();
                for n in mine {
                    desk.register(&nth(n)).unwrap();
                }
            }));
        }
        for lane in 0..PROCESSES {
            let (db, start) = (db.clone(), start.clone());
            handles.push(std::thread::spawn(move || {
                start.wait();
                let out = cli_register(&db, lane * 5 + 4);
                assert!(out.status.success(), "CLI failed: {}", String::from_utf8_lossy(&out.stderr));
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert!(v["status"] == "registered" || v["status"] == "waitlisted", "{v}");
            }));
        }
        for h in handles {
            h.join().expect("racer panicked");
        }
        let desk = Desk::open(&db).unwrap();
        let s = desk.status().unwrap();
        assert_eq!((s.registered, s.waitlisted), (10, 15), "round {round}");
        let all = desk.list(&ListFilter::default()).unwrap();
        assert_eq!(all.len(), 25);
        let emails: HashSet<&str> = all.iter().map(|a| a.fields.email.as_str()).collect();
        assert_eq!(emails.len(), 25, "nobody twice");
        let mut line: Vec<u32> = all.iter().filter_map(|a| a.waitlist_position).collect();
        line.sort_unstable();
        assert_eq!(line, (1..=15).collect::<Vec<_>>());
        assert_eq!(all.iter().filter(|a| a.status == Status::Registered).count(), 10);
    }
}

/// The same person at eight desks at once is registered exactly once.
#[test]
fn the_same_person_at_eight_desks_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::new_db(dir.path());
    drop(Desk::open(&db).unwrap());
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (db, start) = (db.clone(), start.clone());
            std::thread::spawn(move || {
                let mut desk = Desk::open(&db).unwrap();
                start.wait();
                desk.register(&nth(7)).map(|_| ()).map_err(|e| e.kind())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| *r == Err("conflict")), "{results:?}");
}

/// Why every write on PostgreSQL first locks the event row. Two transactions that each count
/// the seats taken and insert when one is free both admit under READ COMMITTED: the naive
/// rule overbooks. The same interleaving on the desk's own tables, by a writer that skips the
/// lock, is stopped by the capacity trigger, which takes the lock itself. (On SQLite one writer
/// at a time is the file's own rule; this test is the server's.)
#[test]
fn on_a_server_the_naive_count_then_insert_overbooks_and_the_backstop_does_not() {
    if !common::on_postgres() {
        return;
    }
    use delegate_desk::db::Db;
    use delegate_desk::params;
    let dir = tempfile::tempdir().unwrap();
    let db = common::new_db(dir.path());
    let mut desk = Desk::open(&db).unwrap();
    desk.update_event(&EventInput { capacity: Some("1".into()), ..Default::default() }).unwrap();
    drop(desk);

    // 1. The naive rule on a table of its own: both see 0 of 1 taken, both insert, both commit.
    let (a, b) = (Db::open_raw(&db).unwrap(), Db::open_raw(&db).unwrap());
    a.batch("CREATE TABLE naive_seat (who TEXT NOT NULL)").unwrap();
    for c in [&a, &b] {
        c.batch("BEGIN ISOLATION LEVEL READ COMMITTED").unwrap();
    }
    let free = |c: &Db| c.value::<i64>("SELECT count(*) FROM naive_seat", params![]).unwrap() < 1;
    assert!(free(&a) && free(&b), "both see the seat free");
    a.execute("INSERT INTO naive_seat (who) VALUES ('a')", params![]).unwrap();
    b.execute("INSERT INTO naive_seat (who) VALUES ('b')", params![]).unwrap();
    a.batch("COMMIT").unwrap();
    b.batch("COMMIT").unwrap();
    assert_eq!(
        a.value::<i64>("SELECT count(*) FROM naive_seat", params![]).unwrap(),
        2,
        "the naive rule overbooks"
    );

    // 2. The same interleaving on the attendee table: the trigger admits one and refuses the
    // other once the first commits.
    let insert = "INSERT INTO attendee (given_name, family_name, category, days, status, registered_at,
                      created_at, updated_at, name_key, delegation_key, email_key, search_key)
                  VALUES (?1, 'Naive', 'delegate', '1', 'registered', 'now', 'now', 'now', ?1, '', '', ?1)";
    for c in [&a, &b] {
        c.batch("BEGIN ISOLATION LEVEL READ COMMITTED").unwrap();
        let taken: i64 =
            c.value("SELECT n FROM status_count WHERE status = 'registered'", params![]).unwrap();
        assert_eq!(taken, 0, "both see the seat free");
    }
    a.execute(insert, params!["first"]).unwrap();
    let second = std::thread::spawn(move || {
        let r = b.execute(insert, params!["second"]);
        let _ = b.batch(if r.is_ok() { "COMMIT" } else { "ROLLBACK" });
        r
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    a.batch("COMMIT").unwrap();
    let e = second.join().unwrap().unwrap_err();
    assert!(e.to_string().contains("the event is full"), "{e}");
    assert_eq!(
        a.value::<i64>("SELECT count(*) FROM attendee WHERE status = 'registered'", params![]).unwrap(),
        1
    );

    // 3. One statement that seats many at once (the row trigger sees the count as it was
    // before the statement): refused whole, nobody seated, the counts as they were.
    a.batch("UPDATE event SET capacity = 3 WHERE id = 1").unwrap();
    for n in 0..4 {
        a.execute(
            "INSERT INTO attendee (given_name, family_name, category, days, status, waitlist_seq, created_at,
                 updated_at, name_key, delegation_key, email_key, search_key)
             VALUES (?1, 'Waiting', 'delegate', '1', 'waitlisted', ?2, 'now', 'now', ?1, '', '', ?1)",
            params![format!("w{n}"), n + 1],
        )
        .unwrap();
    }
    let e = a
        .batch("UPDATE attendee SET status = 'registered', registered_at = 'now', waitlist_seq = NULL WHERE status = 'waitlisted'")
        .unwrap_err();
    assert!(e.to_string().contains("the event is full"), "{e}");
    let seated = |c: &Db| {
        c.value::<i64>("SELECT count(*) FROM attendee WHERE status = 'registered'", params![]).unwrap()
    };
    assert_eq!(seated(&a), 1);
    assert_eq!(
        a.value::<i64>("SELECT n FROM status_count WHERE status = 'registered'", params![]).unwrap(),
        1
    );
    // Two at once fit in the two seats left: a statement of many rows within the capacity passes.
    a.batch("UPDATE attendee SET status = 'registered', registered_at = 'now', waitlist_seq = NULL WHERE given_name IN ('w0', 'w1')")
        .unwrap();
    assert_eq!(seated(&a), 3);

    // 4. A server already over its capacity (seated by such a statement before this check):
    // what seats nobody more — an edit, a cancel that mends it — goes through; one more seat
    // does not. (The check refused every change of a status then, the cancel with it, saying
    // the event was full.)
    a.batch(
        "ALTER TABLE attendee DISABLE TRIGGER attendee_capacity, DISABLE TRIGGER attendee_capacity_update_statement;
         UPDATE attendee SET status = 'registered', registered_at = 'now', waitlist_seq = NULL WHERE given_name IN ('w2', 'w3');
         ALTER TABLE attendee ENABLE TRIGGER attendee_capacity, ENABLE TRIGGER attendee_capacity_update_statement",
    )
    .unwrap();
    assert_eq!(seated(&a), 5, "overbooked, as the old bug left it");
    a.batch("UPDATE attendee SET notes = 'called' WHERE given_name = 'w1'").unwrap();
    a.batch(
        "UPDATE attendee SET status = 'cancelled', registered_at = NULL WHERE given_name IN ('w2', 'w3')",
    )
    .unwrap();
    assert_eq!(seated(&a), 3);
    let e = a
        .batch("UPDATE attendee SET status = 'registered', registered_at = 'now' WHERE given_name = 'w3'")
        .unwrap_err();
    assert!(e.to_string().contains("the event is full"), "{e}");
    assert_eq!(seated(&a), 3);
}
