//! The arrival desk through the real webview: three letters and Enter check a person in; a
//! scanner's code plus Enter checks in, a replaced badge is refused; undo with a reason; an
//! invited person registered and checked in with one key; a walk-in; a hostile name shown as
//! text. Also measures keystroke → results and scan → checked-in card in the webview.

use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{AttendeeInput, Desk};
use delegate_desk_e2e::{drive, ensure, event_from_today, turn, App, Step};
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/data/invitees-sample.csv");
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// A database whose event runs today and tomorrow at the venue, with the sample list
/// registered (130 seats: everyone registered).
fn event_today(db: &Path) -> Desk {
    let mut d = Desk::open(db).unwrap();
    event_from_today(&mut d, 2, Some("130"));
    let bytes = std::fs::read(SAMPLE).unwrap();
    d.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
    d
}

fn person(given: &str, family: &str) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some("Barbados".into()),
        category: Some("vip".into()),
        accessibility: Some("Wheelchair".into()),
        ..Default::default()
    }
}

/// A registered person whose first three letters of family name put them first.
fn three_letter_person(d: &Desk) -> (i64, String, String) {
    let registered = d
        .list(&delegate_desk::ListFilter { status: Some("registered".into()), ..Default::default() })
        .unwrap();
    for a in registered {
        let prefix: String = a.fields.family_name.chars().take(3).collect();
        if prefix.chars().count() == 3 && d.search(&prefix, 1).unwrap()[0].id == a.id {
            return (a.id, prefix, a.display_name.clone());
        }
    }
    panic!("nobody is first for three letters of their family name");
}

/// Type `text` in the search box one key at a time, as a person does, and return for each
/// key the milliseconds (measured in the page) from its `input` event until the results are
/// drawn again.
async fn type_and_time(app: &App, text: &str) -> Step<Vec<f64>> {
    app.js(
        "window.__times = []; window.__t0 = null; const r = document.getElementById('arrival-results');
         new MutationObserver(() => { if (window.__t0 !== null) { window.__times.push(performance.now() - window.__t0); window.__t0 = null; } })
           .observe(r, {childList: true, subtree: true, characterData: true});
         document.getElementById('arrival-search').addEventListener('input', () => { window.__t0 = performance.now(); });",
    )
    .await?;
    for (i, c) in text.chars().enumerate() {
        app.keyboard(&c.to_string()).await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while app.js("return window.__times.length").await?.as_u64() != Some(i as u64 + 1) {
            ensure(std::time::Instant::now() < deadline, || format!("no results drawn after key {}", i + 1))?;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
    let times = app.js("return window.__times").await?;
    Ok(times.as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect()).unwrap_or_default())
}

#[tokio::test]
async fn three_letters_then_enter_checks_in_and_undo_keeps_the_history() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (id, prefix, name) = {
        let d = event_today(&db);
        three_letter_person(&d)
    };
    drive(&db, &[], "arrival-checkin", async |app: &App| {
        // During the event's days the window opens on Arrival, the focus in the search box.
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        ensure(app.focused_id().await? == "arrival-search", || "the search box has the focus".into())?;
        let ms = type_and_time(app, &prefix).await?;
        eprintln!("webview: keystroke → results drawn, per key of {prefix:?}: {ms:.1?} ms");
        app.wait_contains("#arrival-results", &name).await?;
        let first = app.text("#arrival-opt-0").await?.unwrap_or_default();
        ensure(first.contains(&name), || format!("{name} is first: {first}"))?;
        app.keyboard("\u{E007}").await?; // Enter
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        // The box is empty for the next one, and no person's card stays with it.
        ensure(app.focused_id().await? == "arrival-search", || "the focus is back in the box".into())?;
        app.wait_until("the card is hidden", "return document.getElementById('arrival-card').hidden").await?;
        // The same person again: shown, not refused.
        app.keyboard(&prefix).await?;
        app.wait_contains("#arrival-results", "✓ In").await?;
        app.wait_contains("#arrival-card", "Checked in for day 1").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "already checked in today").await?;
        app.screenshot("arrival-already").await;
        // Undo from the outcome, by keyboard: the reason takes the focus, Enter undoes.
        app.click("#arrival-outcome-undo").await?;
        ensure(app.focused_id().await? == "arrival-undo-reason", || "the reason has the focus".into())?;
        app.keyboard("checked in the wrong person\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "undone: checked in the wrong person").await?;
        let left = app.js("return document.getElementById('arrival-search').value").await?;
        ensure(left == "", || format!("the reason went into the search box: {left}"))?;
        // Found again: not checked in, the undo in the card's history.
        app.keyboard(&prefix).await?;
        app.wait_contains("#arrival-card", "Not checked in for day 1").await?;
        app.wait_contains("#arrival-card", "undone by").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let card = d.arrival_card(id, Some(1)).unwrap();
    assert!(card.checkin.is_none());
    assert_eq!(card.history.len(), 1);
    assert_eq!(card.history[0].undo_reason.as_deref(), Some("checked in the wrong person"));
}

/// The desk checks in for today's day, and moves on with it: when today becomes day 2 (the
/// date at the venue, or here the event's dates changed at another desk), a desk left on
/// day 1 follows, and the next check-in goes to day 2 — never to yesterday's day unless the
/// operator chose it.
#[tokio::test]
async fn a_desk_on_today_moves_on_to_the_next_day() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (id, prefix, name) = {
        let d = event_today(&db);
        three_letter_person(&d)
    };
    drive(&db, &[], "arrival-next-day", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1.").await?;
        // Another desk: the event began yesterday, so today is its day 2.
        {
            let mut other = Desk::open(&db).map_err(|e| e.to_string())?;
            let today = other.event().map_err(|e| e.to_string())?.local_now().date_naive();
            let input = delegate_desk::EventInput {
                start_date: Some(today.pred_opt().unwrap().to_string()),
                end_date: Some(today.succ_opt().unwrap().to_string()),
                ..Default::default()
            };
            other.update_event(&input).map_err(|e| e.to_string())?;
        }
        app.wait_contains("#arrival-day-note", "Today is day 2.").await?;
        let chosen = app.js("return document.getElementById('arrival-day').value").await?;
        ensure(chosen == "2", || format!("the desk stayed on day {chosen}"))?;
        // Letters typed while the day chooser has the focus (a scanner's, or a name) go to the
        // search box, and the day stays.
        app.js("document.getElementById('arrival-day').focus(); return true").await?;
        app.keyboard(&prefix).await?;
        let box_text = app.js("return document.getElementById('arrival-search').value").await?;
        ensure(box_text == prefix.as_str(), || format!("the search box holds {box_text}"))?;
        let chosen = app.js("return document.getElementById('arrival-day').value").await?;
        ensure(chosen == "2", || format!("typing changed the day to {chosen}"))?;
        app.wait_contains("#arrival-results", &name).await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let card = d.arrival_card(id, Some(2)).unwrap();
    assert_eq!(card.checkin.map(|c| c.day), Some(2));
}

#[tokio::test]
async fn a_scanned_badge_checks_in_and_a_replaced_one_is_refused() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (id, old, current, next, next_token) = {
        let mut d = event_today(&db);
        let id = d.register(&person("Anneliese", "Scanner")).unwrap().attendee.id;
        let pdf = out.path().join("b.pdf");
        let req = BadgeRequest {
            selection: BadgeSelection::Ids(vec![id]),
            preset: "cr80".into(),
            reason: None,
            note: None,
        };
        d.print_badges(&req, &pdf).unwrap();
        d.print_badges(
            &BadgeRequest { reason: Some("lost".into()), ..req.clone() },
            &out.path().join("c.pdf"),
        )
        .unwrap();
        let c = rusqlite::Connection::open(&db).unwrap();
        let token = |v: u32| -> String {
            c.query_row(
                "SELECT token FROM badge_print WHERE attendee_id = ?1 AND version = ?2",
                [id, v as i64],
                |r| r.get(0),
            )
            .unwrap()
        };
        let next = d.register(&person("Bartholomew", "Nextinline")).unwrap().attendee.id;
        d.print_badges(
            &BadgeRequest { selection: BadgeSelection::Ids(vec![next]), ..req },
            &out.path().join("d.pdf"),
        )
        .unwrap();
        let next_token: String = c
            .query_row("SELECT token FROM badge_print WHERE attendee_id = ?1", [next], |r| r.get(0))
            .unwrap();
        (id, token(1), token(2), next, next_token)
    };
    let (id, old, current, next, next_token) = (id, old, current, next, next_token);
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "arrival-scan", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        // The old badge: refused, naming the current one.
        app.keyboard(&format!("{old}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "Replaced badge").await?;
        app.wait_contains("#arrival-outcome", "the current badge is version 2").await?;
        app.screenshot("arrival-replaced").await;
        // The scanner types the current code and Enter into the box; timed in the page from the
        // Enter to the outcome showing the check-in.
        app.js(
            "window.__t1 = null; const out = document.getElementById('arrival-outcome');
             document.getElementById('arrival-search').addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__t0 = performance.now(); });
             const obs = new MutationObserver(() => { if (out.innerText.includes('checked in today')) { window.__t1 = performance.now(); obs.disconnect(); } });
             obs.observe(out, {childList: true, subtree: true, characterData: true});",
        )
        .await?;
        app.keyboard(&format!("{current}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        let ms = app.js("return window.__t1 - window.__t0;").await?;
        eprintln!("webview: scan Enter → outcome shows checked in: {:.1} ms", ms.as_f64().unwrap_or(f64::NAN));
        // Found by name: the card says what to look out for.
        app.keyboard("anneliese scanner").await?;
        app.wait_contains("#arrival-card", "Checked in for day 1").await?;
        app.wait_contains("#arrival-attention", "VIP").await?;
        app.wait_contains("#arrival-attention", "Accessibility: Wheelchair").await?;
        // A third badge from the card: a reprint asks its reason first.
        app.click("#arrival-print").await?;
        app.wait_contains("#arrival-outcome", "Choose why the badge").await?;
        app.choose("arrival-reprint-reason", "damaged").await?;
        // While the reason is chosen, another desk changes her record: the card follows, and the
        // reason chosen stays chosen (CI once lost it to a refresh and asked again).
        let mut other = Desk::open(&db).unwrap();
        other
            .edit(id, &AttendeeInput { notes: Some("Escort to row A".into()), ..person("Anneliese", "Scanner") })
            .unwrap();
        drop(other);
        app.wait_contains("#arrival-attention", "Escort to row A").await?;
        let kept = app.js("return document.getElementById('arrival-reprint-reason').value;").await?;
        ensure(kept == "damaged", || format!("the reprint reason did not survive a refresh: {kept}"))?;
        app.click("#arrival-print").await?;
        app.wait_contains("#arrival-outcome", "saved as PDF").await?;
        app.wait_contains("#arrival-saved", ".pdf").await?;
        // The complaint about the missing reason went once the reason was given.
        let left = app.text("#arrival-outcome").await?.unwrap_or_default();
        ensure(!left.contains("Choose why"), || format!("a stale message stays: {left}"))?;
        // The box is empty for the next scan; found again, the card shows the new badge and the
        // reason was for that print: the next reprint asks again.
        let typed = app.js("return document.getElementById('arrival-search').value").await?;
        ensure(typed == "", || format!("the box kept {typed} after the print"))?;
        app.keyboard("anneliese scanner").await?;
        app.wait_contains("#arrival-card", "Badge version 3").await?;
        let reason = app.js("return document.getElementById('arrival-reprint-reason').value;").await?;
        ensure(reason == "", || format!("the reason stayed chosen after the print: {reason}"))?;
        // The next delegate's badge is scanned while the reprint reason has the focus: the code
        // goes to the search box and checks them in; it picks no reason ("D…" chose Damaged)
        // and reprints nothing.
        app.js("document.getElementById('arrival-reprint-reason').focus(); return true").await?;
        app.keyboard(&format!("{next_token}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "Bartholomew Nextinline").await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        Ok(())
    })
    .await;
    let d0 = Desk::open(&db).unwrap();
    assert_eq!(d0.arrival_card(next, Some(1)).unwrap().checkin.map(|c| c.method), Some("scan".into()));
    assert_eq!(d0.badge_history(id).unwrap().len(), 3, "no reprint came of the scan");
    drop(d0);
    let d = Desk::open(&db).unwrap();
    let card = d.arrival_card(id, Some(1)).unwrap();
    assert_eq!(card.checkin.map(|c| c.method), Some("scan".into()));
    assert_eq!(
        d.badge_history(id).unwrap().last().map(|b| (b.version, b.reason.clone())),
        Some((3, "damaged".into()))
    );
}

#[tokio::test]
async fn an_invited_person_is_registered_and_checked_in_with_one_key_and_names_are_text() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let invited = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        d.import(
            b"given_name,family_name,category,delegation\nQuillon,Zephyrine,speaker,Aruba\n",
            &ImportOptions::default(),
        )
        .unwrap();
        d.register(&person(HOSTILE, "Hostile")).unwrap();
        d.search("zephyrine", 1).unwrap()[0].id
    };
    drive(&db, &[], "arrival-invited", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.keyboard("zeph").await?;
        app.wait_contains("#arrival-results", "Invited").await?;
        app.wait_contains("#arrival-attention", "Speaker").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "registered — seat 2 of 100 — and checked in today").await?;
        // A hostile name is text in the results and on the card.
        app.keyboard("hostile").await?;
        app.wait_contains("#arrival-results", HOSTILE).await?;
        app.wait_contains("#arrival-card-name", HOSTILE).await?;
        let images = app.js("return document.querySelectorAll('#view-arrival img').length").await?;
        ensure(images == 0, || format!("{images} images in the arrival view"))?;
        // A badge code read with its first letter lost (a scanner firing into a box that was
        // then emptied) finds nobody, and is not a walk-in: said, the box empty for the rescan.
        app.keyboard("\u{E00C}").await?; // Escape clears
        app.keyboard("DBYD3JNDJ6IIDTVEII42ESJGX4QV\u{E007}").await?;
        app.wait_contains("#arrival-outcome-text", "is not a name (it has digits)").await?;
        app.screenshot("arrival-not-a-name").await;
        ensure_still_arrival(app).await?;
        app.wait_until("the box is empty", "return document.getElementById('arrival-search').value === ''").await?;
        // Nobody found: Enter opens the Register view with the words as the name.
        app.keyboard("\u{E00C}").await?; // Escape clears
        app.wait_text("#arrival-results", |t| t.is_empty()).await?;
        app.keyboard("Mireille Walkin").await?;
        app.wait_contains("#arrival-count", "Nobody found").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_until("the words are in the form", "return !document.getElementById('view-register').hidden && document.getElementById('reg-familyName').value !== ''").await?;
        let family = app.js("return document.getElementById('reg-familyName').value").await?;
        let given = app.js("return document.getElementById('reg-givenName').value").await?;
        ensure(family == "Walkin" && given == "Mireille", || format!("prefilled {given} {family}"))?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let card = d.arrival_card(invited, Some(1)).unwrap();
    assert_eq!(card.attendee.status, delegate_desk::Status::Registered);
    assert!(card.checkin.is_some());
}

#[tokio::test]
async fn the_dashboard_follows_a_check_in_made_by_the_cli() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (id, hostile) = {
        let mut d = event_today(&db);
        let hostile = d.register(&person(HOSTILE, "Hostile")).unwrap().attendee.id;
        d.check_in(hostile, Some(1)).unwrap();
        let someone = d.search("adhin", 1).unwrap()[0].id;
        (someone, hostile)
    };
    let cli = delegate_desk_e2e::cli_path();
    drive(&db, &[], "dashboard", async |app: &App| {
        app.click("#nav-dashboard").await?;
        app.wait_text("#dash-checked", |t| t.starts_with("1\n") || t.starts_with("1 ")).await?;
        app.wait_contains("#dash-registered", "121 / 130").await?;
        app.wait_contains("#dash-delegations", "Barbados").await?;
        ensure(app.el("#dash-bars").await.is_ok(), || "the arrivals are drawn".into())?;
        // Another process checks someone in; the window follows without any action here.
        let started = std::time::Instant::now();
        let out = std::process::Command::new(&cli)
            .args(["checkin", &id.to_string(), "--operator", "Cli Desk"])
            .env("DELEGATE_DESK_DB", &db)
            .output()
            .map_err(|e| format!("run {}: {e}", cli.display()))?;
        ensure(out.status.success(), || {
            format!("the CLI check-in: {}", String::from_utf8_lossy(&out.stderr))
        })?;
        app.wait_text("#dash-checked", |t| t.starts_with('2')).await?;
        eprintln!(
            "webview: dashboard follows a CLI check-in after {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        app.screenshot("dashboard-view").await;
        // The hostile name is text in the audit of the day (the latest arrivals list).
        app.click("#nav-arrival").await?;
        app.wait_contains("#arrival-recent", HOSTILE).await?;
        let images = app.js("return document.querySelectorAll('main img').length").await?;
        ensure(images == 0, || format!("{images} images in the window"))?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(d.arrival_card(hostile, Some(1)).unwrap().checkin.is_some());
    assert_eq!(d.arrival_card(id, Some(1)).unwrap().checkin.map(|c| c.operator), Some("Cli Desk".into()));
}

#[tokio::test]
async fn the_window_asks_who_is_at_the_desk_and_remembers_it() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap().set_pin(None, "246810").unwrap();
    // Nobody named by the environment; the webview's storage in a folder of its own.
    let env = [("DELEGATE_DESK_OPERATOR", Path::new("")), ("XDG_DATA_HOME", data.path())];
    drive(&db, &env, "sign-in", async |app: &App| {
        app.wait_text("#signin-title", |t| t.contains("Who is at the desk?")).await?;
        ensure(app.focused_id().await? == "signin-name", || "the name has the focus".into())?;
        // An empty name is refused next to its field.
        app.fill("#signin-desk", "Desk 2").await?;
        app.click("#signin-start").await?;
        app.wait_contains("#signin-name-error", "Name the operator").await?;
        app.screenshot("sign-in-dialog").await;
        app.fill("#signin-name", "Ana Pérez").await?;
        app.click("#signin-start").await?;
        app.wait_contains("#operator-name", "Ana Pérez · Desk 2").await?;
        app.click("#nav-register").await?;
        app.fill("#reg-givenName", "Signed").await?;
        app.fill("#reg-familyName", "Operator").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#register-result", "Registered").await?;
        // The coordinator opens the desk; someone else signs in at it: what the coordinator
        // opened closes, and the header says so at once (it said 'open' until the next action).
        app.click("#nav-event").await?;
        app.click("#event-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_text("#pin-slot", |t| t.contains("Coordinator actions open")).await?;
        app.click("#operator-change").await?;
        app.fill("#signin-name", "Marcus Bell").await?;
        app.click("#signin-start").await?;
        app.wait_contains("#operator-name", "Marcus Bell · Desk 2").await?;
        // On disk before the header says so: a window closed (or killed) now starts with him.
        let remembered = std::fs::read_to_string(data.path().join("org.delegatedesk.desk/operator.json"))
            .map_err(|e| format!("the sign-in is not remembered on disk: {e}"))?;
        ensure(remembered.contains("Marcus Bell"), || format!("remembered: {remembered}"))?;
        app.wait_until(
            "the header's coordinator mark is gone after the sign-in",
            "return document.getElementById('pin-slot').hidden",
        )
        .await?;
        Ok(())
    })
    .await;
    let trail = Desk::open(&db).unwrap().audit_trail(&Default::default()).unwrap();
    let entry = trail.iter().find(|e| e.action == "register").unwrap();
    assert_eq!((entry.operator.as_str(), entry.desk.as_str()), ("Ana Pérez", "Desk 2"));
    // The next start on this computer remembers who it was last.
    drive(&db, &env, "sign-in-remembered", async |app: &App| {
        app.wait_contains("#operator-name", "Marcus Bell · Desk 2").await?;
        let open = app.js("return document.getElementById('signin-dialog').open").await?;
        ensure(open == false, || "no question the second time".into())
    })
    .await;
}

#[tokio::test]
async fn a_change_at_another_desk_does_not_move_the_highlighted_person() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (first, second) = {
        let mut d = event_today(&db);
        let a = d.register(&person("Marisol", "Twinsmith")).unwrap().attendee.id;
        let b = d.register(&person("Marius", "Twinsmith")).unwrap().attendee.id;
        let found: Vec<i64> = d.search("twinsmith", 2).unwrap().iter().map(|x| x.id).collect();
        assert_eq!(found.len(), 2);
        assert!(found.contains(&a) && found.contains(&b));
        (found[0], found[1])
    };
    let other = db.clone();
    drive(&db, &[], "arrival-refresh", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.keyboard("twinsmith").await?;
        app.wait_text("#arrival-results", |t| t.matches("Twinsmith").count() == 2).await?;
        // Arrow down at once, maybe before the results of the last letter came: it moves in
        // those results once they are drawn, not in stale ones.
        app.keyboard("\u{E015}").await?;
        app.wait_until(
            "the second is highlighted",
            "return document.getElementById('arrival-opt-1')?.getAttribute('aria-selected') === 'true'",
        )
        .await?;
        // Another desk changes the database; the window refreshes within a second.
        let revision = Desk::open(&other).unwrap().revision().unwrap();
        Desk::open(&other).unwrap().check_in(first, Some(2)).map_err(|e| e.to_string())?;
        let moved = Desk::open(&other).unwrap().revision().unwrap();
        ensure(moved > revision, || "the revision moved".into())?;
        app.wait_until(
            "the window has read the other desk's change",
            &format!("return document.documentElement.dataset.revision === '{moved}'"),
        )
        .await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(
        d.arrival_card(second, Some(1)).unwrap().checkin.is_some(),
        "Enter acted on the person highlighted"
    );
    assert!(d.arrival_card(first, Some(1)).unwrap().checkin.is_none());
}

/// The control with the keyboard goes away when another desk changes the person (their
/// check-in undone there, so no Undo button): the keyboard lands on the card, where Enter does
/// nothing. It fell to the page, where Enter checked the person in again: the opposite of the
/// Undo the operator was about to press.
#[tokio::test]
async fn enter_after_the_focused_button_went_away_does_not_check_in_again() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (a, b) = {
        let mut d = event_today(&db);
        let a = d.register(&person("Quintessa", "Undofocus")).unwrap().attendee.id;
        let b = d.register(&person("Bertrand", "Nextafter")).unwrap().attendee.id;
        d.check_in(a, Some(1)).unwrap();
        (a, b)
    };
    let other = db.clone();
    drive(&db, &[], "arrival-focus-gone", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.keyboard("undofocus").await?;
        app.wait_contains("#arrival-card", "Checked in for day 1").await?;
        app.js("document.getElementById('arrival-undo').focus(); return true").await?;
        ensure(app.focused_id().await? == "arrival-undo", || "Undo has the keyboard".into())?;
        Desk::open(&other)
            .unwrap()
            .undo_check_in(a, 1, "checked in by mistake")
            .map_err(|e| e.to_string())?;
        let moved = Desk::open(&other).unwrap().revision().unwrap();
        app.wait_until(
            "the window has read the other desk's change",
            &format!("return document.documentElement.dataset.revision === '{moved}'"),
        )
        .await?;
        app.wait_until("the card has no Undo", "return !document.getElementById('arrival-undo')").await?;
        let focused = app.focused_id().await?;
        ensure(focused == "arrival-card-name", || format!("the keyboard is on #{focused}"))?;
        app.keyboard("\u{E007}").await?;
        // The next person, after it (back in the box, cleared with Escape): their outcome comes
        // after anything the Enter did.
        app.js("document.getElementById('arrival-search').focus(); return true").await?;
        app.keyboard("\u{E00C}nextafter\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "Bertrand Nextafter").await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(d.arrival_card(a, Some(1)).unwrap().checkin.is_none(), "the Enter checked her in again");
    assert!(d.arrival_card(b, Some(1)).unwrap().checkin.is_some());
}

/// A cancelled person at the desk, reinstated from the outcome: the line names them and says
/// they are not checked in yet, with a button that checks them in. It said "Reinstated — seat
/// 131 of 130"-like words naming nobody, and the delegate walked in with no check-in.
#[tokio::test]
async fn a_person_reinstated_at_arrival_is_named_and_checked_in_with_one_more_key() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let id = {
        let mut d = event_today(&db);
        let id = d.register(&person("Cassius", "Backagain")).unwrap().attendee.id;
        d.cancel(id).unwrap();
        id
    };
    drive(&db, &[], "arrival-reinstate", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        // A long paste is cut at the box's bound (a whole column made every key wait).
        app.type_into("#arrival-search", &"D".repeat(400)).await?;
        let kept = app.js("return document.getElementById('arrival-search').value.length").await?;
        ensure(kept == 300, || format!("the box holds {kept} characters"))?;
        app.keyboard("\u{E00C}").await?;
        app.keyboard("backagain\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "cancelled").await?;
        app.click("#arrival-reinstate").await?;
        app.wait_contains("#arrival-outcome", "Cassius Backagain").await?;
        app.wait_contains("#arrival-outcome", "not checked in yet").await?;
        app.click("#arrival-outcome-checkin").await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert_eq!(d.attendee(id).unwrap().status.wire(), "registered");
    assert!(d.arrival_card(id, Some(1)).unwrap().checkin.is_some());
}

/// An undo form open on the card of one day does not stay when the card is drawn for another
/// day: it would undo the check-in no longer shown (day 2's, under day 1's card).
#[tokio::test]
async fn an_open_undo_form_goes_when_the_card_shows_another_day() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let id = {
        let mut d = Desk::open(&db).unwrap();
        let today = d.event().unwrap().local_now().date_naive();
        let yesterday = today.pred_opt().unwrap();
        d.update_event(&delegate_desk::EventInput {
            start_date: Some(yesterday.to_string()),
            end_date: Some(today.to_string()),
            ..Default::default()
        })
        .unwrap();
        let id = d.register(&person("Dorothea", "Twodays")).unwrap().attendee.id;
        d.check_in(id, Some(1)).unwrap();
        d.check_in(id, Some(2)).unwrap();
        id
    };
    drive(&db, &[], "arrival-undo-day", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 2").await?;
        app.keyboard("twodays").await?;
        app.wait_contains("#arrival-card", "Checked in for day 2").await?;
        app.click("#arrival-undo").await?;
        app.fill("#arrival-undo-reason", "wrong day").await?;
        app.choose("arrival-day", "1").await?;
        app.wait_contains("#arrival-card", "Checked in for day 1").await?;
        let open = app.js("return Boolean(document.getElementById('arrival-undo-reason'))").await?;
        ensure(open == false, || "the undo form of day 2 stays under day 1's card".into())?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(d.arrival_card(id, Some(2)).unwrap().checkin.is_some());
    assert!(d.arrival_card(id, Some(1)).unwrap().checkin.is_some());
}

/// The coordinator PIN in the window: a coordinator action opens the PIN dialog naming what
/// was refused; a wrong PIN is said in the dialog; Cancel leaves everything as it was; the
/// right PIN does the action; the header offers Lock; undoing another desk's check-in asks
/// again once locked, while the operator's own needs no PIN.
#[tokio::test]
async fn coordinator_actions_ask_for_the_pin_and_a_cancel_changes_nothing() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let other = {
        let mut d = event_today(&db);
        d.set_pin(None, "13579-coord").unwrap();
        d.sign_in("Other Operator", "Desk 2").unwrap();
        let id = d.register(&person("Olga", "Otherdesk")).unwrap().attendee.id;
        d.check_in(id, Some(1)).unwrap();
        id
    };
    drive(&db, &[], "coordinator-pin", async |app: &App| {
        app.click("#nav-event").await?;
        app.fill("#event-capacity", "140").await?;
        app.click("#event-save").await?;
        app.el("#pin-dialog[open]").await?;
        app.wait_contains("#pin-why", "Changing the event settings is for the coordinator").await?;
        ensure(app.focused_id().await? == "pin-input", || "the PIN field has the focus".into())?;
        app.fill("#pin-input", "00000000").await?;
        app.click("#pin-ok").await?;
        app.wait_contains("#pin-input-error", "Wrong PIN (4 tries left)").await?;
        app.screenshot("pin-dialog").await;
        app.click("#pin-cancel").await?;
        app.wait_contains("#message", "enter the coordinator PIN").await?;
        ensure(Desk::open(&app.db).unwrap().event().unwrap().capacity == 130, || {
            "cancel changed the capacity".into()
        })?;
        // Again, with the right PIN: saved, and the header says coordinator actions are open.
        app.click("#event-save").await?;
        app.coordinator_pin("13579-coord").await?;
        app.wait_text("#gauge-capacity", |t| t == "140").await?;
        app.wait_contains("#pin-slot", "Coordinator actions open").await?;
        app.click("#pin-lock").await?;
        for _ in 0..50 {
            if app.js("return getComputedStyle(document.getElementById('pin-slot')).display;").await?
                == "none"
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let shown = app.js("return getComputedStyle(document.getElementById('pin-slot')).display;").await?;
        ensure(shown == "none", || {
            format!("Lock left the header showing coordinator actions open: {shown}")
        })?;
        // Another desk's check-in: undoing it asks for the PIN again.
        app.click("#nav-arrival").await?;
        app.type_into("#arrival-search", "otherdesk").await?;
        app.wait_contains("#arrival-card", "Checked in for day 1").await?;
        // The card is live once it is the highlighted result of the whole word typed (read for
        // a shorter word first, its buttons wait, dimmed; a click then does nothing).
        app.wait_until(
            "the card can be acted on",
            "return !document.getElementById('arrival-undo').disabled",
        )
        .await?;
        app.click("#arrival-undo").await?;
        app.fill("#arrival-undo-reason", "left the building").await?;
        app.click("#arrival-undo-confirm").await?;
        app.wait_contains("#pin-why", "Undoing a check-in made by Other Operator").await?;
        app.coordinator_pin("13579-coord").await?;
        app.wait_contains("#arrival-outcome", "undone: left the building").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(d.arrival_card(other, Some(1)).unwrap().checkin.is_none());
    assert_eq!(d.event().unwrap().capacity, 140);
}

/// The arrival search with 10,000 people on file: every keystroke of a query that matches
/// almost all of them ("dupr": 9,880 people share the family name) is timed in the page from
/// its input event to the results drawn. Printed for the README, not asserted (a timed
/// assertion would fail on a loaded machine, not on slow code).
#[tokio::test]
async fn keystrokes_with_ten_thousand_people_are_timed_in_the_webview() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = event_today(&db);
        let mut csv = String::from("given_name,family_name,organization,delegation,category,email\n");
        for i in 0..9_880 {
            csv.push_str(&format!(
                "Hélène{i},Dupré-Bâtard,\"Ministry of National Security, Office {i}\",Jamaica,Delegate,p{i}@example.org\n"
            ));
        }
        let out = d.import(csv.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(out.invited, 9_880, "{}", out.message);
        assert_eq!(d.list(&Default::default()).unwrap().len(), 10_000);
    }
    drive(&db, &[], "arrival-10k", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        let ms = type_and_time(app, "dupr hel").await?;
        eprintln!("webview, 10,000 people: keystroke → results drawn, per key of \"dupr hel\": {ms:.1?} ms");
        app.wait_contains("#arrival-count", "First 12").await?;
        app.wait_contains("#arrival-results", "Dupré-Bâtard").await?;
        Ok(())
    })
    .await;
}

/// The card belongs to the highlighted result, and only to it; the outcome is the last action's
/// and goes with a new search or another view; the gauge and the card say when the free seats
/// are the waitlist's; a badge that looks wrong is asked about before it prints; Open with no
/// viewer says so and where the file is.
#[tokio::test]
async fn the_card_and_the_outcome_are_about_the_person_acted_on() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (kendall, hurried, invited) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, Some("3"));
        let kendall = d.register(&person("Kendall", "Ashworth")).unwrap().attendee.id;
        let hurried = AttendeeInput {
            given_name: Some("marcus".into()),
            family_name: Some("oneil".into()),
            category: Some("delegate".into()),
            ..Default::default()
        };
        let hurried = d.register(&hurried).unwrap().attendee.id;
        let gone = d.register(&person("Gone", "Early")).unwrap().attendee.id;
        d.register(&person("Wendy", "Waiting")).unwrap();
        d.cancel(gone).unwrap();
        d.import(b"given_name,family_name,category\nIvo,Invitado,delegate\n", &ImportOptions::default())
            .unwrap();
        let invited = d.search("invitado", 1).unwrap()[0].id;
        (kendall, hurried, invited)
    };
    // Open with no program for a PDF: the desk's own view of this machine decides what the
    // window must say (the test machines have no PDF viewer; the window cannot start with the
    // desktop's data folders hidden, so they are not).
    let viewer = delegate_desk::printing::viewer_installed(&["application/pdf"]);
    drive(&db, &[], "arrival-card-follows", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        // One free seat, and one person waiting for it: the header says the seat is theirs.
        app.wait_contains("#gauge", "1 free — held for 1 waiting").await?;
        // "ke" finds Kendall; "kendra" finds nobody: no card, no Check in for Kendall.
        app.keyboard("ke").await?;
        app.wait_contains("#arrival-card-name", "Kendall").await?;
        app.keyboard("ndra").await?;
        app.wait_contains("#arrival-count", "Nobody found").await?;
        app.wait_until("no card beside no result", "return document.getElementById('arrival-card').hidden").await?;
        let live = app.js("return document.querySelectorAll('#arrival-checkin').length").await?;
        ensure(live == 0, || "a Check in button stayed with no result".into())?;
        // An empty box: no card either.
        app.keyboard("\u{E00C}ke").await?;
        app.wait_contains("#arrival-card-name", "Kendall").await?;
        app.keyboard("\u{E00C}").await?;
        app.wait_until("no card beside an empty box", "return document.getElementById('arrival-card').hidden").await?;
        // The invited person: the card says why there is no seat and offers the waitlist.
        app.keyboard("invitado").await?;
        app.wait_contains("#arrival-no-seat", "1 person is waiting for a seat").await?;
        let offered = app.js("return [...document.querySelectorAll('#arrival-card .card-actions button')].map((b) => b.id)").await?;
        ensure(offered == serde_json::json!(["arrival-card-waitlist"]), || format!("offered {offered}"))?;
        // Kendall checked in: the outcome names him; a new search empties it.
        app.keyboard("\u{E00C}kendall\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "Kendall").await?;
        app.keyboard("m").await?;
        app.wait_until("a new search empties the outcome", "return document.getElementById('arrival-outcome').classList.contains('empty')").await?;
        // A badge all in lower case, with no delegation: asked about before it prints.
        app.keyboard("arcus\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "marcus oneil").await?;
        app.click("#arrival-outcome-print").await?;
        app.wait_contains("#confirm-items", "is all in lower case").await?;
        app.wait_contains("#confirm-items", "no delegation").await?;
        app.click("#confirm-no").await?;
        app.wait_contains("#arrival-outcome", "not printed").await?;
        // Printed as it is after all; Open with no viewer says so and where the file is.
        app.keyboard("oneil").await?;
        app.click("#arrival-print").await?;
        app.click("#confirm-ok").await?;
        app.wait_contains("#arrival-outcome", "saved as PDF").await?;
        if viewer {
            eprintln!("a PDF viewer is installed here: Open is not tried");
        } else {
            app.click("#arrival-saved-open").await?;
            app.wait_contains("#arrival-outcome", "No program on this computer opens PDF files").await?;
            app.wait_contains("#arrival-outcome", "badges-").await?;
            app.screenshot("arrival-no-viewer").await;
        }
        // Another view: the outcome and the message are gone when the desk comes back.
        app.click("#nav-attendees").await?;
        app.wait_text("#message", |t| t.is_empty()).await?;
        app.click("#nav-arrival").await?;
        app.wait_until("the outcome is gone", "return document.getElementById('arrival-outcome').classList.contains('empty')").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(d.arrival_card(kendall, Some(1)).unwrap().checkin.is_some());
    assert_eq!(d.badge_history(hurried).unwrap().len(), 1, "printed once, after the question");
    assert_eq!(d.attendee(invited).unwrap().status, delegate_desk::Status::Invited);
}

/// The arrival view is still the one shown (no other view opened).
async fn ensure_still_arrival(app: &App) -> Step {
    let shown = app.js("return !document.getElementById('view-arrival').hidden").await?;
    ensure(shown == serde_json::json!(true), || "another view opened".into())
}
