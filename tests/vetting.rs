//! Security vetting, pushed where it could break: a person not cleared at the desk, at a door,
//! by scan and by the one key that would register them; a refusal by security; the setting
//! turned on and off; clearing without the PIN; the coordinator's one admission (the PIN, a
//! reason, the audit, and the next day refused again); the import's vetting column (bad
//! values named by line, changes in the preview, applied only when asked); the list filter
//! and the security roster. Every refusal is checked to write nothing. On both engines
//! (`DELEGATE_DESK_TEST_PG=1`).

mod common;

use common::{desk, person};
use delegate_desk::checkin::{Arrival, ArrivalOutcome};
use delegate_desk::export::{ExportRequest, Format, RosterFilter};
use delegate_desk::import::ImportOptions;
use delegate_desk::model::VettingState;
use delegate_desk::programme::SessionInput;
use delegate_desk::{AttendeeInput, AuditFilter, Desk, Error, EventInput, ListFilter, Status};

fn register(desk: &mut Desk, given: &str, family: &str, category: &str) -> i64 {
    desk.register(&AttendeeInput { category: Some(category.into()), ..person(given, family, "Jamaica") })
        .unwrap()
        .attendee
        .id
}

fn require(desk: &mut Desk, on: bool) -> String {
    let input =
        EventInput { require_vetting: Some(if on { "on" } else { "off" }.into()), ..Default::default() };
    desk.update_event(&input).unwrap().message
}

/// `f` writes nothing: the revision (every committed change) is the same after.
fn writes_nothing(desk: &mut Desk, f: impl FnOnce(&mut Desk) -> ArrivalOutcome) -> ArrivalOutcome {
    let before = desk.revision().unwrap();
    let out = f(desk);
    assert_eq!(desk.revision().unwrap(), before, "wrote something: {}", out.message);
    out
}

fn actions(desk: &Desk, action: &str) -> usize {
    desk.audit_trail(&AuditFilter { action: Some(action.into()), ..Default::default() }).unwrap().len()
}

#[test]
fn while_not_required_nobody_is_held_back_and_the_card_says_nothing() {
    let (_d, _p, mut desk) = desk();
    let id = register(&mut desk, "Ann", "Pending", "delegate");
    assert_eq!(desk.attendee(id).unwrap().vetting.state, VettingState::Pending);
    let out = desk.check_in(id, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    assert_eq!(out.card.vetting, None);
}

#[test]
fn a_person_not_cleared_is_refused_everywhere_and_nothing_is_written() {
    let (_d, _p, mut desk) = desk();
    let pending = register(&mut desk, "Ann", "Pending", "delegate");
    let refused = register(&mut desk, "Rob", "Refused", "delegate");
    let msg = require(&mut desk, true);
    assert!(msg.contains("2 people not cleared"), "{msg}");
    desk.set_vetting(refused, "refused", Some("Not on the host nation's list")).unwrap();
    let hall = desk
        .add_session(&SessionInput {
            day: Some(1),
            start: Some("09:00".into()),
            end: Some("10:00".into()),
            title: Some("Disaster response".into()),
            ..Default::default()
        })
        .unwrap()
        .id;
    for (id, why) in [(pending, "Security vetting pending"), (refused, "Security vetting refused")] {
        for out in [
            writes_nothing(&mut desk, |d| d.check_in(id, Some(1)).unwrap()),
            writes_nothing(&mut desk, |d| d.arrive(id, Some(2)).unwrap()),
            writes_nothing(&mut desk, |d| d.check_in_session(id, hall).unwrap()),
            writes_nothing(&mut desk, |d| d.arrive_session(id, hall).unwrap()),
        ] {
            assert_eq!(out.result, Arrival::Refused, "{}", out.message);
            assert_eq!(out.message, why);
            assert_eq!(out.card.vetting.as_deref(), Some(why));
            assert_eq!(out.card.checkin, None);
        }
        // The card read at the desk says so before anyone presses a key.
        assert_eq!(desk.arrival_card(id, Some(1)).unwrap().vetting.as_deref(), Some(why));
    }
    assert_eq!(desk.attendee(refused).unwrap().vetting.note, "Not on the host nation's list");
    // An invited person not cleared is not registered by the one key either.
    let out = desk
        .import(
            b"given_name,family_name,delegation,category\nIvy,Invited,Belize,delegate\n",
            &ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(out.invited, 1);
    let ivy = desk.list(&ListFilter { name: Some("Ivy".into()), ..Default::default() }).unwrap()[0].id;
    let out = writes_nothing(&mut desk, |d| d.arrive(ivy, Some(1)).unwrap());
    assert_eq!((out.result, out.card.attendee.status), (Arrival::Refused, Status::Invited));
    // Cleared: in, at the desk and at the door.
    desk.set_vetting(pending, "Cleared", None).unwrap();
    let out = desk.check_in_session(pending, hall).unwrap();
    assert_eq!(out.result, Arrival::Admitted, "{}", out.message);
    assert_eq!(out.card.vetting, None);
    // Off again: nobody is held back, the refused person included.
    let msg = require(&mut desk, false);
    assert!(msg.contains("no longer required"), "{msg}");
    assert_eq!(desk.check_in(refused, Some(1)).unwrap().result, Arrival::CheckedIn);
}

#[test]
fn a_person_checked_in_then_refused_by_security_is_refused_at_the_next_door() {
    let (_d, _p, mut desk) = desk();
    let id = register(&mut desk, "Ann", "Later", "delegate");
    require(&mut desk, true);
    desk.set_vetting(id, "cleared", None).unwrap();
    assert_eq!(desk.check_in(id, Some(1)).unwrap().result, Arrival::CheckedIn);
    desk.set_vetting(id, "refused", Some("Withdrawn by the host nation")).unwrap();
    // A second scan the same day does not say "already checked in": it says refused.
    let out = writes_nothing(&mut desk, |d| d.check_in(id, Some(1)).unwrap());
    assert_eq!((out.result, out.message.as_str()), (Arrival::Refused, "Security vetting refused"));
}

#[test]
fn setting_vetting_is_the_coordinators_records_who_and_when_and_is_audited() {
    let (_d, path, mut desk) = desk();
    let id = register(&mut desk, "Ann", "Guest", "delegate");
    desk.set_pin(None, "246810").unwrap();
    desk.lock();
    let before = desk.revision().unwrap();
    assert!(matches!(desk.set_vetting(id, "cleared", None), Err(Error::CoordinatorOnly(_))));
    assert_eq!(desk.revision().unwrap(), before);
    // A person who is not there is said before the PIN is asked.
    assert!(matches!(desk.set_vetting(9999, "cleared", None), Err(Error::NotFound(_))));
    // A state that is none, and a note too long: refused by name, nothing written.
    desk.unlock("246810").unwrap();
    match desk.set_vetting(id, "maybe", None) {
        Err(Error::Validation { issues }) => assert_eq!(issues[0].field, "vetting", "{issues:?}"),
        other => panic!("{other:?}"),
    }
    match desk.set_vetting(id, "cleared", Some(&"x".repeat(301))) {
        Err(Error::Validation { issues }) => assert_eq!(issues[0].field, "note", "{issues:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(desk.revision().unwrap(), before);
    desk.set_operator("Maj. Baptiste").unwrap();
    desk.set_desk("Security desk").unwrap();
    let out = desk.set_vetting(id, "CLEARED", Some("  Host nation list, 12 Nov  ")).unwrap();
    assert!(out.changed && out.message.contains("cleared (was pending)"), "{}", out.message);
    let v = desk.attendee(id).unwrap().vetting;
    assert_eq!((v.state, v.note.as_str()), (VettingState::Cleared, "Host nation list, 12 Nov"));
    assert_eq!((v.by.as_deref(), v.desk.as_deref()), (Some("Maj. Baptiste"), Some("Security desk")));
    assert!(v.at.is_some());
    // The same again writes nothing and says so.
    let again = desk.revision().unwrap();
    let out = desk.set_vetting(id, "cleared", Some("Host nation list, 12 Nov")).unwrap();
    assert!(!out.changed && out.message.starts_with("No change"), "{}", out.message);
    assert_eq!(desk.revision().unwrap(), again);
    // Setting pending on someone never vetted writes nothing either.
    let other = register(&mut desk, "Bo", "Never", "delegate");
    assert!(!desk.set_vetting(other, "pending", None).unwrap().changed);
    let rows =
        desk.audit_trail(&AuditFilter { action: Some("vetting".into()), ..Default::default() }).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].attendee_id, Some(id));
    let after = rows[0].after.as_ref().unwrap().to_string();
    assert!(after.contains("cleared") && after.contains("Maj. Baptiste"), "{after}");
    // Another desk sees it.
    let other_desk = Desk::open(&path).unwrap();
    assert_eq!(other_desk.attendee(id).unwrap().vetting.state, VettingState::Cleared);
}

#[test]
fn the_coordinator_admits_once_with_the_pin_and_a_reason_written_in_the_audit() {
    let (_d, _p, mut desk) = desk();
    let id = register(&mut desk, "Ann", "Pending", "delegate");
    let press = register(&mut desk, "Pat", "Press", "press");
    require(&mut desk, true);
    let closed = desk
        .add_session(&SessionInput {
            day: Some(1),
            start: Some("09:00".into()),
            end: Some("10:00".into()),
            title: Some("Closed session".into()),
            ..Default::default()
        })
        .unwrap()
        .id;
    desk.set_pin(None, "246810").unwrap();
    desk.lock();
    let before = desk.revision().unwrap();
    assert!(matches!(
        desk.admit_unvetted(id, Some(1), None, "Known to the chief"),
        Err(Error::CoordinatorOnly(_))
    ));
    match desk.admit_unvetted(id, Some(1), None, "   ") {
        Err(Error::Validation { issues }) => assert_eq!(issues[0].field, "reason"),
        other => panic!("{other:?}"),
    }
    assert_eq!(desk.revision().unwrap(), before);
    desk.unlock("246810").unwrap();
    let out = desk.admit_unvetted(id, Some(1), None, "Known to the chief of security").unwrap();
    assert_eq!(out.result, Arrival::CheckedIn, "{}", out.message);
    assert!(
        out.message.contains("Security vetting pending: admitted once by the coordinator"),
        "{}",
        out.message
    );
    let rows = desk
        .audit_trail(&AuditFilter { action: Some("vetting.override".into()), ..Default::default() })
        .unwrap();
    assert_eq!(rows.len(), 1);
    let record = rows[0].after.as_ref().unwrap().to_string();
    assert!(record.contains("Known to the chief of security") && record.contains("pending"), "{record}");
    // Once: the state is unchanged and the next day is refused again.
    assert_eq!(desk.attendee(id).unwrap().vetting.state, VettingState::Pending);
    let out = writes_nothing(&mut desk, |d| d.check_in(id, Some(2)).unwrap());
    assert_eq!(out.result, Arrival::Refused);
    // Each such admission asks for the PIN again: the desk closed behind the coordinator.
    assert!(matches!(desk.admit_unvetted(id, Some(2), None, "Again"), Err(Error::CoordinatorOnly(_))));
    // Open for something else, the desk still does not admit: the PIN is typed for the
    // admission itself, not left open by an earlier coordinator action.
    desk.unlock("246810").unwrap();
    desk.set_allocation("Jamaica", "10").unwrap();
    let before = desk.revision().unwrap();
    match desk.admit_unvetted(id, Some(2), None, "Rides on an earlier PIN") {
        Err(Error::CoordinatorOnly(m)) => {
            assert!(m.contains("needs the coordinator PIN entered for it"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(desk.revision().unwrap(), before);
    desk.unlock("246810").unwrap();
    // The override is for vetting only: the press at a closed session is still refused.
    let out =
        writes_nothing(&mut desk, |d| d.admit_unvetted(press, None, Some(closed), "VIP escort").unwrap());
    assert_eq!(out.result, Arrival::Refused);
    assert!(out.message.contains("closed to the press"), "{}", out.message);
    assert_eq!(actions(&desk, "vetting.override"), 1);
    // Turning the vetting off for everyone (then checking in anyone) rides on no earlier PIN
    // either; any other change of the settings does.
    desk.unlock("246810").unwrap();
    desk.set_allocation("Jamaica", "11").unwrap();
    let off = EventInput { require_vetting: Some("off".into()), ..Default::default() };
    let before = desk.revision().unwrap();
    match desk.update_event(&off) {
        Err(Error::CoordinatorOnly(m)) => {
            assert!(m.contains("Turning off the security vetting") && m.contains("entered for it"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(desk.revision().unwrap(), before);
    assert!(desk.event().unwrap().require_vetting);
    desk.unlock("246810").unwrap();
    desk.set_allocation("Jamaica", "12").unwrap();
    desk.update_event(&EventInput { capacity: Some("120".into()), ..Default::default() }).unwrap();
    desk.unlock("246810").unwrap();
    desk.update_event(&off).unwrap();
    assert!(!desk.event().unwrap().require_vetting);
}

/// Who a cleared person is was cleared: their names, badge name, delegation and email change
/// only with the PIN (a desk could otherwise turn them into anyone, who would walk in as
/// cleared with the same badge); a title changes freely, and so does anyone not cleared.
#[test]
fn who_a_cleared_person_is_changes_only_with_the_pin() {
    let (_d, _p, mut desk) = desk();
    let bob = register(&mut desk, "Bob", "Cleared", "delegate");
    let ann = register(&mut desk, "Ann", "Pending", "delegate");
    desk.edit(bob, &AttendeeInput { email: Some("josé@gob.do".into()), ..Default::default() }).unwrap();
    require(&mut desk, true);
    desk.set_pin(None, "246810").unwrap();
    desk.set_vetting(bob, "cleared", None).unwrap();
    desk.lock();
    let before = desk.revision().unwrap();
    let changes = [
        AttendeeInput { given_name: Some("Eve".into()), ..Default::default() },
        AttendeeInput { family_name: Some("Intruder".into()), ..Default::default() },
        AttendeeInput { badge_name: Some("Eve Intruder".into()), ..Default::default() },
        AttendeeInput { delegation: Some("Belize".into()), ..Default::default() },
        AttendeeInput { email: Some("eve@example.org".into()), ..Default::default() },
        // Another address, though it differs by an accent alone.
        AttendeeInput { email: Some("jose@gob.do".into()), ..Default::default() },
        AttendeeInput { rank: Some("Gen.".into()), ..Default::default() },
        AttendeeInput { category: Some("vip".into()), ..Default::default() },
    ];
    for change in &changes {
        match desk.edit(bob, change) {
            Err(Error::CoordinatorOnly(m)) => {
                assert!(m.contains("Bob Cleared, whose security vetting is cleared"), "{m}")
            }
            other => panic!("{change:?}: {other:?}"),
        }
    }
    assert_eq!(desk.revision().unwrap(), before, "refused, nothing written");
    assert_eq!(desk.attendee(bob).unwrap().fields.given_name, "Bob");
    // The same person: a title, or letter case, needs no PIN; nor does a person not cleared.
    desk.edit(bob, &AttendeeInput { position: Some("Chief of staff".into()), ..Default::default() }).unwrap();
    let email = desk.attendee(bob).unwrap().fields.email.to_uppercase();
    desk.edit(
        bob,
        &AttendeeInput { delegation: Some("JAMAICA".into()), email: Some(email), ..Default::default() },
    )
    .unwrap();
    desk.edit(ann, &AttendeeInput { given_name: Some("Anne".into()), ..Default::default() }).unwrap();
    // With the PIN: changed, and still cleared (the coordinator decided).
    desk.unlock("246810").unwrap();
    let after = desk.edit(bob, &changes[0]).unwrap();
    assert_eq!((after.fields.given_name.as_str(), after.vetting.state), ("Eve", VettingState::Cleared));
}

#[test]
fn the_import_reads_a_vetting_column_names_bad_values_and_updates_only_when_asked() {
    let (_d, _p, mut desk) = desk();
    let csv = "given_name,family_name,delegation,category,Security vetting,Vetting note\n\
               Ann,Cleared,Belize,delegate,Cleared,Host list\n\
               Bo,Refused,Belize,delegate,denied,\n\
               Cy,Blank,Belize,delegate,,\n";
    let out = desk.import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(out.invited, 3, "{}", out.message);
    let state = |desk: &Desk, name: &str| {
        let a = desk.list(&ListFilter { name: Some(name.into()), ..Default::default() }).unwrap().remove(0);
        (a.vetting.state, a.vetting.note)
    };
    assert_eq!(state(&desk, "Ann Cleared"), (VettingState::Cleared, "Host list".into()));
    assert_eq!(state(&desk, "Bo Refused"), (VettingState::Refused, String::new()));
    assert_eq!(state(&desk, "Cy Blank"), (VettingState::Pending, String::new()));
    assert_eq!(actions(&desk, "vetting"), 2);
    // A value that is no state: the row is named, nothing imported.
    let before = desk.revision().unwrap();
    let bad = "given_name,family_name,delegation,category,vetting\nDee,New,Belize,delegate,probably\n";
    let preview = desk.import_preview(bad.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        (preview.invalid, preview.errors[0].line, preview.errors[0].field.as_str()),
        (1, 2, "vetting")
    );
    assert!(preview.errors[0].message.contains("probably"), "{:?}", preview.errors);
    assert!(desk.import(bad.as_bytes(), &ImportOptions::default()).is_err());
    assert_eq!(desk.revision().unwrap(), before);
    // Security's new list: Cy cleared. A change, shown in the preview, applied only when asked.
    let again = "given_name,family_name,delegation,category,vetting\nCy,Blank,Belize,delegate,cleared\n";
    let preview = desk.import_preview(again.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.changed, 1);
    let change = &preview.changes[0].changes;
    assert_eq!(
        (change[0].field.as_str(), change[0].before.as_str(), change[0].after.as_str()),
        ("vetting", "pending", "cleared")
    );
    desk.import(again.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(state(&desk, "Cy Blank").0, VettingState::Pending);
    let update = ImportOptions { update_existing: true, ..Default::default() };
    assert_eq!(desk.import(again.as_bytes(), &update).unwrap().updated, 1);
    assert_eq!(state(&desk, "Cy Blank").0, VettingState::Cleared);
    // The same list once more: nothing changed.
    assert_eq!(desk.import_preview(again.as_bytes(), &update).unwrap().present, 1);
}

#[test]
fn the_list_filters_by_vetting_and_the_security_roster_carries_it() {
    let (dir, _p, mut desk) = desk();
    let a = register(&mut desk, "Ann", "Cleared", "delegate");
    register(&mut desk, "Bo", "Pending", "delegate");
    desk.set_vetting(a, "cleared", Some("=HYPERLINK(\"x\")")).unwrap();
    let names = |desk: &Desk, v: &str| -> Vec<String> {
        desk.list(&ListFilter { vetting: Some(v.into()), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|a| a.fields.given_name)
            .collect()
    };
    assert_eq!(names(&desk, "cleared"), ["Ann"]);
    assert_eq!(names(&desk, "Pending"), ["Bo"]);
    assert!(names(&desk, "refused").is_empty());
    assert!(matches!(
        desk.list(&ListFilter { vetting: Some("maybe".into()), ..Default::default() }),
        Err(Error::Validation { .. })
    ));
    let out = dir.path().join("security.csv");
    desk.export_roster(
        &ExportRequest {
            format: Format::Csv,
            filter: RosterFilter::default(),
            columns: "security".into(),
            sheet_per_preset: false,
        },
        &out,
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().ends_with("Category,Vetting,Vetting note"), "{text}");
    // The note is a cell that a spreadsheet would run: written as text.
    assert!(
        text.contains("Ann Cleared,,Col.,Jamaica,,Delegate,cleared,\"'=HYPERLINK(\"\"x\"\")\""),
        "{text}"
    );
    assert!(text.contains("Bo Pending,,Col.,Jamaica,,Delegate,pending,\r\n"), "{text}");
}

/// One save that raises the capacity and turns vetting on says both: the operator is told who
/// will now be held back, not only the seats.
#[test]
fn a_save_that_raises_the_capacity_and_requires_vetting_says_both() {
    let (_d, _p, mut desk) = desk();
    register(&mut desk, "Ann", "Pending", "delegate");
    let input = delegate_desk::EventInput {
        capacity: Some("150".into()),
        require_vetting: Some("on".into()),
        ..Default::default()
    };
    let out = desk.update_event(&input).unwrap();
    assert!(out.message.contains("Capacity raised from 100 to 150"), "{}", out.message);
    assert!(
        out.message.contains("Security vetting is now required: 1 person not cleared"),
        "{}",
        out.message
    );
    let off = delegate_desk::EventInput {
        capacity: Some("200".into()),
        require_vetting: Some("off".into()),
        ..Default::default()
    };
    let out = desk.update_event(&off).unwrap();
    assert!(out.message.contains("no longer required"), "{}", out.message);
}

/// What the Event settings form sends: every setting as shown, strings as typed.
fn form_of(e: &delegate_desk::Event) -> EventInput {
    EventInput {
        name: Some(e.name.clone()),
        venue: Some(e.venue.clone()),
        start_date: Some(e.start_date.to_string()),
        end_date: Some(e.end_date.to_string()),
        timezone: Some(e.timezone.clone()),
        capacity: Some(e.capacity.to_string()),
        themes: Some(
            e.days
                .iter()
                .map(|d| delegate_desk::model::DayTheme { day: d.day, theme: d.theme.clone() })
                .collect(),
        ),
        require_vetting: Some(if e.require_vetting { "on" } else { "off" }.into()),
        loaded: None,
    }
}

/// An Event settings form left open while another desk saves does not put back what it still
/// shows: vetting turned on elsewhere stays on when the stale form is saved for its name, and
/// the venue changed elsewhere stays. A setting changed at both desks refuses the whole save,
/// naming it and its stored value, and changes nothing; sent again with the stored settings as
/// loaded, it is saved. Turning vetting off on purpose from such a form still needs the PIN.
#[test]
fn a_stale_event_form_changes_only_what_was_typed_in_it() {
    let (_d, path, mut a) = desk();
    a.set_pin(None, "246810").unwrap();
    a.unlock("246810").unwrap();
    let mut b = Desk::open(&path).unwrap();
    b.unlock("246810").unwrap();
    let shown = a.event().unwrap();
    assert!(!shown.require_vetting);
    // Desk B turns vetting on and moves the venue while desk A's form is open.
    b.update_event(&EventInput {
        require_vetting: Some("on".into()),
        venue: Some("Hyatt Regency, Port of Spain".into()),
        ..Default::default()
    })
    .unwrap();
    let mut typed = form_of(&shown);
    typed.name = Some("Caribbean Security Conference 2027".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    let out = a.update_event(&typed).unwrap();
    let now = a.event().unwrap();
    assert_eq!(now.name, "Caribbean Security Conference 2027", "{}", out.message);
    assert!(now.require_vetting, "the stale form's \"off\" turned vetting off");
    assert_eq!(now.venue, "Hyatt Regency, Port of Spain");
    assert_eq!(out.event, now);

    // Both desks change the capacity: refused, naming it, nothing written.
    let shown = a.event().unwrap();
    b.update_event(&EventInput { capacity: Some("110".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.capacity = Some("120".into());
    typed.venue = Some("Hilton Trinidad".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    let before = a.revision().unwrap();
    match a.update_event(&typed) {
        Err(Error::Stale { message: m, typed }) => {
            assert_eq!(typed, ["venue", "capacity"]);
            assert!(m.contains("the capacity (now 110)") && m.contains("Nothing was saved"), "{m}");
            assert!(!m.contains("venue"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.revision().unwrap(), before);
    let stored = a.event().unwrap();
    assert_eq!((stored.capacity, stored.venue.as_str()), (110, "Hyatt Regency, Port of Spain"));
    // Saved again with the settings as they are now as loaded: the operator's values win.
    typed.loaded = Some(Box::new(form_of(&stored)));
    a.update_event(&typed).unwrap();
    let stored = a.event().unwrap();
    assert_eq!((stored.capacity, stored.venue.as_str()), (120, "Hilton Trinidad"));

    // The same capacity typed at both desks: no conflict.
    let shown = a.event().unwrap();
    b.update_event(&EventInput { capacity: Some("125".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.capacity = Some("125".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    a.update_event(&typed).unwrap();
    assert_eq!(a.event().unwrap().capacity, 125);

    // A day's theme changed at both desks.
    let shown = a.event().unwrap();
    b.update_event(&EventInput {
        themes: Some(vec![delegate_desk::model::DayTheme { day: 1, theme: "Maritime security".into() }]),
        ..Default::default()
    })
    .unwrap();
    let mut typed = form_of(&shown);
    typed.themes.as_mut().unwrap()[0].theme = "Border control".into();
    typed.loaded = Some(Box::new(form_of(&shown)));
    match a.update_event(&typed) {
        Err(Error::Stale { message: m, typed }) => {
            assert_eq!(typed, ["themes.1"]);
            assert!(m.contains("the theme of day 1 (now “Maritime security”)"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.event().unwrap().days[0].theme, "Maritime security");
    // Another day's theme, not touched at B, is taken.
    if shown.days.len() > 1 {
        let mut typed = form_of(&shown);
        typed.themes.as_mut().unwrap()[1].theme = "Cyber".into();
        typed.loaded = Some(Box::new(form_of(&shown)));
        a.update_event(&typed).unwrap();
        let days = a.event().unwrap().days;
        assert_eq!((days[0].theme.as_str(), days[1].theme.as_str()), ("Maritime security", "Cyber"));
    }

    // Unchanged from what was loaded: nothing to save, whatever another desk did.
    let shown = a.event().unwrap();
    b.update_event(&EventInput { capacity: Some("130".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.loaded = Some(Box::new(form_of(&shown)));
    let before = a.revision().unwrap();
    assert_eq!(a.update_event(&typed).unwrap().message, "No change");
    assert_eq!(a.revision().unwrap(), before);
    assert_eq!(a.event().unwrap().capacity, 130);

    // Loaded values that carry their own: refused as input.
    let mut nested = form_of(&shown);
    nested.loaded = Some(Box::new(form_of(&shown)));
    let mut typed = form_of(&shown);
    typed.loaded = Some(Box::new(nested));
    match a.update_event(&typed) {
        Err(Error::Validation { issues }) => assert_eq!(issues[0].field, "loaded"),
        other => panic!("{other:?}"),
    }
    // A loaded value that cannot be read is compared as written: the 125 typed differs from it
    // and from the 130 stored, so it is a conflict, and nothing is saved.
    let mut bad = form_of(&shown);
    bad.capacity = Some("lots".into());
    let mut typed = form_of(&shown);
    typed.loaded = Some(Box::new(bad));
    match a.update_event(&typed) {
        Err(Error::Stale { message: m, .. }) => assert!(m.contains("the capacity (now 130)"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(a.revision().unwrap(), before);

    // Turning vetting off on purpose from a form filled while it was on: the PIN typed for it.
    let shown = a.event().unwrap();
    let mut typed = form_of(&shown);
    typed.require_vetting = Some("off".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    a.update_event(&EventInput { capacity: Some("131".into()), ..Default::default() }).unwrap();
    match a.update_event(&typed) {
        Err(Error::CoordinatorOnly(m)) => assert!(m.contains("Turning off the security vetting"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(a.event().unwrap().require_vetting);
    a.unlock("246810").unwrap();
    a.update_event(&typed).unwrap();
    let stored = a.event().unwrap();
    assert!(!stored.require_vetting);
    // The capacity this form still showed (130) did not undo the save in between (131).
    assert_eq!(stored.capacity, 131);
}

/// What a stale form means and what it does not: a setting typed so that it means what was
/// loaded (" 125" for 125) is no change, and the other desk's value stays; a day the form
/// showed without a theme, left empty while another desk gave it one, is no change either;
/// both desks typing the same value is no conflict.
#[test]
fn a_stale_event_form_takes_what_means_the_same_as_loaded_for_no_change() {
    let (_d, path, mut a) = desk();
    let mut b = Desk::open(&path).unwrap();
    let shown = a.event().unwrap();
    assert_eq!(shown.days.len(), 2, "the seed event has two days");
    b.update_event(&EventInput {
        capacity: Some("140".into()),
        end_date: Some((shown.end_date + chrono::Duration::days(1)).to_string()),
        themes: Some(vec![delegate_desk::model::DayTheme { day: 3, theme: "Gala".into() }]),
        ..Default::default()
    })
    .unwrap();
    // Desk A's form: the capacity re-typed with spaces, the same third day added, its theme
    // left empty, and the venue changed.
    let mut typed = form_of(&shown);
    typed.capacity = Some(format!(" {} ", shown.capacity));
    typed.end_date = Some((shown.end_date + chrono::Duration::days(1)).to_string());
    typed.themes.as_mut().unwrap().push(delegate_desk::model::DayTheme { day: 3, theme: String::new() });
    typed.venue = Some("Hilton Trinidad".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    let out = a.update_event(&typed).unwrap();
    assert_eq!(out.event.capacity, 140, "the capacity re-typed as it was loaded undid the other desk's");
    assert_eq!(out.event.days.len(), 3);
    assert_eq!(out.event.days[2].theme, "Gala", "an empty theme the form never had erased the other desk's");
    assert_eq!(out.event.venue, "Hilton Trinidad");
}

/// A setting stored as an older version allowed and today's rules refuse (a time zone that is
/// none) does not lock the form: the form loaded with it saves, and corrects it.
#[test]
fn a_stale_event_form_loaded_with_a_value_refused_today_still_saves() {
    let (_d, path, mut a) = desk();
    if common::on_postgres() {
        return; // Written by hand into the file below; the server's copy is the same code.
    }
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE event SET timezone = 'Eastern' WHERE id = 1", []).unwrap();
    drop(c);
    let shown = a.event().unwrap();
    assert_eq!(shown.timezone, "Eastern");
    let mut typed = form_of(&shown);
    typed.name = Some("Regional Security Summit".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    assert_eq!(a.update_event(&typed).unwrap().event.name, "Regional Security Summit");
    let shown = a.event().unwrap();
    let mut typed = form_of(&shown);
    typed.timezone = Some("America/Port_of_Spain".into());
    typed.loaded = Some(Box::new(form_of(&shown)));
    assert_eq!(a.update_event(&typed).unwrap().event.timezone, "America/Port_of_Spain");
}

/// A vetting form filled before security refused the person at another desk: its save (the
/// state it still shows, "cleared", with a note) is refused as stale and writes nothing; the
/// refusal stands. Saved again from what is stored now, it is done. A rename since the form
/// was filled is a change too: the person cleared may no longer be the one security saw.
#[test]
fn a_vetting_form_filled_before_another_desk_changed_it_is_refused() {
    use delegate_desk::vetting::VettingSeen;
    let (_d, path, mut desk) = desk();
    let id = register(&mut desk, "Pat", "Watch", "delegate");
    desk.set_vetting(id, "cleared", Some("passport seen")).unwrap();
    let seen_now = |d: &Desk| {
        let a = d.attendee(id).unwrap();
        VettingSeen {
            display_name: a.display_name,
            state: a.vetting.state.wire().into(),
            note: a.vetting.note,
            at: a.vetting.at,
        }
    };
    let filled = seen_now(&desk);
    // Security, at another desk.
    let mut security = Desk::open(&path).unwrap();
    security.set_vetting(id, "refused", Some("on watch list")).unwrap();
    let before = desk.revision().unwrap();
    let e = desk.set_vetting_seen(id, "cleared", Some("passport checked"), Some(&filled)).unwrap_err();
    assert!(matches!(e, Error::Stale { .. }), "{e:?}");
    assert!(e.to_string().contains("now refused") && e.to_string().contains("on watch list"), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "nothing written");
    let a = desk.attendee(id).unwrap();
    assert_eq!((a.vetting.state, a.vetting.note.as_str()), (VettingState::Refused, "on watch list"));
    // From what is stored now: done.
    let out = desk.set_vetting_seen(id, "cleared", Some("checked again"), Some(&seen_now(&desk))).unwrap();
    assert!(out.changed);
    // Renamed since the form was filled (a pending person may be renamed without the PIN).
    desk.set_vetting(id, "pending", None).unwrap();
    let filled = seen_now(&desk);
    security.edit(id, &AttendeeInput { given_name: Some("Patricia".into()), ..Default::default() }).unwrap();
    let e = desk.set_vetting_seen(id, "cleared", None, Some(&filled)).unwrap_err();
    assert!(matches!(e, Error::Stale { .. }), "{e:?}");
    assert_eq!(desk.attendee(id).unwrap().vetting.state, VettingState::Pending);
}
