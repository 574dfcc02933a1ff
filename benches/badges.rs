//! Badge rendering speed and size: 100 badges of 4 × 3 in, one per page, with the embedded
//! subset font and a vector QR code each (the target: under 150 ms and 200 KB), and
//! 100 / 1,000 / 10,000 badges to see that time grows linearly.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use delegate_desk::badge::pdf::{badges_pdf, Drawn, Offset};
use delegate_desk::badge::{layout, BadgeContent, BadgeLayout, Preset};
use delegate_desk::Category;
use std::hint::black_box;

const NAMES: [&str; 6] = [
    "Hélène Dupré-Bâtard",
    "Marc-André Côté",
    "Łukasz Żółć",
    "Αλέξανδρος Παπαδόπουλος",
    "Мария Иванова",
    "Zoë Ali",
];

fn contents(n: usize) -> Vec<BadgeContent> {
    (0..n)
        .map(|i| BadgeContent {
            attendee_id: i as i64 + 1,
            version: 1,
            event_name: "Caribbean Nations Security Conference (CANSEC) 2019".into(),
            event_dates: "14–15 November 2019 · U.S. Southern Command, Miami".into(),
            rank: "Lt. Col.".into(),
            name: format!("{} {i}", NAMES[i % NAMES.len()]),
            position: "Head of Maritime Security".into(),
            organization: "Ministry of National Security".into(),
            delegation: "Trinidad and Tobago".into(),
            category: Category::ALL[i % Category::ALL.len()],
            valid_days: "All days · 14–15 Nov".into(),
            access: "All sessions".into(),
        })
        .collect()
}

/// Layout and PDF, as a print job does them.
fn render(contents: &[BadgeContent], preset: &Preset) -> Vec<u8> {
    let layouts: Vec<BadgeLayout> =
        contents.iter().map(|c| layout(c, preset.badge_width, preset.badge_height)).collect();
    let drawn: Vec<Drawn> =
        layouts.iter().map(|l| Drawn { layout: l, qr: delegate_desk::token::new_token().unwrap() }).collect();
    badges_pdf(&drawn, preset, Offset::default(), "bench")
}

fn bench(c: &mut Criterion) {
    let preset = Preset::find("insert-4x3").unwrap();
    let hundred = contents(100);
    println!("PDF of 100 badges (4 × 3 in, one per page): {} bytes", render(&hundred, preset).len());
    c.bench_function("badges/100 of 4x3, one per page", |b| b.iter(|| black_box(render(&hundred, preset))));
    let mut group = c.benchmark_group("badges/scaling");
    group.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let batch = contents(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &batch, |b, batch| {
            b.iter(|| black_box(render(batch, preset)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
