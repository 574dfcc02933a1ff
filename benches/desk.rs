//! Desk speed on a realistic database: what an operator waits for at the desk.
//!
//! - `register`: one registration, durable (synchronous=FULL, so one fsync per commit);
//! - `list/*`: the attendee list of 1,000 people, unfiltered and with a name search;
//! - `status`: the seat gauge query the window polls;
//! - `revision`: the change probe the window polls every second.

use criterion::{criterion_group, criterion_main, Criterion};
use delegate_desk::{AttendeeInput, Desk, EventInput, ListFilter};
use std::hint::black_box;

fn person(n: usize) -> AttendeeInput {
    AttendeeInput {
        rank: Some("Lt. Col.".into()),
        given_name: Some(format!("Hélène{n}")),
        family_name: Some(format!("Dupré-Bâtard{n}")),
        delegation: Some(["Jamaica", "France", "Curaçao", "CDEMA"][n % 4].into()),
        category: Some("Delegate".into()),
        email: Some(format!("person{n}@example.org")),
        ..Default::default()
    }
}

fn desk_with(n: usize) -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&dir.path().join("bench.sqlite3")).unwrap();
    desk.update_event(&EventInput { capacity: Some("100000".into()), ..Default::default() }).unwrap();
    for i in 0..n {
        desk.register(&person(i)).unwrap();
    }
    (dir, desk)
}

fn bench(c: &mut Criterion) {
    let (_dir, mut desk) = desk_with(1000);
    let mut next = 1_000_000;
    c.bench_function("register (durable commit, 1,000 already)", |b| {
        b.iter(|| {
            next += 1;
            black_box(desk.register(&person(next)).unwrap());
        })
    });
    let (_dir, desk) = desk_with(1000);
    c.bench_function("list/all of 1,000", |b| {
        b.iter(|| black_box(desk.list(&ListFilter::default()).unwrap()))
    });
    let search = ListFilter { name: Some("helene12".into()), ..Default::default() };
    c.bench_function("list/name search in 1,000", |b| b.iter(|| black_box(desk.list(&search).unwrap())));
    c.bench_function("status of 1,000", |b| b.iter(|| black_box(desk.status().unwrap())));
    c.bench_function("revision", |b| b.iter(|| black_box(desk.revision().unwrap())));
}

criterion_group!(benches, bench);
criterion_main!(benches);
