//! The programme: sessions per day and who may attend them — added, changed, removed, people
//! admitted or excluded by name, the programme as CSV in and out; every refusal names the
//! problem and writes nothing. On both engines (`DELEGATE_DESK_TEST_PG=1`).

mod common;

use common::{desk, person};
use delegate_desk::model::{Access, Category};
use delegate_desk::programme::{PeopleList, SessionInput};
use delegate_desk::{AttendeeInput, Desk, Error, EventInput};

fn input(day: u32, start: &str, end: &str, title: &str, room: &str) -> SessionInput {
    SessionInput {
        day: Some(day),
        start: Some(start.into()),
        end: Some(end.into()),
        title: Some(title.into()),
        room: Some(room.into()),
        ..SessionInput::default()
    }
}

/// Refused, with nothing written: the revision is the same after.
fn refused(
    desk: &mut Desk,
    f: impl FnOnce(&mut Desk) -> delegate_desk::Result<delegate_desk::model::Session>,
) -> Error {
    let before = desk.revision().unwrap();
    let e = f(desk).expect_err("refused");
    assert_eq!(desk.revision().unwrap(), before, "a refusal wrote something: {e}");
    e
}

#[test]
fn a_new_session_admits_everyone_but_the_press_and_open_to_adds_them() {
    let (_d, _p, mut desk) = desk();
    let closed = desk.add_session(&input(1, "9:00", "10:30", "Disaster response", "Hall A")).unwrap();
    assert_eq!((closed.start.as_str(), closed.end.as_str()), ("09:00", "10:30"));
    assert_eq!(closed.access(1, Category::Press), Access::ClosedTo(Category::Press));
    assert_eq!(closed.access(1, Category::Observer), Access::Admitted);
    let open = desk
        .add_session(&SessionInput {
            open_to: Some("press".into()),
            ..input(1, "08:00", "08:30", "Welcoming remarks", "Hall A")
        })
        .unwrap();
    assert_eq!(open.access(1, Category::Press), Access::Admitted);
    assert_eq!(open.open_to_words(), "everyone");
    let list = desk.sessions(Some(1)).unwrap();
    assert_eq!(
        list.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Welcoming remarks", "Disaster response"]
    );
    assert!(desk.sessions(Some(2)).unwrap().is_empty());
    let trail = desk.audit_lines(&Default::default()).unwrap();
    assert!(trail.iter().any(|l| l.summary == "Day 1, 08:00–08:30: Welcoming remarks"), "{trail:?}");
}

#[test]
fn sessions_outside_their_day_backwards_or_clashing_in_a_room_are_refused_by_name() {
    let (_d, _p, mut desk) = desk();
    let days = desk.event().unwrap().day_count();
    let e = refused(&mut desk, |d| d.add_session(&input(days + 1, "08:00", "09:00", "Late", "")));
    assert!(e.to_string().contains(&format!("Day {} is not a day of the event", days + 1)), "{e}");
    let e = refused(&mut desk, |d| d.add_session(&input(0, "08:00", "09:00", "Zero", "")));
    assert!(e.to_string().contains("Day 0 is not a day"), "{e}");
    let e = refused(&mut desk, |d| d.add_session(&input(1, "10:00", "09:00", "Backwards", "")));
    assert_eq!(e.to_string(), "The session ends at 09:00, before it starts at 10:00");
    let e = refused(&mut desk, |d| d.add_session(&input(1, "10:00", "10:00", "Empty", "")));
    assert!(e.to_string().contains("ends at 10:00 as it starts"), "{e}");
    let e = refused(&mut desk, |d| d.add_session(&input(1, "25:00", "26:00", "Night", "")));
    assert!(e.to_string().contains("\"25:00\" is not a time of day"), "{e}");
    let e = refused(&mut desk, |d| d.add_session(&input(1, "08:00", "09:00", "  ", "")));
    assert!(e.to_string().contains("needs a title"), "{e}");
    let e = refused(&mut desk, |d| {
        d.add_session(&SessionInput {
            closed_to: Some("journalists".into()),
            ..input(1, "08:00", "09:00", "X", "")
        })
    });
    assert!(e.to_string().contains("Unknown category \"journalists\""), "{e}");

    let first = desk.add_session(&input(1, "08:00", "09:30", "Welcoming remarks", "Auditorium")).unwrap();
    // The same room, overlapping by a minute, written in another case: refused, naming both.
    let e = refused(&mut desk, |d| d.add_session(&input(1, "09:29", "10:00", "Panel", "auditorium")));
    assert!(matches!(e, Error::Conflict(_)));
    assert_eq!(
        e.to_string(),
        format!("Auditorium is taken on day 1 from 08:00 to 09:30 by “Welcoming remarks” (session #{}, day 1, 08:00–09:30); choose another room or time", first.id)
    );
    // Back to back, another room, or another day: fine.
    desk.add_session(&input(1, "09:30", "10:00", "Panel", "Auditorium")).unwrap();
    desk.add_session(&input(1, "08:00", "09:30", "Side event", "Room 2")).unwrap();
    desk.add_session(&input(1, "08:00", "09:30", "No room yet", "")).unwrap();
    desk.add_session(&input(1, "08:15", "09:00", "No room either", "")).unwrap();
    // Moving a session into the clash is refused too.
    let side = desk.sessions(Some(1)).unwrap().into_iter().find(|s| s.title == "Side event").unwrap();
    let e = refused(&mut desk, |d| {
        d.set_session(side.id, &SessionInput { room: Some("AUDITORIUM".into()), ..Default::default() })
    });
    assert!(e.to_string().contains("taken on day 1"), "{e}");
}

#[test]
fn a_change_names_only_what_changes_and_no_change_writes_nothing() {
    let (_d, _p, mut desk) = desk();
    let s = desk.add_session(&input(1, "08:00", "09:00", "Opening", "Hall")).unwrap();
    let changed = desk
        .set_session(
            s.id,
            &SessionInput {
                end: Some("9:15".into()),
                closed_to: Some("observer".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (changed.start.as_str(), changed.end.as_str(), changed.room.as_str()),
        ("08:00", "09:15", "Hall")
    );
    assert!(!changed.categories.contains(&Category::Observer));
    let before = desk.revision().unwrap();
    let same = desk
        .set_session(s.id, &SessionInput { title: Some(" Opening ".into()), ..Default::default() })
        .unwrap();
    assert_eq!(same, changed);
    assert_eq!(desk.revision().unwrap(), before);
    let e = desk.set_session(s.id + 1000, &SessionInput::default()).unwrap_err();
    assert_eq!(e.to_string(), format!("There is no session #{}", s.id + 1000));
}

#[test]
fn people_admitted_or_excluded_by_name_override_their_category() {
    let (_d, _p, mut desk) = desk();
    let reporter = desk
        .register(&AttendeeInput { category: Some("press".into()), ..person("Ann", "Reporter", "Jamaica") })
        .unwrap()
        .attendee;
    let minister = desk
        .register(&AttendeeInput { category: Some("vip".into()), ..person("Bo", "Minister", "Haiti") })
        .unwrap()
        .attendee;
    let s = desk.add_session(&input(1, "10:00", "11:00", "Closed briefing", "")).unwrap();
    let s2 = desk.set_session_people(s.id, &[reporter.id], PeopleList::Admit).unwrap();
    assert_eq!(s2.access(reporter.id, Category::Press), Access::Admitted);
    let s3 = desk.set_session_people(s.id, &[minister.id, reporter.id], PeopleList::Exclude).unwrap();
    assert_eq!(s3.access(minister.id, Category::Vip), Access::Excluded);
    assert_eq!(s3.admitted, Vec::<i64>::new(), "excluding someone admitted moves them");
    assert_eq!(desk.session(s.id).unwrap(), s3, "what is read back is what was written");
    let s4 = desk.set_session_people(s.id, &[reporter.id], PeopleList::Clear).unwrap();
    assert_eq!(s4.excluded, vec![minister.id]);
    assert_eq!(s4.access(reporter.id, Category::Press), Access::ClosedTo(Category::Press));
    // Someone unknown refuses the whole list.
    let before = desk.revision().unwrap();
    let e = desk.set_session_people(s.id, &[minister.id, 999_999], PeopleList::Admit).unwrap_err();
    assert_eq!(e.to_string(), "There is no attendee #999999");
    assert_eq!(desk.revision().unwrap(), before);
    assert_eq!(desk.session(s.id).unwrap(), s4);
    assert!(desk.set_session_people(s.id, &[], PeopleList::Admit).is_err());
    // The window's view names them.
    let view = desk.programme(None).unwrap();
    let named: Vec<(String, bool)> =
        view[0].people.iter().map(|p| (p.display_name.clone(), p.admitted)).collect();
    assert_eq!(named, [(desk.attendee(minister.id).unwrap().display_name, false)]);
}

#[test]
fn a_removed_sessions_number_is_never_given_again() {
    let (_d, _p, mut desk) = desk();
    desk.add_session(&input(1, "08:00", "09:00", "One", "")).unwrap();
    let last = desk.add_session(&input(1, "09:00", "10:00", "Two", "")).unwrap();
    let gone = desk.remove_session(last.id, false).unwrap();
    assert!(gone.message.starts_with("Removed “Two”"), "{}", gone.message);
    let next = desk.add_session(&input(1, "10:00", "11:00", "Three", "")).unwrap();
    assert!(next.id > last.id, "session #{} was given again", last.id);
    assert_eq!(desk.session(last.id).unwrap_err().to_string(), format!("There is no session #{}", last.id));
}

#[test]
fn shortening_the_event_below_a_sessions_day_is_refused_by_name() {
    let (_d, _p, mut desk) = desk();
    let event = desk.event().unwrap();
    assert!(event.day_count() >= 2, "the default event has several days");
    desk.add_session(&input(event.day_count(), "08:00", "09:00", "Last-day plenary", "")).unwrap();
    let e = desk
        .update_event(&EventInput { end_date: Some(event.start_date.to_string()), ..Default::default() })
        .unwrap_err();
    assert!(
        e.to_string().contains("1 session of the programme is on a later day (first: “Last-day plenary”"),
        "{e}"
    );
    assert_eq!(desk.event().unwrap(), event);
}

#[test]
fn the_programme_goes_out_as_csv_and_comes_back_the_same() {
    let (dir, _p, mut desk) = desk();
    desk.add_session(&SessionInput {
        open_to: Some("press".into()),
        ..input(1, "08:00", "08:30", "=Welcoming remarks", "Hall, A")
    })
    .unwrap();
    desk.add_session(&SessionInput {
        closed_to: Some("observer,staff".into()),
        ..input(2, "14:00", "15:30", "Transnational threats", "")
    })
    .unwrap();
    let out = dir.path().join("programme.csv");
    let said = desk.export_programme(&out).unwrap();
    assert!(said.contains("(2 sessions)"), "{said}");
    let bytes = std::fs::read(&out).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("'=Welcoming remarks"), "a formula-like title is marked: {text}");
    // Into another database: the same programme.
    let (_d2, _p2, mut other) = common::desk();
    let r = other.import_programme(&bytes).unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (2, 0, 0), "{}", r.message);
    let strip = |v: Vec<delegate_desk::model::Session>| {
        v.into_iter().map(|s| (s.day, s.start, s.end, s.title, s.room, s.categories)).collect::<Vec<_>>()
    };
    assert_eq!(strip(other.sessions(None).unwrap()), strip(desk.sessions(None).unwrap()));
    // Again: nothing changes; a changed end updates the one session.
    assert_eq!(other.import_programme(&bytes).unwrap().unchanged, 2);
    let changed = text.replace("14:00,15:30", "14:00,16:00");
    let r = other.import_programme(changed.as_bytes()).unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (0, 1, 1));
}

#[test]
fn a_programme_file_with_one_bad_row_is_refused_whole_naming_the_line() {
    let (_d, _p, mut desk) = desk();
    let before = desk.revision().unwrap();
    let file = "day,start,end,title,room\n1,08:00,09:00,Fine,Hall\n1,10:00,09:00,Backwards,Hall\n";
    let e = desk.import_programme(file.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Line 3: The session ends at 09:00, before it starts at 10:00; nothing was imported"
    );
    let clash = "day,start,end,title,room\n1,08:00,09:00,Fine,Hall\n1,08:30,09:30,Clash,hall\n";
    let e = desk.import_programme(clash.as_bytes()).unwrap_err();
    assert!(e.to_string().starts_with("Line 3: Hall is taken on day 1"), "{e}");
    let e = desk.import_programme(b"title,room\nX,Y\n").unwrap_err();
    assert!(e.to_string().contains("no day, start, end column"), "{e}");
    let e = desk.import_programme(b"\xff\xfe").unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    let e =
        desk.import_programme(&vec![b'a'; delegate_desk::programme::MAX_PROGRAMME_BYTES + 1]).unwrap_err();
    assert!(e.to_string().contains("at most 1024 KiB"), "{e}");
    assert_eq!(desk.revision().unwrap(), before);
    assert!(desk.sessions(None).unwrap().is_empty());
}

#[test]
fn changing_the_programme_is_a_coordinator_action() {
    let (_d, _p, mut desk) = desk();
    desk.set_pin(None, "482913").unwrap();
    desk.lock();
    let e = refused(&mut desk, |d| d.add_session(&input(1, "08:00", "09:00", "Opening", "")));
    assert!(matches!(e, Error::CoordinatorOnly(_)), "{e}");
    // Reading it is not.
    assert!(desk.sessions(None).unwrap().is_empty());
}

#[test]
fn a_change_that_would_leave_someone_checked_in_outside_the_access_is_refused_naming_them() {
    let (_d, _path, mut desk) = desk();
    let reporter = desk
        .register(&AttendeeInput { category: Some("press".into()), ..person("Ann", "Reporter", "Jamaica") })
        .unwrap()
        .attendee;
    let open = desk
        .add_session(&SessionInput {
            open_to: Some("press".into()),
            ..input(1, "08:00", "08:30", "Welcoming remarks", "")
        })
        .unwrap();
    let door = desk.check_in_session(reporter.id, open.id).unwrap();
    assert_eq!(door.result, delegate_desk::checkin::Arrival::Admitted, "{}", door.message);
    let at_door = door.card.door.unwrap().checkin.unwrap();
    let close = SessionInput { closed_to: Some("press".into()), ..Default::default() };
    let e = refused(&mut desk, |d| d.set_session(open.id, &close));
    assert!(matches!(e, Error::Conflict(_)));
    assert!(e.to_string().contains(&format!("Ann Reporter (#{}, Press)", reporter.id)), "{e}");
    let e = refused(&mut desk, |d| d.set_session_people(open.id, &[reporter.id], PeopleList::Exclude));
    assert!(e.to_string().contains("Ann Reporter"), "{e}");
    let e =
        refused(&mut desk, |d| d.set_session(open.id, &SessionInput { day: Some(2), ..Default::default() }));
    assert!(e.to_string().contains("it stays on day 1"), "{e}");
    // Admitted by name first, the press may then be closed out.
    desk.set_session_people(open.id, &[reporter.id], PeopleList::Admit).unwrap();
    desk.set_session(open.id, &close).unwrap();
    // Removing it is refused while it has check-ins, unless forced; then the audit keeps them.
    let before = desk.revision().unwrap();
    let e = desk.remove_session(open.id, false).unwrap_err();
    assert!(e.to_string().contains("has had 1 check-in (1 in it now)"), "{e}");
    // A question, not a plain refusal: the window asks it by the error, not by its words.
    assert!(matches!(e, Error::Confirm(_)), "{e:?}");
    assert_eq!(serde_json::to_value(&e).unwrap()["confirm"], true);
    assert_eq!(desk.revision().unwrap(), before);
    let gone = desk.remove_session(open.id, true).unwrap();
    assert_eq!(gone.attendance, 1);
    assert!(gone.message.contains("its 1 check-in kept in the audit trail"), "{}", gone.message);
    let trail = desk.audit_trail(&Default::default()).unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, "session.remove");
    let kept = &last.before.as_ref().unwrap()["attendance"][0];
    assert_eq!(
        (kept["attendeeId"].as_i64(), kept["desk"].as_str(), kept["at"].as_str()),
        (Some(reporter.id), Some(at_door.desk.as_str()), Some(at_door.at.as_str()))
    );
}

/// A person admitted to a session cannot be given a category the session is closed to, unless
/// admitted there by name: the door refused them while their admission stayed in force, and
/// the session could no longer even be renamed.
#[test]
fn a_category_change_cannot_leave_an_admission_outside_its_access() {
    let (_d, _p, mut desk) = desk();
    let s = desk.add_session(&input(1, "9:00", "10:30", "Transnational threats", "Hall A")).unwrap();
    let id = desk.register(&person("Vance", "Amory", "Saint Kitts and Nevis")).unwrap().attendee.id;
    desk.check_in_session(id, s.id).unwrap();
    let press = AttendeeInput { category: Some("press".into()), ..Default::default() };
    let before = desk.revision().unwrap();
    let e = desk.edit(id, &press).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert!(
        e.to_string().contains("cannot become Press: they are checked in to “Transnational threats”"),
        "{e}"
    );
    assert_eq!(desk.revision().unwrap(), before, "refused: nothing written");
    // Another category the session admits is fine; so is the press once admitted by name.
    desk.edit(id, &AttendeeInput { category: Some("observer".into()), ..Default::default() }).unwrap();
    desk.set_session_people(s.id, &[id], PeopleList::Admit).unwrap();
    desk.edit(id, &press).unwrap();
    desk.set_session(s.id, &SessionInput { title: Some("Threats".into()), ..Default::default() }).unwrap();
}

/// A copy carries over the sessions' counter: a removed session's number is not given to
/// another session in the copy either (a door steward's "session 2" kept meaning one session).
#[test]
fn a_copy_never_gives_a_removed_sessions_number_again() {
    let (dir, path, mut desk) = desk();
    let first = desk.add_session(&input(1, "9:00", "10:00", "Opening", "Hall A")).unwrap();
    let second = desk.add_session(&input(1, "11:00", "12:00", "Closing", "Hall A")).unwrap();
    desk.remove_session(second.id, false).unwrap();
    let copy = dir.path().join("copy.sqlite3");
    delegate_desk::copy::copy(&path, &copy).unwrap();
    let mut copied = Desk::open(&copy).unwrap();
    let next = copied.add_session(&input(1, "13:00", "14:00", "Lunch talk", "Hall B")).unwrap();
    assert!(next.id > second.id, "the copy gave #{} again (first #{})", next.id, first.id);
    // And the copy of the copy.
    let again = dir.path().join("again.sqlite3");
    drop(copied);
    delegate_desk::copy::copy(&copy, &again).unwrap();
    let third =
        Desk::open(&again).unwrap().add_session(&input(2, "9:00", "10:00", "Day two", "Hall A")).unwrap();
    assert!(third.id > next.id, "#{} given again", third.id);
}

/// A session's edit form as Edit fills it in the window.
fn form_of(s: &delegate_desk::model::Session) -> SessionInput {
    SessionInput {
        day: Some(s.day),
        start: Some(s.start.clone()),
        end: Some(s.end.clone()),
        title: Some(s.title.clone()),
        room: Some(s.room.clone()),
        categories: Some(s.categories_wire()),
        ..SessionInput::default()
    }
}

/// A session's form left open while another desk changes the same session: its save takes only
/// the fields typed in it, and the other desk's room and categories stay. A field changed at
/// both desks refuses the whole save, naming it with the value stored, and writes nothing;
/// sent again with the session as stored now, it is saved. A time typed as it means the same
/// ("8:00" for "08:00") or the same value typed at both desks is no conflict.
#[test]
fn a_stale_session_form_changes_only_what_was_typed_in_it() {
    let (_d, path, mut a) = desk();
    let s = a.add_session(&input(1, "08:00", "09:00", "Opening", "Hall")).unwrap();
    let mut b = Desk::open(&path).unwrap();
    let shown = a.session(s.id).unwrap();
    b.set_session(
        s.id,
        &SessionInput {
            start: Some("07:30".into()),
            room: Some("Salon B".into()),
            categories: Some("delegate, vip".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut typed = form_of(&shown);
    typed.title = Some("Opening ceremony".into());
    typed.start = Some("8:00".into());
    let saved = a.set_session_from(s.id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!(saved.title, "Opening ceremony");
    assert_eq!(saved.start, "07:30", "\"8:00\" typed for the loaded 08:00 put back the old start");
    assert_eq!(saved.room, "Salon B", "the other desk's room was put back");
    assert_eq!(
        saved.categories,
        [Category::Delegate, Category::Vip],
        "the other desk's categories were put back"
    );

    // The end, changed at both desks; the room only here.
    let shown = a.session(s.id).unwrap();
    b.set_session(s.id, &SessionInput { end: Some("09:30".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.end = Some("10:00".into());
    typed.room = Some("Salon C".into());
    typed.start = Some("7:30".into());
    let before = a.revision().unwrap();
    match a.set_session_from(s.id, &typed, Some(&form_of(&shown))) {
        Err(Error::Stale { message: m, typed: typed_here }) => {
            // Typed here: the end and the room, not the start typed again as loaded (07:30).
            assert_eq!(typed_here, ["end", "room"]);
            assert!(
                m.starts_with("Changed at another desk since this session was opened: the end (now 09:30)."),
                "{m}"
            );
            assert!(!m.contains("room"), "the room was changed only here: {m}");
            assert!(m.contains("Nothing was saved"), "{m}");
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
    assert_eq!(a.revision().unwrap(), before, "a stale refusal wrote something");
    assert_eq!(a.session(s.id).unwrap().room, "Salon B");
    // Sent again with the session as stored now: what was typed is saved.
    let now = a.session(s.id).unwrap();
    let saved = a.set_session_from(s.id, &typed, Some(&form_of(&now))).unwrap();
    assert_eq!((saved.end.as_str(), saved.room.as_str()), ("10:00", "Salon C"));

    // Who may attend, changed at both desks to other sets, then to the same set.
    let shown = a.session(s.id).unwrap();
    b.set_session(s.id, &SessionInput { categories: Some("delegate".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.categories = Some("delegate,vip,press".into());
    let e = a.set_session_from(s.id, &typed, Some(&form_of(&shown))).unwrap_err();
    assert!(e.to_string().contains("who may attend (now Delegate)"), "{e}");
    typed.categories = Some("delegate".into());
    typed.day = Some(2);
    let saved = a.set_session_from(s.id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!((saved.day, saved.categories.as_slice()), (2, [Category::Delegate].as_slice()));

    // Without what the form was filled with (the command line), every field given is taken.
    let saved = a.set_session(s.id, &form_of(&shown)).unwrap();
    assert_eq!(saved.categories, [Category::Delegate, Category::Vip]);
}

/// A loaded value the rules of today refuse (a time typed by hand, "25:00", left in a form) is
/// compared as written: the form still saves, and a field typed as loaded is no change.
#[test]
fn a_stale_session_form_with_an_unreadable_loaded_value_still_saves() {
    let (_d, _p, mut a) = desk();
    let s = a.add_session(&input(1, "08:00", "09:00", "Opening", "Hall")).unwrap();
    let mut loaded = form_of(&s);
    loaded.start = Some("25:00".into());
    let mut typed = loaded.clone();
    typed.title = Some("Welcome".into());
    let saved = a.set_session_from(s.id, &typed, Some(&loaded)).unwrap();
    assert_eq!((saved.start.as_str(), saved.title.as_str()), ("08:00", "Welcome"));
    // Typed "07:00" where "25:00" was loaded and "08:00" is stored: not a value the form
    // showed, so it is another desk's since: a conflict, named.
    typed.start = Some("07:00".into());
    let e = a.set_session_from(s.id, &typed, Some(&loaded)).unwrap_err();
    assert!(e.to_string().contains("the start (now 08:00)"), "{e}");
}

/// The programme exported and imported again changes nothing: a session open to nobody by
/// category (people admitted by name only) stays closed (it came back open to everyone but the
/// press), and two tracks of one name and time in two rooms stay two (the second line was
/// taken for the first session and refused, or overwrote it). A line that cannot say which of
/// two it is is refused, and an empty "open to" cell leaves who may attend as it is.
#[test]
fn a_programme_round_trip_keeps_closed_sessions_and_parallel_tracks() {
    let (dir, _p, mut desk) = desk();
    desk.add_session(&SessionInput {
        categories: Some(String::new()),
        ..input(1, "09:00", "10:00", "Bilateral", "Room 3")
    })
    .unwrap();
    desk.add_session(&input(1, "10:00", "11:00", "Breakout", "A")).unwrap();
    desk.add_session(&SessionInput {
        categories: Some("delegate".into()),
        ..input(1, "10:00", "12:00", "Breakout", "B")
    })
    .unwrap();
    let before = desk.sessions(None).unwrap();
    assert!(before[0].categories.is_empty());
    let out = dir.path().join("programme.csv");
    desk.export_programme(&out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let r = desk.import_programme(&bytes).unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (0, 0, 3), "{}", r.message);
    assert_eq!(desk.sessions(None).unwrap(), before);
    let (_d2, _p2, mut other) = common::desk();
    assert_eq!(other.import_programme(&bytes).unwrap().added, 3);
    let strip = |v: Vec<delegate_desk::model::Session>| {
        v.into_iter().map(|s| (s.day, s.start, s.end, s.title, s.room, s.categories)).collect::<Vec<_>>()
    };
    assert_eq!(strip(other.sessions(None).unwrap()), strip(before.clone()));
    let empty_cell = "day,start,end,title,room,open to\n1,09:00,10:00,Bilateral,Room 3,\n";
    assert_eq!(desk.import_programme(empty_cell.as_bytes()).unwrap().unchanged, 1);
    let rev = desk.revision().unwrap();
    let which = "day,start,end,title,room\n1,10:00,12:00,Breakout,C\n";
    let e = desk.import_programme(which.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("Line 2: 2 sessions on day 1 at 10:00 are called “Breakout”"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev);
    assert_eq!(desk.sessions(None).unwrap(), before);
}

/// A title, a room or a reason that draws nothing (a word joiner, a soft hyphen, a zero-width
/// joiner) is no title, room or reason: refused, nothing written. Before, the door showed a
/// blank session, a blank room skipped the check of two sessions in one room, and an undo was
/// audited with a reason nobody could read.
#[test]
fn titles_rooms_and_reasons_that_draw_nothing_are_refused() {
    let (_d, _p, mut desk) = desk();
    let rev = desk.revision().unwrap();
    let e = desk.add_session(&input(1, "08:00", "09:00", "\u{2060}", "Hall")).unwrap_err();
    assert!(e.to_string().contains("A session needs a title"), "{e}");
    let e = desk.add_session(&input(1, "08:00", "09:00", "Opening", "\u{AD}\u{200D}")).unwrap_err();
    assert!(e.to_string().contains("The room holds only characters that print nothing"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev);
    let a = desk.register(&common::nth(1)).unwrap().attendee;
    desk.check_in(a.id, Some(1)).unwrap();
    let rev = desk.revision().unwrap();
    let e = desk.undo_check_in(a.id, 1, "\u{200D}").unwrap_err();
    assert!(e.to_string().contains("Say why the check-in is undone"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev);
}

/// A cell holding a line break ("Delegate;" then "VIP" on the next line of the file) does not
/// shift the line a refusal names: it names the line of the file the row starts on.
#[test]
fn a_refusal_names_the_files_line_past_a_cell_with_a_line_break() {
    let (_d, _p, mut desk) = desk();
    let file = "day,start,end,title,room,open to\n1,08:00,09:00,Opening,Hall,\"Delegate;\nVIP\"\n1,10:00,09:00,Backwards,Hall,\n";
    let e = desk.import_programme(file.as_bytes()).unwrap_err();
    assert!(e.to_string().starts_with("Line 4: "), "{e}");
}

/// An admission's number is never given again: a session removed with its admissions (forced)
/// does not hand their numbers to the next admissions, on the desk or on a copy of it. Before,
/// on a file, the next admission took the removed one's number, and the audit trail's
/// "admission 1" then meant two people at two sessions.
#[test]
fn an_admissions_number_is_not_given_again_after_its_session_is_removed() {
    let (dir, path, mut desk) = desk();
    let a = desk.register(&common::nth(1)).unwrap().attendee;
    let b = desk.register(&common::nth(2)).unwrap().attendee;
    let first = desk.add_session(&input(1, "08:00", "09:00", "Opening", "")).unwrap();
    let door = desk.check_in_session(a.id, first.id).unwrap();
    let gone = door.card.door.unwrap().checkin.unwrap().id;
    if !common::on_postgres() {
        // Schema 22 made again over a file holding an admission: it keeps it, and its number.
        drop(desk);
        let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
        raw.batch("PRAGMA user_version = 21").unwrap();
        drop(raw);
        desk = delegate_desk::Desk::open(&path).unwrap();
        let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
        let kept: (i64, i64, i64) = raw
            .query_row(
                "SELECT count(*), max(id), (SELECT seq FROM sqlite_sequence WHERE name = 'session_checkin')
                 FROM session_checkin",
                delegate_desk::params![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, (1, gone, gone));
    }
    desk.remove_session(first.id, true).unwrap();
    let next = desk.add_session(&input(1, "09:00", "10:00", "Panel", "")).unwrap();
    let door = desk.check_in_session(b.id, next.id).unwrap();
    let now = door.card.door.unwrap().checkin.unwrap().id;
    assert!(now > gone, "admission {now} after the removed {gone}");
    drop(desk);
    if !common::on_postgres() {
        let copy = dir.path().join("copy.sqlite3");
        delegate_desk::copy::copy(&path, &copy).unwrap();
        let mut copied = delegate_desk::Desk::open(&copy).unwrap();
        let c = copied.register(&common::nth(3)).unwrap().attendee;
        let door = copied.check_in_session(c.id, next.id).unwrap();
        assert!(door.card.door.unwrap().checkin.unwrap().id > now);
    }
}
