//! The capacity invariant under a race: threads with their own connections and separate CLI
//! processes register at the same moment on one file.

mod common;

use common::nth;
use delegate_desk::{Desk, EventInput, ListFilter, Status};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");
const ROUNDS: usize = 20;
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
        let db = dir.path().join("race.sqlite3");
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
    let db = dir.path().join("dup.sqlite3");
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
