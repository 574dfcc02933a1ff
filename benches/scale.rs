//! How the desk grows: register, list, search, status, CSV export, import preview and the
//! badge pre-flight, a badge scanned at the desk and at a session's door, with 100, 10,000 and
//! 100,000 attendees on file, and the floor a durable registration cannot beat — a bare SQLite insert and commit on the same disk with the same
//! settings (WAL, `synchronous=FULL`), measured in the same run.
//!
//! Databases are filled with one import (one transaction), not one registration at a time.
//! `DD_BENCH_SIZES=100,10000` limits the sizes (the 100,000 case takes a few minutes to set up).
//! Registration runs last at each size, since each iteration adds one person.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use delegate_desk::export::{columns, csv_bytes, roster, RosterFilter};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::programme::{PeopleList, SessionInput};
use delegate_desk::{AttendeeInput, Desk, EventInput, ListFilter};
use std::hint::black_box;

const DELEGATIONS: [&str; 7] =
    ["Jamaica", "Trinidad and Tobago", "Curaçao", "CDEMA", "France", "Haiti", "Press"];

fn invite_list(from: usize, n: usize) -> Vec<u8> {
    let mut csv = String::from(
        "rank,given_name,family_name,position,organization,delegation,category,email,phone,days,dietary\n",
    );
    for i in from..from + n {
        csv.push_str(&format!(
            "Lt. Col.,Hélène{i},Dupré-Bâtard,Head of Maritime Security,\"Ministry of National Security, Office {i}\",{},Delegate,p{i}@example.org,+1-555-010-{:04},\"1,2\",halal\n",
            DELEGATIONS[i % DELEGATIONS.len()],
            i % 10_000
        ));
    }
    csv.into_bytes()
}

/// A desk with `n` people on file: 100 registered (the seats), the rest invited.
fn desk_with(n: usize) -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&dir.path().join("bench.sqlite3")).unwrap();
    desk.update_event(&EventInput { capacity: Some("100000".into()), ..Default::default() }).unwrap();
    let registered = n.min(100);
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    desk.import(&invite_list(0, registered), &opts).unwrap();
    if n > registered {
        desk.import(&invite_list(registered, n - registered), &ImportOptions::default()).unwrap();
    }
    (dir, desk)
}

fn person(n: usize) -> AttendeeInput {
    AttendeeInput {
        rank: Some("Lt. Col.".into()),
        given_name: Some(format!("Walk{n}")),
        family_name: Some(format!("In-Núñez{n}")),
        delegation: Some(DELEGATIONS[n % DELEGATIONS.len()].into()),
        category: Some("Delegate".into()),
        email: Some(format!("walkin{n}@example.org")),
        ..Default::default()
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("DD_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 10_000, 100_000])
}

/// The floor: one row of the same width inserted and committed, WAL and synchronous=FULL.
fn floor(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("floor.sqlite3")).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT);",
    )
    .unwrap();
    let mut n = 0u64;
    c.bench_function("floor/bare durable insert + commit", |b| {
        b.iter(|| {
            n += 1;
            let tx = conn.unchecked_transaction().unwrap();
            tx.execute(
                "INSERT INTO t (a, b, c, d, e, f) VALUES (?1, 'Dupré-Bâtard', 'Lt. Col.', 'Jamaica', 'p@example.org', 'Head of Maritime Security')",
                [format!("Hélène{n}")],
            )
            .unwrap();
            tx.commit().unwrap();
        })
    });
}

fn scale(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    for n in sizes() {
        let (_dir, mut desk) = desk_with(n);
        g.bench_with_input(BenchmarkId::new("list all", n), &n, |b, _| {
            b.iter(|| black_box(desk.list(&ListFilter::default()).unwrap()))
        });
        let search = ListFilter { name: Some("helene12".into()), ..Default::default() };
        g.bench_with_input(BenchmarkId::new("search", n), &n, |b, _| {
            b.iter(|| black_box(desk.list(&search).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("status", n), &n, |b, _| {
            b.iter(|| black_box(desk.status().unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("prefix search two words", n), &n, |b, _| {
            b.iter(|| black_box(desk.search("hel dup", 20).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("prefix search one person", n), &n, |b, _| {
            b.iter(|| black_box(desk.search("helene12", 20).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("prefix search one letter, all match", n), &n, |b, _| {
            b.iter(|| black_box(desk.search_ids("h", 12).unwrap()))
        });
        // What the arrival view asks on every keystroke: 12 people with their check-in.
        g.bench_with_input(BenchmarkId::new("arrival find (12 shown, all match)", n), &n, |b, _| {
            b.iter(|| black_box(desk.find("hel", 12, Some(1)).unwrap()))
        });
        {
            // A scan: the token looked up, the holder checked in (already, after the first).
            let id = desk.search_ids("helene12", 1).unwrap()[0];
            let out = tempfile::tempdir().unwrap();
            let req = BadgeRequest {
                selection: BadgeSelection::Ids(vec![id]),
                preset: "cr80".into(),
                reason: Some("other".into()),
                note: None,
            };
            desk.print_badges(&req, &out.path().join("b.pdf")).unwrap();
            let token: String = rusqlite::Connection::open(desk.path())
                .unwrap()
                .query_row(
                    "SELECT token FROM badge_print WHERE attendee_id = ?1 ORDER BY version DESC",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            g.bench_with_input(BenchmarkId::new("scan a badge (token → card)", n), &n, |b, _| {
                b.iter(|| black_box(desk.scan(&token, Some(1)).unwrap()))
            });
            // The same badge at a session's door: admitted (already in, after the first), and
            // at a door closed to delegates, refused. Each session names 50 people by name.
            let mut session = |title: &str, categories: &str| {
                let s = desk
                    .add_session(&SessionInput {
                        day: Some(1),
                        start: Some("08:00".into()),
                        end: Some("09:00".into()),
                        title: Some(title.into()),
                        categories: Some(categories.into()),
                        ..Default::default()
                    })
                    .unwrap();
                s.id
            };
            let (open, closed) = (session("Open door", "delegate,vip"), session("Closed door", "vip"));
            let named: Vec<i64> =
                desk.search_ids("hel", 51).unwrap().into_iter().filter(|x| *x != id).take(50).collect();
            for s in [open, closed] {
                desk.set_session_people(s, &named, PeopleList::Exclude).unwrap();
            }
            g.bench_with_input(BenchmarkId::new("door scan, admitted (token → card)", n), &n, |b, _| {
                b.iter(|| black_box(desk.scan_session(&token, open).unwrap()))
            });
            g.bench_with_input(BenchmarkId::new("door scan, refused (token → card)", n), &n, |b, _| {
                b.iter(|| black_box(desk.scan_session(&token, closed).unwrap()))
            });
            // Vetting required and the holder not cleared: refused before anything else.
            let vetting = |on: &str| delegate_desk::EventInput {
                require_vetting: Some(on.into()),
                ..Default::default()
            };
            desk.update_event(&vetting("on")).unwrap();
            g.bench_with_input(
                BenchmarkId::new("door scan, vetting pending (token → card)", n),
                &n,
                |b, _| b.iter(|| black_box(desk.scan_session(&token, open).unwrap())),
            );
            desk.update_event(&vetting("off")).unwrap();
            // Leave the programme as it was for the benches that follow.
            for s in [open, closed] {
                desk.remove_session(s, true).unwrap();
            }
        }
        {
            // The first search of a desk reads everyone's words; later ones only what changed.
            let fresh = Desk::open(desk.path()).unwrap();
            let t = std::time::Instant::now();
            black_box(fresh.search_ids("hel", 12).unwrap());
            println!(
                "first search of a freshly opened desk over {n} people: {:.1} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        let event = desk.event().unwrap();
        let all = RosterFilter { status: Some("all".into()), ..Default::default() };
        let full = columns("full").unwrap();
        g.bench_with_input(BenchmarkId::new("csv export (read + write)", n), &n, |b, _| {
            b.iter(|| black_box(csv_bytes(&roster(&desk, &all, &event).unwrap(), &full, &event).unwrap()))
        });
        let file = invite_list(20_000_000, n);
        g.bench_with_input(BenchmarkId::new("import preview of n rows", n), &n, |b, _| {
            b.iter(|| black_box(desk.import_preview(&file, &ImportOptions::default()).unwrap()))
        });
        if n <= 10_000 {
            let ids: Vec<i64> = desk
                .list(&ListFilter { status: Some("registered".into()), ..Default::default() })
                .unwrap()
                .into_iter()
                .map(|a| a.id)
                .collect();
            let req = BadgeRequest {
                selection: BadgeSelection::Ids(ids),
                preset: "a4-4up-a6".into(),
                reason: None,
                note: None,
            };
            g.bench_with_input(BenchmarkId::new("badge pre-flight (registered)", n), &n, |b, _| {
                b.iter(|| black_box(desk.badge_preflight(&req).unwrap()))
            });
        }
        // Last: every iteration adds one person, so the list grows while it runs.
        let mut next = 10_000_000 + n;
        g.bench_with_input(BenchmarkId::new("register (durable)", n), &n, |b, _| {
            b.iter(|| {
                next += 1;
                black_box(desk.register(&person(next)).unwrap());
            })
        });
        // The floor of what a registration must write: the same attendee row (its four
        // indexes, the status count and the capacity check its triggers keep) and an audit
        // row as long as a registration's, inserted and committed by hand on the same file,
        // with none of the desk's reading, checking or formatting around them.
        let audit_after: String = rusqlite::Connection::open(desk.path())
            .unwrap()
            .query_row("SELECT after FROM audit ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let conn = rusqlite::Connection::open(desk.path()).unwrap();
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;").unwrap();
        g.bench_with_input(BenchmarkId::new("floor: a registration's rows, bare", n), &n, |b, _| {
            b.iter(|| {
                next += 1;
                let tx = conn.unchecked_transaction().unwrap();
                let id: i64 = tx
                    .prepare_cached(
                        "INSERT INTO attendee (rank, given_name, family_name, delegation, category, email,
                             days, status, registered_at, created_at, updated_at, name_key, delegation_key,
                             email_key, search_key)
                         VALUES ('Lt. Col.', ?1, 'In-Núñez', 'Jamaica', 'delegate', ?2, '1,2', 'registered',
                             '2026-12-06T07:00:00.000Z', '2026-12-06T07:00:00.000Z', '2026-12-06T07:00:00.000Z',
                             ?3, 'jamaica', ?2, ?3)
                         RETURNING id",
                    )
                    .unwrap()
                    .query_row(
                        rusqlite::params![
                            format!("Walk{next}"),
                            format!("walkin{next}@example.org"),
                            format!("walk{next} in nunez")
                        ],
                        |r| r.get(0),
                    )
                    .unwrap();
                tx.prepare_cached(
                    "INSERT INTO audit (at, operator, desk, action, attendee_id, before, after)
                     VALUES ('2026-12-06T07:00:00.000Z', 'Bench', 'Desk 1', 'register', ?1, NULL, ?2)",
                )
                .unwrap()
                .execute(rusqlite::params![id, &audit_after])
                .unwrap();
                tx.commit().unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, floor, scale);
criterion_main!(benches);
