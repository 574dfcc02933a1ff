//! Seat allocations per delegation inside the capacity.

mod common;

use common::{desk_with_capacity, person};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{Error, EventInput, Status};

#[test]
fn beyond_its_allocation_a_delegation_is_waitlisted_with_a_message_that_names_it() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "2").unwrap();
    for i in 0..2 {
        let out = desk.register(&person(&format!("J{i}"), "Person", "jamaica")).unwrap();
        assert_eq!(out.attendee.status, Status::Registered);
    }
    let out = desk.register(&person("J3", "Person", "Jamaica")).unwrap();
    assert_eq!(out.attendee.status, Status::Waitlisted);
    assert_eq!(out.message, "Jamaica's allocation of 2 seats is full — added to waitlist, position 1");
    // Others still register: 8 seats are not allocated.
    assert_eq!(
        desk.register(&person("B", "Person", "Barbados")).unwrap().attendee.status,
        Status::Registered
    );
    let s = desk.status().unwrap();
    assert_eq!(
        (s.allocations[0].delegation.as_str(), s.allocations[0].seats, s.allocations[0].registered),
        ("Jamaica", 2, 2)
    );
    // Promotion respects the allocation too.
    let e = desk.promote(&[out.attendee.id]).unwrap_err();
    assert!(e.to_string().contains("Jamaica's allocation of 2 seats is full"), "{e}");
}

#[test]
fn the_refuse_policy_refuses_and_writes_nothing() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("CDEMA", "1").unwrap();
    desk.set_allocation_policy("refuse").unwrap();
    desk.register(&person("A", "Person", "CDEMA")).unwrap();
    let before = desk.revision().unwrap();
    let e = desk.register(&person("B", "Person", "CDEMA")).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)));
    assert_eq!(e.to_string(), "CDEMA's allocation of 1 seat is full — registration refused");
    assert_eq!(desk.revision().unwrap(), before);
}

#[test]
fn unallocated_delegations_share_the_seats_left() {
    let (_d, _p, mut desk) = desk_with_capacity(3);
    desk.set_allocation("Jamaica", "2").unwrap();
    desk.register(&person("B", "One", "Barbados")).unwrap();
    let out = desk.register(&person("B", "Two", "Barbados")).unwrap();
    assert_eq!(out.attendee.status, Status::Waitlisted);
    assert!(
        out.message.starts_with("The 1 seats not allocated to a delegation are taken"),
        "{}",
        out.message
    );
    let a = desk.allocations().unwrap();
    assert_eq!((a.unallocated_seats, a.unallocated_registered), (1, 1));
}

#[test]
fn allocations_stay_inside_the_capacity() {
    let (_d, _p, mut desk) = desk_with_capacity(5);
    desk.set_allocation("Jamaica", "3").unwrap();
    let e = desk.set_allocation("Haiti", "3").unwrap_err();
    assert_eq!(e.field(), Some("seats"));
    assert!(e.to_string().contains("would total 6 seats, more than the capacity of 5; at most 2"), "{e}");
    assert_eq!(desk.set_allocation("Haiti", "two").unwrap_err().field(), Some("seats"));
    let e = desk.update_event(&EventInput { capacity: Some("2".into()), ..Default::default() }).unwrap_err();
    assert!(e.to_string().contains("3 seats are allocated"), "{e}");
    desk.register(&person("J", "One", "Jamaica")).unwrap();
    desk.register(&person("J", "Two", "Jamaica")).unwrap();
    let e = desk.set_allocation("jamaica", "1").unwrap_err();
    assert!(e.to_string().contains("Jamaica already has 2 people registered"), "{e}");
    desk.remove_allocation("JAMAICA").unwrap();
    assert!(desk.allocations().unwrap().allocations.is_empty());
    assert!(matches!(desk.remove_allocation("Jamaica").unwrap_err(), Error::NotFound(_)));
}

#[test]
fn an_import_in_register_mode_respects_allocations() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    let csv = "given_name,delegation,category\nA,Jamaica,delegate\nB,Jamaica,delegate\nC,Haiti,delegate\n";
    let out = desk
        .import(csv.as_bytes(), &ImportOptions { mode: ImportMode::Register, ..Default::default() })
        .unwrap();
    assert_eq!((out.registered, out.waitlisted), (2, 1));
    assert_eq!(
        out.message, "Imported: 2 registered, 1 waitlisted (their delegation's allocation is full)",
        "seats were left: the reason is the allocation, not a full event"
    );
}

#[test]
fn a_reimport_cannot_move_a_registered_person_into_a_full_allocation() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("J", "One", "Jamaica")).unwrap();
    let b = desk.register(&person("Bea", "Two", "Barbados")).unwrap().attendee;
    let csv = "given_name,family_name,email,delegation,category,dietary\n\
               Bea,Two,bea.two@example.org,Jamaica,delegate,Vegetarian\n";
    let opts = ImportOptions { update_existing: true, ..Default::default() };
    let preview = desk.import_preview(csv.as_bytes(), &opts).unwrap();
    assert_eq!(preview.changed, 1);
    let e = desk.import(csv.as_bytes(), &opts).unwrap_err();
    assert!(
        e.to_string().contains(
            "Line 2: Col. Bea Two cannot move to Jamaica while registered: Jamaica's allocation of 1 seat is full"
        ),
        "{e}"
    );
    let after = desk.attendee(b.id).unwrap();
    assert_eq!((after.fields.delegation.as_str(), after.fields.dietary.as_str()), ("Barbados", ""));
    assert_eq!(desk.status().unwrap().allocations[0].registered, 1);
}

#[test]
fn a_registered_person_cannot_move_into_a_full_allocation() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("J", "One", "Jamaica")).unwrap();
    let b = desk.register(&person("B", "One", "Barbados")).unwrap().attendee;
    let input = delegate_desk::AttendeeInput { delegation: Some("Jamaica".into()), ..Default::default() };
    let e = desk.edit(b.id, &input).unwrap_err();
    assert!(
        e.to_string()
            .contains("cannot move to Jamaica while registered: Jamaica's allocation of 1 seat is full"),
        "{e}"
    );
    assert_eq!(desk.attendee(b.id).unwrap().fields.delegation, "Barbados");
    // Moves inside the shared pool are fine, even when the pool is full.
    desk.set_allocation("Jamaica", "9").unwrap();
    assert_eq!(desk.allocations().unwrap().unallocated_seats, 1);
    let input = delegate_desk::AttendeeInput { delegation: Some("Haiti".into()), ..Default::default() };
    assert_eq!(desk.edit(b.id, &input).unwrap().fields.delegation, "Haiti");
}

#[test]
fn proposals_pass_over_people_whose_allocation_is_full() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("J", "One", "Jamaica")).unwrap();
    let b = desk.register(&person("B", "One", "Barbados")).unwrap().attendee;
    let j2 = desk.register(&person("J", "Two", "Jamaica")).unwrap().attendee; // waitlisted first
    let h = desk.register(&person("H", "One", "Haiti")).unwrap().attendee; // then Haiti
    assert_eq!((j2.status, h.status), (Status::Waitlisted, Status::Waitlisted));
    let out = desk.cancel(b.id).unwrap();
    assert_eq!(
        out.proposal.map(|p| p.id),
        Some(h.id),
        "Jamaica's allocation is full: the next in line is proposed"
    );
    let out = desk.update_event(&EventInput { capacity: Some("4".into()), ..Default::default() }).unwrap();
    let ids: Vec<i64> = out.promotion_candidates.iter().map(|a| a.id).collect();
    assert_eq!(ids, [h.id]);
}

/// An import that registers, refused because a row's delegation has no seat left under the
/// "refuse" policy, names the row's line and writes nothing.
#[test]
fn an_import_refused_by_a_full_allocation_names_the_line_and_writes_nothing() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.set_allocation_policy("refuse").unwrap();
    let csv = "given_name,family_name,delegation,category\nAna,One,Jamaica,Delegate\nBo,Two,Belize,Delegate\nCy,Three,Jamaica,Delegate\n";
    let opts = delegate_desk::import::ImportOptions {
        mode: delegate_desk::import::ImportMode::Register,
        ..Default::default()
    };
    let e = desk.import(csv.as_bytes(), &opts).unwrap_err();
    let m = e.to_string();
    assert!(m.starts_with("Line 4: Jamaica's allocation of 1 seat is full"), "{m}");
    assert!(m.ends_with("nothing was imported"), "{m}");
    assert!(desk.list(&Default::default()).unwrap().is_empty());
}

/// The preview of an import that registers runs the seat rules: under the "refuse" policy it
/// says which line would be refused before the coordinator confirms, and writes nothing (not
/// a person, not an audit row). The import then meets the same refusal.
#[test]
fn an_import_preview_forecasts_the_refusal_and_writes_nothing() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.set_allocation_policy("refuse").unwrap();
    let csv = "given_name,family_name,delegation,category\nAna,One,Jamaica,Delegate\nBo,Two,Belize,Delegate\nCy,Three,Jamaica,Delegate\n";
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    let before = desk.revision().unwrap();
    let preview = desk.import_preview(csv.as_bytes(), &opts).unwrap();
    assert_eq!(preview.new, 3);
    let forecast = preview.forecast.expect("a registering import is forecast");
    let why = forecast.refused.expect("the third row is refused");
    assert!(why.starts_with("Line 4: Jamaica's allocation of 1 seat is full"), "{why}");
    assert!(forecast.message.contains(&why), "{}", forecast.message);
    assert_eq!((forecast.registered, forecast.waitlisted), (0, 0), "a refused import seats nobody");
    assert_eq!(desk.revision().unwrap(), before, "the forecast wrote nothing, not even the audit");
    assert!(desk.list(&Default::default()).unwrap().is_empty());
    let e = desk.import(csv.as_bytes(), &opts).unwrap_err();
    assert!(e.to_string().starts_with(&why), "the import meets the refusal forecast: {e}");
    // Invited, nobody takes a seat: nothing to forecast, and the import goes through.
    let invite = desk.import_preview(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(invite.forecast, None);
}

/// The forecast of an import that registers says what the import then does: who gets a seat,
/// who is waitlisted and why, counted by the same rules in the same order.
#[test]
fn an_import_preview_forecast_is_what_the_import_does() {
    let (_d, _p, mut desk) = desk_with_capacity(3);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("Early", "Bird", "Haiti")).unwrap();
    let csv = "given_name,delegation,category\nA,Jamaica,delegate\nB,Jamaica,delegate\nC,Haiti,delegate\nD,Belize,delegate\n";
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    let forecast = desk.import_preview(csv.as_bytes(), &opts).unwrap().forecast.unwrap();
    assert_eq!(forecast.refused, None);
    let out = desk.import(csv.as_bytes(), &opts).unwrap();
    assert_eq!((out.registered, out.waitlisted), (2, 2));
    assert_eq!((forecast.registered, forecast.waitlisted, forecast.updated), (2, 2, 0));
    assert_eq!(
        forecast.message.strip_prefix("If imported now: "),
        out.message.strip_prefix("Imported: "),
        "the same outcome, in the same words"
    );
}

/// Updating people present can be refused by an allocation too: the preview says so, naming
/// the line, and the person is left as they are.
#[test]
fn an_update_preview_forecasts_a_move_into_a_full_allocation() {
    let (_d, _p, mut desk) = desk_with_capacity(10);
    desk.set_allocation("Jamaica", "1").unwrap();
    desk.register(&person("J", "One", "Jamaica")).unwrap();
    let b = desk.register(&person("Bea", "Two", "Barbados")).unwrap().attendee;
    let csv =
        "given_name,family_name,email,delegation,category\nBea,Two,bea.two@example.org,Jamaica,delegate\n";
    let opts = ImportOptions { update_existing: true, ..Default::default() };
    let forecast = desk.import_preview(csv.as_bytes(), &opts).unwrap().forecast.unwrap();
    let why = forecast.refused.unwrap();
    assert!(why.starts_with("Line 2: Col. Bea Two cannot move to Jamaica while registered"), "{why}");
    assert_eq!(desk.attendee(b.id).unwrap().fields.delegation, "Barbados");
}

/// A forecast holds the write lock while it runs: beyond `MAX_FORECAST_ROWS` people to write,
/// the preview does not forecast (other desks would wait seconds), and says nothing false.
#[test]
fn a_large_import_is_not_forecast() {
    use delegate_desk::import::MAX_FORECAST_ROWS;
    let (_d, _p, desk) = desk_with_capacity(5_000);
    let csv = |n: usize| {
        let mut s = String::from("given_name,family_name,delegation,category\n");
        for i in 0..n {
            s.push_str(&format!("Given{i},Family{i},Jamaica,delegate\n"));
        }
        s
    };
    let opts = ImportOptions { mode: ImportMode::Register, ..Default::default() };
    let at_most = desk.import_preview(csv(MAX_FORECAST_ROWS).as_bytes(), &opts).unwrap();
    assert_eq!(at_most.forecast.map(|f| f.registered), Some(MAX_FORECAST_ROWS));
    let beyond = desk.import_preview(csv(MAX_FORECAST_ROWS + 1).as_bytes(), &opts).unwrap();
    assert_eq!(beyond.new, MAX_FORECAST_ROWS + 1);
    assert_eq!(beyond.forecast, None);
}

/// With the event full, the allocations still decide: under "refuse" a full allocation (or a
/// full share of the seats not allocated) refuses, writing nothing; under "waitlist" the
/// person waits with it as the reason, and the proposal after a cancel passes over whoever
/// cannot take the seat freed. Before, a full event waitlisted anyone as "Event full", the
/// refuse policy aside: they waited at "position 1" for a seat their allocation could never
/// give.
#[test]
fn a_full_allocation_decides_even_when_the_event_is_full() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    desk.set_allocation("CDEMA", "1").unwrap();
    desk.set_allocation_policy("refuse").unwrap();
    desk.register(&person("A", "Person", "CDEMA")).unwrap();
    let b = desk.register(&person("B", "Person", "Barbados")).unwrap().attendee.id;
    let before = desk.revision().unwrap();
    let e = desk.register(&person("C", "Person", "CDEMA")).unwrap_err();
    assert_eq!(e.to_string(), "CDEMA's allocation of 1 seat is full — registration refused");
    let e = desk.register(&person("D", "Person", "Barbados")).unwrap_err();
    assert!(e.to_string().starts_with("The 1 seats not allocated to a delegation are taken"), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "refused: nothing written");
    desk.set_allocation_policy("waitlist").unwrap();
    let c = desk.register(&person("C", "Person", "CDEMA")).unwrap();
    assert_eq!(c.attendee.status, Status::Waitlisted);
    assert!(
        c.message.starts_with("CDEMA's allocation of 1 seat is full — added to waitlist"),
        "{}",
        c.message
    );
    let d = desk.register(&person("D", "Person", "Barbados")).unwrap();
    assert_eq!(d.attendee.status, Status::Waitlisted);
    let out = desk.cancel(b).unwrap();
    assert_eq!(out.proposal.map(|p| p.id), Some(d.attendee.id), "the seat goes to who can take it");
}

/// The allocations are read in one snapshot: the seats "not allocated" are the registered
/// people of one moment less the allocated delegations' people of the same moment. They were
/// read statement by statement, and a Jamaican registered at another desk in between was
/// counted in the total but not under Jamaica: 6 people without an allocation where there are 5.
#[test]
fn the_allocations_are_figures_of_one_moment_while_another_desk_registers() {
    let (_d, path, mut desk) = desk_with_capacity(40);
    for i in 0..5 {
        desk.register(&person(&format!("H{i}"), "Person", "Haiti")).unwrap();
    }
    desk.set_allocation("Jamaica", "30").unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let other = s.spawn(|| {
            let mut desk2 = delegate_desk::Desk::open(&path).unwrap();
            for i in 0..120 {
                let id = desk2.register(&person(&format!("J{i}"), "Person", "Jamaica")).unwrap().attendee.id;
                desk2.cancel(id).unwrap();
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let (mut reads, mut wrong) = (0, None);
        while !done.load(std::sync::atomic::Ordering::SeqCst) || reads < 50 {
            let a = desk.allocations().unwrap();
            reads += 1;
            if a.unallocated_registered != 5 {
                wrong = Some((reads, a.unallocated_registered));
                break;
            }
        }
        other.join().unwrap();
        assert_eq!(wrong, None, "(read, registered without an allocation) where there are 5");
    });
}
