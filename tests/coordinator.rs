//! The coordinator PIN, pushed where it could break: every coordinator action refused while
//! locked and writing nothing; first use; wrong PINs counted in the database and then made to
//! wait, whatever desk or process tries; a second window on the same database asking for the
//! same PIN; the PIN never stored in any readable form; undoing a check-in this desk made free,
//! any other locked whatever name is typed; the CLI asked too once a PIN is set.

mod common;

use common::{desk, file_desk, nth};
use delegate_desk::db::Db;
use delegate_desk::import::ImportOptions;
use delegate_desk::params;
use delegate_desk::{Desk, Error, EventInput};
use std::path::Path;

/// Everything a refused action must leave as it was: the audit trail and the rows it guards.
fn snapshot(path: &Path) -> (i64, String, i64, i64, Option<String>) {
    let c = Db::open_raw(path).unwrap();
    let n = |sql: &str| c.value::<i64>(sql, params![]).unwrap();
    let event: String = c.value("SELECT capacity || ' ' || name FROM event", params![]).unwrap();
    let pin: Option<String> = c.value("SELECT max(hash) FROM coordinator_pin", params![]).unwrap();
    (
        n("SELECT count(*) FROM audit"),
        event,
        n("SELECT count(*) FROM attendee"),
        n("SELECT count(*) FROM checkin WHERE undone_at IS NULL"),
        pin,
    )
}

fn coordinator_only(r: Result<impl std::fmt::Debug, Error>, what: &str) -> String {
    match r {
        Err(Error::CoordinatorOnly(m)) => {
            assert!(m.contains(what), "message {m:?} does not name {what:?}");
            m
        }
        other => panic!("expected coordinator-only for {what}, got {other:?}"),
    }
}

fn window(path: &Path, name: &str) -> Desk {
    let mut d = Desk::open(path).unwrap();
    d.sign_in(name, "Desk 1").unwrap();
    d.guard_coordinator_actions();
    d
}

const CSV: &[u8] = b"given_name,family_name,delegation\nAda,Lovelace,Jamaica\n";

/// Every coordinator action of a locked window is refused, names what was refused and writes
/// nothing; the first refusal before any PIN exists says to set one.
#[test]
fn a_locked_window_refuses_every_coordinator_action_and_writes_nothing() {
    let (_dir, path, d) = desk();
    drop(d);
    let mut w = window(&path, "Ana");
    let before = snapshot(&path);
    let m = coordinator_only(
        w.update_event(&EventInput { capacity: Some("150".into()), ..Default::default() }),
        "Changing the event settings",
    );
    assert!(m.contains("has no coordinator PIN yet: the coordinator sets one in Event settings"), "{m}");
    coordinator_only(w.set_allocation("Jamaica", "4"), "Allocating seats");
    coordinator_only(w.remove_allocation("Jamaica"), "Removing an allocation");
    coordinator_only(w.set_allocation_policy("refuse"), "beyond an allocation");
    coordinator_only(w.import(CSV, &ImportOptions::default()), "Importing");
    assert_eq!(snapshot(&path), before);
    // Looking is not guarded: the preview of an import, the event, the allocations.
    assert_eq!(w.import_preview(CSV, &ImportOptions::default()).unwrap().rows, 1);
    w.event().unwrap();
    w.allocations().unwrap();
    // Nor is the desk's own work.
    w.register(&nth(1)).unwrap();
    let s = w.pin_status().unwrap();
    assert_eq!((s.guarded, s.set, s.unlocked, s.seconds_left), (true, false, false, 0));
}

/// The first PIN is set at the window and opens the coordinator actions there; a second window
/// on the same database asks for the same PIN; wrong PINs count down and then wait, and during
/// the wait even the right PIN is refused.
#[test]
fn the_pin_is_set_once_shared_by_windows_and_wrong_tries_are_counted() {
    let (_dir, path, d) = desk();
    drop(d);
    let mut first = window(&path, "Coordinator");
    for bad in ["", "12345", " 123456", "1234567\t", &"7".repeat(65)] {
        let before = snapshot(&path);
        assert!(matches!(first.set_pin(None, bad), Err(Error::Validation { .. })), "{bad:?}");
        assert_eq!(snapshot(&path), before, "{bad:?} wrote something");
    }
    assert!(matches!(first.unlock("246810"), Err(Error::Conflict(m)) if m.contains("No coordinator PIN")));
    let s = first.set_pin(None, "246810").unwrap();
    assert!(s.set && s.unlocked && s.seconds_left > 200, "{s:?}");
    assert_eq!(s.set_by.as_deref(), Some("Coordinator"));
    first.update_event(&EventInput { capacity: Some("150".into()), ..Default::default() }).unwrap();
    first.lock();
    coordinator_only(
        first.update_event(&EventInput { capacity: Some("151".into()), ..Default::default() }),
        "enter the coordinator PIN",
    );

    let mut second = window(&path, "Ben");
    coordinator_only(second.set_allocation("Jamaica", "3"), "enter the coordinator PIN");
    // Changing the PIN needs it: a desk operator cannot take the desk over.
    // Replacing the PIN always needs the current one typed.
    let e = second.set_pin(None, "999999").unwrap_err();
    assert!(matches!(e, Error::Validation { .. }) && e.field() == Some("current"), "{e:?}");
    for left in [4, 3, 2, 1] {
        match second.unlock("135790") {
            Err(Error::Validation { issues }) => {
                assert!(issues[0].message.contains(&format!("{left} tr")), "{issues:?}")
            }
            other => panic!("{other:?}"),
        }
    }
    match second.unlock("135791") {
        Err(Error::Validation { issues }) => assert!(issues[0].message.contains("60 s"), "{issues:?}"),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(second.unlock("246810"), Err(Error::Conflict(m)) if m.contains("next try is possible in"))
    );
    assert!(!second.pin_status().unwrap().unlocked);
    // The count is the database's: the first window waits too, and so does a window started
    // again, a desk opened by another process, or one that changes the PIN with the old one.
    assert!(matches!(first.unlock("246810"), Err(Error::Conflict(_))));
    let mut restarted = window(&path, "Coordinator");
    assert!(matches!(restarted.unlock("246810"), Err(Error::Conflict(_))));
    assert!(matches!(restarted.set_pin(Some("246810"), "111111"), Err(Error::Conflict(_))));
    let s = restarted.pin_status().unwrap();
    assert_eq!(s.wrong_tries, 5);
    assert!((1..=60).contains(&s.wait_seconds), "{s:?}");
    // Once the wait is over (moved into the past here), a right PIN clears the count, and a
    // wrong one right after five waits twice as long.
    let raw = Db::open_raw(&path).unwrap();
    raw.execute("UPDATE coordinator_pin SET wait_until = '2000-01-01T00:00:00.000Z'", params![]).unwrap();
    match second.unlock("000000") {
        Err(Error::Validation { issues }) => assert!(issues[0].message.contains("2 min"), "{issues:?}"),
        other => panic!("{other:?}"),
    }
    raw.execute("UPDATE coordinator_pin SET wait_until = '2000-01-01T00:00:00.000Z'", params![]).unwrap();
    first.unlock("246810").unwrap();
    assert_eq!(first.pin_status().unwrap().wrong_tries, 0);
    first.set_allocation("Jamaica", "3").unwrap();
    let wrong: i64 = raw.value("SELECT count(*) FROM audit WHERE action = 'pin.wrong'", params![]).unwrap();
    assert_eq!(wrong, 6, "every wrong try is in the audit trail");
}

/// A wait set by a desk whose clock is hours ahead (or by this one before its clock was set
/// back) runs down from the first try here: the try is refused for the wait's own length, and
/// the wait stored is made to end that length from now. Before, every look counted the whole
/// length again until this clock caught up, and no PIN could be typed at any desk for hours.
/// A wait that runs normally is left as it was.
#[test]
fn a_wait_set_by_a_clock_hours_ahead_runs_down_from_the_first_try() {
    let (_dir, path, mut desk) = desk();
    desk.set_pin(None, "246810").unwrap();
    let raw = Db::open_raw(&path).unwrap();
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let stored = || raw.value::<String>("SELECT wait_until FROM coordinator_pin", params![]).unwrap();
    let ends = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
    // Five wrong tries at a desk five hours ahead.
    let ahead = at(chrono::Utc::now() + chrono::TimeDelta::hours(5));
    raw.execute("UPDATE coordinator_pin SET failures = 5, wait_until = ?1", params![ahead]).unwrap();
    let mut window = Desk::open(&path).unwrap();
    assert!((59..=60).contains(&window.pin_status().unwrap().wait_seconds));
    let before = chrono::Utc::now();
    match window.unlock("246810") {
        Err(Error::Conflict(m)) => assert!(m.contains("next try is possible in 60 s"), "{m}"),
        other => panic!("{other:?}"),
    }
    let after = chrono::Utc::now();
    let now_ends = ends(&stored()); // to the millisecond
    assert!(
        now_ends > before + chrono::TimeDelta::milliseconds(59_999)
            && now_ends <= after + chrono::TimeDelta::seconds(60),
        "the wait ends 60 s from the try: {now_ends} (tried {before}..{after})"
    );
    assert_eq!(window.pin_status().unwrap().wrong_tries, 5, "the refused try counted nothing");
    // Once those 60 s have passed (moved into the past here), the right PIN opens.
    raw.execute(
        "UPDATE coordinator_pin SET wait_until = ?1",
        params![at(after - chrono::TimeDelta::seconds(1))],
    )
    .unwrap();
    window.unlock("246810").unwrap();
    // A wait within its length is left to run as it was.
    let soon = at(chrono::Utc::now() + chrono::TimeDelta::seconds(30));
    raw.execute("UPDATE coordinator_pin SET failures = 5, wait_until = ?1", params![soon]).unwrap();
    assert!(matches!(desk.unlock("246810"), Err(Error::Conflict(_))));
    assert_eq!(stored(), soon);
}

/// Two desks setting the first PIN at once: one of them sets it, the other is refused and
/// told to enter that PIN; the stored PIN is the one of the desk that succeeded.
#[test]
fn the_first_pin_is_set_by_one_desk_only() {
    let (_dir, path, d) = desk();
    drop(d);
    let pins = ["first-111", "second-222"];
    let results: Vec<Result<(), Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = pins
            .iter()
            .map(|pin| {
                let path = path.clone();
                s.spawn(move || window(&path, pin).set_pin(None, pin).map(drop))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won: Vec<&str> = pins.iter().zip(&results).filter(|(_, r)| r.is_ok()).map(|(p, _)| *p).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            // Refused either way: inside its transaction ("set meanwhile"), or — when the other
            // desk's PIN was already there to be seen — as a change of the PIN that needs it
            // (asked for, or the current PIN missing from the change).
            let refused = matches!(e, Error::Conflict(m) if m.contains("set meanwhile"))
                || matches!(e, Error::CoordinatorOnly(m) if m.contains("enter the coordinator PIN"))
                || matches!(e, Error::Validation { .. } if e.to_string().contains("Type the current coordinator PIN"));
            assert!(refused, "{e:?}");
        }
    }
    let mut w = window(&path, "Check");
    w.unlock(won[0]).unwrap();
}

/// Only a salted argon2id hash is stored: not the PIN, not in the audit trail, not anywhere in
/// the file; two databases with the same PIN hold different hashes.
#[test]
fn the_pin_is_stored_only_as_a_salted_slow_hash() {
    let (_a, path_a, d) = desk();
    drop(d);
    let (_b, path_b, d) = desk();
    drop(d);
    let pin = "Q7-caribbean-2026";
    window(&path_a, "A").set_pin(None, pin).unwrap();
    window(&path_b, "B").set_pin(None, pin).unwrap();
    let ha = snapshot(&path_a).4.unwrap();
    let hb = snapshot(&path_b).4.unwrap();
    assert!(ha.starts_with("$argon2id$"), "{ha}");
    assert_ne!(ha, hb, "the salt differs");
    let c = Db::open_raw(&path_a).unwrap();
    let audit: Vec<String> = c
        .query_map(
            "SELECT action || coalesce(before, '') || coalesce(after, '') FROM audit WHERE action LIKE 'pin.%'",
            params![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, ["pin.set"]);
    // No stored text holds the PIN (the file's bytes are searched below as well).
    let texts: Vec<String> = c
        .query_map(
            "SELECT coalesce(before, '') || coalesce(after, '') || operator FROM audit
             UNION ALL SELECT hash || set_by FROM coordinator_pin",
            params![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(texts.iter().all(|t| !t.contains(pin)), "the PIN is stored as text");
    drop(c);
    if !common::on_postgres() {
        // Checkpoint the WAL so the file holds everything, then look for the PIN in its bytes.
        let c = rusqlite::Connection::open(&path_a).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        drop(c);
        let bytes = std::fs::read(&path_a).unwrap();
        assert!(!bytes.windows(pin.len()).any(|w| w == pin.as_bytes()), "the PIN is in the file");
    }
}

/// A desk opened as the CLI opens it lets the coordinator work until a PIN is set, and asks
/// for it from then on; changing the PIN needs the current one; a forgotten PIN is replaced
/// only by a reset, which every window shows until a coordinator acknowledges it.
#[test]
fn the_cli_is_asked_once_a_pin_is_set_and_a_reset_is_shown_until_acknowledged() {
    let (_dir, path, mut cli) = desk();
    cli.update_event(&EventInput { capacity: Some("120".into()), ..Default::default() }).unwrap();
    assert!(cli.pin_status().unwrap().unlocked, "no PIN yet: the CLI works");
    let mut w = window(&path, "Ana");
    w.set_pin(None, "111111").unwrap();
    let before = snapshot(&path);
    coordinator_only(
        cli.update_event(&EventInput { capacity: Some("150".into()), ..Default::default() }),
        "enter the coordinator PIN",
    );
    coordinator_only(cli.set_allocation("Jamaica", "2"), "Allocating seats");
    // Replacing the PIN always needs the current one typed.
    let e = cli.set_pin(None, "222222").unwrap_err();
    assert!(matches!(e, Error::Validation { .. }) && e.field() == Some("current"), "{e:?}");
    // The current PIN is what is wrong, and the error says so by its field, not the new PIN.
    let wrong = cli.set_pin(Some("999999"), "222222").unwrap_err();
    assert!(matches!(wrong, Error::Validation { .. }) && wrong.field() == Some("current"), "{wrong:?}");
    assert!(wrong.to_string().starts_with("Wrong PIN"), "{wrong}");
    let mut before_wrong = before.clone();
    before_wrong.0 += 1; // the wrong try's audit row, and nothing else
    assert_eq!(snapshot(&path), before_wrong);
    cli.set_pin(Some("111111"), "222222").unwrap();
    cli.set_allocation("Jamaica", "2").unwrap();

    let mut forgot = desk_at(&path, "Night shift");
    forgot.reset_pin("333333").unwrap();
    let mut w2 = window(&path, "Ana");
    let s = w2.pin_status().unwrap();
    assert_eq!(s.reset_by.as_deref(), Some("Night shift"), "{s:?}");
    assert!(s.reset_at.is_some());
    assert!(matches!(w2.unlock("222222"), Err(Error::Validation { .. })));
    coordinator_only(w2.acknowledge_pin_reset(), "Acknowledging the PIN reset");
    w2.unlock("333333").unwrap();
    let s = w2.acknowledge_pin_reset().unwrap();
    assert_eq!((s.reset_at, s.reset_by), (None, None));
    let c = Db::open_raw(&path).unwrap();
    let actions: Vec<String> = c
        .query_map("SELECT action FROM audit WHERE action LIKE 'pin.%' ORDER BY id", params![], |r| r.get(0))
        .unwrap();
    assert_eq!(
        actions,
        ["pin.set", "pin.wrong", "pin.change", "pin.reset", "pin.wrong", "pin.reset.acknowledge"]
    );
}

fn desk_at(path: &Path, name: &str) -> Desk {
    let mut d = Desk::open(path).unwrap();
    d.sign_in(name, "Laptop").unwrap();
    d
}

/// Another program (the CLI) restores an older backup while a window is open: check-in ids
/// are given again, to other desks' check-ins — even of the same person. The window's own
/// check-in is gone; the one now under its id is another desk's, and undoing it needs the PIN.
#[test]
fn after_a_restore_by_another_program_a_reused_check_in_id_is_not_this_desks() {
    // Backups and restores are a file's (a server keeps its own).
    let (dir, path, mut d) = file_desk();
    let people: Vec<i64> = (1..=3).map(|n| d.register(&nth(n)).unwrap().attendee.id).collect();
    d.set_pin(None, "424242").unwrap();
    let backup = dir.path().join("before-the-door.sqlite3");
    d.backup(&backup).unwrap();
    drop(d);
    let mut ana = window(&path, "Ana");
    let mine: Vec<_> =
        people[..2].iter().map(|&p| ana.check_in(p, Some(1)).unwrap().card.checkin.unwrap()).collect();
    let mut cli = Desk::open(&path).unwrap();
    cli.unlock("424242").unwrap();
    cli.restore(&backup, true).unwrap();
    drop(cli);
    // Ben's first check-in takes the id of Ana's first (another person), his second the id
    // of Ana's second (the same person).
    let mut ben = window(&path, "Ben");
    for (person, was) in [(people[2], &mine[0]), (people[1], &mine[1])] {
        let theirs = ben.check_in(person, Some(1)).unwrap().card.checkin.unwrap();
        assert_eq!(theirs.id, was.id, "the restored file gives the id again");
        let before = snapshot(&path);
        coordinator_only(ana.undo_check_in(person, 1, "wrong person"), "Undoing a check-in made by Ben");
        assert_eq!(snapshot(&path), before, "refused, nothing written");
    }
}

/// A desk undoes the check-ins it made without the PIN; any other check-in needs it —
/// another operator's, one made before the window was started again, and one whose operator
/// name is typed at another desk — and the refusal leaves the check-in in force.
#[test]
fn undoing_a_check_in_this_desk_did_not_make_needs_the_pin() {
    let (_dir, path, mut d) = desk();
    let id = d.register(&nth(1)).unwrap().attendee.id;
    let id2 = d.register(&nth(2)).unwrap().attendee.id;
    let id3 = d.register(&nth(3)).unwrap().attendee.id;
    drop(d);
    let mut ana = window(&path, "Ana");
    ana.set_pin(None, "424242").unwrap();
    ana.lock();
    ana.check_in(id, Some(1)).unwrap();
    ana.check_in(id2, Some(1)).unwrap();
    ana.check_in(id3, Some(1)).unwrap();
    ana.undo_check_in(id, 1, "wrong person").unwrap();
    let mut ben = window(&path, "Ben");
    let before = snapshot(&path);
    coordinator_only(ben.undo_check_in(id2, 1, "not here"), "Undoing a check-in made by Ana");
    // Typing Ana's name changes nothing: the desk that made the check-in decides.
    let mut impostor = window(&path, "Ana");
    coordinator_only(impostor.undo_check_in(id2, 1, "not here"), "made by Ana at another desk");
    // Nor does Ana's own window started again.
    drop(ana);
    let mut ana_again = window(&path, "Ana");
    coordinator_only(ana_again.undo_check_in(id3, 1, "not here"), "Undoing a check-in made by Ana");
    assert_eq!(snapshot(&path), before);
    // Nothing to undo is still said plainly, PIN or not.
    assert!(matches!(ben.undo_check_in(id, 1, "again"), Err(Error::Conflict(_))));
    ben.unlock("424242").unwrap();
    ben.undo_check_in(id2, 1, "not here").unwrap();
    assert_eq!(snapshot(&path).3, 1);
}

/// Cancelling undoes the person's check-ins: one this desk did not make is then the
/// coordinator's, as its undo is (a cancel and a reinstatement were an undo without the PIN).
#[test]
fn cancelling_a_person_another_desk_checked_in_needs_the_pin() {
    let (_dir, path, mut d) = desk();
    let theirs = d.register(&nth(1)).unwrap().attendee.id;
    let mine = d.register(&nth(2)).unwrap().attendee.id;
    drop(d);
    let mut ana = window(&path, "Ana");
    ana.set_pin(None, "424242").unwrap();
    ana.lock();
    ana.check_in(theirs, Some(1)).unwrap();
    let mut ben = window(&path, "Ben");
    ben.check_in(mine, Some(1)).unwrap();
    let before = snapshot(&path);
    let m = coordinator_only(ben.cancel(theirs), "checked in for day 1 by Ana");
    assert!(m.contains("enter the coordinator PIN"), "{m}");
    assert_eq!(snapshot(&path), before, "refused, nothing written");
    assert_eq!(ben.attendee(theirs).unwrap().status, delegate_desk::Status::Registered);
    // Ben's own check-in: his to undo, so his to cancel.
    let out = ben.cancel(mine).unwrap();
    assert!(out.message.contains("check-in for day 1"), "{}", out.message);
    ben.unlock("424242").unwrap();
    let out = ben.cancel(theirs).unwrap();
    assert!(out.message.contains("check-in for day 1"), "{}", out.message);
    assert_eq!(snapshot(&path).3, 0);
}

/// What the PIN opened at a desk is closed when the PIN changes at any desk (a reset of a
/// forgotten PIN, a change), when someone else signs in at that desk, and never lets the PIN
/// itself be replaced without it.
#[test]
fn an_open_desk_closes_when_the_pin_changes_or_the_operator_does() {
    let (_dir, path, d) = desk();
    drop(d);
    let mut ana = window(&path, "Ana");
    ana.set_pin(None, "424242").unwrap();
    assert!(ana.pin_status().unwrap().unlocked);
    // Open, but the PIN is not replaced without typing the current one.
    let before = snapshot(&path);
    let e = ana.set_pin(None, "999999").unwrap_err();
    assert!(matches!(e, Error::Validation { .. }) && e.field() == Some("current"), "{e:?}");
    assert_eq!(snapshot(&path), before, "the PIN stays");
    // Reset at another desk (the CLI): this desk's open actions close, the reset is not
    // acknowledged with the old PIN's opening, and the header says closed.
    let mut cli = Desk::open(&path).unwrap();
    cli.reset_pin("135791").unwrap();
    assert!(!ana.pin_status().unwrap().unlocked);
    let m = coordinator_only(ana.acknowledge_pin_reset(), "Acknowledging the PIN reset");
    assert!(m.contains("has changed since"), "{m}");
    coordinator_only(ana.set_allocation("Jamaica", "3"), "Allocating seats");
    ana.unlock("135791").unwrap();
    ana.acknowledge_pin_reset().unwrap();
    // Someone else signs in at the open desk: closed.
    ana.sign_in("Mallory", "Desk 1").unwrap();
    assert!(!ana.pin_status().unwrap().unlocked);
    coordinator_only(ana.set_allocation("Jamaica", "3"), "Allocating seats");
    // The same name again is no one new.
    ana.unlock("135791").unwrap();
    ana.sign_in("Mallory", "Desk 1").unwrap();
    ana.set_allocation("Jamaica", "3").unwrap();
}

/// An empty PIN (Enter held or pressed twice in the PIN box) is no try: it is refused, and
/// neither counted nor written in the audit, so a held key cannot lock the coordinator out.
#[test]
fn an_empty_pin_is_refused_without_spending_a_try() {
    let (_dir, path, mut d) = desk();
    d.set_pin(None, "246810").unwrap();
    drop(d);
    let mut w = window(&path, "Coordinator");
    let before = snapshot(&path);
    for _ in 0..10 {
        match w.unlock("") {
            Err(e @ Error::Validation { .. }) => {
                assert!(e.to_string().contains("Type the coordinator PIN"), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(snapshot(&path), before, "nothing written");
    assert_eq!(w.pin_status().unwrap().wrong_tries, 0);
    w.unlock("246810").unwrap();
}

/// A restore replaces everything, the PIN included: once a PIN is set it is the coordinator's.
/// Refused, it writes nothing and leaves no mark.
#[test]
fn a_restore_is_the_coordinators_once_a_pin_is_set() {
    let (dir, path, mut d) = file_desk();
    d.register(&nth(1)).unwrap();
    let backup = dir.path().join("before.sqlite3");
    d.backup(&backup).unwrap();
    d.set_pin(None, "424242").unwrap();
    d.register(&nth(2)).unwrap();
    drop(d);
    let mut cli = Desk::open(&path).unwrap();
    let before = snapshot(&path);
    coordinator_only(cli.restore(&backup, true), "Restoring a backup over this database");
    assert_eq!(snapshot(&path), before, "refused, nothing written");
    assert!(!dir.path().join("desk.sqlite3-restoring").exists(), "no restore mark left behind");
    cli.unlock("424242").unwrap();
    cli.restore(&backup, true).unwrap();
    assert_eq!(snapshot(&path).2, 1, "the backup's one person");
}
