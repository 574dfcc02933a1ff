//! Registration, edits, duplicates, search and the audit trail, through the core's public API.

mod common;

use common::{desk, nth, person};
use delegate_desk::{AttendeeInput, Category, Error, ListFilter, Status};

#[test]
fn text_is_stored_trimmed_and_composed_with_case_and_accents_kept() {
    let (_d, _p, mut desk) = desk();
    let input = AttendeeInput {
        given_name: Some("  He\u{301}le\u{300}ne ".into()),
        family_name: Some("van 't Hof".into()),
        category: Some("Co-host".into()),
        days: Some("Day 2".into()),
        ..Default::default()
    };
    let a = desk.register(&input).unwrap().attendee;
    assert_eq!(a.fields.given_name, "Hélène");
    assert_eq!(a.fields.family_name, "van 't Hof");
    assert_eq!(a.fields.category, Category::CoHost);
    assert_eq!(a.fields.days, vec![2]);
    let again = desk.attendee(a.id).unwrap();
    assert_eq!(again, a);
}

#[test]
fn duplicates_by_email_or_by_folded_name_in_the_same_delegation() {
    let (_d, _p, mut desk) = desk();
    let first = desk.register(&person("Hélène", "Dupré", "France")).unwrap().attendee;

    let same_email = AttendeeInput {
        email: Some("HELENE.DUPRE@EXAMPLE.ORG".into()),
        ..person("Other", "Person", "Canada")
    };
    let e = desk.register(&same_email).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("Col. Hélène Dupré (France)"), "{e}");
    assert!(e.to_string().contains(&format!("#{}, registered", first.id)), "{e}");

    let same_name =
        AttendeeInput { email: Some("other@example.org".into()), ..person("helene", "DUPRE", "france") };
    let e = desk.register(&same_name).unwrap_err();
    assert!(e.to_string().contains("same name in the same delegation"), "{e}");

    // The same name in another delegation is another person.
    let other =
        AttendeeInput { email: Some("h2@example.org".into()), ..person("Hélène", "Dupré", "Canada") };
    desk.register(&other).unwrap();
    assert_eq!(desk.status().unwrap().registered, 2);
}

#[test]
fn a_refused_registration_writes_nothing() {
    let (_d, _p, mut desk) = desk();
    let before = desk.revision().unwrap();
    let bad = AttendeeInput { email: Some("not-an-email".into()), ..nth(1) };
    let e = desk.register(&bad).unwrap_err();
    assert_eq!(e.field(), Some("email"));
    assert_eq!(desk.revision().unwrap(), before);
    assert!(desk.list(&ListFilter::default()).unwrap().is_empty());
}

#[test]
fn edit_changes_fields_keeps_status_and_checks_duplicates() {
    let (_d, _p, mut desk) = desk();
    let a = desk.register(&nth(1)).unwrap().attendee;
    let b = desk.register(&nth(2)).unwrap().attendee;
    let edited = desk
        .edit(
            a.id,
            &AttendeeInput {
                badge_name: Some("Gen. X".into()),
                dietary: Some("halal".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.fields.badge_name.as_deref(), Some("Gen. X"));
    assert_eq!(edited.fields.given_name, a.fields.given_name);
    assert_eq!(edited.status, Status::Registered);

    let e = desk
        .edit(b.id, &AttendeeInput { email: a.fields.email.clone().into(), ..Default::default() })
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)));
    let e =
        desk.edit(b.id, &AttendeeInput { phone: Some("phone".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("phone"));
    assert_eq!(desk.attendee(b.id).unwrap(), b, "refused edits change nothing");
    assert!(matches!(desk.edit(404, &AttendeeInput::default()).unwrap_err(), Error::NotFound(_)));
}

/// A day is not taken off a person checked in for it (the check-in would stay in force on a
/// day they are no longer down for); any other day is, and so is that one once undone.
#[test]
fn an_edit_keeps_the_days_someone_is_checked_in_for() {
    let (_d, _p, mut desk) = desk();
    let a = desk.register(&AttendeeInput { days: Some("1,2".into()), ..nth(1) }).unwrap().attendee;
    desk.check_in(a.id, Some(1)).unwrap();
    let before = desk.revision().unwrap();
    let e = desk.edit(a.id, &AttendeeInput { days: Some("2".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("days"), "{e:?}");
    assert!(e.to_string().contains("is checked in for day 1"), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "refused, nothing written");
    desk.edit(a.id, &AttendeeInput { days: Some("1".into()), ..Default::default() }).unwrap();
    desk.undo_check_in(a.id, 1, "wrong person").unwrap();
    let after = desk.edit(a.id, &AttendeeInput { days: Some("2".into()), ..Default::default() }).unwrap();
    assert_eq!(after.fields.days, vec![2]);
}

#[test]
fn search_folds_case_and_accents_and_filters_combine() {
    let (_d, _p, mut desk) = desk();
    desk.register(&person("Hélène", "Dupré-Bâtard", "France")).unwrap();
    desk.register(&person("Łukasz", "Żółć", "Canada")).unwrap();
    desk.register(&AttendeeInput { category: Some("Press".into()), ..person("Zoë", "O'Brien", "Press") })
        .unwrap();
    let names = |f: ListFilter| -> Vec<String> {
        desk.list(&f).unwrap().into_iter().map(|a| a.fields.given_name).collect()
    };
    assert_eq!(names(ListFilter { name: Some("helene".into()), ..Default::default() }), ["Hélène"]);
    assert_eq!(names(ListFilter { name: Some("ZOLC".into()), ..Default::default() }), ["Łukasz"]);
    assert_eq!(names(ListFilter { name: Some("o'b".into()), ..Default::default() }), ["Zoë"]);
    assert_eq!(names(ListFilter { category: Some("press".into()), ..Default::default() }), ["Zoë"]);
    assert_eq!(names(ListFilter { delegation: Some("FRANCE".into()), ..Default::default() }), ["Hélène"]);
    assert_eq!(names(ListFilter { name: Some("%".into()), ..Default::default() }), Vec::<String>::new());
    // Sorted by family name, accents ignored.
    assert_eq!(names(ListFilter::default()), ["Hélène", "Zoë", "Łukasz"]);
    let e = desk.list(&ListFilter { status: Some("gone".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("status"));
}

#[test]
fn every_change_is_audited_with_before_and_after() {
    let (_d, _p, mut desk) = desk();
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.edit(a.id, &AttendeeInput { position: Some("Chief of Staff".into()), ..Default::default() })
        .unwrap();
    desk.cancel(a.id).unwrap();
    let h = desk.history(a.id).unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["register", "edit", "cancel"]);
    assert!(h.iter().all(|e| e.operator == "desk" && e.at.ends_with('Z')));
    assert_eq!(h[1].before.as_ref().unwrap()["position"], "");
    assert_eq!(h[1].after.as_ref().unwrap()["position"], "Chief of Staff");
    assert_eq!(h[2].after.as_ref().unwrap()["status"], "cancelled");
}

#[test]
fn delegations_offer_the_known_ones_and_those_typed() {
    let (_d, _p, mut desk) = desk();
    let before = desk.delegations().unwrap();
    assert!(before.contains(&"Curaçao".to_string()));
    assert!(before.contains(&"CARICOM IMPACS".to_string()));
    desk.register(&person("A", "B", "Interpol")).unwrap();
    desk.register(&person("C", "D", "jamaica")).unwrap();
    let after = desk.delegations().unwrap();
    assert!(after.contains(&"Interpol".to_string()));
    assert_eq!(after.len(), before.len() + 1, "jamaica folds into Jamaica");
    // Spelled as the known list spells it, whatever was typed first; a delegation the list
    // does not know, as most of its people were typed.
    desk.register(&person("E", "F", "JAMAICA")).unwrap();
    desk.register(&person("G", "H", "INTERPOL")).unwrap();
    desk.register(&person("I", "J", "Interpol")).unwrap();
    let after = desk.delegations().unwrap();
    assert!(after.contains(&"Jamaica".to_string()) && !after.contains(&"JAMAICA".to_string()), "{after:?}");
    assert!(after.contains(&"Interpol".to_string()) && !after.contains(&"INTERPOL".to_string()), "{after:?}");
    assert_eq!(after.len(), before.len() + 1);
    // An allocation takes that spelling.
    desk.set_allocation("JAMAICA", "2").unwrap();
    assert_eq!(desk.allocations().unwrap().allocations[0].delegation, "Jamaica");
}

#[test]
fn demo_event_on_a_new_database() {
    let (_d, _p, desk) = desk();
    let e = desk.event().unwrap();
    assert_eq!(e.name, "Caribbean Nations Security Conference (CANSEC) 2019");
    assert_eq!(e.venue, "U.S. Southern Command, Miami");
    assert_eq!(
        (e.start_date.to_string(), e.end_date.to_string()),
        ("2019-11-14".into(), "2019-11-15".into())
    );
    assert_eq!(e.days[0].theme, "Disaster response and humanitarian assistance");
    assert_eq!(e.days[1].theme, "Countering transnational threats");
    assert_eq!(e.capacity, 100);
}

/// The delegation filter as it is typed: the start of any word of the delegation, case and
/// accents ignored; a LIKE wildcard typed is a character, not a wildcard.
#[test]
fn the_delegation_filter_matches_as_it_is_typed() {
    let (_dir, _path, mut desk) = common::desk();
    for (n, d) in
        ["Jamaica", "Dominica", "Dominican Republic", "Curaçao", "100% Island", "Trinidad_and Tobago"]
            .iter()
            .enumerate()
    {
        desk.register(&common::person(&format!("G{n}"), &format!("F{n}"), d)).unwrap();
    }
    let found = |typed: &str| -> Vec<String> {
        desk.list(&ListFilter { delegation_starts: Some(typed.into()), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|a| a.fields.delegation)
            .collect()
    };
    assert_eq!(found("jam"), ["Jamaica"]);
    assert_eq!(found("DOMIN"), ["Dominica", "Dominican Republic"]);
    assert_eq!(found("rep"), ["Dominican Republic"]);
    assert_eq!(found("cura"), ["Curaçao"]);
    assert_eq!(found("curac"), ["Curaçao"]);
    assert_eq!(found("%"), Vec::<String>::new(), "a percent sign starts no word");
    assert_eq!(found("100%"), ["100% Island"]);
    assert_eq!(found("_"), Vec::<String>::new());
    assert_eq!(found("ica"), Vec::<String>::new(), "the middle of a word is not its start");
    assert_eq!(found("  ").len(), 6, "blank is no filter");
    // The exact filter (rosters) still means exactly that delegation.
    let exact = desk.list(&ListFilter { delegation: Some("dominica".into()), ..Default::default() }).unwrap();
    assert_eq!(exact.len(), 1);
}

/// A delegation typed on a form is checked against the known ones: the start of one, or a
/// near miss of a longer name, is suggested; a known one (any case or accents) is known; a
/// truly new one has no suggestion.
#[test]
fn a_delegation_typed_is_checked_against_the_known_ones() {
    let (_dir, _path, mut desk) = common::desk();
    for (n, d) in ["France", "Jamaica", "Curaçao", "Dominica", "Dominican Republic"].iter().enumerate() {
        desk.register(&common::person(&format!("G{n}"), &format!("F{n}"), d)).unwrap();
    }
    let check = |t: &str| {
        let c = desk.check_delegation(t).unwrap();
        (c.known, c.suggestion)
    };
    assert_eq!(check("Fra"), (false, Some("France".into())));
    assert_eq!(check("fr"), (false, Some("France".into())));
    assert_eq!(check("FRANCE"), (true, None));
    assert_eq!(check("curacao"), (true, None));
    assert_eq!(check("Jamiaca"), (false, Some("Jamaica".into())));
    assert_eq!(check("Domin"), (false, Some("Dominica".into())), "the shortest that starts so");
    assert_eq!(check("Peru"), (false, None), "four letters, nothing near");
    assert_eq!(check("Fr4nce"), (false, Some("France".into())));
    assert_eq!(check("Cub"), (false, None), "three letters are not corrected, only completed");
    assert_eq!(check("   "), (true, None));
    assert_eq!(check(&"x".repeat(10_000)), (false, None));
}

/// What the attendee panel sends as the form it was filled with: every field as shown.
fn form_of(a: &delegate_desk::Attendee) -> AttendeeInput {
    let f = &a.fields;
    let yes_no = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
    AttendeeInput {
        rank: Some(f.rank.clone()),
        given_name: Some(f.given_name.clone()),
        family_name: Some(f.family_name.clone()),
        badge_name: Some(f.badge_name.clone().unwrap_or_default()),
        position: Some(f.position.clone()),
        organization: Some(f.organization.clone()),
        delegation: Some(f.delegation.clone()),
        category: Some(f.category.wire().to_string()),
        email: Some(f.email.clone()),
        phone: Some(f.phone.clone()),
        days: Some(f.days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
        dietary: Some(f.dietary.clone()),
        accessibility: Some(f.accessibility.clone()),
        notes: Some(f.notes.clone()),
        head_of_delegation: yes_no(f.head_of_delegation),
        notify_protocol: yes_no(f.notify_protocol),
    }
}

/// An attendee's panel left open while another desk saves the same person: its save takes
/// only the fields typed in it, and the other desk's e-mail and phone stay. A field changed at
/// both desks refuses the whole save, naming it with the value stored, and writes nothing;
/// sent again with the person as stored now, it is saved. A cleared person's stale e-mail is
/// not sent back either, so an edit of their position asks no PIN.
#[test]
fn a_stale_attendee_form_changes_only_what_was_typed_in_it() {
    let (_d, path, mut a) = desk();
    let id = a.register(&person("Ann", "Archer", "Jamaica")).unwrap().attendee.id;
    let mut b = delegate_desk::Desk::open(&path).unwrap();
    let shown = a.attendee(id).unwrap();
    b.edit(
        id,
        &AttendeeInput {
            email: Some("ann@mod.gov.jm".into()),
            phone: Some("+1 876 555 0100".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut typed = form_of(&shown);
    typed.position = Some("Chief of Defence Staff".into());
    let saved = a.edit_from(id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!(saved.fields.position, "Chief of Defence Staff");
    assert_eq!(
        (saved.fields.email.as_str(), saved.fields.phone.as_str()),
        ("ann@mod.gov.jm", "+1 876 555 0100")
    );

    // The phone, changed at both desks.
    let shown = a.attendee(id).unwrap();
    b.edit(id, &AttendeeInput { phone: Some("+1 876 555 0199".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.phone = Some("+1 876 555 0111".into());
    typed.dietary = Some("Halal".into());
    let before = a.revision().unwrap();
    match a.edit_from(id, &typed, Some(&form_of(&shown))) {
        Err(Error::Stale { message: m, typed }) => {
            // The fields typed here, as the window keeps them after the conflict.
            assert_eq!(typed, ["phone", "dietary"]);
            assert!(
                m.contains("the phone (now “+1 876 555 0199”)") && m.contains("Nothing was saved"),
                "{m}"
            );
            assert!(!m.contains("dietary"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.revision().unwrap(), before);
    let stored = a.attendee(id).unwrap();
    assert_eq!((stored.fields.phone.as_str(), stored.fields.dietary.as_str()), ("+1 876 555 0199", ""));
    let saved = a.edit_from(id, &typed, Some(&form_of(&stored))).unwrap();
    assert_eq!((saved.fields.phone.as_str(), saved.fields.dietary.as_str()), ("+1 876 555 0111", "Halal"));

    // The days and a flag, changed at both desks: both named.
    let shown = a.attendee(id).unwrap();
    b.edit(
        id,
        &AttendeeInput { days: Some("1".into()), notify_protocol: Some("yes".into()), ..Default::default() },
    )
    .unwrap();
    let mut typed = form_of(&shown);
    typed.days = Some("2".into());
    typed.notify_protocol = Some("yes".into());
    typed.head_of_delegation = Some("yes".into());
    match a.edit_from(id, &typed, Some(&form_of(&shown))) {
        Err(Error::Stale { message: m, typed }) => {
            assert_eq!(typed, ["days", "headOfDelegation", "notifyProtocol"]);
            // Both desks asked protocol to be told: no conflict on that one.
            assert!(m.contains("the days (now 1)") && !m.contains("tell protocol"), "{m}");
            assert!(!m.contains("head of delegation"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    typed.days = Some("1".into());
    let saved = a.edit_from(id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!(
        (saved.fields.days.clone(), saved.fields.notify_protocol, saved.fields.head_of_delegation),
        (vec![1], true, true)
    );

    // Nothing typed differently: nothing written, whatever the other desk did.
    let shown = a.attendee(id).unwrap();
    b.edit(id, &AttendeeInput { notes: Some("Arrives by sea".into()), ..Default::default() }).unwrap();
    let before = a.revision().unwrap();
    let same = a.edit_from(id, &form_of(&shown), Some(&form_of(&shown))).unwrap();
    assert_eq!(same.fields.notes, "Arrives by sea");
    assert_eq!(a.revision().unwrap(), before);

    // Typed so that it means what was loaded (a space added to the notes the other desk
    // changed): no change, and the other desk's notes stay.
    let shown = a.attendee(id).unwrap();
    b.edit(id, &AttendeeInput { notes: Some("Arrives by air".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.notes = Some(format!("{} ", shown.fields.notes));
    typed.rank = Some("Gen.".into());
    let saved = a.edit_from(id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!((saved.fields.rank.as_str(), saved.fields.notes.as_str()), ("Gen.", "Arrives by air"));
    // A loaded value today's rules refuse is compared as written: no lock-out.
    let mut odd = form_of(&saved);
    odd.category = Some("general".into());
    let mut typed = form_of(&saved);
    typed.rank = Some("Maj. Gen.".into());
    assert_eq!(a.edit_from(id, &typed, Some(&odd)).unwrap().fields.rank, "Maj. Gen.");

    // A cleared person: the coordinator changes the e-mail at desk B; desk A's panel, opened
    // before, saves the position without the PIN and without putting the old e-mail back.
    a.set_pin(None, "246810").unwrap();
    a.set_vetting(id, "cleared", None).unwrap();
    a.lock();
    let shown = a.attendee(id).unwrap();
    b.unlock("246810").unwrap();
    b.edit(id, &AttendeeInput { email: Some("a.archer@jdf.mil.jm".into()), ..Default::default() }).unwrap();
    let mut typed = form_of(&shown);
    typed.position = Some("Chief of Staff".into());
    let saved = a.edit_from(id, &typed, Some(&form_of(&shown))).unwrap();
    assert_eq!(
        (saved.fields.position.as_str(), saved.fields.email.as_str()),
        ("Chief of Staff", "a.archer@jdf.mil.jm")
    );
    // Without what it was filled with, the old e-mail is sent back: that needs the PIN.
    typed.position = Some("Chief of Defence Staff".into());
    assert!(matches!(a.edit(id, &typed), Err(Error::CoordinatorOnly(_))));
}

/// A person down for a day the event no longer has (an older file; today's desk refuses to
/// shorten the event under them): the panel shows only the days that are, and loads them. An
/// edit of the phone leaves the days alone, even after another desk changed them, and is no
/// conflict; days chosen in the panel replace them all.
#[test]
fn a_day_the_panel_cannot_show_is_no_change_and_no_conflict() {
    let (_d, path, mut a) = common::file_desk();
    let id = a.register(&person("Ann", "Archer", "Jamaica")).unwrap().attendee.id;
    assert_eq!(a.event().unwrap().day_count(), 2);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE attendee SET days = '1,2,3' WHERE id = ?1", [id]).unwrap();
    drop(c);
    let stored = a.attendee(id).unwrap();
    assert_eq!(stored.fields.days, vec![1, 2, 3]);
    // The form, as the panel shows it: days 1 and 2.
    let mut shown = form_of(&stored);
    shown.days = Some("1,2".into());
    let mut b = delegate_desk::Desk::open(&path).unwrap();
    b.edit(id, &AttendeeInput { days: Some("1".into()), ..Default::default() }).unwrap();
    let mut typed = shown.clone();
    typed.phone = Some("+1 876 555 0100".into());
    let saved = a.edit_from(id, &typed, Some(&shown)).unwrap();
    assert_eq!((saved.fields.phone.as_str(), saved.fields.days.clone()), ("+1 876 555 0100", vec![1]));
    // Another hidden day, and the days chosen in the panel: they replace all.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE attendee SET days = '1,2,3' WHERE id = ?1", [id]).unwrap();
    drop(c);
    let mut typed = shown.clone();
    typed.days = Some("2".into());
    assert_eq!(a.edit_from(id, &typed, Some(&shown)).unwrap().fields.days, vec![2]);
}
