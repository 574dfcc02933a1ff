//! Export speed on large rosters: CSV and XLSX of 10,000 attendees (targets: under 50 ms and
//! under 500 ms), the PDF sign-in roster of 1,000 (target: under 500 ms). The roster is read
//! from the database once; what is measured is writing the bytes.

use criterion::{criterion_group, criterion_main, Criterion};
use delegate_desk::export::{columns, csv_bytes, roster, xlsx_bytes, RosterFilter};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{Desk, EventInput};
use std::hint::black_box;

fn desk_with(n: usize) -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&dir.path().join("bench.sqlite3")).unwrap();
    desk.update_event(&EventInput { capacity: Some("100000".into()), ..Default::default() }).unwrap();
    let mut csv = String::from(
        "rank,given_name,family_name,position,organization,delegation,category,email,phone,days,dietary\n",
    );
    let delegations = ["Jamaica", "Trinidad and Tobago", "Curaçao", "CDEMA", "France", "Haiti", "Press"];
    for i in 0..n {
        csv.push_str(&format!(
            "Lt. Col.,Hélène{i},Dupré-Bâtard,Head of Maritime Security,\"Ministry of National Security, Office {i}\",{},Delegate,p{i}@example.org,+1-555-010-{:04},\"1,2\",halal\n",
            delegations[i % delegations.len()],
            i % 10_000
        ));
    }
    desk.import(csv.as_bytes(), &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
    (dir, desk)
}

fn bench(c: &mut Criterion) {
    let (_dir, desk) = desk_with(10_000);
    let event = desk.event().unwrap();
    let everyone = roster(&desk, &RosterFilter::default(), &event).unwrap();
    assert_eq!(everyone.len(), 10_000);
    let full = columns("full").unwrap();
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("csv of 10,000 (full columns)", |b| {
        b.iter(|| black_box(csv_bytes(&everyone, &full, &event).unwrap()))
    });
    group.bench_function("xlsx of 10,000 (full columns)", |b| {
        b.iter(|| black_box(xlsx_bytes(&everyone, &[("Roster", full.clone())], &event).unwrap()))
    });
    let thousand = &everyone[..1000];
    group.bench_function("pdf roster of 1,000", |b| {
        b.iter(|| {
            black_box(delegate_desk::roster_pdf::roster_pdf(&event, thousand, "2019-11-14 08:00").bytes)
        })
    });
    group.bench_function("roster read of 10,000 from the database", |b| {
        b.iter(|| black_box(roster(&desk, &RosterFilter::default(), &event).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
