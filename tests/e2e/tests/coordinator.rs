//! Coordinator tools through the real webview: import the shared sample invite list with a
//! preview and a confirmation, export a filtered roster and check the file, and allocate
//! seats to a delegation.

use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{AttendeeInput, Desk, ListFilter};
use delegate_desk_e2e::{drive, ensure, files_in, turn, App};
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/data/invitees-sample.csv");
const ENTER: char = '\u{E007}';

#[tokio::test]
async fn import_the_sample_list_with_a_preview_then_confirm() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    drop(Desk::open(&db).unwrap());
    let sample = Path::new(SAMPLE).canonicalize().unwrap();
    drive(&db, &[], "import", async |app: &App| {
        app.click("#nav-import").await?;
        // What a person does: choose the file in the file input.
        app.type_into("#import-file", sample.to_str().unwrap()).await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "120 new").await?;
        app.wait_contains("#import-summary", "0 invalid").await?;
        app.click("#import-confirm").await?;
        // An import is the coordinator's, and no PIN is set: refused, saying where the
        // coordinator sets one; nobody at the desk is asked to invent it.
        app.wait_contains("#message", "no coordinator PIN yet").await?;
        app.wait_contains("#message", "Event settings").await?;
        let asked = app.js("return document.getElementById('pin-dialog').open").await?;
        ensure(asked == false, || "the PIN dialog opened to set a PIN".into())?;
        // The coordinator sets it on purpose, in Event settings.
        app.click("#nav-event").await?;
        app.wait_contains("#pin-settings-state", "No coordinator PIN is set").await?;
        app.screenshot("pin-settings-unset").await;
        app.fill("#pin-settings-new", "246810").await?;
        app.fill("#pin-settings-again", "246810").await?;
        app.click("#pin-settings-save").await?;
        app.wait_contains("#pin-settings-state", "A coordinator PIN is set").await?;
        app.wait_text("#pin-slot", |t| t.contains("Coordinator actions open")).await?;
        app.click("#nav-import").await?;
        // The PIN set changed the database: the preview may be read again, quietly, and drawn
        // again, moving the page under a pointer. Pressed from the keyboard, as an operator
        // does (a click once landed beside the button, under three windows at a time).
        app.wait_until("Import can be pressed", "return !document.getElementById('import-confirm').disabled")
            .await?;
        app.js("document.getElementById('import-confirm').focus(); return 1").await?;
        app.keyboard(&ENTER.to_string()).await?;
        app.wait_contains("#import-result", "120 invited").await?;
        // The PIN changed with a wrong current PIN: the current PIN's field says so, not the
        // new PIN's, and the PIN stays what it was.
        app.click("#nav-event").await?;
        app.fill("#pin-settings-current", "999999").await?;
        app.fill("#pin-settings-new", "135791").await?;
        app.fill("#pin-settings-again", "135791").await?;
        app.click("#pin-settings-save").await?;
        app.wait_contains("#pin-settings-current-error", "Wrong PIN (4 tries left)").await?;
        let under_new = app.text("#pin-settings-new-error").await?.unwrap_or_default();
        ensure(under_new.is_empty(), || format!("the new PIN's field says: {under_new}"))?;
        // Back at the desk, coordinator actions close again.
        app.click("#nav-arrival").await?;
        app.wait_until(
            "the header's coordinator mark is gone",
            "return document.getElementById('pin-slot').hidden",
        )
        .await?;
        Ok(())
    })
    .await;
    let mut d = Desk::open(&db).unwrap();
    let s = d.status().unwrap();
    assert_eq!((s.invited, s.registered), (120, 0));
    d.unlock("246810").expect("the PIN is still the one set");
}

/// Registering from an invite list: the preview says what the seat rules would decide before
/// the coordinator confirms. Under the "refuse" policy, a row beyond its delegation's allocation
/// is named and no import is offered; with the waitlist policy, the forecast is what the
/// import then does.
#[tokio::test]
async fn an_import_that_registers_forecasts_its_seats_before_it_is_confirmed() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "given_name,family_name,delegation,category\nAna,One,Jamaica,delegate\nBo,Two,Jamaica,delegate\nCy,Three,Belize,delegate\n")
        .unwrap();
    {
        let mut d = Desk::open(&db).unwrap();
        d.set_pin(None, "246810").unwrap();
        d.set_allocation("Jamaica", "1").unwrap();
        d.set_allocation_policy("refuse").unwrap();
    }
    let db2 = db.clone();
    drive(&db, &[], "import-forecast", async |app: &App| {
        app.click("#nav-import").await?;
        app.type_into("#import-file", list.to_str().unwrap()).await?;
        app.click("#import-mode-register").await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "3 new").await?;
        app.wait_contains("#import-forecast", "The import would be refused").await?;
        app.wait_contains("#import-forecast", "Line 3: Jamaica's allocation of 1 seat is full").await?;
        app.wait_contains("#import-confirm-hint", "The seat rules would refuse this import").await?;
        let disabled = app.js("return document.getElementById('import-confirm').disabled").await?;
        ensure(disabled == true, || "the import is offered although it would be refused".into())?;
        app.screenshot("import-forecast-refused").await;
        // The coordinator changes the policy (here from another program); the preview again.
        let mut other = Desk::open(&db2).unwrap();
        other.unlock("246810").map_err(|e| e.to_string())?;
        other.set_allocation_policy("waitlist").map_err(|e| e.to_string())?;
        drop(other);
        app.click("#import-preview").await?;
        app.wait_contains(
            "#import-forecast",
            "If imported now: 2 registered, 1 waitlisted (their delegation's allocation is full)",
        )
        .await?;
        app.click("#import-confirm").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains(
            "#import-result",
            "Imported: 2 registered, 1 waitlisted (their delegation's allocation is full)",
        )
        .await?;
        Ok(())
    })
    .await;
    let s = Desk::open(&db).unwrap().status().unwrap();
    assert_eq!((s.registered, s.waitlisted), (2, 1));
}

#[tokio::test]
async fn export_a_filtered_roster_and_check_the_file() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let jamaicans = {
        let mut d = Desk::open(&db).unwrap();
        // Registered first, so that the invite list cannot take the last seat before them.
        let han = AttendeeInput {
            given_name: Some("小明".into()),
            family_name: Some("王".into()),
            delegation: Some("China".into()),
            category: Some("delegate".into()),
            ..Default::default()
        };
        d.register(&han).unwrap();
        let bytes = std::fs::read(SAMPLE).unwrap();
        d.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
        let f = ListFilter {
            status: Some("registered".into()),
            delegation: Some("Jamaica".into()),
            ..Default::default()
        };
        d.list(&f).unwrap().into_iter().map(|a| a.fields.full_name()).collect::<Vec<_>>()
    };
    assert!(!jamaicans.is_empty());
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "rosters", async |app: &App| {
        app.click("#nav-rosters").await?;
        // Where the file will go is said before it is written, and in the footer.
        let folder = out.path().display().to_string();
        app.wait_contains("#export-folder", &folder).await?;
        app.wait_text("#output-dir", |t| t == folder).await?;
        app.choose("export-format", "csv").await?;
        app.choose("export-preset", "security").await?;
        app.fill("#export-delegation", "Jamaica").await?;
        app.click("#export-run").await?;
        app.wait_contains("#export-result", ".csv").await?;
        let want = if jamaicans.len() == 1 {
            "1 person exported".to_string()
        } else {
            format!("{} people exported", jamaicans.len())
        };
        app.wait_contains("#export-result", &want).await?;
        // A sign-in sheet with a name its font cannot draw says so before it is printed.
        app.choose("export-format", "pdf").await?;
        app.fill("#export-delegation", "China").await?;
        app.click("#export-run").await?;
        app.wait_contains("#export-result", ".pdf").await?;
        app.wait_contains("#message", "1 line will not print as it reads").await?;
        app.wait_contains("#message", "小明").await?;
        Ok(())
    })
    .await;
    let files = files_in(out.path(), "csv");
    assert_eq!(files.len(), 1, "{files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["Name", "Badge name", "Rank", "Delegation", "Organisation", "Category", "Vetting", "Vetting note"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), jamaicans.len());
    assert!(rows.iter().all(|r| &r[3] == "Jamaica"));
    let mut names: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let mut want = jamaicans.clone();
    names.sort();
    want.sort();
    assert_eq!(names, want);
}

#[tokio::test]
async fn allocate_seats_and_see_a_full_allocation_waitlist() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        let input = AttendeeInput {
            given_name: Some("First".into()),
            family_name: Some("Jamaican".into()),
            delegation: Some("Jamaica".into()),
            category: Some("delegate".into()),
            ..Default::default()
        };
        d.register(&input).unwrap();
        d.set_pin(None, "246810").unwrap();
    }
    drive(&db, &[], "allocations", async |app: &App| {
        app.click("#nav-event").await?;
        app.fill("#allocation-delegation", "Jamaica").await?;
        app.fill("#allocation-seats", "1").await?;
        app.click("#allocation-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#allocation-table", "Jamaica").await?;
        app.wait_contains("#gauge-allocations", "Jamaica 1/1").await?;
        app.click("#nav-register").await?;
        app.fill("#reg-givenName", "Second").await?;
        app.fill("#reg-familyName", "Jamaican").await?;
        app.fill("#reg-delegation", "Jamaica").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains(
            "#register-result",
            "Jamaica's allocation of 1 seat is full — added to waitlist, position 1",
        )
        .await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert_eq!(d.allocations().unwrap().allocations[0].seats, 1);
    assert_eq!(d.status().unwrap().waitlisted, 1);
}
