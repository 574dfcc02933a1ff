//! The capacity invariant and the waitlist, through the core's public API.

mod common;

use common::{desk, desk_with_capacity, nth};
use delegate_desk::{Error, EventInput, ListFilter, Status};

#[test]
fn hundred_registered_then_the_101st_is_waitlisted() {
    let (_d, _p, mut desk) = desk();
    assert_eq!(desk.event().unwrap().capacity, 100);
    for i in 1..=100 {
        let out = desk.register(&nth(i)).unwrap();
        assert_eq!(out.attendee.status, Status::Registered);
        assert_eq!(out.seat, Some(i as u32));
        assert_eq!(out.message, format!("Registered — seat {i} of 100"));
    }
    let out = desk.register(&nth(101)).unwrap();
    assert_eq!(out.attendee.status, Status::Waitlisted);
    assert_eq!(out.seat, None);
    assert_eq!(out.attendee.waitlist_position, Some(1));
    assert_eq!(out.message, "Event full — added to waitlist, position 1");
    let out = desk.register(&nth(102)).unwrap();
    assert_eq!(out.message, "Event full — added to waitlist, position 2");
    let s = desk.status().unwrap();
    assert_eq!((s.capacity, s.registered, s.waitlisted, s.seats_left), (100, 100, 2, 0));
}

#[test]
fn cancel_proposes_the_oldest_waitlisted_and_promotes_only_on_confirmation() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.register(&nth(2)).unwrap();
    let w1 = desk.register(&nth(3)).unwrap().attendee;
    let w2 = desk.register(&nth(4)).unwrap().attendee;
    assert_eq!((w1.waitlist_position, w2.waitlist_position), (Some(1), Some(2)));

    let out = desk.cancel(a.id).unwrap();
    assert_eq!(out.attendee.status, Status::Cancelled);
    assert_eq!(out.proposal.as_ref().map(|p| p.id), Some(w1.id));
    assert!(out.message.contains("seat freed, 1 of 2 left"), "{}", out.message);
    // Not promoted until the operator confirms.
    assert_eq!(desk.attendee(w1.id).unwrap().status, Status::Waitlisted);
    assert_eq!(desk.status().unwrap().registered, 1);

    let p = desk.promote(&[w1.id]).unwrap();
    assert_eq!(p.promoted[0].status, Status::Registered);
    assert!(p.promoted[0].registered_at.is_some());
    assert_eq!(desk.attendee(w2.id).unwrap().waitlist_position, Some(1));
    let s = desk.status().unwrap();
    assert_eq!((s.registered, s.waitlisted, s.cancelled, s.seats_left), (2, 1, 1, 0));
}

#[test]
fn promotion_needs_a_free_seat_and_a_waitlisted_person() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    let a = desk.register(&nth(1)).unwrap().attendee;
    let w = desk.register(&nth(2)).unwrap().attendee;
    let e = desk.promote(&[w.id]).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("No seat is free"), "{e}");
    let e = desk.promote(&[a.id]).unwrap_err();
    assert!(e.to_string().contains("is registered, not waitlisted"), "{e}");
    assert!(matches!(desk.promote(&[999]).unwrap_err(), Error::NotFound(_)));
    assert_eq!(desk.attendee(w.id).unwrap().status, Status::Waitlisted);
}

#[test]
fn promoting_several_is_all_or_nothing() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.register(&nth(1)).unwrap();
    let w1 = desk.register(&nth(2)).unwrap().attendee;
    let w2 = desk.register(&nth(3)).unwrap().attendee;
    desk.update_event(&EventInput { capacity: Some("2".into()), ..Default::default() }).unwrap();
    let before = desk.revision().unwrap();
    assert!(desk.promote(&[w1.id, w2.id]).is_err());
    assert_eq!(desk.attendee(w1.id).unwrap().status, Status::Waitlisted);
    assert_eq!(desk.revision().unwrap(), before, "nothing written");
}

#[test]
fn lowering_capacity_below_registered_is_refused_with_the_count() {
    let (_d, _p, mut desk) = desk_with_capacity(5);
    for i in 0..3 {
        desk.register(&nth(i)).unwrap();
    }
    let e = desk.update_event(&EventInput { capacity: Some("2".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("capacity"));
    assert!(e.to_string().contains("3 people are registered"), "{e}");
    assert_eq!(desk.event().unwrap().capacity, 5);
    let out = desk.update_event(&EventInput { capacity: Some("3".into()), ..Default::default() }).unwrap();
    assert_eq!(out.event.capacity, 3);
}

#[test]
fn raising_capacity_proposes_the_oldest_waitlisted() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.register(&nth(0)).unwrap();
    let w: Vec<_> = (1..=4).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let out = desk.update_event(&EventInput { capacity: Some("3".into()), ..Default::default() }).unwrap();
    let proposed: Vec<i64> = out.promotion_candidates.iter().map(|a| a.id).collect();
    assert_eq!(proposed, w[..2]);
    assert!(out.message.contains("raised from 1 to 3"), "{}", out.message);
    // Proposed, not promoted.
    assert_eq!(desk.status().unwrap().registered, 1);
    desk.promote(&proposed).unwrap();
    let s = desk.status().unwrap();
    assert_eq!((s.registered, s.waitlisted), (3, 2));
    let line: Vec<i64> = desk
        .list(&ListFilter { status: Some("waitlisted".into()), ..Default::default() })
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(line, w[2..]);
}

#[test]
fn cancelling_twice_is_refused() {
    let (_d, _p, mut desk) = desk();
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.cancel(a.id).unwrap();
    let e = desk.cancel(a.id).unwrap_err();
    assert!(e.to_string().contains("already cancelled"), "{e}");
}

#[test]
fn the_database_backstop_refuses_a_seat_over_capacity() {
    let (_d, path, mut desk) = desk_with_capacity(1);
    desk.register(&nth(1)).unwrap();
    let w = desk.register(&nth(2)).unwrap().attendee;
    // A writer that skips the core's rules still cannot exceed the capacity.
    let conn = delegate_desk::db::Db::open_raw(&path).unwrap();
    let e = conn
        .execute(
            "UPDATE attendee SET status = 'registered', registered_at = 'x', waitlist_seq = NULL WHERE id = ?1",
            delegate_desk::params![w.id],
        )
        .unwrap_err();
    assert!(e.to_string().contains("the event is full"), "{e}");
    let e = conn.execute("UPDATE event SET capacity = 0", delegate_desk::params![]).unwrap_err();
    assert!(e.to_string().contains("constraint") || e.to_string().contains("capacity"), "{e}");
}

#[test]
fn a_cancelled_attendee_is_reinstated_to_a_seat_or_the_waitlist() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.cancel(a.id).unwrap();
    let e = desk.register(&nth(1)).unwrap_err();
    assert!(e.to_string().contains("cancelled (reinstate them instead"), "{e}");
    let out = desk.reinstate(a.id).unwrap();
    assert_eq!(out.message, "Reinstated — seat 1 of 1");
    assert_eq!(out.attendee.status, Status::Registered);
    let e = desk.reinstate(a.id).unwrap_err();
    assert!(e.to_string().contains("is registered; only invited or cancelled people"), "{e}");

    let w = desk.register(&nth(2)).unwrap().attendee;
    let b = desk.register(&nth(3)).unwrap().attendee;
    desk.cancel(b.id).unwrap();
    let out = desk.reinstate(b.id).unwrap();
    assert_eq!(out.message, "Event full — reinstated to the waitlist, position 2");
    assert_eq!(desk.attendee(w.id).unwrap().waitlist_position, Some(1), "the line keeps its order");
    let actions: Vec<String> = desk.history(b.id).unwrap().into_iter().map(|h| h.action).collect();
    assert_eq!(actions, ["register", "cancel", "reinstate"]);
}

/// One person's place in the line (read as everyone waiting less those behind) is the place
/// the list gives them (counted from the front), at the front, in the middle and at the end,
/// with gaps left by people who left the line.
#[test]
fn a_persons_place_in_the_line_is_the_lists() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.register(&nth(0)).unwrap();
    let waiting: Vec<i64> = (1..=6).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    desk.cancel(waiting[1]).unwrap();
    desk.cancel(waiting[4]).unwrap();
    let listed = desk
        .list(&delegate_desk::ListFilter { status: Some("waitlisted".into()), ..Default::default() })
        .unwrap();
    assert_eq!(listed.len(), 4);
    for a in &listed {
        assert_eq!(desk.attendee(a.id).unwrap().waitlist_position, a.waitlist_position, "#{}", a.id);
    }
    let places: Vec<Option<u32>> = listed.iter().map(|a| a.waitlist_position).collect();
    assert_eq!(places, [Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(desk.register(&nth(9)).unwrap().attendee.waitlist_position, Some(5), "a newcomer is last");
}

/// A database left over its capacity (two desks of an older version at once, or a capacity
/// lowered by hand): the cancel that mends it says how many are still over. Before, the count
/// of seats left underflowed: a test build panicked, a release build said "4294967295 of 2
/// left".
#[test]
fn a_cancel_on_a_database_over_its_capacity_says_how_many_are_still_over() {
    let (_d, path, mut desk) = desk_with_capacity(4);
    let ids: Vec<i64> = (0..4).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    raw.with_trigger_lifted("event_capacity_floor", "event", || {
        raw.execute("UPDATE event SET capacity = 2", delegate_desk::params![]).map(drop)
    })
    .unwrap();
    let out = desk.cancel(ids[0]).unwrap();
    assert!(out.message.contains("seat freed; still 1 registered over the capacity of 2"), "{}", out.message);
    let out = desk.cancel(ids[1]).unwrap();
    assert!(out.message.contains("seat freed, 0 of 2 left"), "{}", out.message);
}

/// A seat freed belongs to the oldest in line: promoting someone behind them is refused,
/// naming who the seat is held for, and writes nothing; the proposal made at the cancel then
/// succeeds. Before, a second desk promoted the last in line, and the proposal the first desk
/// confirmed failed with "No seat is free".
#[test]
fn promoting_past_the_person_a_freed_seat_is_held_for_is_refused() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let a = desk.register(&nth(1)).unwrap().attendee;
    desk.register(&nth(2)).unwrap();
    let w1 = desk.register(&nth(3)).unwrap().attendee;
    let w2 = desk.register(&nth(4)).unwrap().attendee;
    let out = desk.cancel(a.id).unwrap();
    assert_eq!(out.proposal.as_ref().map(|p| p.id), Some(w1.id));
    let before = desk.revision().unwrap();
    let e = desk.promote(&[w2.id]).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains(&format!("held for {} (#{})", w1.display_name, w1.id)), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "nothing written");
    assert_eq!(desk.attendee(w2.id).unwrap().status, Status::Waitlisted);
    assert_eq!(desk.promote(&[w1.id]).unwrap().promoted[0].id, w1.id);
    // With a seat for each, both in one promotion, in any order.
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.register(&nth(1)).unwrap();
    let w1 = desk.register(&nth(2)).unwrap().attendee;
    let w2 = desk.register(&nth(3)).unwrap().attendee;
    desk.update_event(&EventInput { capacity: Some("3".into()), ..Default::default() }).unwrap();
    assert_eq!(desk.promote(&[w2.id, w1.id]).unwrap().promoted.len(), 2);
}
