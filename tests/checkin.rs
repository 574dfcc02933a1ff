//! Arrival at the desk, pushed where it could break: check-in per event day and its refusals,
//! the one key on invited, waitlisted and cancelled people, undo, badge scans (revoked,
//! damaged, foreign and old codes), two desks racing, the database's own backstops, and the
//! audit trail's filters. Every refused action is checked to write nothing at all.

mod common;

use common::{desk, desk_with_capacity, nth};
use delegate_desk::checkin::{Arrival, ArrivalOutcome};
use delegate_desk::db::Db;
use delegate_desk::import::ImportOptions;
use delegate_desk::params;
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::token::{new_token, recognise, Typed};
use delegate_desk::{AuditEntry, AuditFilter};
use delegate_desk::{Desk, Error, EventInput, ListFilter, Status};
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A raw connection on the desk's file, as another program would open it.
fn raw(path: &Path) -> Db {
    Db::open_raw(path).unwrap()
}

/// Everything a refused action must leave as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rows {
    audit: i64,
    checkin: i64,
    in_force: i64,
    badge_print: i64,
    /// (id, status, waitlist_seq) of everyone.
    people: Vec<(i64, String, Option<i64>)>,
    /// Every check-in row, undo columns included.
    checkins: Vec<(i64, i64, i64, Option<String>)>,
}

fn rows(path: &Path) -> Rows {
    let c = raw(path);
    let n = |sql: &str| c.query_row(sql, params![], |r| r.get::<i64>(0)).unwrap();
    let people = c
        .query_map("SELECT id, status, waitlist_seq FROM attendee ORDER BY id", params![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let checkins = c
        .query_map("SELECT id, attendee_id, day, undone_at FROM checkin ORDER BY id", params![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    Rows {
        audit: n("SELECT count(*) FROM audit"),
        checkin: n("SELECT count(*) FROM checkin"),
        in_force: n("SELECT count(*) FROM checkin WHERE undone_at IS NULL"),
        badge_print: n("SELECT count(*) FROM badge_print"),
        people,
        checkins,
    }
}

/// Run `f` and check that it changed nothing in the database.
#[track_caller]
fn writes_nothing<T>(path: &Path, what: &str, f: impl FnOnce() -> T) -> T {
    let before = rows(path);
    let out = f();
    assert_eq!(rows(path), before, "{what} wrote something");
    out
}

/// The error of `r`, checked to be a validation error on `field`.
#[track_caller]
fn invalid<T: std::fmt::Debug>(r: delegate_desk::Result<T>, field: &str) -> Error {
    let e = r.expect_err("refused");
    assert_eq!((e.kind(), e.field()), ("validation", Some(field)), "{e}");
    e
}

/// The error of `r`, checked to be of `kind`.
#[track_caller]
fn refused<T: std::fmt::Debug>(r: delegate_desk::Result<T>, kind: &str) -> Error {
    let e = r.expect_err("refused");
    assert_eq!(e.kind(), kind, "{e}");
    e
}

fn register(desk: &mut Desk, n: usize) -> i64 {
    desk.register(&nth(n)).unwrap().attendee.id
}

/// Someone on the invite list (imported), holding no seat.
fn invite(desk: &mut Desk, given: &str, family: &str) -> i64 {
    let csv = format!("given_name,family_name,delegation,category\n{given},{family},Belize,Delegate\n");
    let out = desk.import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(out.invited, 1, "{}", out.message);
    let found = desk
        .list(&ListFilter {
            status: Some("invited".into()),
            name: Some(format!("{given} {family}")),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    found[0].id
}

static PDFS: AtomicUsize = AtomicUsize::new(0);

/// Print the badges of `ids` (a reprint when `reason` is given) into a new PDF in `dir`.
fn print(desk: &mut Desk, dir: &Path, selection: BadgeSelection, reason: Option<&str>) {
    let out = dir.join(format!("badges-{}.pdf", PDFS.fetch_add(1, Ordering::Relaxed)));
    let req = BadgeRequest {
        selection,
        preset: "letter-6up-4x3".into(),
        reason: reason.map(str::to_string),
        note: None,
    };
    desk.print_badges(&req, &out).unwrap();
}

/// The token of the newest badge of `id`.
fn token_of(path: &Path, id: i64) -> String {
    raw(path)
        .query_row(
            "SELECT token FROM badge_print WHERE attendee_id = ?1 ORDER BY version DESC LIMIT 1",
            params![id],
            |r| r.get(0),
        )
        .unwrap()
}

fn trail(desk: &Desk, filter: AuditFilter) -> Vec<AuditEntry> {
    desk.audit_trail(&filter).unwrap()
}

fn actions(entries: &[AuditEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.action.as_str()).collect()
}

fn after(e: &AuditEntry) -> &serde_json::Value {
    e.after.as_ref().expect("an after record")
}

/// The check-in of `outcome`'s card for its day.
fn in_force(outcome: &ArrivalOutcome) -> &delegate_desk::checkin::CheckIn {
    outcome.card.checkin.as_ref().expect("a check-in in force")
}

// ---------------------------------------------------------------------------------------------
// 1. Check-in per day

/// `None` is today at the venue; the demo event (14–15 Nov 2019) is not today, so a check-in
/// without a day is refused on the field "day" and writes nothing.
#[test]
fn no_day_means_today_and_the_demo_event_is_not_today() {
    let (_d, path, mut desk) = desk();
    let id = register(&mut desk, 1);
    let e = invalid(writes_nothing(&path, "check-in for today", || desk.check_in(id, None)), "day");
    assert!(e.to_string().contains("not a day of the event"), "{e}");
    assert!(e.to_string().contains("14 Nov 2019") && e.to_string().contains("15 Nov 2019"), "{e}");
    invalid(writes_nothing(&path, "arrive today", || desk.arrive(id, None)), "day");
    let day = desk.arrival_day().unwrap();
    assert_eq!((day.today, day.days), (None, 2));
    let card = desk.arrival_card(id, None).unwrap();
    assert_eq!((card.day, card.checkin), (None, None));
}

/// The first check-in of a day is made; a second, from any desk, writes nothing and says when
/// and by whom (operator and desk) the first was made; another day is a new check-in.
#[test]
fn one_check_in_per_person_and_day() {
    let (_d, path, mut desk) = desk();
    desk.set_operator("Ana Gómez").unwrap();
    desk.set_desk("Desk 3").unwrap();
    let id = register(&mut desk, 1);
    let audit_before = rows(&path).audit;

    let first = desk.check_in(id, Some(1)).unwrap();
    assert_eq!(first.result, Arrival::CheckedIn, "{}", first.message);
    let c = in_force(&first).clone();
    assert_eq!(
        (c.attendee_id, c.day, c.operator.as_str(), c.desk.as_str(), c.method.as_str()),
        (id, 1, "Ana Gómez", "Desk 3", "desk")
    );
    assert_eq!((c.undone_at.as_ref(), c.undone_by.as_ref(), c.undo_reason.as_ref()), (None, None, None));
    // The time shown is the time at the venue (New York), not UTC.
    let at = chrono::DateTime::parse_from_rfc3339(&c.at).unwrap();
    let venue = at.with_timezone(&chrono_tz::America::New_York).format("%H:%M").to_string();
    assert_eq!(c.local_time, venue);
    assert!(first.message.contains("for day 1") && first.message.contains(&venue), "{}", first.message);
    assert_eq!(first.card.day, Some(1));
    assert_eq!(first.card.history, vec![c.clone()]);
    let after_first = rows(&path);
    assert_eq!((after_first.checkin, after_first.audit), (1, audit_before + 1));

    // Another desk, another operator: told who checked them in, nothing written.
    let mut other = Desk::open(&path).unwrap();
    other.set_operator("Bob Smith").unwrap();
    other.set_desk("Desk 7").unwrap();
    for (who, desk) in [("the other desk", &mut other), ("the same desk", &mut desk)] {
        for arrive in [false, true] {
            let again = writes_nothing(&path, "a second check-in", || {
                if arrive {
                    desk.arrive(id, Some(1)).unwrap()
                } else {
                    desk.check_in(id, Some(1)).unwrap()
                }
            });
            assert_eq!(again.result, Arrival::AlreadyCheckedIn, "{who}: {}", again.message);
            for part in [venue.as_str(), "Ana Gómez", "Desk 3", "for day 1", "already checked in"] {
                assert!(again.message.contains(part), "{who}: {part:?} missing from {:?}", again.message);
            }
            assert!(!again.message.contains("Bob") && !again.message.contains("Desk 7"), "{}", again.message);
            assert_eq!(again.card.checkin.as_ref(), Some(&c), "{who}");
            assert_eq!(again.card.history.len(), 1, "{who}");
        }
    }

    // Day 2 is a new check-in, by whoever makes it.
    let second = other.check_in(id, Some(2)).unwrap();
    assert_eq!(second.result, Arrival::CheckedIn, "{}", second.message);
    let c2 = in_force(&second).clone();
    assert_eq!((c2.day, c2.operator.as_str(), c2.desk.as_str()), (2, "Bob Smith", "Desk 7"));
    assert_ne!(c2.id, c.id);
    assert_eq!(second.card.history, vec![c.clone(), c2.clone()]);
    let now = rows(&path);
    assert_eq!((now.checkin, now.in_force, now.audit), (2, 2, audit_before + 2));
    assert_eq!(desk.checkins(1).unwrap(), vec![c.clone()]);
    assert_eq!(desk.checkins(2).unwrap(), vec![c2.clone()]);

    // Each check-in has its audit row, written by who made it.
    let entries =
        trail(&desk, AuditFilter { person: Some(id), action: Some("checkin".into()), ..Default::default() });
    assert_eq!(actions(&entries), ["checkin", "checkin"]);
    assert_eq!((entries[0].operator.as_str(), entries[0].desk.as_str()), ("Ana Gómez", "Desk 3"));
    assert_eq!((entries[1].operator.as_str(), entries[1].desk.as_str()), ("Bob Smith", "Desk 7"));
    assert_eq!(after(&entries[0])["day"], 1);
    assert_eq!(after(&entries[0])["method"], "desk");
    assert_eq!(after(&entries[0])["checkinId"], c.id);
    assert_eq!(after(&entries[1])["day"], 2);
    assert_eq!(after(&entries[1])["checkinId"], c2.id);
}

/// Day 0, a day past the end and u32::MAX are refused on "day" by every entry point, and
/// nothing is written.
#[test]
fn days_outside_the_event_are_refused_and_write_nothing() {
    let (dir, path, mut desk) = desk();
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let token = token_of(&path, id);
    desk.check_in(id, Some(1)).unwrap();
    for day in [0, 3, 4, 31, u32::MAX] {
        let before = rows(&path);
        let e = invalid(desk.check_in(id, Some(day)), "day");
        assert!(e.to_string().contains(&format!("Day {day} ")), "{e}");
        assert!(e.to_string().contains("2 days"), "{e}");
        invalid(desk.arrive(id, Some(day)), "day");
        invalid(desk.scan(&token, Some(day)), "day");
        invalid(desk.undo_check_in(id, day, "wrong day"), "day");
        invalid(desk.checkins(day), "day");
        invalid(desk.arrival_card(id, Some(day)), "day");
        invalid(desk.find("given1", 10, Some(day)), "day");
        assert_eq!(rows(&path), before, "day {day}");
    }
    assert_eq!(desk.checkins(1).unwrap().len(), 1, "the day-1 check-in is still in force");
}

/// With the event moved to today (at the venue), `None` checks in for day 1, which messages
/// call "today"; an explicit day 2 is "for day 2".
#[test]
fn today_is_the_event_day_at_the_venue() {
    let (_d, path, mut desk) = desk();
    let today = desk.event().unwrap().local_now().date_naive();
    let tomorrow = today + chrono::Days::new(1);
    desk.update_event(&EventInput {
        start_date: Some(today.to_string()),
        end_date: Some(tomorrow.to_string()),
        ..Default::default()
    })
    .unwrap();
    let day = desk.arrival_day().unwrap();
    assert_eq!((day.today, day.date, day.days), (Some(1), today, 2));

    let id = register(&mut desk, 1);
    let first = desk.check_in(id, None).unwrap();
    assert_eq!(first.result, Arrival::CheckedIn, "{}", first.message);
    assert_eq!(in_force(&first).day, 1);
    assert!(first.message.contains("checked in today at"), "{}", first.message);
    for again in [None, Some(1)] {
        let out = writes_nothing(&path, "again today", || desk.check_in(id, again).unwrap());
        assert_eq!(out.result, Arrival::AlreadyCheckedIn, "{}", out.message);
        assert!(out.message.contains("already checked in today at"), "{}", out.message);
    }
    let second = desk.check_in(id, Some(2)).unwrap();
    assert_eq!(second.result, Arrival::CheckedIn);
    assert!(second.message.contains("for day 2"), "{}", second.message);
    let card = desk.arrival_card(id, None).unwrap();
    assert_eq!(card.day, Some(1));
    assert_eq!(card.checkin.map(|c| c.day), Some(1));
    let found = desk.find("given1", 5, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].checkin.as_ref().map(|c| c.day), Some(1));
    let found = desk.find("given1", 5, Some(2)).unwrap();
    assert_eq!(found[0].checkin.as_ref().map(|c| c.day), Some(2));
}

/// The card names what the desk must act on, most important first, and a check-in for a day
/// the person is not down for is made but flagged.
#[test]
fn the_card_says_what_needs_attention() {
    let (dir, path, mut desk) = desk();
    let input = delegate_desk::AttendeeInput {
        category: Some("VIP".into()),
        days: Some("1".into()),
        accessibility: Some("Wheelchair".into()),
        dietary: Some("Halal".into()),
        notes: Some("Bring the flag".into()),
        ..nth(1)
    };
    let id = desk.register(&input).unwrap().attendee.id;
    let out = desk.check_in(id, Some(2)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    let kinds: Vec<&str> = out.card.attention.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds, ["vip", "accessibility", "dietary", "notes", "otherDay", "badge"]);
    assert!(out.card.attention[1].text.contains("Wheelchair"));
    assert!(out.card.attention[4].text.contains("day 2"), "{:?}", out.card.attention[4]);
    assert_eq!(out.card.attention[5].text, "No badge printed yet");
    // Day 1 is theirs: no "otherDay"; once printed, no "badge".
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let out = desk.scan(&token_of(&path, id), Some(1)).unwrap();
    let kinds: Vec<&str> = out.card.attention.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds, ["vip", "accessibility", "dietary", "notes"]);
}

// ---------------------------------------------------------------------------------------------
// 2. People who are not registered

/// Check-in is for registered people: an invited one is refused; a waitlisted or cancelled one
/// is told what they are; nobody unknown is invented. Nothing is written in any case.
#[test]
fn only_registered_people_check_in() {
    let (_d, path, mut desk) = desk_with_capacity(1);
    let registered = register(&mut desk, 1);
    let waiting = register(&mut desk, 2);
    let gone = register(&mut desk, 3);
    desk.cancel(gone).unwrap();
    let invited = invite(&mut desk, "Ivy", "Invitee");
    assert_eq!(desk.attendee(waiting).unwrap().status, Status::Waitlisted);

    let e = refused(
        writes_nothing(&path, "check-in of the invited", || desk.check_in(invited, Some(1))),
        "conflict",
    );
    assert!(e.to_string().contains("invited"), "{e}");

    for arrive in [false, true] {
        let go =
            |desk: &mut Desk, id| if arrive { desk.arrive(id, Some(1)) } else { desk.check_in(id, Some(1)) };
        let out = writes_nothing(&path, "check-in of the waitlisted", || go(&mut desk, waiting).unwrap());
        assert_eq!(out.result, Arrival::Waitlisted, "{}", out.message);
        assert!(out.message.contains("position 1"), "{}", out.message);
        assert_eq!(out.card.checkin, None);
        assert_eq!(out.card.attendee.status, Status::Waitlisted);

        let out = writes_nothing(&path, "check-in of the cancelled", || go(&mut desk, gone).unwrap());
        assert_eq!(out.result, Arrival::Cancelled, "{}", out.message);
        assert!(out.message.contains("reinstate"), "{}", out.message);
        assert_eq!(out.card.checkin, None);
        assert_eq!(out.card.attendee.status, Status::Cancelled);

        refused(writes_nothing(&path, "check-in of nobody", || go(&mut desk, 9999)), "notFound");
    }
    refused(writes_nothing(&path, "undo of nobody", || desk.undo_check_in(9999, 1, "x")), "notFound");
    let out = desk.arrive(registered, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn);
    assert_eq!(rows(&path).checkin, 1);
}

/// The one key on an invited person with a free seat: registered and checked in, with both
/// audit rows, in one go.
#[test]
fn arrive_registers_and_checks_in_an_invited_person() {
    let (_d, path, mut desk) = desk();
    let id = invite(&mut desk, "Ivy", "Invitee");
    let before = rows(&path);
    let out = desk.arrive(id, Some(2)).unwrap();
    assert_eq!(out.result, Arrival::RegisteredAndCheckedIn, "{}", out.message);
    assert!(out.message.contains("seat 1 of 100") && out.message.contains("for day 2"), "{}", out.message);
    assert_eq!(out.card.attendee.status, Status::Registered);
    assert_eq!(desk.attendee(id).unwrap().status, Status::Registered);
    assert_eq!(in_force(&out).day, 2);
    let now = rows(&path);
    assert_eq!((now.checkin, now.audit), (before.checkin + 1, before.audit + 2));
    let history = desk.history(id).unwrap();
    assert_eq!(actions(&history), ["import", "register", "checkin"]);
    assert_eq!(history[1].before.as_ref().unwrap()["status"], "invited");
    assert_eq!(after(&history[1])["status"], "registered");
    assert_eq!(after(&history[2])["day"], 2);
    // Now registered: the key checks in on another day, and refuses nothing.
    assert_eq!(desk.arrive(id, Some(2)).unwrap().result, Arrival::AlreadyCheckedIn);
    assert_eq!(desk.arrive(id, Some(1)).unwrap().result, Arrival::CheckedIn);
}

/// The one key on an invited person when the event is full: no seat, nothing written — no
/// registration, no waitlist place, no check-in, no audit row.
#[test]
fn arrive_gives_no_seat_when_the_event_is_full() {
    let (_d, path, mut desk) = desk_with_capacity(1);
    register(&mut desk, 1);
    let id = invite(&mut desk, "Ivy", "Invitee");
    let out =
        writes_nothing(&path, "arrival of the invited, event full", || desk.arrive(id, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::NoSeat, "{}", out.message);
    assert!(out.message.contains("full"), "{}", out.message);
    assert_eq!(out.card.attendee.status, Status::Invited);
    assert_eq!(out.card.checkin, None);
    assert_eq!(desk.attendee(id).unwrap().status, Status::Invited);
    let s = desk.status().unwrap();
    assert_eq!((s.registered, s.waitlisted, s.invited), (1, 0, 1));
    assert_eq!(actions(&desk.history(id).unwrap()), ["import"]);
}

/// An invited arrival whose delegation's allocation is full, with seats free and nobody
/// waiting: no seat, nothing written, and the message gives that reason — not a waitlist
/// place the registration would have given and that was never written.
#[test]
fn an_arrival_refused_by_a_full_allocation_says_so_and_promises_no_waitlist_place() {
    let (_d, path, mut desk) = desk_with_capacity(5);
    let id = invite(&mut desk, "Ivy", "Invitee");
    desk.set_allocation("Belize", "0").unwrap();
    let out = writes_nothing(&path, "arrival, allocation full", || desk.arrive(id, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::NoSeat, "{}", out.message);
    assert!(out.message.starts_with("Belize's allocation of 0 seats is full"), "{}", out.message);
    assert!(
        !out.message.contains("added to waitlist") && !out.message.contains("position"),
        "{}",
        out.message
    );
    assert!(out.message.ends_with("Add them to the waitlist?"), "{}", out.message);
    assert_eq!(desk.attendee(id).unwrap().status, Status::Invited);
}

/// A free seat while someone waits belongs to the waitlist: the invited arrival gets no seat.
#[test]
fn the_free_seat_belongs_to_the_waitlist_not_to_an_invited_arrival() {
    let (_d, path, mut desk) = desk_with_capacity(1);
    let first = register(&mut desk, 1);
    let waiting = register(&mut desk, 2);
    desk.cancel(first).unwrap();
    let id = invite(&mut desk, "Ivy", "Invitee");
    assert_eq!(desk.status().unwrap().seats_left, 1);
    // The card says so before the key is pressed (the desk then offers the waitlist).
    let card = desk.arrival_card(id, Some(1)).unwrap();
    assert_eq!(card.no_seat.as_deref(), Some("1 person is waiting for a seat"));

    let out = writes_nothing(&path, "arrival while someone waits", || desk.arrive(id, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::NoSeat, "{}", out.message);
    assert!(out.message.contains("waiting"), "{}", out.message);
    assert_eq!(desk.attendee(id).unwrap().status, Status::Invited);
    let w = desk.attendee(waiting).unwrap();
    assert_eq!((w.status, w.waitlist_position), (Status::Waitlisted, Some(1)));

    // The waiting person takes the seat: now the event is full.
    desk.promote(&[waiting]).unwrap();
    let out = writes_nothing(&path, "arrival, event full", || desk.arrive(id, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::NoSeat, "{}", out.message);
    assert_eq!(out.card.no_seat.as_deref(), Some("The event is full (1 of 1 seats taken)"));
    // A seat more, nobody waiting: the key registers and checks in.
    desk.update_event(&EventInput { capacity: Some("2".into()), ..Default::default() }).unwrap();
    assert_eq!(desk.arrival_card(id, Some(1)).unwrap().no_seat, None, "a seat is free for her");
    let out = desk.arrive(id, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::RegisteredAndCheckedIn, "{}", out.message);
    assert_eq!(out.card.no_seat, None, "registered: no longer asked");
}

// ---------------------------------------------------------------------------------------------
// 3. Undo

/// An undo needs a reason of 1 to 200 characters on one line, and a check-in in force; it
/// keeps the row with who undid it and why; a new check-in after it works; a second undo is
/// refused.
#[test]
fn undo_needs_a_reason_and_keeps_the_row() {
    let (_d, path, mut desk) = desk();
    desk.set_operator("Ana").unwrap();
    let id = register(&mut desk, 1);
    let e = refused(
        writes_nothing(&path, "undo before any check-in", || desk.undo_check_in(id, 1, "oops")),
        "conflict",
    );
    assert!(e.to_string().contains("not checked in for day 1"), "{e}");

    let first = in_force(&desk.check_in(id, Some(1)).unwrap()).clone();
    let too_long = "x".repeat(201);
    let too_long_accented = "é".repeat(201);
    for reason in
        ["", "   ", "\t", " \n ", "two\nlines", "bell\u{7}", too_long.as_str(), too_long_accented.as_str()]
    {
        invalid(
            writes_nothing(&path, "undo without a good reason", || desk.undo_check_in(id, 1, reason)),
            "reason",
        );
    }
    let e = refused(
        writes_nothing(&path, "undo of another day", || desk.undo_check_in(id, 2, "oops")),
        "conflict",
    );
    assert!(e.to_string().contains("day 2"), "{e}");

    // 200 characters once composed (400 typed: e + combining accent) is within the limit.
    let reason = "e\u{301}".repeat(200);
    let composed = "é".repeat(200);
    desk.set_operator("Bea").unwrap();
    let before = rows(&path);
    let out = desk.undo_check_in(id, 1, &format!("  {reason}  ")).unwrap();
    assert_eq!(out.result, Arrival::Undone);
    assert!(out.message.contains(&composed), "{}", out.message);
    assert_eq!(out.card.checkin, None);
    assert_eq!(out.card.history.len(), 1);
    let h = &out.card.history[0];
    assert_eq!(h.id, first.id);
    assert_eq!(h.operator, "Ana", "the check-in keeps who made it");
    assert_eq!(h.undone_by.as_deref(), Some("Bea"));
    assert_eq!(h.undo_reason.as_deref(), Some(composed.as_str()));
    assert!(h.undone_at.is_some());
    let now = rows(&path);
    assert_eq!(
        (now.checkin, now.in_force, now.audit),
        (before.checkin, before.in_force - 1, before.audit + 1),
        "the row is kept, marked undone, with one audit row"
    );
    assert!(desk.checkins(1).unwrap().is_empty());
    let found = desk.find("given1", 5, Some(1)).unwrap();
    assert_eq!((found.len(), found[0].checkin.as_ref()), (1, None), "an undone check-in is not in force");

    let undo = trail(&desk, AuditFilter { action: Some("checkin.undo".into()), ..Default::default() });
    assert_eq!(undo.len(), 1);
    let (b, a) = (undo[0].before.as_ref().expect("before"), after(&undo[0]));
    assert_eq!((undo[0].attendee_id, undo[0].operator.as_str()), (Some(id), "Bea"));
    assert_eq!((&b["id"], &a["id"]), (&serde_json::json!(first.id), &serde_json::json!(first.id)));
    assert!(b["undoneAt"].is_null() && b["undoneBy"].is_null(), "{b}");
    assert_eq!(a["undoneBy"], "Bea");
    assert_eq!(a["undoReason"], composed.as_str());
    assert!(a["undoneAt"].is_string(), "{a}");

    // Undone twice: refused, nothing written.
    refused(writes_nothing(&path, "a second undo", || desk.undo_check_in(id, 1, "again")), "conflict");

    // Checked in again: a new row; the undone one stays in the history.
    let again = desk.check_in(id, Some(1)).unwrap();
    assert_eq!(again.result, Arrival::CheckedIn, "{}", again.message);
    let second = in_force(&again).clone();
    assert_ne!(second.id, first.id);
    assert_eq!(again.card.history.len(), 2);
    assert_eq!(again.card.history[0].undone_by.as_deref(), Some("Bea"));
    assert_eq!(again.card.history[1], second);
    assert_eq!(desk.checkins(1).unwrap(), vec![second.clone()]);
    // And the cycle again: undone rows never block a new check-in.
    desk.undo_check_in(id, 1, "wrong person again").unwrap();
    assert_eq!(desk.check_in(id, Some(1)).unwrap().result, Arrival::CheckedIn);
    let now = rows(&path);
    assert_eq!((now.checkin, now.in_force), (3, 1));
}

// ---------------------------------------------------------------------------------------------
// 4. A refused change writes no audit row

/// An action at the desk, with what it said.
type Attempt = Box<dyn FnOnce(&mut Desk) -> String>;

/// Every refusal and every "nothing to do" at the desk leaves the audit trail (and everything
/// else) as it was.
#[test]
fn refusals_write_no_audit_row() {
    let (dir, path, mut desk) = desk_with_capacity(2);
    let a = register(&mut desk, 1);
    let b = register(&mut desk, 2);
    let waiting = register(&mut desk, 3);
    let invited = invite(&mut desk, "Ivy", "Invitee");
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![a, b]), None);
    let old_a = token_of(&path, a);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![a]), Some("lost"));
    desk.cancel(b).unwrap();
    let token_b = token_of(&path, b);
    desk.check_in(a, Some(1)).unwrap();
    let audit = rows(&path).audit;

    let attempts: Vec<(&str, Attempt)> = vec![
        ("day 0", Box::new(move |d| format!("{:?}", d.check_in(a, Some(0))))),
        ("day 3", Box::new(move |d| format!("{:?}", d.check_in(a, Some(3))))),
        ("today", Box::new(move |d| format!("{:?}", d.check_in(a, None)))),
        ("already", Box::new(move |d| format!("{:?}", d.check_in(a, Some(1))))),
        ("invited", Box::new(move |d| format!("{:?}", d.check_in(invited, Some(1))))),
        ("invited, full", Box::new(move |d| format!("{:?}", d.arrive(invited, Some(1))))),
        ("waitlisted", Box::new(move |d| format!("{:?}", d.arrive(waiting, Some(1))))),
        ("cancelled", Box::new(move |d| format!("{:?}", d.arrive(b, Some(1))))),
        ("cancelled badge", Box::new(move |d| format!("{:?}", d.scan(&token_b, Some(1))))),
        ("replaced badge", Box::new(move |d| format!("{:?}", d.scan(&old_a, Some(2))))),
        ("unknown badge", Box::new(move |d| format!("{:?}", d.scan(&new_token().unwrap(), Some(1))))),
        ("old badge", Box::new(move |d| format!("{:?}", d.scan("DD:A1:V1", Some(1))))),
        ("no reason", Box::new(move |d| format!("{:?}", d.undo_check_in(a, 1, " ")))),
        ("not checked in", Box::new(move |d| format!("{:?}", d.undo_check_in(a, 2, "x")))),
        ("nobody", Box::new(move |d| format!("{:?}", d.check_in(424242, Some(1))))),
    ];
    // (The waitlisted person holds the claim on b's freed seat, so the invited one gets none.)
    for (what, attempt) in attempts {
        let before = rows(&path);
        let said = attempt(&mut desk);
        assert_eq!(rows(&path), before, "{what} wrote something: {said}");
        assert_eq!(rows(&path).audit, audit, "{what}: {said}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Badge scans

/// A printed badge checks its holder in with the method "scan", whatever the case and the
/// spaces around the code.
#[test]
fn a_printed_badge_checks_in_by_scan() {
    let (dir, path, mut desk) = desk();
    let other = register(&mut desk, 0);
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![other, id]), None);
    let token = token_of(&path, id);
    assert_eq!(token.len(), 29);
    assert!(token.starts_with("DD"), "{token}");
    assert_ne!(token, token_of(&path, other));

    let out = desk.scan(&token, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    assert_eq!(out.card.attendee.id, id, "the badge's holder, nobody else");
    assert_eq!(in_force(&out).method, "scan");
    assert_eq!(out.card.badge.as_ref().map(|b| b.version), Some(1));
    let entries =
        trail(&desk, AuditFilter { person: Some(id), action: Some("checkin".into()), ..Default::default() });
    assert_eq!(entries.len(), 1);
    assert_eq!(after(&entries[0])["method"], "scan");

    // Lower case (Caps Lock) and a scanner's Enter and spaces.
    let typed = format!(" \t {}\r\n", token.to_lowercase());
    let out = desk.scan(&typed, Some(2)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    assert_eq!((in_force(&out).day, in_force(&out).method.as_str()), (2, "scan"));
    let out = writes_nothing(&path, "a second scan", || desk.scan(&token, Some(2)).unwrap());
    assert_eq!(out.result, Arrival::AlreadyCheckedIn);
    invalid(writes_nothing(&path, "scan for today", || desk.scan(&token, None)), "day");
    assert!(desk.checkins(1).unwrap().iter().all(|c| c.attendee_id == id));
}

/// A reprint revokes the badge before it: the old code names the current version and the
/// reason, and writes nothing; the new code checks in.
#[test]
fn a_reprint_revokes_the_old_badge() {
    let (dir, path, mut desk) = desk();
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let v1 = token_of(&path, id);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), Some("lost"));
    let v2 = token_of(&path, id);
    assert_ne!(v1, v2);

    for code in [v1.clone(), v1.to_lowercase(), format!("  {v1} ")] {
        let out = writes_nothing(&path, "scan of a replaced badge", || desk.scan(&code, Some(1)).unwrap());
        assert_eq!(out.result, Arrival::ReplacedBadge, "{}", out.message);
        for part in ["version 1", "version 2", "(lost)"] {
            assert!(out.message.contains(part), "{part:?} missing from {:?}", out.message);
        }
        assert_eq!(out.card.attendee.id, id);
        assert_eq!(out.card.checkin, None);
        assert!(
            out.card.attention.iter().any(|a| a.kind == "badge" && a.text == "Badge version 2 (lost)"),
            "{:?}",
            out.card.attention
        );
    }
    // Even with no day named (and today no day of the event), the operator is told first.
    let out = writes_nothing(&path, "old badge, no day", || desk.scan(&v1, None).unwrap());
    assert_eq!((out.result, out.card.day), (Arrival::ReplacedBadge, None), "{}", out.message);
    let out = desk.scan(&v2, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    // Checked in by the new badge, the old one still writes nothing on another day.
    let out = writes_nothing(&path, "old badge, day 2", || desk.scan(&v1, Some(2)).unwrap());
    assert_eq!(out.result, Arrival::ReplacedBadge);
    assert_eq!(out.card.day, Some(2));

    // A third print revokes both before it.
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), Some("damaged"));
    let v3 = token_of(&path, id);
    for old in [&v1, &v2] {
        let out = writes_nothing(&path, "scan of a replaced badge", || desk.scan(old, Some(2)).unwrap());
        assert_eq!(out.result, Arrival::ReplacedBadge, "{}", out.message);
        assert!(out.message.contains("version 3") && out.message.contains("(damaged)"), "{}", out.message);
    }
    assert_eq!(desk.scan(&v3, Some(2)).unwrap().result, Arrival::CheckedIn);
}

/// A code that is no badge of this event, a damaged one, an old-style one and words are each
/// refused for what they are, and nothing is written.
#[test]
fn codes_that_are_not_a_current_badge_are_refused() {
    let (dir, path, mut desk) = desk();
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let token = token_of(&path, id);

    // Well formed, but printed nowhere here (another event's badge).
    let foreign = new_token().unwrap();
    for code in [foreign.clone(), foreign.to_lowercase()] {
        let e = refused(writes_nothing(&path, "a foreign badge", || desk.scan(&code, Some(1))), "notFound");
        assert!(e.to_string().contains("Not a badge of this event"), "{e}");
    }

    // One character changed anywhere after the prefix: damaged, never someone else's badge.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let chars: Vec<char> = token.chars().collect();
    for i in 2..chars.len() {
        let other = alphabet.chars().find(|&c| c != chars[i]).unwrap();
        let mut changed = chars.clone();
        changed[i] = other;
        let changed: String = changed.into_iter().collect();
        let e = invalid(writes_nothing(&path, "a damaged badge", || desk.scan(&changed, Some(1))), "code");
        assert!(e.to_string().contains("not read correctly"), "{changed}: {e}");
    }

    for old in ["DD:A1:V1", "dd:a1:v1", " DD:A12:V2 "] {
        let e = refused(writes_nothing(&path, "an old badge", || desk.scan(old, Some(1))), "conflict");
        assert!(e.to_string().contains("reprint"), "{e}");
    }
    for words in ["jean", "", "   ", "DD", &token[..28], &format!("{token}A"), "DD0000000000000000000000000A"]
    {
        invalid(writes_nothing(&path, "words", || desk.scan(words, Some(1))), "code");
    }
    assert_eq!(desk.scan(&token, Some(1)).unwrap().result, Arrival::CheckedIn);
}

/// The badge of a person since cancelled does not check them in; nor does it once they are
/// back on the waitlist.
#[test]
fn a_cancelled_persons_badge_checks_nobody_in() {
    let (dir, path, mut desk) = desk_with_capacity(1);
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let token = token_of(&path, id);
    desk.cancel(id).unwrap();
    let out = writes_nothing(&path, "scan of a cancelled person", || desk.scan(&token, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::Cancelled, "{}", out.message);
    assert_eq!((out.card.attendee.id, out.card.attendee.status), (id, Status::Cancelled));
    assert_eq!(out.card.checkin, None);

    register(&mut desk, 2);
    desk.reinstate(id).unwrap();
    assert_eq!(desk.attendee(id).unwrap().status, Status::Waitlisted);
    let out = writes_nothing(&path, "scan of a waitlisted person", || desk.scan(&token, Some(1)).unwrap());
    assert_eq!(out.result, Arrival::Waitlisted, "{}", out.message);
}

/// 200 prints carry 200 distinct tokens; every old one is revoked and every new one checks in
/// its own holder.
#[test]
fn two_hundred_prints_carry_two_hundred_tokens() {
    let (dir, path, mut desk) = desk();
    let ids: Vec<i64> = (0..100).map(|n| register(&mut desk, n)).collect();
    print(&mut desk, dir.path(), BadgeSelection::AllRegistered, None);
    let first: Vec<String> = ids.iter().map(|&id| token_of(&path, id)).collect();
    print(&mut desk, dir.path(), BadgeSelection::AllRegistered, Some("damaged"));
    let second: Vec<String> = ids.iter().map(|&id| token_of(&path, id)).collect();

    let all: Vec<String> =
        raw(&path).query_map("SELECT token FROM badge_print", params![], |r| r.get(0)).unwrap();
    assert_eq!(all.len(), 200);
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), 200, "a token printed twice");
    for t in &all {
        assert_eq!(recognise(t), Typed::Token(t.clone()));
    }
    for ((&id, old), new) in ids.iter().zip(&first).zip(&second) {
        let out = desk.scan(old, Some(1)).unwrap();
        assert_eq!((out.result, out.card.attendee.id), (Arrival::ReplacedBadge, id), "{}", out.message);
        let out = desk.scan(new, Some(1)).unwrap();
        assert_eq!((out.result, out.card.attendee.id), (Arrival::CheckedIn, id), "{}", out.message);
    }
    assert_eq!(desk.checkins(1).unwrap().len(), 100);
}

/// A badge scanned while its reprint is being recorded by another desk: once the reprint is
/// committed the old badge must not check anyone in. (The scan once read which badge is
/// current outside its transaction, and checked in on what the reprint replaced.)
#[test]
fn a_badge_reprinted_while_it_is_scanned_does_not_check_in() {
    let (dir, path, mut desk) = desk();
    let id = register(&mut desk, 1);
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![id]), None);
    let old = token_of(&path, id);
    let mut scanner = Desk::open(&path).unwrap();

    // Another desk records the reprint (the rows `print_badges` writes) and has not committed.
    let other = raw(&path);
    let tx = other.begin().unwrap();
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tx.execute(
        "INSERT INTO badge_print (attendee_id, version, at, operator, preset, reason, note, token)
         VALUES (?1, 2, ?2, 'Other', 'cr80', 'lost', '', ?3)",
        params![id, at, new_token().unwrap()],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO audit (at, operator, desk, action, attendee_id, before, after)
         VALUES (?1, 'Other', 'Desk 9', 'badge.print', ?2, NULL, '{\"version\":2}')",
        params![at, id],
    )
    .unwrap();
    let scan = std::thread::spawn(move || scanner.scan(&old, Some(1)));
    // Let the scan read the badge and wait for the write lock, then commit the reprint.
    std::thread::sleep(Duration::from_millis(500));
    tx.commit().unwrap();
    let out = scan.join().unwrap().unwrap();
    let checked_in = rows(&path).checkin;
    assert_eq!(
        (out.result, checked_in),
        (Arrival::ReplacedBadge, 0),
        "the revoked badge checked in after its reprint was committed: {}",
        out.message
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Two desks at once

/// Two desks (own connections, own threads) check in the same person for the same day at the
/// same moment: one check-in, one "already", every time.
#[test]
fn two_desks_checking_in_the_same_person_at_once() {
    let (_d, path, mut desk) = desk();
    let ids: Vec<i64> = (0..30).map(|n| register(&mut desk, n)).collect();
    for (round, &id) in ids.iter().enumerate() {
        let start = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    let mut d = Desk::open(&path).unwrap();
                    d.set_desk(&format!("Desk {t}")).unwrap();
                    start.wait();
                    d.check_in(id, Some(1)).map(|o| o.result)
                })
            })
            .collect();
        let mut results: Vec<Arrival> = handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect();
        results.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(results, [Arrival::AlreadyCheckedIn, Arrival::CheckedIn], "round {round}");
        let c = raw(&path);
        let n: i64 = c
            .query_row("SELECT count(*) FROM checkin WHERE attendee_id = ?1", params![id], |r| r.get(0))
            .unwrap();
        let audit: i64 = c
            .query_row(
                "SELECT count(*) FROM audit WHERE attendee_id = ?1 AND action = 'checkin'",
                params![id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!((n, audit), (1, 1), "round {round}");
    }
    assert_eq!(desk.checkins(1).unwrap().len(), 30);
}

/// Two desks undo the same check-in at once: one undo, one refusal.
#[test]
fn two_desks_undoing_the_same_check_in_at_once() {
    let (_d, path, mut desk) = desk();
    for n in 0..15 {
        let id = register(&mut desk, n);
        desk.check_in(id, Some(2)).unwrap();
        let start = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    let mut d = Desk::open(&path).unwrap();
                    start.wait();
                    d.undo_check_in(id, 2, &format!("undone at desk {t}"))
                        .map(|o| o.result)
                        .map_err(|e| e.kind())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(results.iter().filter(|r| **r == Ok(Arrival::Undone)).count(), 1, "{results:?}");
        assert_eq!(results.iter().filter(|r| **r == Err("conflict")).count(), 1, "{results:?}");
        let undo = trail(
            &desk,
            AuditFilter { person: Some(id), action: Some("checkin.undo".into()), ..Default::default() },
        );
        assert_eq!(undo.len(), 1, "round {n}");
    }
}

/// Two invited people arrive at two desks at once for the last seat: one gets it and is
/// checked in, the other is told there is no seat, and the capacity holds.
#[test]
fn two_invited_people_arrive_at_once_for_the_last_seat() {
    for round in 0..10 {
        let (_d, path, mut desk) = desk_with_capacity(2);
        register(&mut desk, 1);
        let people = [invite(&mut desk, "Ivy", "Invitee"), invite(&mut desk, "Jon", "Invitee")];
        let start = Arc::new(Barrier::new(2));
        let handles: Vec<_> = people
            .iter()
            .map(|&id| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    let mut d = Desk::open(&path).unwrap();
                    start.wait();
                    d.arrive(id, Some(1)).map(|o| o.result)
                })
            })
            .collect();
        let mut results: Vec<Arrival> = handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect();
        results.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(results, [Arrival::NoSeat, Arrival::RegisteredAndCheckedIn], "round {round}");
        let s = desk.status().unwrap();
        assert_eq!((s.registered, s.invited, s.waitlisted), (2, 1, 0), "round {round}");
        assert_eq!(rows(&path).checkin, 1, "round {round}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The database's own backstops

#[track_caller]
fn refused_by_db(r: delegate_desk::Result<usize>, what: &str, says: &str) {
    match r {
        Ok(n) => panic!("{what}: the database accepted it ({n} rows)"),
        Err(e) => assert!(e.to_string().contains(says), "{what}: {e}"),
    }
}

/// What the desk never writes, the database refuses from any program: a check-in of someone
/// not registered, a second one in force, a deletion, a change to a check-in, a second undo.
#[test]
fn the_database_refuses_what_the_desk_would_never_write() {
    let (dir, path, mut desk) = desk();
    let a = register(&mut desk, 1);
    let invited = invite(&mut desk, "Ivy", "Invitee");
    let waiting = {
        desk.update_event(&EventInput { capacity: Some("1".into()), ..Default::default() }).unwrap();
        register(&mut desk, 2)
    };
    let live = in_force(&desk.check_in(a, Some(1)).unwrap()).id;
    desk.check_in(a, Some(2)).unwrap();
    let undone = desk.undo_check_in(a, 2, "wrong person").unwrap().card.history[1].id;
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![a]), None);
    let token = token_of(&path, a);
    let before = rows(&path);

    let c = raw(&path);
    let insert = |id: i64, day: i64, method: &str| {
        c.execute(
            "INSERT INTO checkin (attendee_id, day, at, operator, desk, method)
             VALUES (?1, ?2, '2019-11-14T13:00:00.000Z', 'raw', 'raw', ?3)",
            params![id, day, method],
        )
    };
    refused_by_db(insert(invited, 1, "desk"), "check-in of the invited", "only registered people check in");
    refused_by_db(
        insert(waiting, 1, "desk"),
        "check-in of the waitlisted",
        "only registered people check in",
    );
    refused_by_db(insert(9999, 1, "desk"), "check-in of nobody", "only registered people check in");
    refused_by_db(insert(a, 1, "desk"), "a second check-in in force", "UNIQUE");
    refused_by_db(insert(a, 1, "scan"), "a second check-in in force, scanned", "UNIQUE");
    refused_by_db(insert(a, 0, "desk"), "day 0", "CHECK");
    refused_by_db(insert(a, 3, "teleport"), "an unknown method", "CHECK");

    let exec = |sql: &str, id: i64| c.execute(sql, params![id]);
    refused_by_db(exec("DELETE FROM checkin WHERE id = ?1", live), "delete a check-in", "cannot be deleted");
    refused_by_db(
        exec("DELETE FROM checkin WHERE id = ?1", undone),
        "delete an undone check-in",
        "cannot be deleted",
    );
    refused_by_db(
        exec("DELETE FROM checkin WHERE id <> ?1", -1),
        "delete every check-in",
        "cannot be deleted",
    );
    let only_undo = "a check-in can only be undone, once";
    for sql in [
        "UPDATE checkin SET day = 2 WHERE id = ?1",
        "UPDATE checkin SET at = '2019-11-14T12:00:00.000Z' WHERE id = ?1",
        "UPDATE checkin SET operator = 'someone else' WHERE id = ?1",
        "UPDATE checkin SET desk = 'Desk 99' WHERE id = ?1",
        "UPDATE checkin SET method = 'scan' WHERE id = ?1",
        "UPDATE checkin SET attendee_id = attendee_id + 1 WHERE id = ?1",
    ] {
        refused_by_db(exec(sql, live), sql, only_undo);
    }
    // An undo that moves the day along with it is a change too.
    refused_by_db(
        exec(
            "UPDATE checkin SET day = 2, undone_at = 'x', undone_by = 'x', undo_reason = 'x' WHERE id = ?1",
            live,
        ),
        "undo and change the day",
        only_undo,
    );
    // An undo must say who and why.
    refused_by_db(
        exec("UPDATE checkin SET undone_at = 'x' WHERE id = ?1", live),
        "undo without who",
        "CHECK",
    );
    refused_by_db(
        exec("UPDATE checkin SET undone_at = 'x', undone_by = 'x', undo_reason = '   ' WHERE id = ?1", live),
        "undo with a blank reason",
        "CHECK",
    );
    // An undone check-in is never changed again: not its reason, not brought back.
    for sql in [
        "UPDATE checkin SET undo_reason = 'a better story' WHERE id = ?1",
        "UPDATE checkin SET undone_by = 'someone else' WHERE id = ?1",
        "UPDATE checkin SET undone_at = NULL, undone_by = NULL, undo_reason = NULL WHERE id = ?1",
        "UPDATE checkin SET day = 1 WHERE id = ?1",
    ] {
        refused_by_db(exec(sql, undone), sql, only_undo);
    }
    // Badge tokens: one per print, the right length.
    let print_row = |version: i64, token: &str| {
        c.execute(
            "INSERT INTO badge_print (attendee_id, version, at, operator, preset, reason, note, token)
             VALUES (?1, ?2, '2019-11-14T13:00:00.000Z', 'raw', 'cr80', 'lost', '', ?3)",
            params![a, version, token],
        )
    };
    refused_by_db(print_row(2, &token), "a token printed twice", "UNIQUE");
    refused_by_db(print_row(2, &token[..28]), "a short token", "CHECK");
    drop(c);
    assert_eq!(rows(&path), before, "a refused statement left something behind");

    // The backstops refuse only what they must: an undone check-in does not block a new one.
    let c = raw(&path);
    assert_eq!(
        c.execute(
            "INSERT INTO checkin (attendee_id, day, at, operator, desk, method)
             VALUES (?1, 2, '2019-11-15T13:00:00.000Z', 'raw', 'raw', 'desk')",
            params![a],
        )
        .unwrap(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// 8. The audit trail's filters

/// Filters by person, action family (a whole segment: "checkin" is also "checkin.undo", but
/// "check" is nothing) and operator (case and accents ignored, the whole name).
#[test]
fn audit_trail_filters_by_person_action_and_operator() {
    let (dir, _path, mut desk) = desk();
    desk.set_operator("José").unwrap();
    let a = register(&mut desk, 1);
    let b = register(&mut desk, 2);
    desk.check_in(a, Some(1)).unwrap();
    desk.undo_check_in(a, 1, "wrong person").unwrap();
    desk.check_in(b, Some(1)).unwrap();
    desk.set_operator("María").unwrap();
    desk.check_in(a, Some(2)).unwrap();
    print(&mut desk, dir.path(), BadgeSelection::Ids(vec![b]), None);

    let f = |person: Option<i64>, action: Option<&str>, operator: Option<&str>| AuditFilter {
        person,
        action: action.map(str::to_string),
        operator: operator.map(str::to_string),
        ..Default::default()
    };
    assert_eq!(
        actions(&trail(&desk, f(Some(a), None, None))),
        ["register", "checkin", "checkin.undo", "checkin"]
    );
    assert_eq!(actions(&trail(&desk, f(Some(b), None, None))), ["register", "checkin", "badge.print"]);
    assert!(trail(&desk, f(Some(9999), None, None)).is_empty());

    let checkins = trail(&desk, f(None, Some("checkin"), None));
    assert_eq!(actions(&checkins), ["checkin", "checkin.undo", "checkin", "checkin"]);
    assert!(checkins.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
    assert_eq!(actions(&trail(&desk, f(None, Some("  checkin "), None))).len(), 4);
    assert_eq!(actions(&trail(&desk, f(None, Some("checkin.undo"), None))), ["checkin.undo"]);
    assert_eq!(actions(&trail(&desk, f(None, Some("badge"), None))), ["badge.print"]);
    assert_eq!(actions(&trail(&desk, f(None, Some("register"), None))), ["register", "register"]);
    for nothing in ["checkin.", "checkin.undo.x", "checkin.%", "checkin._ndo", "badge.%"] {
        assert!(trail(&desk, f(None, Some(nothing), None)).is_empty(), "{nothing:?} matched");
    }
    // Not an action at all: refused, rather than "0 entries".
    for wrong in ["check", "heckin", "%", "checkin%", "_heckin", "undo"] {
        let e = desk.audit_trail(&f(None, Some(wrong), None)).unwrap_err();
        assert_eq!(e.field(), Some("action"), "{wrong:?}: {e}");
    }
    assert_eq!(
        actions(&trail(&desk, f(Some(a), Some("checkin"), None))),
        ["checkin", "checkin.undo", "checkin"]
    );

    for jose in ["JOSE", "jose", "José", "  JOSÉ ", "Jose\u{301}"] {
        let entries = trail(&desk, f(None, None, Some(jose)));
        assert_eq!(
            actions(&entries),
            ["register", "register", "checkin", "checkin.undo", "checkin"],
            "operator {jose:?}"
        );
        assert!(entries.iter().all(|r| r.operator == "José"));
    }
    assert_eq!(actions(&trail(&desk, f(None, None, Some("MARIA")))), ["checkin", "badge.print"]);
    for nobody in ["Jos", "J", "José María", "osé"] {
        assert!(trail(&desk, f(None, None, Some(nobody))).is_empty(), "{nobody:?} matched");
    }
    // Filters combine.
    assert_eq!(actions(&trail(&desk, f(Some(a), Some("checkin"), Some("maria")))), ["checkin"]);
    assert!(trail(&desk, f(Some(b), Some("checkin.undo"), Some("jose"))).is_empty());
}

/// The limit keeps the newest rows that match, still oldest first.
#[test]
fn audit_trail_limit_keeps_the_newest_in_order() {
    let (_d, _p, mut desk) = desk();
    desk.set_operator("Ana").unwrap();
    let ids: Vec<i64> = (0..5).map(|n| register(&mut desk, n)).collect();
    desk.set_operator("Bea").unwrap();
    for &id in &ids {
        desk.check_in(id, Some(1)).unwrap();
    }
    let all = trail(&desk, AuditFilter::default());
    for n in [1, 3, all.len(), all.len() + 10] {
        let some = trail(&desk, AuditFilter { limit: Some(n), ..Default::default() });
        assert_eq!(some, all[all.len().saturating_sub(n)..], "limit {n}");
    }
    // The limit applies after the other filters, even the operator (filtered after reading).
    let ana =
        trail(&desk, AuditFilter { operator: Some("ana".into()), limit: Some(2), ..Default::default() });
    assert_eq!(ana.iter().map(|e| e.attendee_id).collect::<Vec<_>>(), [Some(ids[3]), Some(ids[4])]);
    assert!(ana.iter().all(|e| e.action == "register"));
    let last =
        trail(&desk, AuditFilter { action: Some("register".into()), limit: Some(1), ..Default::default() });
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].attendee_id, Some(ids[4]));
}

/// Insert an audit row at a chosen time, as only a program other than the desk could.
fn probe(path: &Path, at: &str) -> i64 {
    let c = raw(path);
    c.execute(
        "INSERT INTO audit (at, operator, desk, action, attendee_id, before, after)
         VALUES (?1, 'Probe', 'Probe desk', 'database.probe', NULL, NULL, NULL)",
        params![at],
    )
    .unwrap();
    c.value("SELECT max(id) FROM audit", params![]).unwrap()
}

fn probes(desk: &Desk, since: Option<&str>, until: Option<&str>) -> delegate_desk::Result<Vec<i64>> {
    Ok(desk
        .audit_trail(&AuditFilter {
            since: since.map(str::to_string),
            until: until.map(str::to_string),
            action: Some("database.probe".into()),
            ..Default::default()
        })?
        .into_iter()
        .map(|e| e.id)
        .collect())
}

/// Since and until, as a date at the venue, a date and time at the venue, or RFC 3339: the
/// venue (New York) is UTC−5 in November 2019; since includes its bound, until excludes it.
#[test]
fn audit_trail_since_and_until_at_the_venue() {
    let (_d, path, desk) = desk();
    let p1 = probe(&path, "2019-11-14T04:59:59.999Z"); // 13 Nov 23:59:59.999 at the venue
    let p2 = probe(&path, "2019-11-14T05:00:00.000Z"); // 14 Nov 00:00
    let p3 = probe(&path, "2019-11-14T12:59:59.999Z"); // 14 Nov 07:59:59.999
    let p4 = probe(&path, "2019-11-14T13:00:00.000Z"); // 14 Nov 08:00
    let p5 = probe(&path, "2019-11-15T05:00:00.000Z"); // 15 Nov 00:00
    let all = vec![p1, p2, p3, p4, p5];
    assert_eq!(probes(&desk, None, None).unwrap(), all);
    for (since, until, want) in [
        (Some("2019-11-14"), None, vec![p2, p3, p4, p5]),
        (None, Some("2019-11-14"), vec![p1]),
        (Some("2019-11-14"), Some("2019-11-15"), vec![p2, p3, p4]),
        (Some(" 2019-11-14 "), Some("2019-11-14"), vec![]),
        (Some("2019-11-14 08:00"), None, vec![p4, p5]),
        (Some("2019-11-14T08:00"), None, vec![p4, p5]),
        (None, Some("2019-11-14 08:00"), vec![p1, p2, p3]),
        (Some("2019-11-14 00:00"), Some("2019-11-14 08:00"), vec![p2, p3]),
        (Some("2019-11-14T13:00:00Z"), None, vec![p4, p5]),
        (Some("2019-11-14T13:00:00.000Z"), None, vec![p4, p5]),
        (Some("2019-11-14T08:00:00-05:00"), None, vec![p4, p5]),
        (Some("2019-11-14T14:00:00+01:00"), None, vec![p4, p5]),
        (Some("2019-11-14T12:59:59.999Z"), Some("2019-11-14T13:00:00Z"), vec![p3]),
        (None, Some("2019-11-14T05:00:00Z"), vec![p1]),
        (Some("2019-11-15"), None, vec![p5]),
        (Some("2019-11-16"), None, vec![]),
        (None, Some("2019-11-13"), vec![]),
    ] {
        assert_eq!(probes(&desk, since, until).unwrap(), want, "since {since:?} until {until:?}");
    }
}

/// The real rows of today, filtered at the minute and the day of the venue they were written.
#[test]
fn audit_trail_since_and_until_around_a_real_change() {
    let (_d, _p, mut desk) = desk();
    let id = register(&mut desk, 1);
    let row = trail(&desk, AuditFilter { person: Some(id), ..Default::default() }).remove(0);
    let at = chrono::DateTime::parse_from_rfc3339(&row.at).unwrap();
    let local = at.with_timezone(&chrono_tz::America::New_York);
    let minute = local.format("%Y-%m-%d %H:%M").to_string();
    let next_minute = (local + chrono::Duration::minutes(1)).format("%Y-%m-%d %H:%M").to_string();
    let day = local.format("%Y-%m-%d").to_string();
    let next_day = (local.date_naive() + chrono::Days::new(1)).to_string();
    let one_ms_later = (at + chrono::Duration::milliseconds(1)).to_rfc3339();
    let offset = at.with_timezone(&chrono::FixedOffset::west_opt(5 * 3600).unwrap()).to_rfc3339();
    let found = |since: Option<&str>, until: Option<&str>| {
        !trail(
            &desk,
            AuditFilter {
                person: Some(id),
                since: since.map(str::to_string),
                until: until.map(str::to_string),
                ..Default::default()
            },
        )
        .is_empty()
    };
    for (since, until, want) in [
        (Some(minute.as_str()), None, true),
        (Some(next_minute.as_str()), None, false),
        (None, Some(next_minute.as_str()), true),
        (None, Some(minute.as_str()), false),
        (Some(day.as_str()), Some(next_day.as_str()), true),
        (Some(next_day.as_str()), None, false),
        (None, Some(day.as_str()), false),
        (Some(row.at.as_str()), None, true),
        (None, Some(row.at.as_str()), false),
        (Some(one_ms_later.as_str()), None, false),
        (Some(offset.as_str()), Some(one_ms_later.as_str()), true),
    ] {
        assert_eq!(found(since, until), want, "since {since:?} until {until:?} for a row at {}", row.at);
    }
}

/// A time that is none of the three forms is refused on the field it was typed in.
#[test]
fn audit_trail_refuses_a_bad_time_on_its_field() {
    let (_d, _p, desk) = desk();
    for bad in
        ["yesterday", "2019-13-01", "2019-11-31", "14/11/2019", "2019-11-14 25:00", "2019-11-14 8h", "now"]
    {
        let e = invalid(
            desk.audit_trail(&AuditFilter { since: Some(bad.into()), ..Default::default() }),
            "since",
        );
        assert!(e.to_string().contains(bad), "{e}");
        invalid(desk.audit_trail(&AuditFilter { until: Some(bad.into()), ..Default::default() }), "until");
    }
    let long = "9".repeat(10_000);
    let e = invalid(desk.audit_trail(&AuditFilter { since: Some(long), ..Default::default() }), "since");
    assert!(
        e.to_string().chars().count() < 300,
        "the whole value is quoted back: {} chars",
        e.to_string().len()
    );
    // Blank is no filter.
    desk.audit_trail(&AuditFilter {
        since: Some("  ".into()),
        until: Some(String::new()),
        ..Default::default()
    })
    .unwrap();
}

/// A date at a venue whose clocks skip midnight that day (São Paulo, 4 Nov 2018: 00:00 became
/// 01:00) is still a date: "since 2018-11-04" is from the first instant of that day.
#[test]
fn a_date_whose_midnight_does_not_exist_at_the_venue_is_still_a_date() {
    let (_d, path, mut desk) = desk();
    desk.update_event(&EventInput { timezone: Some("America/Sao_Paulo".into()), ..Default::default() })
        .unwrap();
    let before = probe(&path, "2018-11-04T02:59:59.999Z"); // 3 Nov 23:59:59.999 at the venue (−03:00)
    let first = probe(&path, "2018-11-04T03:00:00.000Z"); // 4 Nov 01:00 (−02:00), the day's first instant
    assert_eq!(probes(&desk, Some("2018-11-03"), None).unwrap(), [before, first]);
    assert_eq!(
        probes(&desk, Some("2018-11-04"), None).map_err(|e| e.to_string()),
        Ok(vec![first]),
        "since the 4th"
    );
    assert_eq!(
        probes(&desk, None, Some("2018-11-04")).map_err(|e| e.to_string()),
        Ok(vec![before]),
        "until the 4th"
    );
}

/// Cancelling a registration undoes the person's check-ins in force (they hold no seat now):
/// kept in their history with the reason, in the audit, and said in the cancel's message. Once
/// reinstated, their arrival is a new check-in, not "already checked in" with the old time;
/// while on the waitlist, their card shows no check-in.
#[test]
fn a_cancel_undoes_the_check_in_and_a_reinstated_person_checks_in_anew() {
    let (_d, _path, mut desk) = desk_with_capacity(2);
    let a = register(&mut desk, 1);
    let b = register(&mut desk, 2);
    let c = register(&mut desk, 3);
    assert_eq!(desk.attendee(c).unwrap().status, Status::Waitlisted);
    desk.check_in(a, Some(1)).unwrap();
    let out = desk.cancel(a).unwrap();
    assert!(out.message.contains("; their check-in for day 1 ("), "{}", out.message);
    assert!(out.message.contains(") undone"), "{}", out.message);
    let card = desk.arrival_card(a, Some(1)).unwrap();
    assert!(card.checkin.is_none());
    assert_eq!(card.history[0].undo_reason.as_deref(), Some("registration cancelled"));
    assert!(desk.checkins(1).unwrap().iter().all(|x| x.attendee_id != a));
    // Back on the waitlist: no check-in shows on their card.
    desk.promote(&[c]).unwrap();
    desk.reinstate(a).unwrap();
    assert_eq!(desk.attendee(a).unwrap().status, Status::Waitlisted);
    assert!(desk.arrival_card(a, Some(1)).unwrap().checkin.is_none());
    // A seat again: their arrival is checked in now.
    desk.cancel(b).unwrap();
    desk.promote(&[a]).unwrap();
    let again = desk.check_in(a, Some(1)).unwrap();
    assert_eq!(again.result, Arrival::CheckedIn, "{}", again.message);
    let undo: Vec<String> = desk
        .audit_trail(&delegate_desk::audit::AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.attendee_id == Some(a))
        .map(|e| e.action)
        .collect();
    assert!(undo.iter().any(|x| x == "checkin.undo"), "{undo:?}");
}

/// A check-in made on another date (the scanner tried the evening before, for day 1) says on
/// which date when the person comes: "at 18:30" alone reads as today.
#[test]
fn already_checked_in_on_another_date_says_the_date() {
    let (_d, path, mut desk) = common::file_desk();
    let id = register(&mut desk, 1);
    desk.check_in(id, Some(1)).unwrap();
    let today = desk.check_in(id, Some(1)).unwrap();
    assert_eq!(today.result, Arrival::AlreadyCheckedIn);
    assert!(!today.message.contains(" on "), "{}", today.message);
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    raw.batch("DROP TRIGGER checkin_only_undo; UPDATE checkin SET at = '2019-11-13T23:30:00.000Z'").unwrap();
    let again = desk.check_in(id, Some(1)).unwrap();
    assert_eq!(again.result, Arrival::AlreadyCheckedIn);
    assert!(again.message.contains(" on 13 Nov 2019 by "), "{}", again.message);
}

/// An undo is of the check-in the operator was shown: if another desk undid it and checked the
/// person in again meanwhile, the newer check-in is not undone in its place.
#[test]
fn an_undo_of_a_check_in_replaced_meanwhile_is_refused_and_the_new_one_stays() {
    let (_d, path, mut a) = desk_with_capacity(5);
    let id = register(&mut a, 1);
    let shown = a.check_in(id, Some(1)).unwrap().card.checkin.unwrap();
    let mut b = Desk::open(&path).unwrap();
    b.undo_check_in(id, 1, "wrong day").unwrap();
    let newer = b.check_in(id, Some(1)).unwrap().card.checkin.unwrap();
    assert_ne!(newer.id, shown.id);
    let e = writes_nothing(&path, "undo of a replaced check-in", || {
        a.undo_check_in_seen(id, 1, Some(shown.id), "wrong person").unwrap_err()
    });
    assert!(matches!(e, delegate_desk::Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("was checked in again meanwhile for day 1"), "{e}");
    assert_eq!(a.arrival_card(id, Some(1)).unwrap().checkin.map(|c| c.id), Some(newer.id));
    let out = a.undo_check_in_seen(id, 1, Some(newer.id), "wrong person");
    // The newer one is another desk's: the PIN decides (none is set here, so it is undone).
    assert_eq!(out.unwrap().result, Arrival::Undone);
}

/// Check-ins are kept by day number: the event's first date cannot move while any is in
/// force (every arrival would count on another date, and a real arrival be refused as "already
/// checked in"), nor can a day with check-ins be cut off (they could then never be undone).
/// Each refusal names the reason and writes nothing; undone, the change goes through.
#[test]
fn event_dates_cannot_move_or_shrink_under_check_ins_in_force() {
    let (_d, path, mut desk) = desk();
    let mut input = nth(1);
    input.days = Some("1".into());
    let id = desk.register(&input).unwrap().attendee.id;
    desk.check_in(id, Some(2)).unwrap();
    let event = desk.event().unwrap();
    let moved = EventInput {
        start_date: Some((event.start_date + chrono::Days::new(7)).to_string()),
        end_date: Some((event.end_date + chrono::Days::new(7)).to_string()),
        ..Default::default()
    };
    let e = invalid(writes_nothing(&path, "moved", || desk.update_event(&moved)), "startDate");
    assert!(e.to_string().contains("1 check-in is recorded (the first on day 2,"), "{e}");
    let shorter = EventInput { end_date: Some(event.start_date.to_string()), ..Default::default() };
    let e = invalid(writes_nothing(&path, "shortened", || desk.update_event(&shorter)), "endDate");
    assert!(e.to_string().contains("1 check-in is recorded on a later day (up to day 2)"), "{e}");
    // The same day count with the same start: nothing to refuse.
    desk.update_event(&EventInput { name: Some("Renamed".into()), ..Default::default() }).unwrap();
    desk.undo_check_in(id, 2, "wrong day").unwrap();
    desk.update_event(&shorter).unwrap();
    desk.update_event(&moved).unwrap();
    assert_eq!(desk.event().unwrap().start_date, event.start_date + chrono::Days::new(7));
}

/// Lowering the capacity below the number registered names that number, allocations or not
/// (with none set, it spoke of allocations).
#[test]
fn a_capacity_below_the_registered_says_how_many_are_registered() {
    let (_d, path, mut desk) = desk_with_capacity(5);
    for i in 0..3 {
        desk.register(&nth(i)).unwrap();
    }
    let e = invalid(
        writes_nothing(&path, "capacity", || {
            desk.update_event(&EventInput { capacity: Some("2".into()), ..Default::default() })
        }),
        "capacity",
    );
    assert!(e.to_string().starts_with("Capacity cannot be 2: 3 people are registered"), "{e}");
}
