//! Protocol, pushed where it could break: the arrival of a VIP or of a person flagged "notify
//! protocol" opens one notice (not a second check-in, not a refusal, not a plain delegate);
//! another desk sees it at once and acknowledges it, with who and when in the audit; a second
//! acknowledgement is refused naming the first; an undone check-in closes its notice; the
//! flags typed, imported and exported; the order of precedence in lists and rosters. On both
//! engines (`DELEGATE_DESK_TEST_PG=1`).

mod common;

use common::{desk, person};
use delegate_desk::checkin::Arrival;
use delegate_desk::export::{ExportRequest, Format, RosterFilter};
use delegate_desk::import::ImportOptions;
use delegate_desk::programme::SessionInput;
use delegate_desk::{AttendeeInput, AuditFilter, Desk, Error, EventInput, ListFilter};

fn register(desk: &mut Desk, given: &str, family: &str, delegation: &str, category: &str) -> i64 {
    desk.register(&AttendeeInput { category: Some(category.into()), ..person(given, family, delegation) })
        .unwrap()
        .attendee
        .id
}

#[test]
fn a_vips_arrival_is_one_notice_every_desk_sees_until_someone_acknowledges_it() {
    let (_d, path, mut desk) = desk();
    let vip = register(&mut desk, "Kamla", "Minister", "Trinidad and Tobago", "vip");
    let flagged = desk
        .register(&AttendeeInput {
            notify_protocol: Some("yes".into()),
            ..person("Olu", "Flagged", "Jamaica")
        })
        .unwrap()
        .attendee
        .id;
    let plain = register(&mut desk, "Ann", "Plain", "Belize", "delegate");
    let out = desk.check_in(vip, Some(1)).unwrap();
    assert_eq!(out.result, Arrival::CheckedIn);
    assert!(out.message.ends_with("— protocol notified"), "{}", out.message);
    assert!(!desk.check_in(plain, Some(1)).unwrap().message.contains("protocol"));
    desk.check_in(flagged, Some(1)).unwrap();
    // A second check-in the same day is no new arrival.
    assert_eq!(desk.check_in(vip, Some(1)).unwrap().result, Arrival::AlreadyCheckedIn);
    let open = desk.protocol_notices(false).unwrap();
    let who: Vec<(i64, &str)> = open.iter().map(|n| (n.attendee_id, n.why.as_str())).collect();
    assert_eq!(who, [(vip, "VIP"), (flagged, "Notify protocol")]);
    assert_eq!(open[0].delegation, "Trinidad and Tobago");
    // Another desk sees them at once, and acknowledges the minister's.
    let mut other = Desk::open(&path).unwrap();
    other.set_operator("Protocol officer").unwrap();
    other.set_desk("Protocol desk").unwrap();
    assert_eq!(other.protocol_notices(false).unwrap().len(), 2);
    let ack = other.acknowledge_notice(open[0].id).unwrap();
    assert!(ack.message.contains("Kamla Minister"), "{}", ack.message);
    assert_eq!(ack.notice.closed_by.as_deref(), Some("Protocol officer"));
    assert_eq!(ack.notice.closed_how.as_deref(), Some("acknowledged"));
    // The first desk no longer shows it; a second acknowledgement says by whom it was.
    let left: Vec<i64> = desk.protocol_notices(false).unwrap().iter().map(|n| n.attendee_id).collect();
    assert_eq!(left, [flagged]);
    let before = desk.revision().unwrap();
    match desk.acknowledge_notice(open[0].id) {
        Err(Error::Conflict(m)) => {
            assert!(m.contains("already acknowledged by Protocol officer (Protocol desk)"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(desk.acknowledge_notice(9999), Err(Error::NotFound(_))));
    assert_eq!(desk.revision().unwrap(), before, "a refused acknowledgement wrote something");
    let acks =
        desk.audit_trail(&AuditFilter { action: Some("protocol.ack".into()), ..Default::default() }).unwrap();
    assert_eq!(
        (acks.len(), acks[0].operator.as_str(), acks[0].attendee_id),
        (1, "Protocol officer", Some(vip))
    );
    // Every notice, the closed one too, with --all.
    assert_eq!(desk.protocol_notices(true).unwrap().len(), 2);
    // The next day is a new arrival.
    desk.check_in(vip, Some(2)).unwrap();
    assert_eq!(desk.protocol_notices(false).unwrap().len(), 2);
}

#[test]
fn an_undone_arrival_closes_its_notice_and_a_refusal_opens_none() {
    let (_d, _p, mut desk) = desk();
    let vip = register(&mut desk, "Kamla", "Minister", "Trinidad and Tobago", "vip");
    let press_vip = register(&mut desk, "Pat", "Unvetted", "Jamaica", "vip");
    desk.check_in(vip, Some(1)).unwrap();
    let n = desk.protocol_notices(false).unwrap().remove(0);
    desk.undo_check_in(vip, 1, "wrong person").unwrap();
    assert!(
        desk.protocol_notices(false).unwrap().is_empty(),
        "the mistaken arrival still waits for protocol"
    );
    match desk.acknowledge_notice(n.id) {
        Err(Error::Conflict(m)) => assert!(m.contains("the check-in was undone"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Held back by vetting: refused, and protocol is not told of an arrival that did not happen.
    desk.update_event(&EventInput { require_vetting: Some("on".into()), ..Default::default() }).unwrap();
    desk.set_vetting(vip, "cleared", None).unwrap();
    assert_eq!(desk.check_in(press_vip, Some(1)).unwrap().result, Arrival::Refused);
    assert!(desk.protocol_notices(false).unwrap().is_empty());
    // An arrival at a session's door is the day's arrival: one notice, naming the door.
    let s = desk
        .add_session(&SessionInput {
            day: Some(1),
            start: Some("08:00".into()),
            end: Some("08:30".into()),
            title: Some("Welcoming remarks".into()),
            ..Default::default()
        })
        .unwrap()
        .id;
    assert_eq!(desk.check_in_session(vip, s).unwrap().result, Arrival::Admitted);
    let open = desk.protocol_notices(false).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].session.as_deref(), Some("Welcoming remarks"));
}

#[test]
fn the_flags_are_typed_imported_exported_and_refused_by_name() {
    let (dir, _p, mut desk) = desk();
    match desk
        .register(&AttendeeInput { head_of_delegation: Some("maybe".into()), ..person("A", "B", "Belize") })
    {
        Err(Error::Validation { issues }) => {
            assert_eq!(issues[0].field, "headOfDelegation");
            assert!(issues[0].message.contains("\"maybe\""), "{}", issues[0].message);
        }
        other => panic!("{other:?}"),
    }
    let id = desk
        .register(&AttendeeInput {
            head_of_delegation: Some("Yes".into()),
            ..person("Hea", "Head", "Belize")
        })
        .unwrap()
        .attendee
        .id;
    // An edit that does not name a flag keeps it; an empty one clears it.
    let a =
        desk.edit(id, &AttendeeInput { position: Some("Minister".into()), ..Default::default() }).unwrap();
    assert!(a.fields.head_of_delegation);
    let a = desk
        .edit(id, &AttendeeInput { head_of_delegation: Some(String::new()), ..Default::default() })
        .unwrap();
    assert!(!a.fields.head_of_delegation);
    desk.edit(id, &AttendeeInput { head_of_delegation: Some("x".into()), ..Default::default() }).unwrap();
    let csv = "given_name,family_name,delegation,category,Head of delegation,Notify protocol\n\
               Zed,Zulu,Barbados,delegate,,yes\n\
               Amy,Alpha,Barbados,delegate,x,\n\
               Ben,Bravo,Antigua and Barbuda,delegate,,\n\
               Cal,Charlie,Antigua and Barbuda,delegate,no,\n";
    let out = desk
        .import(
            csv.as_bytes(),
            &ImportOptions { mode: delegate_desk::import::ImportMode::Register, ..Default::default() },
        )
        .unwrap();
    assert_eq!(out.registered, 4, "{}", out.message);
    let by = |name: &str| {
        desk.list(&ListFilter { name: Some(name.into()), ..Default::default() }).unwrap().remove(0)
    };
    assert!(by("Zed Zulu").fields.notify_protocol && !by("Zed Zulu").fields.head_of_delegation);
    assert!(by("Amy Alpha").fields.head_of_delegation);
    // The order of precedence: heads first (by delegation), then by delegation, then as recorded.
    let order = |o: &str| -> Vec<String> {
        desk.list(&ListFilter { order: Some(o.into()), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|a| a.fields.given_name)
            .collect()
    };
    assert_eq!(order("precedence"), ["Amy", "Hea", "Ben", "Cal", "Zed"]);
    assert_eq!(order("name"), ["Amy", "Ben", "Cal", "Hea", "Zed"]);
    match desk.list(&ListFilter { order: Some("rank".into()), ..Default::default() }) {
        Err(Error::Validation { issues }) => assert_eq!(issues[0].field, "order"),
        other => panic!("{other:?}"),
    }
    // The protocol roster, in that order, with the flags as yes or empty.
    let file = dir.path().join("protocol.csv");
    desk.export_roster(
        &ExportRequest {
            format: Format::Csv,
            filter: RosterFilter { order: Some("precedence".into()), ..Default::default() },
            columns: "protocol".into(),
            sheet_per_preset: false,
        },
        &file,
    )
    .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{FEFF}Name,Rank,Position,Delegation,Category,Head of delegation,Notify protocol");
    assert_eq!(lines[1], "Amy Alpha,,,Barbados,Delegate,yes,");
    assert!(lines[5].starts_with("Zed Zulu,") && lines[5].ends_with(",,yes"), "{text}");
    // The full roster carries the flags and reads back as the same people.
    let full = dir.path().join("full.csv");
    let req = ExportRequest {
        format: Format::Csv,
        filter: RosterFilter::default(),
        columns: "full".into(),
        sheet_per_preset: false,
    };
    desk.export_roster(&req, &full).unwrap();
    let preview = desk.import_preview(&std::fs::read(&full).unwrap(), &ImportOptions::default()).unwrap();
    assert_eq!((preview.present, preview.changed, preview.invalid), (5, 0, 0), "{:?}", preview.changes);
}

/// A notice says why it was raised as the person is now; one no longer VIP nor flagged says
/// they were when they arrived (it said "Notify protocol" of a person not flagged).
#[test]
fn a_notice_whose_person_changed_since_says_why_it_was_raised() {
    let (_d, _p, mut desk) = desk();
    let vip = register(&mut desk, "Ann", "Vip", "Jamaica", "vip");
    desk.check_in(vip, Some(1)).unwrap();
    desk.edit(vip, &AttendeeInput { category: Some("delegate".into()), ..Default::default() }).unwrap();
    let open = desk.protocol_notices(false).unwrap();
    assert_eq!(open[0].why, "VIP or flagged for protocol when they arrived");
}
