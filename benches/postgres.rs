//! Several desks on one PostgreSQL server: a durable registration (mean by criterion, and the
//! p50/p99 of 2,000 in a row), 8 desks registering at once (throughput and p99), and `copy`
//! of an event of 10,000 attendees from a file to the server and back.
//!
//! Needs a server: run under `pg_virtualenv` with `DELEGATE_DESK_BENCH_PG=1`, e.g.
//! `pg_virtualenv env DELEGATE_DESK_BENCH_PG=1 cargo bench -p delegate-desk --bench postgres`.
//! Without it the benchmark says so and measures nothing. Each run makes its own databases.

use criterion::{criterion_group, criterion_main, Criterion};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{AttendeeInput, Desk, EventInput};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static N: AtomicUsize = AtomicUsize::new(0);

/// A new, empty database on the server.
fn new_db() -> PathBuf {
    let name = format!("dd_bench_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut admin = delegate_desk::pg::Server::at("postgres:///postgres").and_then(|s| s.connect()).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    PathBuf::from(format!("postgres:///{name}"))
}

fn person(n: usize) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(format!("Walk{n}")),
        family_name: Some(format!("In-Núñez{n}")),
        delegation: Some("Jamaica".into()),
        category: Some("Delegate".into()),
        email: Some(format!("walkin{n}@example.org")),
        ..Default::default()
    }
}

fn big_event(desk: &mut Desk) {
    desk.update_event(&EventInput { capacity: Some("100000".into()), ..Default::default() }).unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench(c: &mut Criterion) {
    if std::env::var_os("DELEGATE_DESK_BENCH_PG").is_none() {
        eprintln!("postgres bench: DELEGATE_DESK_BENCH_PG is not set; run it under pg_virtualenv (see the file's head)");
        return;
    }
    // 1. One desk: a durable registration (criterion's mean), then the spread of 2,000.
    let db = new_db();
    let mut desk = Desk::open(&db).unwrap();
    big_event(&mut desk);
    let mut n = 0;
    c.bench_function("postgres: register one attendee, durable commit", |b| {
        b.iter(|| {
            n += 1;
            desk.register(&person(n)).unwrap()
        })
    });
    let mut times: Vec<Duration> = (0..2000)
        .map(|_| {
            n += 1;
            let t = Instant::now();
            desk.register(&person(n)).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "postgres: one desk, 2,000 registrations: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap())
    );

    // 2. Eight desks at once on one database, 250 registrations each.
    let db = new_db();
    big_event(&mut Desk::open(&db).unwrap());
    let start = std::sync::Arc::new(std::sync::Barrier::new(8));
    let t0 = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|d| {
            let (db, start) = (db.clone(), start.clone());
            std::thread::spawn(move || {
                let mut desk = Desk::open(&db).unwrap();
                start.wait();
                (0..250)
                    .map(|i| {
                        let t = Instant::now();
                        desk.register(&person(d * 1000 + i)).unwrap();
                        t.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let wall = t0.elapsed();
    all.sort();
    println!(
        "postgres: 8 desks at once, 2,000 registrations in {:.2} s: {:.0} registrations/s, p50 {:.2} ms, p99 {:.2} ms",
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99))
    );

    // 3. Copy an event of 10,000 from a file to the server, and back to a new file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.sqlite3");
    let mut desk = Desk::open(&file).unwrap();
    big_event(&mut desk);
    let mut csv = String::from("given_name,family_name,delegation,category,email\n");
    for i in 0..10_000 {
        csv.push_str(&format!("Hélène{i},Dupré,Jamaica,Delegate,p{i}@example.org\n"));
    }
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    desk.import(csv.as_bytes(), &opts).unwrap();
    drop(desk);
    let mut round = 0;
    c.bench_function("postgres: copy 10,000 attendees file → server", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let target = new_db();
                let t = Instant::now();
                delegate_desk::copy::copy(&file, &target).unwrap();
                total += t.elapsed();
            }
            total
        })
    });
    c.bench_function("postgres: copy 10,000 attendees server → file", |b| {
        let source = new_db();
        delegate_desk::copy::copy(&file, &source).unwrap();
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let back = dir.path().join(format!("back{round}.sqlite3"));
                let t = Instant::now();
                delegate_desk::copy::copy(&source, &back).unwrap();
                total += t.elapsed();
            }
            total
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = bench
}
criterion_main!(benches);
