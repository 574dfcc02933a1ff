//! It fits a laptop: at 1280 × 800 and 1366 × 768 the arrival card's buttons are in sight
//! without scrolling (a VIP with every attention line), no view scrolls sideways, and the
//! search box's focus ring covers neither the hint under it nor anything else. Times are the
//! venue's, dates one style.

use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{AttendeeInput, Desk};
use delegate_desk_e2e::{drive, ensure, event_from_today, turn, App, Step};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/data/invitees-sample.csv");
const VIEWS: [&str; 9] =
    ["arrival", "register", "attendees", "event", "badges", "import", "rosters", "dashboard", "audit"];

/// What reaches past the right edge of the view, or the view scrolling sideways.
async fn sideways(app: &App) -> Step<Vec<String>> {
    let v = app
        .js("const main = document.getElementById('main');
             main.scrollLeft = 500; const moved = main.scrollLeft; main.scrollLeft = 0;
             const w = main.getBoundingClientRect().left + main.clientWidth;
             const out = moved ? [`scrolls sideways by ${moved} px`] : [];
             for (const e of main.querySelectorAll('*')) {
               if (e.getBoundingClientRect().right > w + 1) out.push(`${e.tagName}#${e.id}.${e.className}`);
             }
             return out.slice(0, 5);")
        .await?;
    Ok(v.as_array().map(|a| a.iter().map(|x| x.to_string()).collect()).unwrap_or_default())
}

#[tokio::test]
async fn the_desk_fits_1280_by_800_and_1366_by_768() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("130"));
        let bytes = std::fs::read(SAMPLE).unwrap();
        d.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
        // A VIP speaker with every line of attention, down for day 2 only, checked in then
        // undone twice (a history), with a badge.
        let id = d
            .register(&AttendeeInput {
                rank: Some("H.E.".into()),
                given_name: Some("Maximiliano".into()),
                family_name: Some("Fitzgerald-Montgomery".into()),
                position: Some("Minister of National Security and Public Administration".into()),
                organization: Some("Ministry of National Security and Public Administration".into()),
                delegation: Some("Trinidad and Tobago".into()),
                category: Some("vip".into()),
                dietary: Some("Halal, no nuts, no shellfish".into()),
                accessibility: Some("Wheelchair access, large-print materials".into()),
                notes: Some("Escort to the front row; protocol officer to meet at the gate".into()),
                ..Default::default()
            })
            .unwrap()
            .attendee
            .id;
        for _ in 0..2 {
            d.check_in(id, Some(1)).unwrap();
            d.undo_check_in(id, 1, "checked in by mistake").unwrap();
        }
    }
    drive(&db, &[], "layout", async |app: &App| {
        for (w, h) in [(1280, 800), (1366, 768)] {
            app.resize(w, h).await?;
            app.click("#nav-arrival").await?;
            app.click("#arrival-search").await?;
            app.keyboard("\u{E00C}fitzgerald").await?; // Escape empties the box first

            app.wait_contains("#arrival-card-name", "Fitzgerald-Montgomery").await?;
            app.wait_contains("#arrival-card", "undone by").await?;
            app.screenshot(&format!("layout-arrival-{w}x{h}")).await;
            let seen = app
                .js("const main = document.getElementById('main').getBoundingClientRect();
                     const buttons = document.querySelector('#arrival-card .card-actions').getBoundingClientRect();
                     const box = document.getElementById('arrival-search').getBoundingClientRect();
                     const hint = document.getElementById('arrival-count').getBoundingClientRect();
                     return { buttonsBottom: buttons.bottom, mainBottom: main.bottom, gap: hint.top - box.bottom };")
                .await?;
            let (bottom, main) = (seen["buttonsBottom"].as_f64().unwrap_or(f64::MAX), seen["mainBottom"].as_f64().unwrap_or(0.0));
            ensure(bottom <= main, || format!("{w}×{h}: the card's buttons end at {bottom}, below the view's {main}"))?;
            // The ring reaches 9 px below the box.
            let gap = seen["gap"].as_f64().unwrap_or(0.0);
            ensure(gap >= 9.0, || format!("{w}×{h}: the hint is {gap} px under the box: the focus ring covers it"))?;
            for view in VIEWS {
                app.click(&format!("#nav-{view}")).await?;
                app.wait_until("the view shows", &format!("return !document.getElementById('view-{view}').hidden")).await?;
                let wide = sideways(app).await?;
                ensure(wide.is_empty(), || format!("{w}×{h}, {view}: {wide:?}"))?;
            }
        }
        Ok(())
    })
    .await;
}

/// The window is resized again and again about half a second apart, as an operator drags it:
/// each time the size settles the desk saves it, and a resize arriving while it saved once froze
/// the window for good (the saving, on another thread, held the window-state plugin's lock while
/// it waited for the main thread, which waited for that lock). Every resize must be answered.
#[tokio::test]
async fn resizes_half_a_second_apart_never_freeze_the_window() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    drop(Desk::open(&db).unwrap());
    drive(&db, &[], "resizes", async |app: &App| {
        for i in 0..40u64 {
            let height = if i % 2 == 0 { 660 } else { 800 };
            app.resize(1280, height).await?;
            let (_, _, w, h) = app.rect().await?;
            ensure((w, h) == (1280, u64::from(height)), || format!("resize {i}: the window is {w} x {h}"))?;
            // Around the half second after which the desk saves the settled size.
            tokio::time::sleep(std::time::Duration::from_millis(480 + (i * 7) % 60)).await;
        }
        Ok(())
    })
    .await;
}

/// Times are the venue's and dates have one style: with the venue in Tokyo, the footer's last
/// backup, a card's check-in and badge, and the audit trail show Tokyo's clock (named, where this
/// computer's differs), and the event's dates are typed as 2019-11-14 and shown back as
/// "14 Nov 2019", not as this computer's 11/14/2019.
#[tokio::test]
async fn times_are_the_venues_and_dates_have_one_style() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        d.update_event(&delegate_desk::EventInput {
            timezone: Some("Asia/Tokyo".into()),
            ..Default::default()
        })
        .unwrap();
        let id = d
            .register(&AttendeeInput {
                given_name: Some("Hanako".into()),
                family_name: Some("Venueclock".into()),
                delegation: Some("Japan".into()),
                category: Some("delegate".into()),
                ..Default::default()
            })
            .unwrap()
            .attendee
            .id;
        d.check_in(id, Some(1)).unwrap();
    }
    let tokyo = || (chrono::Utc::now() + chrono::Duration::hours(9)).format("%H:%M").to_string();
    drive(&db, &[], "times", async |app: &App| {
        let before = tokyo();
        app.click("#backup-now").await?;
        // An automatic backup a minute earlier may already be on the line: wait for this one,
        // shown at Tokyo's clock (the minute may turn while it is made).
        let line = app
            .wait_text("#backup-last", |t| {
                t.contains("Last backup") && (t.contains(&before) || t.contains(&tokyo()))
            })
            .await
            .map_err(|e| format!("the last backup is not shown at the venue's {before}: {e}"))?;
        let here_is_tokyo = chrono::Local::now().offset().local_minus_utc() == 9 * 3600;
        ensure(here_is_tokyo || line.contains("GMT+9"), || format!("the venue's zone is not named: {line}"))?;
        // The card: the check-in at Tokyo's clock, named.
        app.click("#nav-arrival").await?;
        app.fill("#arrival-search", "venueclock").await?;
        let card = app.wait_contains("#arrival-card", "Checked in for day 1 at").await?;
        ensure(here_is_tokyo || card.contains("GMT+9"), || {
            format!("the card's check-in does not name the venue's zone: {card}")
        })?;
        app.screenshot("times-card").await;
        // The audit trail says its times are the venue's, and which zone that is.
        app.click("#nav-audit").await?;
        let note = app.wait_contains("#audit-venue-note", "Times are at the venue").await?;
        ensure(here_is_tokyo || note.contains("GMT+9"), || {
            format!("the audit does not name the venue's zone: {note}")
        })?;
        app.click("#nav-event").await?;
        let start = app.js("return document.getElementById('event-startDate').value").await?;
        ensure(start == "2019-11-14", || format!("the first day shows {start}"))?;
        app.wait_contains("#event-startDate-hint", "14 Nov 2019").await?;
        app.fill("#event-endDate", "2019-11-1").await?;
        app.wait_contains("#event-endDate-hint", "YYYY-MM-DD").await?;
        Ok(())
    })
    .await;
}
