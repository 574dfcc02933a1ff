//! Demo data: a database of its own, filled through the desk's own operations, marked as a
//! demo, and never written over a real database or a file that is not ours.

use delegate_desk::checkin::Arrival;
use delegate_desk::demo::{create_demo, demo_path_for, is_demo_file};
use delegate_desk::AuditFilter;
use delegate_desk::{Desk, Error, ListFilter, Status};
use std::path::Path;

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_demo_holds_every_state_a_screen_shows_and_says_it_is_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try.sqlite3");
    let made = create_demo(&path).unwrap();
    assert_eq!(
        (made.people, made.registered, made.waitlisted, made.invited, made.cancelled),
        (120, 97, 6, 14, 3)
    );
    // 45 yesterday; today only those whose time has come (none before 07:30 at the venue).
    assert_eq!(made.badges_printed, 70);
    assert!((45..=57).contains(&made.checked_in), "{}", made.checked_in);
    assert!(made.message.contains("not touched"), "{}", made.message);
    assert!(is_demo_file(&path).unwrap());
    // No half-made file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");

    let mut desk = Desk::open(&path).unwrap();
    let event = desk.event().unwrap();
    assert!(event.demo);
    assert_eq!(event.window_title(), format!("DEMO DATA — {} — Delegate Desk", event.name));
    // Dated yesterday and today at the venue, so the arrival view opens on day 2, and no
    // check-in is dated after now.
    let today = event.local_now().date_naive();
    assert_eq!((event.start_date, event.end_date), (today - chrono::Days::new(1), today));
    let trail_now = chrono::Utc::now();
    for d in [1, 2] {
        for a in desk.recent_arrivals(d, 100).unwrap() {
            let at = chrono::DateTime::parse_from_rfc3339(&a.checkin.at).unwrap();
            assert!(at <= trail_now, "a check-in for day {d} at {at}, after now");
        }
    }
    let people = desk.list(&ListFilter::default()).unwrap();
    let count = |s: Status| people.iter().filter(|a| a.status == s).count();
    assert_eq!(count(Status::Registered), 97);
    assert_eq!(count(Status::Waitlisted), 6);
    let seats = desk.status().unwrap();
    assert_eq!((seats.registered, seats.capacity), (97, 100));
    // The names are the sample list's, accents and all.
    assert!(people.iter().any(|a| a.fields.family_name == "Taylor-Farrell"));
    // The demo's badges scan like real ones: a printed, registered person not yet in on day 2.
    let printed = people
        .iter()
        .filter(|a| a.status == Status::Registered && a.fields.days.contains(&2))
        .find(|a| {
            !desk.badge_history(a.id).unwrap().is_empty()
                && desk.arrival_card(a.id, Some(2)).unwrap().history.iter().all(|c| c.day != 2)
        })
        .expect("a badged person not yet checked in on day 2");
    let token: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT token FROM badge_print WHERE attendee_id = ?1", [printed.id], |r| r.get(0))
        .unwrap();
    let out = desk.scan(&token, Some(2)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    // The day's arrivals look like a morning: from 07:30 at the venue, a peak in the quarter
    // hour before the 08:00 welcoming remarks, stragglers after 08:30 — not one bar.
    let bars: Vec<(String, u32)> = desk
        .dashboard(Some(1))
        .unwrap()
        .arrivals
        .into_iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.start, b.count))
        .collect();
    assert!(bars.len() >= 6, "{bars:?}");
    assert_eq!(bars.first().map(|b| b.0.as_str()), Some("07:30"), "{bars:?}");
    let busiest = bars.iter().max_by_key(|b| b.1).unwrap();
    assert!(["07:40", "07:50"].contains(&busiest.0.as_str()), "{bars:?}");
    assert!(bars.iter().any(|b| b.0.as_str() >= "08:30"), "{bars:?}");
    assert_eq!(bars.iter().map(|b| b.1).sum::<u32>(), 45);
    // Vetting is required: everyone cleared but four registered people still pending and one
    // refused by security, none of them checked in; a pending one is refused at the desk.
    assert!(event.require_vetting);
    let state = |v: &str| desk.list(&ListFilter { vetting: Some(v.into()), ..Default::default() }).unwrap();
    let (pending, refused) = (state("pending"), state("refused"));
    let live = |l: &[delegate_desk::Attendee]| l.iter().filter(|a| a.status != Status::Cancelled).count();
    assert_eq!((live(&pending), refused.len()), (4, 1), "{pending:?}");
    assert!(refused[0].vetting.note.contains("host nation"), "{:?}", refused[0].vetting);
    for a in pending.iter().chain(&refused).filter(|a| a.status == Status::Registered) {
        assert!(
            desk.arrival_card(a.id, Some(1)).unwrap().history.is_empty(),
            "{} checked in",
            a.display_name
        );
    }
    let held = pending.iter().find(|a| a.status == Status::Registered).unwrap();
    let out = desk.check_in(held.id, Some(2)).unwrap();
    assert_eq!((out.result, out.message.as_str()), (Arrival::Refused, "Security vetting pending"));
    // Protocol: one head per delegation, yesterday's arrivals met, today's at most one waiting.
    let heads: Vec<_> = people.iter().filter(|a| a.fields.head_of_delegation).collect();
    let delegations: std::collections::BTreeSet<_> =
        heads.iter().map(|a| a.fields.delegation.clone()).collect();
    assert_eq!(heads.len(), delegations.len());
    assert!(heads.len() >= 10, "{} heads", heads.len());
    let open = desk.protocol_notices(false).unwrap();
    assert!(open.iter().all(|n| n.day == 2) && open.len() <= 1, "{open:?}");
    assert!(desk
        .protocol_notices(true)
        .unwrap()
        .iter()
        .any(|n| n.closed_how.as_deref() == Some("acknowledged")));
    // Every change that made it is in the audit trail, under the demo's own name.
    let trail = desk.audit_trail(&AuditFilter::default()).unwrap();
    assert!(trail.len() > 120);
    assert!(trail.iter().take(trail.len() - 1).all(|e| e.operator == "Demo data"), "{:?}", trail[0]);
}

#[test]
fn a_real_database_is_not_a_demo_and_is_never_replaced_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("delegate-desk.sqlite3");
    let mut desk = Desk::open(&real).unwrap();
    assert!(!desk.event().unwrap().demo);
    assert!(!desk.event().unwrap().window_title().contains("DEMO"));
    desk.register(&delegate_desk::AttendeeInput {
        given_name: Some("Real".into()),
        family_name: Some("Person".into()),
        delegation: Some("Jamaica".into()),
        category: Some("delegate".into()),
        ..Default::default()
    })
    .unwrap();
    drop(desk);
    assert!(!is_demo_file(&real).unwrap());
    let before = bytes(&real);
    let e = create_demo(&real).unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e:?}");
    assert!(e.to_string().contains("not a demo database"), "{e}");
    assert_eq!(bytes(&real), before, "the real database was changed");
    assert_eq!(Desk::open(&real).unwrap().list(&ListFilter::default()).unwrap().len(), 1);
}

#[test]
fn files_that_are_not_ours_are_refused_and_left_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("notes.txt", b"The seating plan, draft 3\n".to_vec()),
        ("empty.sqlite3", vec![]),
        ("zeros.sqlite3", vec![0u8; 4096]),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, &content).unwrap();
        assert!(create_demo(&p).is_err(), "{name} accepted");
        assert_eq!(bytes(&p), content, "{name} was changed");
    }
    // A folder by that name, and a server: refused by name.
    let folder = dir.path().join("folder.sqlite3");
    std::fs::create_dir(&folder).unwrap();
    assert!(create_demo(&folder).is_err());
    let e = create_demo(Path::new("postgres://desk@localhost/cansec")).unwrap_err();
    assert!(e.to_string().contains("never onto a server"), "{e}");
}

#[test]
fn an_older_demo_is_made_again_from_scratch_even_with_its_journal_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try.sqlite3");
    create_demo(&path).unwrap();
    // Someone tried it: a person cancelled, with the desk still open (its journal files on disk).
    let mut desk = Desk::open(&path).unwrap();
    let first =
        desk.list(&ListFilter::default()).unwrap().into_iter().find(|a| a.status == Status::Registered);
    desk.cancel(first.unwrap().id).unwrap();
    let wal = dir.path().join("try.sqlite3-wal");
    assert!(wal.exists());
    // As if the window had been killed with it open: its files as they were, no process
    // holding them (a process killed lets go of its locks).
    let files = ["try.sqlite3", "try.sqlite3-wal", "try.sqlite3-shm"];
    let kept: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(dir.path().join(f)).unwrap()).collect();
    drop(desk);
    for (f, bytes) in files.iter().zip(kept) {
        std::fs::write(dir.path().join(f), bytes).unwrap();
    }
    assert!(wal.exists());
    let again = create_demo(&path).unwrap();
    assert!(again.message.starts_with("Demo data made again"), "{}", again.message);
    let desk = Desk::open(&path).unwrap();
    let seats = desk.status().unwrap();
    assert_eq!((seats.registered, seats.waitlisted), (97, 6));
}

#[test]
fn the_window_keeps_its_demo_beside_the_real_database() {
    let p = demo_path_for(Path::new("/data/desk/delegate-desk.sqlite3")).unwrap();
    assert_eq!(p, Path::new("/data/desk/delegate-desk-demo.sqlite3"));
    let p = demo_path_for(Path::new("cansec")).unwrap();
    assert_eq!(p, Path::new("cansec-demo.sqlite3"));
    // Never the real database itself, and for a server a file in the data folder.
    let server = demo_path_for(Path::new("postgres://desk@10.0.0.5/cansec")).unwrap();
    assert!(server.ends_with("delegate-desk-demo.sqlite3"), "{}", server.display());
}

#[test]
fn a_demo_copied_stays_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try.sqlite3");
    create_demo(&path).unwrap();
    let copy = dir.path().join("copy.sqlite3");
    delegate_desk::copy::copy(&path, &copy).unwrap();
    assert!(Desk::open(&copy).unwrap().event().unwrap().demo);
}

#[test]
fn two_windows_trying_the_demo_at_once_both_get_a_whole_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try.sqlite3");
    let made: Vec<_> = std::thread::scope(|s| {
        let a = s.spawn(|| create_demo(&path));
        let b = s.spawn(|| create_demo(&path));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    for m in made {
        assert_eq!(m.unwrap().registered, 97);
    }
    let seats = Desk::open(&path).unwrap().status().unwrap();
    assert_eq!((seats.registered, seats.waitlisted), (97, 6));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(left.iter().all(|n| !n.contains("partial")), "{left:?}");
}

#[test]
fn a_demo_open_in_another_window_is_not_made_again_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try.sqlite3");
    create_demo(&path).unwrap();
    // Another window (here, a desk of this test) shows the demo and records a change in it.
    let mut other = Desk::open(&path).unwrap();
    let first = other
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .find(|a| a.status == Status::Registered)
        .unwrap();
    other.cancel(first.id).unwrap();
    let e = create_demo(&path).unwrap_err();
    assert!(
        e.to_string().contains("open in another window") && e.to_string().contains("Nothing was changed"),
        "{e}"
    );
    // The file the other window writes in is still the one at the path.
    assert_eq!(other.status().unwrap().registered, 96);
    drop(other);
    assert_eq!(Desk::open(&path).unwrap().status().unwrap().registered, 96, "its change is kept");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(left.iter().filter(|n| !n.starts_with("try.sqlite3")).count(), 0, "{left:?}");
    // Closed there, it is made again.
    assert!(create_demo(&path).unwrap().message.starts_with("Demo data made again"));
}
