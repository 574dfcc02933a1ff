//! The door of a session, pushed where it could break: the press at a closed session, people
//! excluded or admitted by name, an invited person refused before any seat is given, a second
//! scan, a replaced badge, a session on another day, an undo of the day, two doors at once,
//! the database's own backstop, the attendance on the dashboard and in every export format.
//! Every refusal is checked to write nothing. On both engines (`DELEGATE_DESK_TEST_PG=1`).

mod common;

use common::{desk, desk_with_capacity, person};
use delegate_desk::checkin::{Arrival, ArrivalOutcome};
use delegate_desk::db::Db;
use delegate_desk::export::Format;
use delegate_desk::import::ImportOptions;
use delegate_desk::params;
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::programme::{PeopleList, SessionInput};
use delegate_desk::{AttendeeInput, Desk, Error, ListFilter, Status};
use std::path::Path;
use std::sync::{Arc, Barrier};

fn session(desk: &mut Desk, day: u32, start: &str, end: &str, title: &str, open_to_press: bool) -> i64 {
    desk.add_session(&SessionInput {
        day: Some(day),
        start: Some(start.into()),
        end: Some(end.into()),
        title: Some(title.into()),
        room: Some("Hall A".into()),
        open_to: open_to_press.then(|| "press".into()),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn register(desk: &mut Desk, given: &str, family: &str, category: &str) -> i64 {
    desk.register(&AttendeeInput { category: Some(category.into()), ..person(given, family, "Jamaica") })
        .unwrap()
        .attendee
        .id
}

/// Someone on the invite list (imported), holding no seat.
fn invite(desk: &mut Desk, given: &str, family: &str, category: &str) -> i64 {
    let csv = format!("given_name,family_name,delegation,category\n{given},{family},Belize,{category}\n");
    let out = desk.import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(out.invited, 1, "{}", out.message);
    desk.list(&ListFilter {
        status: Some("invited".into()),
        name: Some(format!("{given} {family}")),
        ..Default::default()
    })
    .unwrap()[0]
        .id
}

/// `f` writes nothing: the revision (every committed change) is the same after.
fn writes_nothing(desk: &mut Desk, f: impl FnOnce(&mut Desk) -> ArrivalOutcome) -> ArrivalOutcome {
    let before = desk.revision().unwrap();
    let out = f(desk);
    assert_eq!(desk.revision().unwrap(), before, "wrote something: {}", out.message);
    out
}

fn token_of(path: &Path, desk: &mut Desk, dir: &Path, id: i64, reason: Option<&str>) -> String {
    let out = dir.join(format!("badge-{id}-{}.pdf", reason.unwrap_or("first")));
    let req = BadgeRequest {
        selection: BadgeSelection::Ids(vec![id]),
        preset: "letter-6up-4x3".into(),
        reason: reason.map(str::to_string),
        note: None,
    };
    desk.print_badges(&req, &out).unwrap();
    Db::open_raw(path)
        .unwrap()
        .query_row(
            "SELECT token FROM badge_print WHERE attendee_id = ?1 ORDER BY version DESC LIMIT 1",
            params![id],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn the_press_is_refused_at_a_closed_session_and_admitted_at_the_welcoming_remarks() {
    let (_d, _p, mut desk) = desk();
    let remarks = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let closed = session(&mut desk, 1, "09:00", "10:30", "Disaster response", false);
    let reporter = register(&mut desk, "Ann", "Reporter", "press");
    // The desk's card tells where the press may go that day, from the programme.
    let card = desk.arrival_card(reporter, Some(1)).unwrap();
    let press: Vec<&str> =
        card.attention.iter().filter(|x| x.kind == "press").map(|x| x.text.as_str()).collect();
    assert_eq!(press, ["Press — Welcoming remarks only; hand the press pack"]);

    let out = writes_nothing(&mut desk, |d| d.check_in_session(reporter, closed).unwrap());
    assert_eq!(out.result, Arrival::Refused);
    assert_eq!(out.message, "Press — this session is closed to the press");
    let door = out.card.door.as_ref().unwrap();
    assert_eq!((door.session_id, door.title.as_str()), (closed, "Disaster response"));
    assert_eq!(door.refusal.as_deref(), Some("Press — this session is closed to the press"));
    assert!(out.card.checkin.is_none(), "a refusal checks nobody in for the day");
    assert_eq!(out.card.attendee.id, reporter, "the card is of the person refused");

    let out = desk.check_in_session(reporter, remarks).unwrap();
    assert_eq!(out.result, Arrival::Admitted, "{}", out.message);
    let admitted = out.card.door.as_ref().unwrap().checkin.clone().unwrap();
    assert!(out.message.contains("Ann Reporter admitted to “Welcoming remarks” at "), "{}", out.message);
    // It counts as the day's check-in too.
    let day = out.card.checkin.as_ref().expect("checked in for the day");
    assert_eq!(day.day, 1);
    // Still refused next door, checked in or not.
    let out = writes_nothing(&mut desk, |d| d.check_in_session(reporter, closed).unwrap());
    assert_eq!(out.result, Arrival::Refused);

    // A second scan at the same session says since when, and writes nothing.
    let again = writes_nothing(&mut desk, |d| d.check_in_session(reporter, remarks).unwrap());
    assert_eq!(again.result, Arrival::AlreadyCheckedIn);
    assert!(
        again.message.contains(&format!("is already in “Welcoming remarks” since {}", admitted.local_time)),
        "{}",
        again.message
    );
    let trail = desk.audit_lines(&Default::default()).unwrap();
    let door_lines: Vec<_> = trail.iter().filter(|l| l.action == "checkin.session").collect();
    assert_eq!(door_lines.len(), 1, "{trail:?}");
    assert_eq!(
        door_lines[0].summary,
        format!("Welcoming remarks (session #{remarks}, day 1), found at the door")
    );
}

#[test]
fn names_on_the_list_beat_the_category_and_an_exclusion_beats_everything() {
    let (_d, _p, mut desk) = desk();
    let closed = session(&mut desk, 1, "09:00", "10:30", "Disaster response", false);
    let reporter = register(&mut desk, "Ann", "Reporter", "press");
    let minister = register(&mut desk, "Bea", "Minister", "vip");
    desk.set_session_people(closed, &[reporter], PeopleList::Admit).unwrap();
    desk.set_session_people(closed, &[minister], PeopleList::Exclude).unwrap();
    let out = writes_nothing(&mut desk, |d| d.check_in_session(minister, closed).unwrap());
    assert_eq!((out.result, out.message.as_str()), (Arrival::Refused, "Not on the list for this session"));
    assert_eq!(desk.check_in_session(reporter, closed).unwrap().result, Arrival::Admitted);
}

#[test]
fn who_may_not_enter_is_refused_before_any_seat_is_given_or_status_is_judged() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    let closed = session(&mut desk, 1, "09:00", "10:30", "Disaster response", false);
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    // Invited press at the closed door: refused, and still invited (no seat was taken).
    let invited = invite(&mut desk, "Cal", "Camera", "Press");
    let out = writes_nothing(&mut desk, |d| d.arrive_session(invited, closed).unwrap());
    assert_eq!(out.result, Arrival::Refused);
    assert_eq!(desk.attendee(invited).unwrap().status, Status::Invited);
    // At the open door the one key registers, checks in and admits.
    let out = desk.arrive_session(invited, open).unwrap();
    assert_eq!(out.result, Arrival::RegisteredAndCheckedIn, "{}", out.message);
    assert!(out.message.ends_with("and admitted to “Welcoming remarks”"), "{}", out.message);
    assert!(out.card.door.unwrap().checkin.is_some());
    // Checking in (not the one key) an invited person is refused as before, naming them.
    let other = invite(&mut desk, "Dee", "Delegate", "Delegate");
    let e = desk.check_in_session(other, open).unwrap_err();
    assert!(e.to_string().contains("is invited, not registered"), "{e}");
    // Cancelled: told so, nothing written.
    let gone = register(&mut desk, "Eve", "Gone", "delegate");
    desk.cancel(gone).unwrap();
    let out = writes_nothing(&mut desk, |d| d.check_in_session(gone, open).unwrap());
    assert_eq!(out.result, Arrival::Cancelled);
}

#[test]
fn a_session_on_another_day_checks_in_for_its_own_day() {
    let (_d, _p, mut desk) = desk();
    let threats = session(&mut desk, 2, "09:00", "12:00", "Transnational threats", false);
    let id = register(&mut desk, "Fay", "Officer", "delegate");
    let out = desk.check_in_session(id, threats).unwrap();
    assert_eq!(out.result, Arrival::Admitted);
    assert_eq!(out.card.checkin.as_ref().unwrap().day, 2);
    assert_eq!(out.card.day, Some(2));
    assert!(desk.checkins(1).unwrap().is_empty());
    assert_eq!(desk.checkins(2).unwrap().len(), 1);
    // Already checked in for the day: the admission adds no second day check-in.
    let other = session(&mut desk, 2, "13:00", "14:00", "Maritime security", false);
    desk.check_in_session(id, other).unwrap();
    assert_eq!(desk.checkins(2).unwrap().len(), 1);
    assert_eq!(desk.session_checkins(other).unwrap().len(), 1);
}

#[test]
fn no_such_session_is_refused_by_number() {
    let (_d, _p, mut desk) = desk();
    let id = register(&mut desk, "Gil", "Guest", "delegate");
    let before = desk.revision().unwrap();
    for n in [0, -1, 999, i64::MAX, i64::MIN] {
        let e = desk.check_in_session(id, n).unwrap_err();
        assert!(
            matches!(e, Error::NotFound(_)) && e.to_string().contains(&format!("no session #{n}")),
            "{e}"
        );
    }
    assert_eq!(desk.revision().unwrap(), before);
    let e = desk.scan_session("not a code", 1).unwrap_err();
    assert!(e.to_string().contains("not a badge code"), "{e}");
}

#[test]
fn a_badge_scanned_at_the_door_admits_and_a_replaced_one_does_not() {
    let (dir, path, mut desk) = desk();
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let id = register(&mut desk, "Hal", "Holder", "delegate");
    let old = token_of(&path, &mut desk, dir.path(), id, None);
    let new = token_of(&path, &mut desk, dir.path(), id, Some("lost"));
    let out = writes_nothing(&mut desk, |d| d.scan_session(&old, open).unwrap());
    assert_eq!(out.result, Arrival::ReplacedBadge, "{}", out.message);
    let out = desk.scan_session(&new, open).unwrap();
    assert_eq!(out.result, Arrival::Admitted, "{}", out.message);
    assert_eq!(out.card.door.unwrap().checkin.unwrap().method, "scan");
    let out = writes_nothing(&mut desk, |d| d.scan_session(&new, open).unwrap());
    assert_eq!(out.result, Arrival::AlreadyCheckedIn);
}

#[test]
fn undoing_the_days_check_in_takes_them_out_of_its_sessions() {
    let (_d, _p, mut desk) = desk();
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let next = session(&mut desk, 1, "09:00", "10:00", "Disaster response", false);
    let id = register(&mut desk, "Ian", "Early", "delegate");
    desk.check_in_session(id, open).unwrap();
    desk.check_in_session(id, next).unwrap();
    let out = desk.undo_check_in(id, 1, "Wrong person").unwrap();
    assert!(
        out.message.contains("(and their admission to “Welcoming remarks”, “Disaster response”)"),
        "{}",
        out.message
    );
    assert!(desk.session_checkins(open).unwrap().is_empty());
    assert!(desk.session_card(id, open).unwrap().door.unwrap().checkin.is_none());
    // In again: a new admission (the undone one stays as history).
    let out = desk.check_in_session(id, open).unwrap();
    assert_eq!(out.result, Arrival::Admitted, "{}", out.message);
    let trail = desk.audit_trail(&Default::default()).unwrap();
    assert_eq!(trail.iter().filter(|e| e.action == "checkin.session.undo").count(), 2);
}

#[test]
fn the_database_admits_nobody_the_door_would_not() {
    let (_d, path, mut desk) = desk();
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let id = register(&mut desk, "Jo", "Raw", "delegate");
    let raw = Db::open_raw(&path).unwrap();
    let insert = "INSERT INTO session_checkin (session_id, attendee_id, at, operator, desk, method)
                  VALUES (?1, ?2, '2026-12-05T12:00:00.000Z', 'X', 'Y', 'scan')";
    // Not checked in for the day: refused by the database itself.
    let e = raw.execute(insert, params![open, id]).unwrap_err();
    assert!(e.to_string().contains("checked in for the day"), "{e}");
    desk.check_in_session(id, open).unwrap();
    // A second admission in force: the unique index.
    assert!(raw.execute(insert, params![open, id]).is_err());
    // An admission is never changed, only undone.
    let e = raw.execute("UPDATE session_checkin SET at = 'x'", params![]).unwrap_err();
    assert!(e.to_string().contains("only be undone"), "{e}");
}

#[test]
fn two_doors_admitting_the_same_person_at_once_admit_once() {
    let (_d, path, mut desk) = desk();
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let id = register(&mut desk, "Kim", "Twice", "delegate");
    let barrier = Arc::new(Barrier::new(4));
    let results: Vec<Arrival> = (0..4)
        .map(|_| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut d = Desk::open(&path).unwrap();
                barrier.wait();
                d.check_in_session(id, open).unwrap().result
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|r| **r == Arrival::Admitted).count(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|r| **r == Arrival::AlreadyCheckedIn).count(), 3, "{results:?}");
    assert_eq!(desk.session_checkins(open).unwrap().len(), 1);
    assert_eq!(desk.checkins(1).unwrap().len(), 1);
}

#[test]
fn attendance_is_on_the_dashboard_and_goes_out_in_every_format() {
    let (dir, _p, mut desk) = desk();
    let open = session(&mut desk, 1, "08:00", "08:30", "Welcoming remarks", true);
    let closed = session(&mut desk, 1, "09:00", "10:30", "Disaster response", false);
    let reporter = register(&mut desk, "Ann", "Reporter", "press");
    let chief = register(&mut desk, "=Bob", "Chief", "delegate");
    let _late = register(&mut desk, "Cy", "Late", "delegate");
    desk.check_in_session(reporter, open).unwrap();
    desk.check_in_session(chief, open).unwrap();
    let board = desk.dashboard(Some(1)).unwrap();
    let counts: Vec<(String, usize, usize)> =
        board.sessions.iter().map(|a| (a.session.title.clone(), a.in_room, a.expected)).collect();
    assert_eq!(
        counts,
        [("Welcoming remarks".to_string(), 2, 3), ("Disaster response".to_string(), 0, 2)],
        "the press is expected only where it may enter"
    );

    let csv = dir.path().join("attendance.csv");
    let out = desk.export_attendance(open, Format::Csv, &csv).unwrap();
    assert_eq!(out.rows, 3);
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "ID,Name,Delegation,Category,Expected,In at,Admitted by,Desk,How");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines.iter().any(|l| l.contains("'=Bob Chief")), "a formula is written as text: {text}");
    let late = lines.iter().find(|l| l.contains("Cy Late")).unwrap();
    assert!(late.ends_with(",yes,,,,"), "expected and not in: {late}");
    // Admitted today, not on the session's day (14 Nov 2019): the time carries its date
    // ("7 Dec 19:35"); it was the hour alone, read as on the session's day.
    let ann = lines.iter().find(|l| l.contains("Ann Reporter")).unwrap();
    let in_at: Vec<&str> = ann.split(',').nth(5).unwrap().split(' ').collect();
    assert!(
        in_at.len() == 3
            && in_at[0].parse::<u32>().is_ok()
            && in_at[1].len() == 3
            && in_at[2].len() == 5
            && in_at[2].as_bytes()[2] == b':',
        "{ann}"
    );

    let xlsx = dir.path().join("attendance.xlsx");
    desk.export_attendance(open, Format::Xlsx, &xlsx).unwrap();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    let pdf = dir.path().join("attendance.pdf");
    desk.export_attendance(open, Format::Pdf, &pdf).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Ok(out) = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("Sign-in sheet"), "{text}");
            assert!(text.contains("Welcoming remarks"), "{text}");
            assert!(text.contains("In at"), "{text}");
            assert!(text.contains("Cy Late"), "{text}");
        }
    }

    let e = desk.export_attendance(open, Format::Json, &dir.path().join("a.json")).unwrap_err();
    assert!(e.to_string().contains("csv, xlsx or pdf"), "{e}");
    let e = desk.export_attendance(999, Format::Csv, &dir.path().join("b.csv")).unwrap_err();
    assert!(e.to_string().contains("no session #999"), "{e}");
    assert!(!dir.path().join("b.csv").exists(), "a refusal writes no file");
    // The database itself is never an output.
    if !common::on_postgres() {
        let before = std::fs::read(&_p).unwrap();
        desk.export_attendance(closed, Format::Csv, &_p).unwrap_err();
        assert_eq!(std::fs::read(&_p).unwrap(), before);
    }
}
