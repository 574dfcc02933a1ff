//! Request ids: a change sent twice with one id is applied once, on both engines; ids that
//! are not ours are refused before anything is written; a change that failed leaves no id.

mod common;
use common::*;
use delegate_desk::db::Db;
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::request::{digest_of, digest_of_bytes};
use delegate_desk::{Desk, Error, ListFilter, Status};
use std::path::Path;

fn rows(path: &Path, table: &str) -> i64 {
    Db::open_raw(path).unwrap().value(&format!("SELECT count(*) FROM {table}"), &[]).unwrap()
}

const ID: &str = "0b6f3c1e-8a7d-4d2b-9f51-2c4e6a8b0d13";

#[test]
fn a_register_sent_twice_with_one_id_registers_once_and_answers_the_same() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let first = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    let audit = rows(&path, "audit");
    let again = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    assert_eq!(again, first, "the retry is answered with the first result");
    assert_eq!(desk.list(&ListFilter::default()).unwrap().len(), 1);
    assert_eq!(rows(&path, "audit"), audit, "the retry wrote no audit row");
    assert_eq!(rows(&path, "request"), 1);
    assert!(desk.applied(ID).unwrap());
    // The id answers only the request it was first used for: another person under it is
    // refused, names the id and what it was used for, and registers nobody.
    let e = desk.once(Some(ID), "register", &nth(2), |d| d.register(&nth(2))).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let m = e.to_string();
    assert!(
        m.contains(ID) && m.contains("already used for another change") && m.contains("`register`"),
        "{m}"
    );
    assert_eq!(desk.status().unwrap().registered, 1);
    assert_eq!(rows(&path, "audit"), audit, "the refusal wrote nothing");
    assert_eq!(rows(&path, "request"), 1);
}

#[test]
fn another_desk_retrying_the_same_id_is_answered_from_the_database() {
    let (_dir, path, mut a) = desk_with_capacity(3);
    let mut b = Desk::open(&path).unwrap();
    let first = a.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    let seen_by_b = b.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    assert_eq!(seen_by_b, first);
    assert_eq!(b.status().unwrap().registered, 1);
}

#[test]
fn an_id_used_for_another_kind_of_change_is_refused_and_changes_nothing() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let reg = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    let audit = rows(&path, "audit");
    let e = desk.once(Some(ID), "cancel", &reg.attendee.id, |d| d.cancel(reg.attendee.id)).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains(ID), "{e}");
    assert_eq!(desk.attendee(reg.attendee.id).unwrap().status, Status::Registered);
    assert_eq!(rows(&path, "audit"), audit);
}

#[test]
fn ids_that_are_not_ours_are_refused_before_anything_is_written() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let too_long = "a".repeat(65);
    for bad in [
        "",
        "short12",
        too_long.as_str(),
        "has space in it",
        "naïve-request-id",
        "semi;colon--",
        "nul\0nul\0nul",
    ] {
        let e = desk.once(Some(bad), "register", &nth(1), |d| d.register(&nth(1))).unwrap_err();
        assert_eq!(e.field(), Some("requestId"), "{bad:?}: {e:?}");
        assert!(!e.to_string().contains('\0'), "the message shows no raw control character: {e}");
    }
    assert_eq!(rows(&path, "attendee"), 0);
    assert_eq!(rows(&path, "request"), 0);
    // The edges that are allowed: 8 and 64 characters.
    desk.once(Some("abcdefgh"), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    desk.once(Some(&"Z".repeat(64)), "register", &nth(2), |d| d.register(&nth(2))).unwrap();
    assert_eq!(rows(&path, "request"), 2);
}

#[test]
fn a_refused_change_stores_no_id_and_the_id_can_carry_the_corrected_change() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let mut bad = nth(1);
    bad.email = Some("not an address".into());
    let e = desk.once(Some(ID), "register", &bad, |d| d.register(&bad)).unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e:?}");
    assert!(!desk.applied(ID).unwrap());
    assert_eq!(rows(&path, "request"), 0);
    let ok = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    assert_eq!(ok.seat, Some(1));
    // A change without an id after one with an id records nothing: the id is spent.
    desk.register(&nth(2)).unwrap();
    assert_eq!(rows(&path, "request"), 1);
}

#[test]
fn every_kind_of_change_is_applied_once() {
    let (dir, path, mut desk) = desk_with_capacity(1);
    let a = desk.register(&nth(1)).unwrap().attendee.id;
    let b =
        desk.once(Some("waitlist-b-1"), "register", &nth(2), |d| d.register(&nth(2))).unwrap().attendee.id;
    let cancel = desk.once(Some("cancel-a-01"), "cancel", &a, |d| d.cancel(a)).unwrap();
    assert_eq!(desk.once(Some("cancel-a-01"), "cancel", &a, |d| d.cancel(a)).unwrap(), cancel);
    let promoted = desk.once(Some("promote-b-1"), "promote", &[b], |d| d.promote(&[b])).unwrap();
    assert_eq!(desk.once(Some("promote-b-1"), "promote", &[b], |d| d.promote(&[b])).unwrap(), promoted);
    // Two badges would mean two tokens, the first one no longer valid: a retried print prints
    // nothing more and names the same file.
    let req = BadgeRequest {
        selection: BadgeSelection::Ids(vec![b]),
        preset: "insert-4x3".into(),
        reason: None,
        note: None,
    };
    let pdf = dir.path().join("b.pdf");
    let printed =
        desk.once(Some("print-b-001"), "badges", &(&req, &pdf), |d| d.print_badges(&req, &pdf)).unwrap();
    std::fs::remove_file(&pdf).unwrap();
    assert_eq!(
        desk.once(Some("print-b-001"), "badges", &(&req, &pdf), |d| d.print_badges(&req, &pdf)).unwrap(),
        printed
    );
    assert!(!pdf.exists(), "the retry wrote no file");
    // The same job into another file is another request.
    let other = dir.path().join("b-again.pdf");
    let e = desk
        .once(Some("print-b-001"), "badges", &(&req, &other), |d| d.print_badges(&req, &other))
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(!other.exists(), "the refused request wrote no file");
    assert_eq!(desk.badge_history(b).unwrap().len(), 1);
    let csv = "Given name,Family name,Delegation,Category,Email\nAna,Mora,Belize,Delegate,ana@example.org\n";
    let opts = ImportOptions { mode: ImportMode::Invite, ..Default::default() };
    let imported = desk
        .once(Some("import-0001"), "import", &(&opts, digest_of_bytes(csv.as_bytes())), |d| {
            d.import(csv.as_bytes(), &opts)
        })
        .unwrap();
    assert_eq!(
        desk.once(Some("import-0001"), "import", &(&opts, digest_of_bytes(csv.as_bytes())), |d| d
            .import(csv.as_bytes(), &opts))
            .unwrap(),
        imported
    );
    assert_eq!(imported.invited, 1);
    let audit = rows(&path, "audit");
    let alloc = desk
        .once(Some("alloc-0001"), "allocation.set", &("Jamaica", "1"), |d| d.set_allocation("Jamaica", "1"))
        .unwrap();
    assert_eq!(
        desk.once(Some("alloc-0001"), "allocation.set", &("Jamaica", "1"), |d| d
            .set_allocation("Jamaica", "1"))
            .unwrap(),
        alloc
    );
    assert_eq!(rows(&path, "audit"), audit + 1);
    assert_eq!(rows(&path, "request"), 6);
}

#[test]
fn two_desks_sending_one_id_at_once_apply_it_once() {
    let (_dir, path, desk) = desk_with_capacity(100);
    drop(desk);
    for round in 0..10 {
        let id = format!("race-{round:04}-{}", std::process::id());
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let (path, id) = (path.clone(), id.clone());
                    s.spawn(move || {
                        let mut d = Desk::open(&path).unwrap();
                        d.once(Some(&id), "register", &nth(round), |d| d.register(&nth(round)))
                            .map(|o| o.attendee.id)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ids: Vec<i64> = results.into_iter().map(|r| r.expect("every sender is answered")).collect();
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "round {round}: {ids:?}");
    }
    assert_eq!(rows(&path, "attendee"), 10);
    assert_eq!(rows(&path, "request"), 10);
}

/// Every way of reusing an id for another request is refused with nothing written: another
/// command, the same command on another person, another day, another reason, another file.
#[test]
fn an_id_is_bound_to_its_command_and_every_argument() {
    let (_dir, path, mut desk) = desk_with_capacity(5);
    let a = desk.register(&nth(1)).unwrap().attendee.id;
    let b = desk.register(&nth(2)).unwrap().attendee.id;
    let day = Some(1);
    desk.once(Some("checkin-a-1"), "checkin", &(a, day), |d| d.check_in(a, day)).unwrap();
    let audit = rows(&path, "audit");
    let refused = |desk: &mut Desk, e: Result<delegate_desk::checkin::ArrivalOutcome, Error>| {
        let e = e.unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e:?}");
        assert!(e.to_string().contains("checkin-a-1"), "{e}");
        assert_eq!(rows(&path, "audit"), audit, "{e}: nothing written");
        let _ = desk;
    };
    let e = desk.once(Some("checkin-a-1"), "checkin", &(b, day), |d| d.check_in(b, day));
    refused(&mut desk, e);
    let e = desk.once(Some("checkin-a-1"), "checkin", &(a, Some(2)), |d| d.check_in(a, Some(2)));
    refused(&mut desk, e);
    let e = desk.once(Some("checkin-a-1"), "arrive", &(a, day), |d| d.check_in(a, day));
    refused(&mut desk, e);
    assert!(desk.arrival_card(b, day).unwrap().checkin.is_none(), "b was not checked in under a's id");
    assert!(desk.arrival_card(a, Some(2)).unwrap().checkin.is_none(), "nor a on day 2");
    // The digest is of the JSON of the command and its arguments: equal only when they are.
    assert_eq!(digest_of(&("checkin", (a, day))).unwrap(), digest_of(&("checkin", (a, day))).unwrap());
    assert_ne!(digest_of(&("checkin", (a, day))).unwrap(), digest_of(&("checkin", (b, day))).unwrap());
    assert_ne!(digest_of(&("checkin", (a, day))).unwrap(), digest_of(&("checkin", (a, None::<u8>))).unwrap());
    assert_eq!(digest_of_bytes(b"").len(), 64);
}

/// An id stored before ids carried their request's digest (schema 10) still answers a retry
/// of its kind: the upgrade loses no answer.
#[test]
fn an_id_stored_without_a_digest_still_answers_its_kind() {
    let (_dir, path, mut desk) = desk_with_capacity(5);
    let first = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    Db::open_raw(&path).unwrap().execute("UPDATE request SET digest = NULL, command = NULL", &[]).unwrap();
    let again = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    assert_eq!(again, first);
    let e = desk.once(Some(ID), "cancel", &first.attendee.id, |d| d.cancel(first.attendee.id)).unwrap_err();
    assert!(e.to_string().contains("a registration outcome"), "{e}");
}

/// An edit that changes nothing writes nothing, but its id is stored all the same: used again
/// for another change (a cancel), it is refused; a retry of the edit is answered as the first.
#[test]
fn an_edit_that_changed_nothing_still_keeps_its_id() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    let same = delegate_desk::AttendeeInput { given_name: Some("Given1".into()), ..Default::default() };
    let first = desk.once(Some(ID), "edit", &(id, &same), |d| d.edit(id, &same)).unwrap();
    assert_eq!(first.fields.given_name, "Given1");
    assert!(desk.applied(ID).unwrap(), "the id of a change with nothing to write is stored");
    let audit = rows(&path, "audit");
    let e = desk.once(Some(ID), "cancel", &id, |d| d.cancel(id)).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert_eq!(desk.list(&ListFilter::default()).unwrap()[0].status, Status::Registered, "not cancelled");
    let again = desk.once(Some(ID), "edit", &(id, &same), |d| d.edit(id, &same)).unwrap();
    assert_eq!(again, first);
    assert_eq!((rows(&path, "audit"), rows(&path, "request")), (audit, 1));
}

/// A change that panics half-way (the window catches the panic and keeps its desk) leaves its
/// id unstored and not waiting: the next change, sent without an id, is not stored under it.
#[test]
fn a_change_that_panics_leaves_its_id_for_no_other_change() {
    let (_dir, path, mut desk) = desk_with_capacity(3);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = desk.once(Some(ID), "register", &nth(1), |_d| -> delegate_desk::Result<i64> {
            panic!("in the change")
        });
    }));
    assert!(panicked.is_err());
    desk.register(&nth(2)).unwrap();
    assert_eq!(rows(&path, "request"), 0, "the next change is not stored under the id");
    let first = desk.once(Some(ID), "register", &nth(1), |d| d.register(&nth(1))).unwrap();
    assert_eq!(first.attendee.fields.given_name, "Given1", "the id still carries its own change");
    assert_eq!(desk.status().unwrap().registered, 2);
}
