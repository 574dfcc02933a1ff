//! The audit trail as people read it, pushed where it could break: every kind of change has
//! words and a person; filters combine; the window's page is capped but counts everything;
//! the CSV export holds every entry, is formula-safe, reads back, and can never be written
//! over the database; a limit of 0 is refused rather than read as 1.

mod common;

use common::{desk, nth, person};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::AuditFilter;
use delegate_desk::{Error, EventInput};

fn filter() -> AuditFilter {
    AuditFilter::default()
}

#[test]
fn every_change_reads_as_words_with_its_person() {
    let (dir, _path, mut d) = desk();
    d.sign_in("Ana", "Desk 1").unwrap();
    let id = d.register(&person("Hélène", "Dupré", "Haiti")).unwrap().attendee.id;
    d.edit(id, &person("Hélène", "Dupré", "Jamaica")).unwrap();
    d.check_in(id, Some(1)).unwrap();
    d.undo_check_in(id, 1, "wrong day").unwrap();
    let req = BadgeRequest {
        selection: BadgeSelection::Ids(vec![id]),
        preset: "cr80".into(),
        reason: None,
        note: None,
    };
    d.print_badges(&req, &dir.path().join("b.pdf")).unwrap();
    d.sign_in("Ben", "Desk 2").unwrap();
    d.cancel(id).unwrap();
    d.update_event(&EventInput { capacity: Some("120".into()), ..Default::default() }).unwrap();
    d.set_allocation("Haiti", "3").unwrap();

    let lines = d.audit_lines(&filter()).unwrap();
    let seen: Vec<(&str, &str, &str, &str)> = lines
        .iter()
        .map(|l| (l.label.as_str(), l.operator.as_str(), l.person.as_str(), l.summary.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Registered", "Ana", "Col. Hélène Dupré", "Registered"),
            ("Edited", "Ana", "Col. Hélène Dupré", "Delegation: Haiti → Jamaica"),
            ("Checked in", "Ana", "Col. Hélène Dupré", "Day 1, found at the desk"),
            ("Check-in undone", "Ana", "Col. Hélène Dupré", "Day 1: wrong day"),
            ("Badge printed", "Ana", "Col. Hélène Dupré", "Version 1 (cr80)"),
            ("Cancelled", "Ben", "Col. Hélène Dupré", "Registered → Cancelled"),
            ("Event settings changed", "Ben", "", "Capacity: 100 → 120"),
            ("Seats allocated", "Ben", "", "Haiti: none → 3"),
        ][..]
            .iter()
            .map(|t| (t.0, t.1, t.2, t.3))
            .collect::<Vec<_>>()
    );
    // The venue's time to the minute, and the desk.
    assert!(lines.iter().all(|l| l.local_time.len() == 16 && (l.desk == "Desk 1" || l.desk == "Desk 2")));

    // Filters combine: by operator (accents and case ignored), by action family, by person.
    let f = AuditFilter { operator: Some("ANA".into()), action: Some("checkin".into()), ..filter() };
    assert_eq!(d.audit_lines(&f).unwrap().len(), 2);
    let f = AuditFilter { person: Some(id), operator: Some("ben".into()), ..filter() };
    assert_eq!(d.audit_lines(&f).unwrap().iter().map(|l| l.action.as_str()).collect::<Vec<_>>(), ["cancel"]);
    // By words of the name, as the arrival search finds people; words that find nobody find
    // no entries, and no letters at all are refused.
    let f = AuditFilter { who: Some("dupr hel".into()), action: Some("checkin".into()), ..filter() };
    assert_eq!(d.audit_lines(&f).unwrap().len(), 2);
    assert!(d.audit_lines(&AuditFilter { who: Some("zzzz".into()), ..filter() }).unwrap().is_empty());
    let e = d.audit_lines(&AuditFilter { who: Some("--".into()), ..filter() }).unwrap_err();
    assert!(matches!(&e, Error::Validation { issues } if issues[0].field == "who"), "{e:?}");
    let e = d.audit_lines(&AuditFilter { limit: Some(0), ..filter() }).unwrap_err();
    assert!(matches!(&e, Error::Validation { issues } if issues[0].field == "limit"), "{e:?}");
    let e = d.audit_lines(&AuditFilter { since: Some("yesterday-ish".into()), ..filter() }).unwrap_err();
    assert!(matches!(&e, Error::Validation { issues } if issues[0].field == "since"), "{e:?}");
    // An action in another case is the same action; one no entry can have is refused, naming
    // the actions (it found nothing and said "0 entries").
    let f = AuditFilter { operator: Some("ANA".into()), action: Some("CheckIn".into()), ..filter() };
    assert_eq!(d.audit_lines(&f).unwrap().len(), 2);
    let f = AuditFilter { action: Some("checkin.undo".into()), ..filter() };
    assert!(d.audit_lines(&f).is_ok());
    for wrong in ["check-in", "badges", "checkins"] {
        let e = d.audit_lines(&AuditFilter { action: Some(wrong.into()), ..filter() }).unwrap_err();
        assert!(
            matches!(&e, Error::Validation { issues } if issues[0].field == "action" && issues[0].message.contains("checkin, badge")),
            "{wrong}: {e:?}"
        );
    }
}

/// A person renamed later is shown under the name the entry recorded; a check-in (whose record
/// holds no name) under the current name.
#[test]
fn names_come_from_the_entry_or_the_person_now() {
    let (_dir, _path, mut d) = desk();
    let id = d.register(&person("Old", "Name", "Haiti")).unwrap().attendee.id;
    d.edit(id, &person("New", "Name", "Haiti")).unwrap();
    d.check_in(id, Some(1)).unwrap();
    let names: Vec<String> = d.audit_lines(&filter()).unwrap().into_iter().map(|l| l.person).collect();
    assert_eq!(names, ["Col. Old Name", "Col. New Name", "Col. New Name"]);
}

/// A check-in, a vetting state or an undo names the person as they were then, not as a later
/// edit named them; and the person is found by either name.
#[test]
fn a_check_in_keeps_the_name_of_its_moment() {
    let (_dir, _path, mut d) = desk();
    let id = d.register(&person("Bob", "Marley", "Jamaica")).unwrap().attendee.id;
    d.set_vetting(id, "cleared", Some("host list")).unwrap();
    d.check_in(id, Some(1)).unwrap();
    d.undo_check_in(id, 1, "wrong person").unwrap();
    d.set_vetting(id, "pending", None).unwrap();
    d.edit(id, &person("Robert", "Nesta", "Jamaica")).unwrap();
    let lines = d.audit_lines(&filter()).unwrap();
    let of = |action: &str| {
        lines.iter().filter(|l| l.action == action).map(|l| l.person.clone()).collect::<Vec<_>>()
    };
    assert_eq!(of("checkin"), ["Col. Bob Marley"]);
    assert_eq!(of("checkin.undo"), ["Col. Bob Marley"]);
    assert_eq!(of("vetting"), ["Col. Bob Marley", "Col. Bob Marley"]);
    let found = |who: &str| d.audit_lines(&AuditFilter { who: Some(who.into()), ..filter() }).unwrap().len();
    assert_eq!(found("marley"), lines.len(), "every row of the person, by the name they had");
    assert_eq!(found("nesta"), lines.len(), "and by the name they have");
    // The rename itself, looked for alone under the old name: its row holds both names.
    let rename = AuditFilter { who: Some("marley".into()), action: Some("edit".into()), ..filter() };
    assert_eq!(d.audit_lines(&rename).unwrap().len(), 1);
}

/// The page shows the newest 500, newest first, and says how many match in all.
#[test]
fn the_page_is_capped_and_counts_everything() {
    let (_dir, _path, mut d) = desk();
    d.update_event(&EventInput { capacity: Some("1000".into()), ..Default::default() }).unwrap();
    for n in 0..620 {
        d.register(&nth(n)).unwrap();
    }
    let page = d.audit_page(&AuditFilter { action: Some("register".into()), ..filter() }).unwrap();
    assert_eq!((page.matching, page.lines.len()), (620, delegate_desk::audit::PAGE_LINES));
    assert!(page.lines.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(page.lines[0].person, "Col. Given619 Family619");
    // The filter's limit does not shrink the page's count.
    let page = d.audit_page(&AuditFilter { limit: Some(3), ..filter() }).unwrap();
    assert_eq!(page.matching, 621);
}

/// The CSV has every matching entry (past the page's cap), reads back with a CSV reader, and a
/// name that a spreadsheet would run as a formula is written as text.
#[test]
fn the_csv_export_is_complete_and_formula_safe() {
    let (dir, path, mut d) = desk();
    d.update_event(&EventInput { capacity: Some("1000".into()), ..Default::default() }).unwrap();
    d.sign_in("=cmd|' /C calc'!A0", "@Desk").unwrap();
    let formula = person("=HYPERLINK(\"http://x\")", "<img src=x onerror=alert(1)>", "Haiti");
    d.register(&delegate_desk::AttendeeInput { rank: None, ..formula }).unwrap();
    for n in 0..550 {
        d.register(&nth(n)).unwrap();
    }
    let out = dir.path().join("audit.csv");
    let n = d.export_audit_csv(&filter(), &out).unwrap();
    assert_eq!(n, 552);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[0], "Entry");
    assert_eq!(header.len(), 12);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 552);
    let second = &rows[1];
    assert_eq!(&second[3], "'=cmd|' /C calc'!A0");
    assert_eq!(&second[4], "'@Desk");
    assert_eq!(&second[8], "'=HYPERLINK(\"http://x\") <img src=x onerror=alert(1)>");
    // Filtered: only what matches.
    let only = dir.path().join("only.csv");
    assert_eq!(
        d.export_audit_csv(&AuditFilter { action: Some("event".into()), ..filter() }, &only).unwrap(),
        1
    );
    // Never over the database file, which stays as it was (a server has no file to guard).
    if !common::on_postgres() {
        let before = std::fs::read(&path).unwrap();
        let e = d.export_audit_csv(&filter(), &path).unwrap_err();
        assert!(matches!(e, Error::Validation { .. }), "{e:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

/// An audit trail longer than the window's cap (100,000 entries) goes out whole: the export
/// used to keep the newest 100,000 and drop the oldest without a word, saying "100000 entries
/// written". A limit asked for is the newest that many.
#[test]
fn a_trail_past_the_windows_cap_is_exported_whole() {
    use delegate_desk::db::Db;
    use delegate_desk::params;
    let (dir, path, d) = desk();
    let cap = delegate_desk::audit::MAX_AUDIT_ROWS as i64;
    let raw = Db::open_raw(&path).unwrap();
    raw.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO audit (at, operator, desk, action, attendee_id, before, after)
         SELECT '2019-11-14T12:00:00.000Z', 'bulk', 'Desk 1', 'event.update', NULL, NULL, NULL FROM n",
        params![cap + 5],
    )
    .unwrap();
    let total = d.audit_page(&filter()).unwrap().matching;
    assert!(total > cap as usize, "{total}");
    let out = dir.path().join("audit.csv");
    assert_eq!(d.export_audit_csv(&filter(), &out).unwrap(), total);
    let bytes = std::fs::read(&out).unwrap();
    let rows = csv::Reader::from_reader(&bytes[3..]).records().count();
    assert_eq!(rows, total);
    let few = dir.path().join("few.csv");
    assert_eq!(d.export_audit_csv(&AuditFilter { limit: Some(3), ..filter() }, &few).unwrap(), 3);
}
