//! The dashboard's figures against what is on file: check-ins per day and expected, the same
//! by delegation and category (the cancelled left out, undone check-ins not counted), and the
//! arrivals in 10-minute bars at the venue's time, near midnight too.

mod common;

use common::{desk_with_capacity, person};
use delegate_desk::{AttendeeInput, EventInput};

fn at_venue(path: &std::path::Path, id: i64, day: u32, utc: &str) {
    let c = delegate_desk::db::Db::open_raw(path).unwrap();
    c.execute(
        "INSERT INTO checkin (attendee_id, day, at, operator, desk, method) VALUES (?1, ?2, ?3, 'T', 'D', 'desk')",
        delegate_desk::params![id, day, utc],
    )
    .unwrap();
}

#[test]
fn figures_follow_the_list_and_the_check_ins() {
    let (_d, _path, mut desk) = desk_with_capacity(3);
    desk.update_event(&EventInput { timezone: Some("UTC".into()), ..Default::default() }).unwrap();
    let day1 = AttendeeInput { days: Some("1".into()), ..person("A", "One", "Jamaica") };
    let a = desk.register(&day1).unwrap().attendee.id;
    let b = desk.register(&person("B", "Two", "Jamaica")).unwrap().attendee.id;
    let press = AttendeeInput { category: Some("press".into()), ..person("C", "Three", "Press") };
    let c = desk.register(&press).unwrap().attendee.id;
    desk.register(&person("W", "Waits", "Belize")).unwrap();
    desk.import(b"given_name,category,delegation\nInvi,observer,Belize\n", &Default::default()).unwrap();
    desk.check_in(a, Some(1)).unwrap();
    desk.check_in(b, Some(1)).unwrap();
    desk.check_in(b, Some(2)).unwrap();
    desk.check_in(c, Some(1)).unwrap();
    desk.undo_check_in(c, 1, "wrong person").unwrap();
    desk.cancel(b).unwrap();

    let d = desk.dashboard(Some(1)).unwrap();
    assert_eq!((d.status.registered, d.status.capacity, d.status.waitlisted), (2, 3, 1));
    let per_day: Vec<(u32, u32, u32)> = d.days.iter().map(|x| (x.day, x.checked_in, x.expected)).collect();
    // b's check-ins stay on record after the cancellation, but b has no seat any more: the
    // figures count the people checked in among those expected, so b is left out everywhere
    // (per day, per delegation, in the bars) and the day reads 1 of 2, not 2 of 2.
    assert_eq!(per_day, [(1, 1, 2), (2, 0, 1)]);
    // (Checked in today, not on day 1's date: counted apart from the bars of the day's hours.)
    let drawn = d.arrivals.iter().map(|b| b.count).sum::<u32>();
    assert_eq!(drawn + d.arrivals_on_other_dates, 1, "the bars agree with the day");
    let jam = d.by_delegation.iter().find(|g| g.name == "Jamaica").unwrap();
    assert_eq!(
        (jam.registered, jam.waitlisted, jam.invited, jam.checked_in),
        (1, 0, 0, 1),
        "b cancelled is left out"
    );
    let belize = d.by_delegation.iter().find(|g| g.name == "Belize").unwrap();
    assert_eq!((belize.registered, belize.waitlisted, belize.invited), (0, 1, 1));
    let cats: Vec<&str> = d.by_category.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(cats, ["delegate", "observer", "press"], "in the categories' order");
    let press_row = d.by_category.iter().find(|g| g.name == "press").unwrap();
    assert_eq!(press_row.checked_in, 0, "an undone check-in does not count");
    assert!(desk.dashboard(Some(0)).is_err());
    assert!(desk.dashboard(Some(3)).is_err());
}

#[test]
fn arrivals_fall_in_ten_minute_bars_at_the_venue() {
    let (_d, path, mut desk) = desk_with_capacity(10);
    // New York in November: UTC−5.
    desk.update_event(&EventInput { timezone: Some("America/New_York".into()), ..Default::default() })
        .unwrap();
    let ids: Vec<i64> = (0..5).map(|n| desk.register(&common::nth(n)).unwrap().attendee.id).collect();
    at_venue(&path, ids[0], 1, "2019-11-14T13:00:00.000Z"); // 08:00
    at_venue(&path, ids[1], 1, "2019-11-14T13:09:59.999Z"); // 08:09
    at_venue(&path, ids[2], 1, "2019-11-14T13:10:00.000Z"); // 08:10
    at_venue(&path, ids[3], 1, "2019-11-14T15:05:00.000Z"); // 10:05
    at_venue(&path, ids[4], 2, "2019-11-15T13:00:00.000Z"); // another day
    let bars = desk.dashboard(Some(1)).unwrap().arrivals;
    assert_eq!(bars.first().map(|b| (b.start.as_str(), b.count)), Some(("08:00", 2)));
    assert_eq!(bars[1].start, "08:10");
    assert_eq!(bars[1].count, 1);
    assert_eq!(bars.last().map(|b| (b.start.as_str(), b.count)), Some(("10:00", 1)));
    assert_eq!(bars.len(), 13, "08:00 to 10:00, empty slots included");
    assert_eq!(bars.iter().map(|b| b.count).sum::<u32>(), 4);

    // One arrival late at night: two hours are drawn, ending at 23:50.
    let bars = desk.dashboard(Some(2)).unwrap().arrivals;
    assert_eq!(bars.len(), 12);
    assert_eq!(bars.iter().map(|b| b.count).sum::<u32>(), 1);
    let (_d2, path2, mut late) = desk_with_capacity(10);
    late.update_event(&EventInput { timezone: Some("UTC".into()), ..Default::default() }).unwrap();
    let id = late.register(&common::nth(1)).unwrap().attendee.id;
    at_venue(&path2, id, 1, "2019-11-14T23:55:00.000Z");
    let bars = late.dashboard(Some(1)).unwrap().arrivals;
    assert_eq!(bars.len(), 12);
    assert_eq!(bars.last().map(|b| (b.start.as_str(), b.count)), Some(("23:50", 1)));
    assert_eq!(bars[0].start, "22:00");
    // A day-1 check-in made the evening before, and one after midnight: counted apart, not
    // drawn at 23:30 of the day (which stretched the chart) or before its morning.
    let eve = late.register(&common::nth(2)).unwrap().attendee.id;
    let night = late.register(&common::nth(3)).unwrap().attendee.id;
    at_venue(&path2, eve, 1, "2019-11-13T22:30:00.000Z");
    at_venue(&path2, night, 1, "2019-11-15T00:20:00.000Z");
    let d = late.dashboard(Some(1)).unwrap();
    assert_eq!(d.arrivals.iter().map(|b| b.count).sum::<u32>(), 1);
    assert_eq!((d.arrivals[0].start.as_str(), d.arrivals.len()), ("22:00", 12));
    assert_eq!(d.arrivals_on_other_dates, 2);
    // Before anyone arrives, nothing is drawn.
    assert!(desk_with_capacity(1).2.dashboard(Some(1)).unwrap().arrivals.is_empty());
}

/// One delegation is one row however its people's delegation was typed, counted as the
/// allocations count it, and spelled as the known list spells it (or as most of its people
/// were typed). It was one row per spelling: Jamaica's 3 people showed as three rows of 1
/// beside an allocation of "3 of 5".
#[test]
fn a_delegation_typed_several_ways_is_one_row_that_agrees_with_its_allocation() {
    let (_d, _path, mut desk) = desk_with_capacity(20);
    for (given, delegation) in [
        ("A", "Jamaica"),
        ("B", "JAMAICA"),
        ("C", "Jamaïca"),
        ("D", "INTERPOL CARIBE"),
        ("E", "INTERPOL CARIBE"),
    ] {
        desk.register(&person(given, "Person", delegation)).unwrap();
    }
    desk.register(&person("F", "Person", "Interpol Caribe")).unwrap();
    desk.register(&person("G", "Person", "Zambia")).unwrap();
    desk.register(&person("H", "Person", "Åland")).unwrap();
    desk.set_allocation("jamaica", "5").unwrap();
    let d = desk.dashboard(Some(1)).unwrap();
    let rows: Vec<(&str, u32)> = d.by_delegation.iter().map(|g| (g.name.as_str(), g.registered)).collect();
    assert_eq!(rows, [("INTERPOL CARIBE", 3), ("Jamaica", 3), ("Åland", 1), ("Zambia", 1)]);
    let a = desk.allocations().unwrap();
    assert_eq!((a.allocations[0].delegation.as_str(), a.allocations[0].registered), ("Jamaica", 3));
}
