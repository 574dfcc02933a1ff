//! The server stopped in the middle of a stream of registrations and started again: nothing
//! acknowledged is lost, nothing is applied twice. A test binary of its own, since it stops the
//! test cluster that the other tests use (PostgreSQL pass only).

mod common;

use common::{new_db, nth, on_postgres};
use delegate_desk::db::Db;
use delegate_desk::{params, Desk, Error, EventInput};

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
                    match desk.once(Some(&id), |d| d.register(&nth(i))) {
                        Ok(out) => {
                            acknowledged.lock().unwrap().push((i, out.attendee.id));
                            // A desk's pace, so that the stream spans the outage.
                            std::thread::sleep(std::time::Duration::from_millis(25));
                            break;
                        }
                        Err(e) => {
                            assert!(matches!(e, Error::Storage(_)), "#{i}: {e:?}");
                            failures.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            assert!(std::time::Instant::now() < deadline, "#{i} never went through: {e}");
                            std::thread::sleep(std::time::Duration::from_millis(100));
                        }
                    }
                }
            }
        });
        while acknowledged.lock().unwrap().len() < N / 3 {
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
