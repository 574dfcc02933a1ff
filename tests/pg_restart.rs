//! The server stopped in the middle of a stream of registrations and started again: nothing
//! acknowledged is lost, nothing is applied twice. A test binary of its own, since it stops the
//! test cluster that the other tests use (PostgreSQL pass only).

mod common;

use common::{new_db, nth, on_postgres, person};
use delegate_desk::db::Db;
use delegate_desk::{params, Desk, Error, EventInput};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The tests of this file stop the one test cluster: one at a time.
static CLUSTER: Mutex<()> = Mutex::new(());

/// The server stopped in the middle of a stream of registrations, each sent with its id and
/// retried until answered (as the window does): after the restart every acknowledged
/// registration is on the server, and none is there twice.
#[test]
fn registrations_across_a_server_restart_are_each_applied_once() {
    if !on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    Desk::open(&db)
        .unwrap()
        .update_event(&EventInput { capacity: Some("500".into()), ..Default::default() })
        .unwrap();
    const N: usize = 100;
    let acknowledged = std::sync::Mutex::new(Vec::new());
    let failures = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut desk = Desk::open(&db).unwrap();
            for i in 0..N {
                let id = format!("stream-{i:04}");
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
                loop {
                    match desk.once(Some(&id), "register", &nth(i), |d| d.register(&nth(i))) {
                        Ok(out) => {
                            acknowledged.lock().unwrap().push((i, out.attendee.id));
                            // A desk's pace, so that the stream spans the outage.
                            std::thread::sleep(std::time::Duration::from_millis(25));
                            break;
                        }
                        Err(e) => {
                            assert!(matches!(e, Error::Unreachable(_)), "#{i}: {e:?}");
                            failures.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            assert!(std::time::Instant::now() < deadline, "#{i} never went through: {e}");
                            std::thread::sleep(std::time::Duration::from_millis(100));
                        }
                    }
                }
            }
        });
        while acknowledged.lock().unwrap().len() < N / 3 && !writer.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        common::cluster("stop", "immediate");
        std::thread::sleep(std::time::Duration::from_millis(1500));
        common::cluster("start", "");
        writer.join().unwrap();
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert_eq!(acknowledged.len(), N);
    assert!(failures.into_inner() > 0, "the server never went away: the test proves nothing");
    let desk = Desk::open(&db).unwrap();
    let stored = desk.list(&Default::default()).unwrap();
    assert_eq!(stored.len(), N, "a registration was lost or applied twice");
    for (i, id) in &acknowledged {
        let a =
            stored.iter().find(|a| a.id == *id).unwrap_or_else(|| panic!("#{i} acknowledged, not stored"));
        assert_eq!(a.fields.given_name, format!("Given{i}"));
    }
    let raw = Db::open_raw(&db).unwrap();
    assert_eq!(raw.value::<i64>("SELECT count(*) FROM request", params![]).unwrap(), N as i64);
    assert_eq!(
        raw.value::<i64>("SELECT count(*) FROM audit WHERE action = 'register'", params![]).unwrap(),
        N as i64
    );
}

/// While the server is stopped a desk still finds people and shows their cards, from the
/// roster as it last read it — with what another desk changed before the outage — each marked
/// with the time it was read; every change is refused as unreachable; once the server is back
/// the answers are live again.
#[test]
fn while_the_server_is_down_people_are_found_in_the_roster_as_last_read() {
    if !on_postgres() {
        return;
    }
    let _one = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let mut a = Desk::open(&db).unwrap();
    a.update_event(&EventInput { capacity: Some("10".into()), ..Default::default() }).unwrap();
    let ana = a.register(&person("Ana", "Pérez", "Belize")).unwrap().attendee.id;
    a.check_in(ana, Some(1)).unwrap();
    a.warm_search().unwrap();
    // Another desk registers someone; this desk's poll reads it.
    let mut b = Desk::open(&db).unwrap();
    let bo = b.register(&person("Bo", "Ølstad", "Jamaica")).unwrap().attendee.id;
    b.cancel(ana).unwrap();
    b.reinstate(ana).unwrap();
    a.revision().unwrap();
    let never_read = Desk::open(&db).unwrap();
    // What the desk answers while the server runs: the same is expected from memory.
    let queries = ["olst", "ana per", "belize", "jam"];
    let live: Vec<_> = queries.iter().map(|q| a.find(q, 10, Some(1)).unwrap()).collect();
    let cards: Vec<_> = [ana, bo].iter().map(|&id| a.arrival_card(id, Some(1)).unwrap()).collect();
    assert!(live.iter().flatten().all(|f| f.read_at.is_none()) && cards.iter().all(|c| c.read_at.is_none()));
    assert_eq!(live[0][0].attendee.id, bo, "the other desk's registration is found");
    let live_day = a.arrival_day().unwrap();

    common::cluster("stop", "fast");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for (q, live) in queries.iter().zip(&live) {
            let mut found = a.find(q, 10, Some(1)).expect("found in the roster as last read");
            assert!(found.iter().all(|f| f.read_at.is_some()), "{q}: not marked as read before the outage");
            found.iter_mut().for_each(|f| f.read_at = None);
            assert_eq!(&found, live, "{q}: the roster as last read differs from what the server said");
        }
        for (id, live) in [ana, bo].iter().zip(&cards) {
            let mut card = a.arrival_card(*id, Some(1)).unwrap();
            assert!(card.read_at.is_some());
            card.read_at = None;
            assert_eq!(&card, live);
        }
        assert_eq!(a.arrival_day().unwrap(), live_day, "the days of the event, as last read");
        // A change is refused at once, as unreachable; so is a lookup by a desk that never
        // read the roster, or of someone it never read.
        let started = Instant::now();
        assert!(matches!(a.check_in(bo, Some(1)), Err(Error::Unreachable(_))));
        assert!(matches!(a.register(&nth(1)), Err(Error::Unreachable(_))));
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(matches!(never_read.find("olst", 10, Some(1)), Err(Error::Unreachable(_))));
        assert!(matches!(a.arrival_card(999, Some(1)), Err(Error::Unreachable(_))));
    }));
    common::cluster("start", "");
    if let Err(p) = outcome {
        std::panic::resume_unwind(p);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let live = loop {
        match a.find("olst", 10, Some(1)) {
            Ok(f) if f[0].read_at.is_none() => break f,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
            other => panic!("the desk did not find the server again: {other:?}"),
        }
    };
    assert_eq!(live[0].attendee.id, bo);
    a.check_in(bo, Some(1)).expect("changes are accepted again");
}
