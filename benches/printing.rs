//! Badges to a printer through a real CUPS scheduler of the bench's own (the tests'
//! `tests/common/cups.rs`: a socket-listener printer on loopback, nothing of the machine's):
//!
//! - *check-in → job accepted*: a person checked in, then their badge laid out, written, logged
//!   and sent, until CUPS answers with its job number (the desk's part of "print at check-in";
//!   the target: under 300 ms);
//! - *100 badges to the printer*: a batch of 100 (4 × 3 in, one per page) from the desk's call
//!   until the listener has the last byte.
//!
//! Needs `cupsd` (the test script installs it); without it the bench says so and measures
//! nothing.

#[path = "../tests/common/cups.rs"]
mod cups;

use criterion::{criterion_group, criterion_main, Criterion};
use delegate_desk::printing::{BadgeRequest, BadgeSelection, PrinterChoice, OUTPUT_DIR_ENV};
use delegate_desk::{AttendeeInput, Desk, EventInput};
use std::time::{Duration, Instant};

fn person(i: usize) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(format!("Given{i}")),
        family_name: Some(format!("Family{i}")),
        delegation: Some("Jamaica".into()),
        category: Some("delegate".into()),
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let Some(sched) = cups::scheduler() else {
        eprintln!("cupsd is not installed: nothing measured");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var(OUTPUT_DIR_ENV, dir.path().join("out"));
    let printer = cups::Listener::start();
    let q = sched.queue(&cups::queue_name("bench"), &printer.device);
    let mut desk = Desk::open(&dir.path().join("bench.sqlite3")).unwrap();
    let today = desk.event().unwrap().local_now().date_naive().to_string();
    desk.update_event(&EventInput {
        capacity: Some("100000".into()),
        start_date: Some(today.clone()),
        end_date: Some(today),
        ..Default::default()
    })
    .unwrap();
    let to = PrinterChoice { printer: q.name.clone(), copies: 1, wait_seconds: 15 };
    let mut n = 0usize;
    let mut received = 0usize;

    c.benchmark_group("printing").sample_size(30).bench_function("check-in → job accepted by CUPS", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let id = desk.register(&person(n)).unwrap().attendee.id;
                n += 1;
                let req = BadgeRequest {
                    selection: BadgeSelection::Ids(vec![id]),
                    preset: "insert-4x3".into(),
                    reason: None,
                    note: None,
                };
                let start = Instant::now();
                desk.check_in(id, Some(1)).unwrap();
                let job = desk.start_print_job(&req, &to, &mut |_, _| {}).unwrap();
                total += start.elapsed();
                assert!(job.cups_job.is_some(), "{job:?}");
                let status = delegate_desk::printing::follow(&job, 15, &mut |_| {});
                assert!(desk.settle_print_job(job.id, status, 15).unwrap().printed);
                received += 1;
            }
            printer.wait_for(received);
            total
        })
    });

    c.benchmark_group("printing").sample_size(10).bench_function(
        "100 badges until the printer has the last byte",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let ids: Vec<i64> = (0..100)
                        .map(|_| {
                            n += 1;
                            desk.register(&person(n)).unwrap().attendee.id
                        })
                        .collect();
                    let req = BadgeRequest {
                        selection: BadgeSelection::Ids(ids),
                        preset: "insert-4x3".into(),
                        reason: None,
                        note: None,
                    };
                    let start = Instant::now();
                    let job = desk.print_to_printer(&req, &to, &mut |_, _| {}).unwrap();
                    assert!(job.printed, "{job:?}");
                    received += 1;
                    let (_, last) = printer.wait_for(received);
                    total += last.duration_since(start);
                }
                total
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
