//! Import preview speed: a 10,000-row invite list read, mapped, validated and classified
//! against the database (target: under 300 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use delegate_desk::import::ImportOptions;
use delegate_desk::Desk;
use std::hint::black_box;

fn list(rows: usize) -> Vec<u8> {
    let mut s = String::from("rank,given_name,family_name,position,organization,delegation,category,email,phone,days,dietary,accessibility\n");
    for i in 0..rows {
        s.push_str(&format!(
            "Lt. Col.,Hélène{i},Dupré-Bâtard,Head of Maritime Security,\"Ministry of National Security, Jamaica\",Jamaica,Delegate,p{i}@example.org,+1-555-010-{:04},\"1,2\",halal,\n",
            i % 10_000
        ));
    }
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(&dir.path().join("bench.sqlite3")).unwrap();
    let bytes = list(10_000);
    let p = desk.import_preview(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (10_000, 0));
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("preview of 10,000 rows", |b| {
        b.iter(|| black_box(desk.import_preview(&bytes, &ImportOptions::default()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
