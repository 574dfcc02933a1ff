//! The operator's guide, walked through the real window on demo data: every screen the guide
//! shows, in its order, each checked for what the guide says it shows. With `E2E_SCREENSHOTS`
//! set (as `scripts/screenshots.sh` does, to `docs/screenshots`), each step leaves the
//! screenshot the guide and the README use, and the printed badge sheet is rendered to PNG, so
//! the pictures are never older than the window.

use delegate_desk::demo::create_demo;
use delegate_desk::{Desk, ListFilter, Status};
use delegate_desk_e2e::{files_in, turn, App, Step};
use std::path::Path;

const EVENTBRITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/eventbrite-attendees.csv");

/// Scroll `css` into view, so the screenshot shows it (the page has no smooth scrolling: the
/// scroll is done when the script returns).
async fn into_view(app: &App, css: &str) -> Step {
    app.js(&format!("document.querySelector({css:?}).scrollIntoView({{block: 'center'}}); return true"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn the_guide_tour_on_demo_data() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    create_demo(&db).unwrap();
    // Who the tour finds at the desk this morning (day 2: day 1 was yesterday): registered,
    // coming today, not yet in, badge printed
    // (for the scan), and one without a badge (to check in by name).
    let (by_name, scanned, token) = {
        let d = Desk::open(&db).unwrap();
        let mut people = d.list(&ListFilter::default()).unwrap();
        people.sort_by_key(|a| a.id);
        let waiting: Vec<_> = people
            .iter()
            .filter(|a| a.status == Status::Registered && a.fields.days.contains(&2))
            .filter(|a| d.arrival_card(a.id, Some(2)).unwrap().history.iter().all(|c| c.day != 2))
            .collect();
        let badged = |a: &&&delegate_desk::Attendee| !d.badge_history(a.id).unwrap().is_empty();
        let scanned = waiting.iter().find(badged).expect("a badged person not yet in");
        let by_name = waiting.iter().find(|a| a.id != scanned.id).expect("another person not yet in");
        let token: String = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT token FROM badge_print WHERE attendee_id = ?1", [scanned.id], |r| r.get(0))
            .unwrap();
        ((*by_name).clone(), (*scanned).clone(), token)
    };
    let env: [(&str, &Path); 3] = [
        ("DELEGATE_DESK_OUTPUT_DIR", out.path()),
        ("DELEGATE_DESK_OPERATOR", Path::new("Ana Pierre")),
        ("DELEGATE_DESK_DESK", Path::new("Desk 1")),
    ];
    let app = App::start_with(&db, &env).await;
    let result = async {
        // ---- The desk operator ----
        app.wait_contains("#demo-banner", "DEMO DATA").await?;
        app.wait_contains("#arrival-day-note", "Today is day 2").await?;
        // The start of each name, in characters: the demo's names are not all ASCII ("Siân").
        let start = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let words =
            format!("{} {}", start(&by_name.fields.given_name, 3), start(&by_name.fields.family_name, 4));
        app.type_into("#arrival-search", &words).await?;
        app.wait_contains("#arrival-results", &by_name.fields.family_name).await?;
        app.wait_contains("#arrival-card-name", &by_name.fields.family_name).await?;
        app.screenshot("arrival-find").await;
        app.keyboard("\u{E007}").await?; // Enter checks in the highlighted person
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        app.wait_contains("#arrival-outcome", &by_name.fields.family_name).await?;
        app.screenshot("arrival-checked-in").await;
        // Undo, with a reason, from the outcome of the check-in.
        app.click("#arrival-outcome-undo").await?;
        app.fill("#arrival-undo-reason", "Checked in the wrong person").await?;
        app.screenshot("arrival-undo").await;
        app.click("#arrival-undo-confirm").await?;
        app.wait_contains("#arrival-outcome-text", "undone").await?;
        // A badge scanned: the scanner types its code and Enter into the same box.
        app.keyboard("\u{E00C}").await?;
        app.keyboard(&format!("{token}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "checked in today").await?;
        app.wait_contains("#arrival-outcome", &scanned.fields.family_name).await?;
        app.screenshot("arrival-scan").await;
        // A walk-in: nobody found, Enter opens Register with the name typed.
        app.keyboard("\u{E00C}").await?;
        app.keyboard("Nadia Baptiste-Walker").await?;
        app.wait_contains("#arrival-count", "Nobody found").await?;
        app.screenshot("arrival-nobody").await;
        app.keyboard("\u{E007}").await?;
        app.wait_until(
            "the walk-in's words are in the form",
            "return document.getElementById('reg-familyName').value === 'Baptiste-Walker'",
        )
        .await?;
        app.fill("#reg-rank", "Insp.").await?;
        app.fill("#reg-delegation", "Barbados").await?;
        app.fill("#reg-organization", "Royal Barbados Police Force").await?;
        app.choose("reg-category", "delegate").await?;
        app.screenshot("register").await;
        app.click("#reg-submit").await?;
        // Three seats are free, but six people wait for them: a walk-in joins the waitlist.
        app.wait_contains("#register-result", "added to waitlist, position 7").await?;
        into_view(&app, "#register-result").await?;
        app.screenshot("register-done").await;

        // ---- Logistics: badges ----
        app.click("#nav-badges").await?;
        app.click("#badges-who-not-printed").await?;
        app.choose("badges-preset", "letter-6up-4x3").await?;
        app.click("#badges-check").await?;
        app.wait_contains("#badges-preflight", "badges").await?;
        app.screenshot("badges-preflight").await;
        app.click("#badges-print").await?;
        app.wait_contains("#badges-result", ".pdf").await?;
        app.screenshot("badges-printed").await;
        app.click("#calibration summary").await?;
        into_view(&app, "#cal-dx").await?;
        app.screenshot("badges-calibration").await;

        // ---- The coordinator ----
        app.click("#nav-event").await?;
        // The coordinator sets the PIN on purpose, here, before the first coordinator action.
        app.wait_contains("#pin-settings-state", "No coordinator PIN is set").await?;
        app.fill("#pin-settings-new", "246810").await?;
        app.fill("#pin-settings-again", "246810").await?;
        app.click("#pin-settings-save").await?;
        app.wait_contains("#pin-settings-state", "A coordinator PIN is set").await?;
        app.screenshot("coordinator-pin").await;
        app.fill("#allocation-delegation", "Jamaica").await?;
        app.fill("#allocation-seats", "3").await?;
        app.click("#allocation-save").await?;
        app.wait_contains("#allocation-table", "Jamaica").await?;
        app.screenshot("event-settings").await;
        app.click("#nav-import").await?;
        app.type_into("#import-file", EVENTBRITE).await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "new").await?;
        app.screenshot("import-preview").await;
        app.click("#nav-attendees").await?;
        app.wait_contains("#attendee-count", "people").await?;
        app.screenshot("attendees").await;
        app.click("#nav-rosters").await?;
        app.choose("export-format", "xlsx").await?;
        app.choose("export-preset", "security").await?;
        app.click("#export-run").await?;
        app.wait_contains("#export-result", ".xlsx").await?;
        app.screenshot("rosters").await;
        app.click("#nav-dashboard").await?;
        app.wait_text("#dash-checked", |t| !t.is_empty()).await?;
        app.screenshot("dashboard").await;
        app.click("#nav-audit").await?;
        // The demo holds more entries than the view shows at once (the newest 500) or fewer.
        app.wait_contains("#audit-count", " entries").await?;
        app.screenshot("audit").await;
        app.click("#about-open").await?;
        app.wait_contains("#about-data", "Demo data").await?;
        app.screenshot("about").await;
        app.click("#about-close").await?;
        Ok::<(), String>(())
    }
    .await;
    if result.is_err() {
        let message = app.text("#message").await.ok().flatten().unwrap_or_default();
        app.screenshot("tour-failure").await;
        eprintln!("the window's message at the failure: {message}");
    }
    app.close().await;
    result.unwrap_or_else(|e| panic!("tour: {e}"));
    // What the tour did is in the database: the walk-in, the allocation, the check-ins.
    let d = Desk::open(&db).unwrap();
    let people = d.list(&ListFilter::default()).unwrap();
    assert!(people
        .iter()
        .any(|a| a.fields.family_name == "Baptiste-Walker" && a.status == Status::Waitlisted));
    assert!(d.allocations().unwrap().allocations.iter().any(|a| a.delegation == "Jamaica" && a.seats == 3));
    let today = |id: i64| -> Vec<delegate_desk::checkin::CheckIn> {
        d.arrival_card(id, Some(2)).unwrap().history.into_iter().filter(|c| c.day == 2).collect()
    };
    assert!(today(scanned.id).iter().any(|c| c.undone_by.is_none()));
    assert!(today(by_name.id).iter().all(|c| c.undone_by.is_some()));
    // The badge sheet printed, rendered for the guide.
    let pdfs = files_in(out.path(), "pdf");
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    if let Some(shots) = std::env::var_os("E2E_SCREENSHOTS") {
        let prefix = Path::new(&shots).join("badge-sheet");
        let ok = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdfs[0])
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(ok.success(), "pdftoppm failed");
    }
}
