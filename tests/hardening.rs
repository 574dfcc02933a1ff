//! The rules that keep the desk fair and its data safe under hostile input: a freed seat
//! belongs to the waitlist, allocations never over-commit the shared seats, every number is
//! bounded before it is used, and no output can land on the database.

mod common;

use common::{desk, desk_with_capacity, nth, person};
use delegate_desk::export::{ExportRequest, Format, RosterFilter};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::model::parse_days;
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{AttendeeInput, Desk, EventInput, Status};
use std::path::Path;

/// A waitlisted person keeps priority over a newcomer for a seat a cancellation freed.
#[test]
fn a_freed_seat_goes_to_the_waitlist_not_to_the_next_newcomer() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.register(&nth(2)).unwrap();
    let w = desk.register(&nth(3)).unwrap().attendee;
    let out = desk.cancel(a.id).unwrap();
    assert_eq!(out.proposal.as_ref().map(|p| p.id), Some(w.id));

    let newcomer = desk.register(&nth(4)).unwrap();
    assert_eq!(newcomer.attendee.status, Status::Waitlisted);
    assert_eq!(newcomer.message, "1 person is waiting for a seat — added to waitlist, position 2");
    let again = desk.reinstate(a.id).unwrap();
    assert_eq!(again.attendee.status, Status::Waitlisted);
    assert_eq!(again.message, "2 people are waiting for a seat — reinstated to the waitlist, position 3");

    // The promotion the desk proposed still succeeds.
    assert_eq!(desk.promote(&[w.id]).unwrap().promoted[0].status, Status::Registered);
    let s = desk.status().unwrap();
    assert_eq!((s.registered, s.waitlisted), (2, 2));
}

/// Free seats are held back only for as many people as are waiting (and could take them):
/// with 6 waiting and the capacity raised by 50, a walk-in takes one of the 44 seats nobody
/// is owed, and the 6 can all still be promoted; raised by exactly 6, the walk-in waits.
#[test]
fn only_as_many_seats_are_held_as_people_are_waiting() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    for i in 0..10 {
        desk.register(&nth(i)).unwrap();
    }
    let waiting: Vec<i64> = (10..16).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let raise = |desk: &mut Desk, capacity: u32| {
        desk.update_event(&EventInput { capacity: Some(capacity.to_string()), ..Default::default() }).unwrap()
    };
    // Exactly as many free seats as people waiting: all of them are held.
    let out = raise(&mut desk, 16);
    assert_eq!(out.promotion_candidates.len(), 6);
    let s = desk.status().unwrap();
    assert_eq!((s.seats_left, s.held_for_waitlist, s.waitlisted), (6, 6, 6), "the header says why");
    let walk_in = desk.register(&nth(16)).unwrap();
    assert_eq!(walk_in.attendee.status, Status::Waitlisted, "{}", walk_in.message);
    assert_eq!(walk_in.message, "6 people are waiting for a seat — added to waitlist, position 7");
    // One seat more than people waiting... but the walk-in just queued is waiting too now.
    raise(&mut desk, 17);
    let second = desk.register(&nth(17)).unwrap();
    assert_eq!(second.attendee.status, Status::Waitlisted, "7 waiting, 7 free: {}", second.message);
    // Raised to 60: 50 free, 8 held, 42 for anyone.
    raise(&mut desk, 60);
    let s = desk.status().unwrap();
    assert_eq!((s.seats_left, s.held_for_waitlist, s.waitlisted), (50, 8, 8));
    let third = desk.register(&nth(18)).unwrap();
    assert_eq!(third.attendee.status, Status::Registered, "{}", third.message);
    assert_eq!(third.seat, Some(11));
    let mut all = waiting.clone();
    all.extend([walk_in.attendee.id, second.attendee.id]);
    let promoted = desk.promote(&all).unwrap().promoted;
    assert_eq!(promoted.len(), 8, "everyone waiting still gets the seat held for them");
    assert!(promoted.iter().all(|a| a.status == Status::Registered));
    let s = desk.status().unwrap();
    assert_eq!((s.registered, s.waitlisted), (19, 0));
}

/// People waiting whose delegation's allocation is full hold no seat: their seat is not one
/// they could take.
#[test]
fn people_who_could_not_take_a_seat_hold_none() {
    let (_d, _p, mut desk) = desk_with_capacity(4);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.set_allocation_policy("waitlist").unwrap();
    desk.register(&person("Ann", "One", "Jamaica")).unwrap();
    let blocked = desk.register(&person("Bob", "Two", "Jamaica")).unwrap();
    assert_eq!(blocked.attendee.status, Status::Waitlisted, "{}", blocked.message);
    let s = desk.status().unwrap();
    assert_eq!((s.seats_left, s.held_for_waitlist, s.waitlisted), (3, 0, 1), "Bob could not take one");
    let walk_in = desk.register(&person("Cy", "Three", "Haiti")).unwrap();
    assert_eq!(walk_in.attendee.status, Status::Registered, "{}", walk_in.message);
}

/// An import that registers people queues them behind the waitlist too.
#[test]
fn import_register_queues_behind_the_waitlist() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.register(&nth(2)).unwrap();
    desk.register(&nth(3)).unwrap();
    desk.cancel(a.id).unwrap();
    let csv = "given_name,family_name,category\nNew,Comer,delegate\n";
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    let out = desk.import(csv.as_bytes(), &opts).unwrap();
    assert_eq!((out.registered, out.waitlisted), (0, 1), "{}", out.message);
    assert_eq!(desk.status().unwrap().registered, 1);
}

/// Someone waiting whose own allocation is full does not hold back a newcomer who takes a
/// seat they could not have had.
#[test]
fn a_waiting_person_blocked_by_their_allocation_does_not_hold_other_seats() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("J1", "Person", "Jamaica")).unwrap();
    let j2 = desk.register(&person("J2", "Person", "Jamaica")).unwrap().attendee;
    assert_eq!(j2.status, Status::Waitlisted);
    let b = desk.register(&person("B", "Person", "Barbados")).unwrap();
    assert_eq!(b.attendee.status, Status::Registered, "{}", b.message);
}

/// Setting an allocation that would leave the people registered without one more than the
/// seats not allocated is refused, naming how many and who.
#[test]
fn an_allocation_never_over_commits_the_unallocated_seats() {
    let (_d, _p, mut desk) = desk_with_capacity(4);
    for i in 0..3 {
        desk.register(&person(&format!("F{i}"), "Person", "France")).unwrap();
    }
    let before = desk.revision().unwrap();
    let e = desk.set_allocation("Jamaica", "2").unwrap_err();
    assert_eq!(e.field(), Some("seats"));
    let msg = e.to_string();
    assert!(msg.contains("leave 2 seats not allocated"), "{msg}");
    assert!(msg.contains("3 people are registered without an allocation of their own (France 3)"), "{msg}");
    assert_eq!(desk.revision().unwrap(), before, "a refused change writes nothing");
    desk.set_allocation("Jamaica", "1").unwrap();
    // Giving France its own allocation moves its people out of the shared seats.
    desk.set_allocation("France", "3").unwrap();
    let a = desk.allocations().unwrap();
    assert_eq!((a.unallocated_seats, a.unallocated_registered), (0, 0));
}

/// Lowering the capacity is refused when the shared seats could no longer hold the people
/// registered without an allocation.
#[test]
fn lowering_the_capacity_respects_the_unallocated_people() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "5").unwrap();
    for i in 0..4 {
        desk.register(&person(&format!("F{i}"), "Person", "France")).unwrap();
    }
    let e = desk.update_event(&EventInput { capacity: Some("8".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("capacity"));
    assert!(e.to_string().contains("leave 3 seats not allocated"), "{e}");
    desk.update_event(&EventInput { capacity: Some("9".into()), ..Default::default() }).unwrap();
    let a = desk.allocations().unwrap();
    assert!(a.unallocated_registered <= a.unallocated_seats);
}

/// Seat numbers at the edges of every integer type are refused before any sum.
#[test]
fn allocation_seats_are_bounded_before_they_are_added() {
    let (_d, _p, mut desk) = desk_with_capacity(100);
    desk.set_allocation("Haiti", "60").unwrap();
    for raw in ["4294967295", "4294967296", "18446744073709551616", "-1", "1e3", "", " ", "100001", "41"] {
        let e = desk.set_allocation("Jamaica", raw).unwrap_err();
        assert_eq!(e.field(), Some("seats"), "{raw}: {e}");
    }
    let a = desk.allocations().unwrap();
    let total: u32 = a.allocations.iter().map(|x| x.seats).sum();
    assert_eq!(total, 60);
    desk.set_allocation("Jamaica", " 40 ").unwrap();
}

/// Allocation changes keep what was there before in the audit trail.
#[test]
fn allocation_changes_record_before_and_after() {
    let (_d, path, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "2").unwrap();
    desk.set_allocation("Jamaica", "3").unwrap();
    desk.remove_allocation("jamaica").unwrap();
    drop(desk);
    let conn = delegate_desk::db::Db::open_raw(&path).unwrap();
    let rows: Vec<(String, Option<String>, Option<String>)> = conn
        .query_map(
            "SELECT action, before, after FROM audit WHERE action LIKE 'allocation.%' ORDER BY id",
            delegate_desk::params![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].1, None);
    assert_eq!(rows[1].1.as_deref(), Some(r#"{"delegation":"Jamaica","seats":2}"#));
    assert_eq!(rows[1].2.as_deref(), Some(r#"{"delegation":"Jamaica","seats":3}"#));
    assert_eq!(rows[2].1.as_deref(), Some(r#"{"delegation":"Jamaica","seats":3}"#));
    assert_eq!(rows[2].2, None);
}

/// Day numbers and ranges of any size are refused at once, naming the field.
#[test]
fn day_ranges_of_any_size_are_refused_without_allocating() {
    for raw in [
        "1-4294967295",
        "1-4294967296",
        "4294967295",
        "1-99999999999999999999999999",
        "0",
        "0-2",
        "32",
        "2-1",
        &"1,".repeat(500),
    ] {
        let e = parse_days(raw, 2).unwrap_err();
        assert_eq!(e.field(), Some("days"), "{raw}");
    }
    assert_eq!(parse_days("1-2", 2).unwrap(), [1, 2]);
    let (_d, _p, mut desk) = desk();
    let input = AttendeeInput { days: Some("1-4294967295".into()), ..nth(1) };
    let e = desk.register(&input).unwrap_err();
    assert_eq!(e.field(), Some("days"));
    assert!(e.to_string().contains("Day 4294967295 is not a day of this event"), "{e}");
}

/// Shortening the event counts cancelled people, who may come back with their days.
#[test]
fn shortening_the_event_counts_cancelled_people() {
    let (_d, _p, mut desk) = desk();
    let a = desk.register(&AttendeeInput { days: Some("2".into()), ..nth(1) }).unwrap().attendee;
    desk.cancel(a.id).unwrap();
    let e = desk
        .update_event(&EventInput { end_date: Some("2019-11-14".into()), ..Default::default() })
        .unwrap_err();
    assert_eq!(e.field(), Some("endDate"));
}

/// Naming the same person twice in one promotion is refused as such.
#[test]
fn promoting_someone_listed_twice_says_so() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.register(&nth(1)).unwrap();
    let w = desk.register(&nth(2)).unwrap().attendee;
    let e = desk.promote(&[w.id, w.id]).unwrap_err();
    assert_eq!(e.field(), Some("ids"));
    assert_eq!(e.to_string(), format!("#{} is listed twice; name each person once", w.id));
}

/// A row with more cells than the header is refused with its line; a short row is read with
/// its missing cells empty.
#[test]
fn import_never_shifts_columns() {
    let (_d, _p, desk) = desk();
    let csv = "given_name,family_name,category,position\n\
               Ann,Lee,delegate,Chief, Operations\n\
               Bob,Ray,delegate\n";
    let p = desk.import_preview(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (1, 1));
    assert_eq!(p.errors[0].line, 2);
    assert!(p.errors[0].message.contains("5 cells but the header has 4 columns"), "{}", p.errors[0].message);
    assert!(p.errors[0].message.contains("unquoted comma"), "{}", p.errors[0].message);
}

/// A value that really starts with an apostrophe survives a CSV export and import.
#[test]
fn csv_round_trip_keeps_leading_apostrophes() {
    let (_d, _p, mut desk) = desk();
    let values = ["'quoted", "'=1+1", "''", "=SUM(A1)", "-x"];
    for (i, v) in values.iter().enumerate() {
        desk.register(&AttendeeInput { position: Some(v.to_string()), ..nth(i) }).unwrap();
    }
    let rows = desk.list(&Default::default()).unwrap();
    let bytes = delegate_desk::export::csv_bytes(
        &rows,
        &delegate_desk::export::columns("full").unwrap(),
        &desk.event().unwrap(),
    )
    .unwrap();
    let (_d2, _p2, mut other) = desk_with_capacity(100);
    other.import(&bytes, &ImportOptions::default()).unwrap();
    let mut got: Vec<String> =
        other.list(&Default::default()).unwrap().into_iter().map(|a| a.fields.position).collect();
    let mut want: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

fn assert_refused_output(desk: &Desk, db: &Path, out: &Path) {
    let before = std::fs::read(db).unwrap();
    let req = ExportRequest {
        format: Format::Csv,
        filter: RosterFilter { status: Some("all".into()), ..Default::default() },
        columns: "full".into(),
        sheet_per_preset: false,
    };
    let e = desk.export_roster(&req, out).unwrap_err();
    assert_eq!(e.field(), Some("output"), "{}: {e}", out.display());
    assert!(e.to_string().contains("writing there would destroy it"), "{e}");
    assert_eq!(std::fs::read(db).unwrap(), before, "{} changed the database", out.display());
}

/// No writer can overwrite the database or its journal, whatever the path's spelling.
#[test]
fn no_output_can_overwrite_the_database_by_any_spelling() {
    let (dir, db, mut desk) = common::file_desk();
    desk.register(&nth(1)).unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink(&db, d.join("link.csv")).unwrap();
    std::os::unix::fs::symlink(d.join("desk.sqlite3-shm"), d.join("dangling-to-shm.csv")).unwrap();
    std::fs::hard_link(&db, d.join("hard.csv")).unwrap();
    for out in [
        db.clone(),
        d.join("sub/../desk.sqlite3"),
        d.join("./desk.sqlite3"),
        d.join("desk.sqlite3-wal"),
        d.join("desk.sqlite3-shm"),
        d.join("desk.sqlite3-journal"),
        d.join("link.csv"),
        d.join("dangling-to-shm.csv"),
        d.join("hard.csv"),
    ] {
        assert_refused_output(&desk, &db, &out);
    }
    // Badges and the calibration page go through the same check.
    let id = desk.list(&Default::default()).unwrap()[0].id;
    let req = BadgeRequest {
        selection: BadgeSelection::Ids(vec![id]),
        preset: "a6-portrait".into(),
        reason: None,
        note: None,
    };
    let e = desk.print_badges(&req, &d.join("sub/../link.csv")).unwrap_err();
    assert_eq!(e.field(), Some("output"), "{e}");
    let e = desk.calibration_page("a6-portrait", &d.join("desk.sqlite3-wal")).unwrap_err();
    assert_eq!(e.field(), Some("output"), "{e}");
    // A file beside it is fine.
    let req = ExportRequest {
        format: Format::Csv,
        filter: RosterFilter::default(),
        columns: "full".into(),
        sheet_per_preset: false,
    };
    desk.export_roster(&req, &d.join("roster.csv")).unwrap();
}

/// A row one cell longer than the others is refused even when its extra cell is empty; a
/// trailing separator on every row (as spreadsheets write) is fine.
#[test]
fn an_unquoted_separator_is_caught_even_with_a_trailing_empty_cell() {
    let (_d, _p, desk) = desk();
    let shifted = "given_name,family_name,organization,delegation,category\n\
                   Ann,Lee,Ministry of Defence, Jamaica,Jamaica,vip\n\
                   Bob,Ray,Coast Guard,Haiti,vip\n";
    let p = desk.import_preview(shifted.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (1, 1), "{:?}", p.errors);
    let trailing = "given_name,family_name,organization,delegation,category\n\
                    Ann,Lee,Ministry of Defence,Jamaica,vip,\n\
                    Bob,Ray,Coast Guard,Haiti,vip,\n";
    let p = desk.import_preview(trailing.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (2, 0), "{:?}", p.errors);
    let both = "given_name,family_name,organization,delegation,category\n\
                Ann,Lee,Ministry of Defence, Jamaica,Jamaica,vip,\n\
                Bob,Ray,Coast Guard,Haiti,vip,\n\
                Cy,Fox,Police,Belize,vip,\n";
    let p = desk.import_preview(both.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (2, 1), "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 2);
}

/// Moving a registered person between delegations cannot take the seat the waitlist was
/// promised.
#[test]
fn a_delegation_change_does_not_take_the_promised_seat() {
    let (_d, _p, mut desk) = desk_with_capacity(3);
    desk.set_allocation("Jamaica", "1").unwrap();
    let j = desk.register(&person("J", "Person", "Jamaica")).unwrap().attendee;
    desk.register(&person("H1", "Person", "Haiti")).unwrap();
    let h2 = desk.register(&person("H2", "Person", "Haiti")).unwrap().attendee;
    let w = desk.register(&person("W", "Wait", "Barbados")).unwrap().attendee;
    assert_eq!(w.status, Status::Waitlisted);
    let out = desk.cancel(h2.id).unwrap();
    assert_eq!(out.proposal.map(|p| p.id), Some(w.id));
    let e = desk
        .edit(j.id, &AttendeeInput { delegation: Some("Haiti".into()), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains("the free seat belongs to Col. W Wait"), "{e}");
    assert_eq!(desk.attendee(j.id).unwrap().fields.delegation, "Jamaica");
    assert_eq!(desk.promote(&[w.id]).unwrap().promoted[0].status, Status::Registered);
}

/// An import waitlisted behind people already waiting says so, not that an allocation is full.
#[test]
fn import_says_why_people_were_waitlisted() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.register(&nth(2)).unwrap();
    desk.register(&nth(3)).unwrap();
    desk.cancel(a.id).unwrap();
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    let out = desk.import(b"given_name,category\nNew,vip\n", &opts).unwrap();
    assert!(out.message.contains("1 waitlisted (behind the people already waiting)"), "{}", out.message);
    assert!(!out.message.contains("allocation"), "{}", out.message);
}

/// Names that look the same are the same person: a soft hyphen, a zero-width joiner, a word
/// joiner or a direction mark, a ligature or full-width letters do not make a new person, nor
/// a new delegation that an allocation would not count. A name of invisible characters only is
/// no name. Each is refused and nothing is written.
#[test]
fn look_alike_names_are_duplicates_and_invisible_names_are_refused() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.register(&person("Hanna", "Müller", "Haiti")).unwrap();
    desk.register(&person("Owen", "Griffiths", "Belize")).unwrap();
    let before = desk.list(&Default::default()).unwrap().len();
    for (given, family, delegation) in [
        ("Hanna", "Mül\u{AD}ler", "Haiti"),
        ("Hanna", "Müller\u{200F}", "Haiti"),
        ("Hanna\u{2060}", "Müller", "Haiti"),
        ("Hanna", "Müller", "Ha\u{200C}iti"),
        ("Owen", "Griﬃths", "Belize"),
        ("Ｏｗｅｎ", "Griffiths", "Ｂｅｌｉｚｅ"),
    ] {
        let e = desk.register(&person(given, family, delegation)).unwrap_err();
        assert!(e.to_string().contains("already"), "{given:?} {family:?} {delegation:?}: {e}");
    }
    let invisible = AttendeeInput {
        given_name: Some("\u{2060}".into()),
        family_name: Some("\u{AD}".into()),
        ..person("", "", "Haiti")
    };
    let e = desk.register(&invisible).unwrap_err();
    assert!(e.to_string().contains("Enter a given name or a family name"), "{e}");
    // A badge name that draws nothing would print a blank badge: refused, on a new person and
    // on a change; one with a visible letter beside a joiner is taken.
    for blank in ["\u{AD}", "\u{2060} \u{AD}", "\u{FE0F}"] {
        let input = AttendeeInput { badge_name: Some(blank.into()), ..person("Vera", "Blank", "Haiti") };
        let e = desk.register(&input).unwrap_err();
        assert!(
            e.to_string().contains("The badge name holds only characters that print nothing"),
            "{blank:?}: {e}"
        );
    }
    let vera = desk.register(&person("Vera", "Blank", "Haiti")).unwrap().attendee;
    let e = desk
        .edit(vera.id, &AttendeeInput { badge_name: Some("\u{2060}".into()), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains("print nothing"), "{e}");
    let shown =
        desk.edit(vera.id, &AttendeeInput { badge_name: Some("Ve\u{2060}ra".into()), ..Default::default() });
    assert_eq!(shown.unwrap().fields.badge_name.as_deref(), Some("Ve\u{2060}ra"));
    let e = desk.set_allocation("\u{301}", "1").unwrap_err();
    assert!(e.to_string().contains("Name the delegation"), "{e}");
    assert_eq!(desk.list(&Default::default()).unwrap().len(), before + 1);
    // Found by the name as it looks.
    assert_eq!(desk.search("griﬃths", 5).unwrap().len(), 1);
    assert_eq!(desk.search("mul\u{AD}ler", 5).unwrap().len(), 1);
}

/// A database whose keys were made by the fold before schema 18 (a soft hyphen and full-width
/// letters kept) gets them made again when it is opened, on either engine: the person alone
/// takes the new keys and counts for their delegation's allocation; a look-alike of someone
/// already on file keeps the key it had (nobody is merged), and a new look-alike is refused.
#[test]
fn keys_made_by_the_old_fold_are_made_again_when_the_database_is_opened() {
    use delegate_desk::db::Db;
    use delegate_desk::params;
    let (_d, path, mut desk) = desk_with_capacity(10);
    let plain = desk.register(&person("Hanna", "Müller", "Haiti")).unwrap().attendee.id;
    let kim = desk.register(&person("Kim", "Lee", "Jamaica")).unwrap().attendee.id;
    drop(desk);
    let raw = Db::open_raw(&path).unwrap();
    // As the old fold stored them: Kim typed in full-width letters, in "Jam­aica" with a soft
    // hyphen; a look-alike of Hanna the old fold let in, invited.
    raw.execute(
        "UPDATE attendee SET given_name = 'Ｋｉｍ', delegation = 'Jam\u{AD}aica', name_key = 'ｋｉｍ lee',
             delegation_key = 'jam\u{AD}aica', search_key = 'ｋｉｍ lee' WHERE id = ?1",
        params![kim],
    )
    .unwrap();
    raw.execute(
        "INSERT INTO attendee (rank, given_name, family_name, delegation, category, email, days, status,
             created_at, updated_at, name_key, delegation_key, email_key, search_key)
         SELECT rank, given_name, 'Mül\u{AD}ler', delegation, category, '', days, 'invited', created_at,
             updated_at, 'hanna mül\u{AD}ler', delegation_key, '', 'hanna mül\u{AD}ler'
         FROM attendee WHERE id = ?1",
        params![plain],
    )
    .unwrap();
    if raw.is_server() {
        raw.execute("UPDATE delegate_desk SET schema_version = 15", params![]).unwrap();
    } else {
        raw.batch("ALTER TABLE print_job DROP COLUMN sha256; ALTER TABLE print_job DROP COLUMN scheduler; PRAGMA user_version = 17")
            .unwrap();
    }
    drop(raw);
    let mut desk = Desk::open(&path).unwrap();
    let raw = Db::open_raw(&path).unwrap();
    let keys = |id: i64| -> (String, String) {
        raw.query_map("SELECT name_key, delegation_key FROM attendee WHERE id = ?1", params![id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .remove(0)
    };
    assert_eq!(keys(kim), ("kim lee".into(), "jamaica".into()));
    assert_eq!(keys(plain), ("hanna muller".into(), "haiti".into()));
    let twin: i64 =
        raw.value("SELECT id FROM attendee WHERE family_name = 'Mül\u{AD}ler'", params![]).unwrap();
    assert_eq!(keys(twin), ("hanna mül\u{AD}ler".into(), "haiti".into()), "the look-alike keeps its key");
    let a = desk.set_allocation("Jamaica", "1").unwrap();
    assert_eq!(a.allocations[0].registered, 1, "Kim counts for Jamaica");
    let e = desk.register(&person("Hanna", "Mül\u{AD}ler", "Haiti")).unwrap_err();
    assert!(e.to_string().contains("already"), "{e}");
}

/// Every seat held for the waitlist is kept from a delegation change, not only the first: with
/// two seats free and two people waiting, a move that fills one of them takes the second
/// person's seat, and is refused naming them.
#[test]
fn a_delegation_change_does_not_take_the_seat_held_for_the_second_in_line() {
    let (_d, _p, mut desk) = desk_with_capacity(4);
    desk.set_allocation("Jamaica", "1").unwrap();
    let j = desk.register(&person("J", "Person", "Jamaica")).unwrap().attendee;
    desk.register(&person("H1", "Person", "Haiti")).unwrap();
    let h2 = desk.register(&person("H2", "Person", "Haiti")).unwrap().attendee;
    let h3 = desk.register(&person("H3", "Person", "Haiti")).unwrap().attendee;
    let w1 = desk.register(&person("W1", "Wait", "Barbados")).unwrap().attendee;
    let w2 = desk.register(&person("W2", "Wait", "Barbados")).unwrap().attendee;
    assert_eq!((w1.status, w2.status), (Status::Waitlisted, Status::Waitlisted));
    desk.cancel(h2.id).unwrap();
    desk.cancel(h3.id).unwrap();
    assert_eq!(desk.status().unwrap().held_for_waitlist, 2);
    let e = desk
        .edit(j.id, &AttendeeInput { delegation: Some("Haiti".into()), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains(&format!("the free seat belongs to Col. W2 Wait (#{})", w2.id)), "{e}");
    assert_eq!(desk.attendee(j.id).unwrap().fields.delegation, "Jamaica");
    let promoted = desk.promote(&[w1.id, w2.id]).unwrap().promoted;
    assert!(promoted.iter().all(|p| p.status == Status::Registered), "{promoted:?}");
    // Once they hold their seats the shared pool is full: the move is refused for that, and
    // nobody waiting is named.
    let e = desk
        .edit(j.id, &AttendeeInput { delegation: Some("Haiti".into()), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains("cannot move to Haiti while registered"), "{e}");
}

/// A value pasted by mistake (a whole column, 10,000 digits) is quoted shortened in the
/// refusal, never whole; digits past what a number holds are "out of range", not "not a
/// number".
#[test]
fn refusals_quote_long_values_shortened() {
    let (_d, _p, mut desk) = desk();
    let huge = format!("1{}", "0".repeat(10_000));
    for (typed, says) in [(huge.as_str(), "out of range"), ("99999999999999999999", "out of range")] {
        let e = desk
            .update_event(&delegate_desk::EventInput { capacity: Some(typed.into()), ..Default::default() })
            .unwrap_err();
        assert!(
            e.to_string().contains(says) && e.to_string().len() < 200,
            "{}",
            &e.to_string()[..200.min(e.to_string().len())]
        );
    }
    let e = desk
        .list(&delegate_desk::ListFilter { status: Some("x".repeat(100_000)), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().len() < 200, "{} characters", e.to_string().len());
    let e = delegate_desk::seats::allocation::AllocationPolicy::parse(&"w".repeat(100_000)).unwrap_err();
    assert!(e.to_string().len() < 200, "{} characters", e.to_string().len());
}
