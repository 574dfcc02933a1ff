//! A badge scanner is a keyboard: it types a code and Enter into whatever has the focus,
//! whenever the next delegate hands over a badge. Through the real window: three badges scanned
//! back to back while the first check-in still waits for the database are three arrivals, in
//! order; a scan with the focus on a header button one Shift+Tab above the box checks the person
//! in (its Enter presses nothing); a scan into the coordinator PIN's box is no PIN try and
//! answers nothing; a scan into a Register field is taken back out and sends no form; a scan
//! while "Which delegation?" asks answers nothing. Each refusal says the badge was not taken.
//! What is typed into Register while its form is being saved stays in the form.

use delegate_desk::Desk;
use delegate_desk_e2e::{delegate, drive, ensure, event_from_today, print_badge, turn, App};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

const ENTER: &str = "\u{E007}";
const SHIFT: &str = "\u{E008}";
const TAB: char = '\u{E004}';
const ESCAPE: &str = "\u{E00C}";

/// Who is checked in for day 1, read as another desk would.
fn checked_in(db: &Path) -> BTreeSet<i64> {
    let d = Desk::open(db).unwrap();
    d.recent_arrivals(1, 1000).unwrap().into_iter().map(|a| a.checkin.attendee_id).collect()
}

/// Waits until exactly `want` are checked in.
async fn until_checked_in(db: &Path, want: &BTreeSet<i64>) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = checked_in(db);
        if &seen == want {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("checked in: {seen:?}, meant: {want:?}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_badge_scanned_anywhere_is_never_taken_as_the_operators_typing() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (ids, codes) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        d.set_pin(None, "246810").unwrap();
        let names =
            [("Ana", "Pierre"), ("Bruno", "Quashie"), ("Carla", "Ortiz"), ("Dora", "Mills"), ("Eve", "Nash")];
        let ids: Vec<i64> =
            names.iter().map(|(g, f)| d.register(&delegate(g, f, "Jamaica")).unwrap().attendee.id).collect();
        let codes: Vec<String> = ids.iter().map(|id| print_badge(&mut d, &db, out.path(), *id)).collect();
        (ids, codes)
    };
    let db2 = db.clone();
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "scans", async |app: &App| {
        app.resize(1280, 800).await?;
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.click("#arrival-search").await?;
        let mut want = BTreeSet::new();

        // Three badges back to back while the first check-in waits for the database (another
        // program holds its write lock): each Enter scans its own code, none is lost.
        let hold = rusqlite::Connection::open(&db2).map_err(|e| e.to_string())?;
        hold.execute_batch("BEGIN IMMEDIATE").map_err(|e| e.to_string())?;
        app.keyboard(&format!("{}{ENTER}", codes[0])).await?;
        app.wait_until("the first scan is on its way", "return document.getElementById('arrival-search').value === ''")
            .await?;
        app.keyboard(&format!("{}{ENTER}{}{ENTER}", codes[1], codes[2])).await?;
        // The operator starts typing the next name before the desk is done with the scans:
        // what they typed stays when the scans' check-ins come back.
        app.keyboard("Mil").await?;
        hold.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        want.extend([ids[0], ids[1], ids[2]]);
        until_checked_in(&db2, &want).await?;
        app.wait_contains("#arrival-outcome", "Carla Ortiz").await?;
        app.wait_contains("#arrival-card-name", "Dora Mills").await?;
        let box_text = app.js("return document.getElementById('arrival-search').value").await?;
        ensure(box_text == "Mil", || format!("the box holds {box_text} after the scans, not what was typed"))?;
        app.keyboard(ESCAPE).await?;

        // The focus one Shift+Tab above the box, on a header button: the scan checks in, and its
        // Enter presses nothing.
        app.chord(SHIFT, TAB).await?;
        let outside = app
            .js("const a = document.activeElement; return a instanceof HTMLButtonElement && !document.getElementById('view-arrival').contains(a)")
            .await?;
        ensure(outside == true, || "Shift+Tab from the box did not reach a button above the view".into())?;
        app.keyboard(&format!("{}{ENTER}", codes[3])).await?;
        want.insert(ids[3]);
        until_checked_in(&db2, &want).await?;
        app.wait_contains("#arrival-outcome", "Dora Mills").await?;
        let shown = app.js("return !document.getElementById('view-arrival').hidden").await?;
        ensure(shown == true, || "the scan's Enter pressed a header button and left Arrival".into())?;
        // Alt+1 while at Arrival: the box takes the focus, and the outcome and its Undo stay.
        app.chord("\u{E00A}", '1').await?;
        app.wait_until("the box has the focus", "return document.activeElement.id === 'arrival-search'").await?;
        app.wait_contains("#arrival-outcome", "Dora Mills").await?;
        app.el("#arrival-outcome-undo").await?;

        // The coordinator PIN asked for: a scan into its box is no try, and answers nothing.
        app.chord("\u{E00A}", '4').await?;
        app.click("#event-save").await?;
        app.el("#pin-dialog[open]").await?;
        app.keyboard(&format!("{}{ENTER}", codes[4])).await?;
        app.wait_contains("#pin-dialog .scan-note", "A badge was scanned while this question was open").await?;
        let pin = app.js("return document.getElementById('pin-input').value").await?;
        ensure(pin == "", || format!("the code stayed in the PIN box: {pin}"))?;
        let open = app.js("return document.getElementById('pin-dialog').open").await?;
        ensure(open == true, || "the scan's Enter answered the PIN dialog".into())?;
        ensure(count(&db2, "SELECT failures FROM coordinator_pin") == 0, || "the scan was counted as a wrong PIN".into())?;
        ensure(count(&db2, "SELECT count(*) FROM audit WHERE action = 'pin.wrong'") == 0, || "a wrong PIN was audited".into())?;
        app.screenshot("scan-into-pin").await;
        app.keyboard(ESCAPE).await?;
        app.wait_until("the PIN dialog is closed", "return !document.getElementById('pin-dialog').open").await?;

        // A field of Register: the code is taken back out, no form is sent, and the desk says so.
        let people = count(&db2, "SELECT count(*) FROM attendee");
        app.chord("\u{E00A}", '2').await?;
        app.fill("#reg-givenName", "Nadia").await?;
        app.keyboard(&format!("{}{ENTER}", codes[4])).await?;
        app.wait_contains("#message", "A badge was scanned into").await?;
        app.wait_contains("#message", "it was not taken, and nothing was sent").await?;
        let given = app.js("return document.getElementById('reg-givenName').value").await?;
        ensure(given == "Nadia", || format!("the given name is now {given}"))?;
        ensure(count(&db2, "SELECT count(*) FROM attendee") == people, || "a registration was sent".into())?;
        app.screenshot("scan-into-register").await;
        // A scanner that sends a space before Enter, or Tab instead of Enter: the same.
        for end in [format!(" {ENTER}"), TAB.to_string()] {
            app.click("#message-close").await?;
            app.click("#reg-givenName").await?;
            app.keyboard(&format!("{}{end}", codes[4])).await?;
            app.wait_contains("#message", "A badge was scanned into").await?;
            let given = app.js("return document.getElementById('reg-givenName').value").await?;
            ensure(given == "Nadia", || format!("the given name is now {given:?} (scan ended by {end:?})"))?;
        }
        ensure(count(&db2, "SELECT count(*) FROM attendee") == people, || "a registration was sent".into())?;
        // The focus on a box, and a scanner that sends a space before Enter: the space would
        // tick the box as it comes up. It ticks nothing.
        app.click("#message-close").await?;
        app.js("document.getElementById('reg-headOfDelegation').focus()").await?;
        let focused = app.focused_id().await?;
        ensure(focused == "reg-headOfDelegation", || format!("the box did not take the focus: {focused:?}"))?;
        app.keyboard(&format!("{} {ENTER}", codes[4])).await?;
        app.wait_contains("#message", "A badge was scanned").await?;
        let ticked = app.js("return document.getElementById('reg-headOfDelegation').checked").await?;
        ensure(ticked == false, || "the scan's space ticked “Head of delegation”".into())?;
        // The same key pressed by a person, with no code before it, still ticks the box.
        app.keyboard(" ").await?;
        app.wait_until("a person's space ticks the box", "return document.getElementById('reg-headOfDelegation').checked")
            .await?;
        app.keyboard(" ").await?;
        ensure(count(&db2, "SELECT count(*) FROM attendee") == people, || "a registration was sent".into())?;

        // "Which delegation?" asks, OK has the focus: a scan answers nothing.
        app.fill("#reg-familyName", "Walker").await?;
        app.fill("#reg-delegation", "Jamiaca").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#confirm-title", "Which delegation?").await?;
        app.keyboard(&format!("{}{ENTER}", codes[4])).await?;
        app.wait_contains("#confirm-dialog .scan-note", "it was not taken, and the question was not answered").await?;
        let open = app.js("return document.getElementById('confirm-dialog').open").await?;
        ensure(open == true, || "the scan's Enter answered “Which delegation?”".into())?;
        ensure(count(&db2, "SELECT count(*) FROM attendee") == people, || "a registration was sent".into())?;
        app.screenshot("scan-into-question").await;

        // The answer given while another program holds the database: the registration waits.
        // What the operator types meanwhile is kept, and the desk says the form was not sent
        // again (it was emptied under their fingers before).
        let hold = rusqlite::Connection::open(&db2).map_err(|e| e.to_string())?;
        hold.execute_batch("BEGIN IMMEDIATE").map_err(|e| e.to_string())?;
        app.click("#confirm-ok").await?;
        app.wait_until("the question is answered", "return !document.getElementById('confirm-dialog').open").await?;
        app.click("#reg-familyName").await?;
        app.keyboard("\u{E010} Jr").await?;
        hold.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        app.wait_contains("#register-result", "Nadia Walker").await?;
        app.wait_contains("#message", "kept as typed, not sent").await?;
        let family = app.js("return document.getElementById('reg-familyName').value").await?;
        ensure(family == "Walker Jr", || format!("the family name typed during the save is now {family}"))?;
        ensure(count(&db2, "SELECT count(*) FROM attendee") == people + 1, || "not one registration".into())?;
        ensure(
            count(&db2, "SELECT count(*) FROM attendee WHERE family_name = 'Walker' AND delegation = 'Jamaica'") == 1,
            || "the person saved is not the one sent".into(),
        )?;
        app.screenshot("typed-during-save").await;
        Ok(())
    })
    .await;
    assert_eq!(checked_in(&db), [ids[0], ids[1], ids[2], ids[3]].into_iter().collect());
}

/// A scanner that ends its code with Tab instead of Enter scans at Arrival (the code stayed in
/// the box and the Tab went on to the last outcome's Undo). The "New walk-in" row highlighted
/// stays highlighted when another desk's change is read again (the first person took the
/// highlight, and Enter checked them in instead of registering the walk-in).
#[tokio::test]
async fn a_tab_ended_scan_checks_in_and_the_walk_in_row_keeps_the_highlight() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (ids, codes) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        let names = [("Dora", "Mills"), ("Bruno", "Quashie"), ("Sam", "Smith")];
        let ids: Vec<i64> =
            names.iter().map(|(g, f)| d.register(&delegate(g, f, "Jamaica")).unwrap().attendee.id).collect();
        let codes: Vec<String> = ids.iter().map(|id| print_badge(&mut d, &db, out.path(), *id)).collect();
        (ids, codes)
    };
    let db2 = db.clone();
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "tab-scan", async |app: &App| {
        app.resize(1280, 800).await?;
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.click("#arrival-search").await?;
        app.keyboard(&format!("{}{ENTER}", codes[0])).await?;
        app.wait_contains("#arrival-outcome", "Dora Mills").await?;
        app.keyboard(&format!("{}{TAB}", codes[1])).await?;
        app.wait_contains("#arrival-outcome", "Bruno Quashie").await?;
        let want: BTreeSet<i64> = [ids[0], ids[1]].into_iter().collect();
        until_checked_in(&db2, &want).await?;
        ensure(app.focused_id().await? == "arrival-search", || "the Tab took the focus out of the box".into())?;
        // A badge printed before badges carried a secure code: said as such (find by name and
        // reprint), not "not a name (it has digits)".
        app.keyboard(&format!("DD:A12:V2{ENTER}")).await?;
        app.wait_contains("#arrival-outcome", "printed before badges carried a secure code").await?;
        ensure(app.focused_id().await? == "arrival-search", || "the old badge took the focus".into())?;

        // "Smith": Sam, and the New walk-in row, chosen with the arrow. Another desk registers
        // another Smith: the results are read again, the walk-in row stays highlighted.
        let highlighted = "const o = document.querySelector(\"#arrival-results [aria-selected='true']\"); return o ? o.textContent : null";
        app.keyboard("Smith").await?;
        app.wait_contains("#arrival-results", "New walk-in").await?;
        app.keyboard("\u{E015}").await?; // ArrowDown
        let walk_in = app.js(highlighted).await?;
        ensure(walk_in.as_str().is_some_and(|t| t.starts_with("New walk-in")), || format!("highlighted: {walk_in}"))?;
        Desk::open(&db2).unwrap().register(&delegate("Zed", "Smith", "Belize")).map_err(|e| e.to_string())?;
        app.wait_contains("#arrival-results", "Zed Smith").await?;
        let still = app.js(highlighted).await?;
        ensure(still.as_str().is_some_and(|t| t.starts_with("New walk-in")), || {
            format!("after another desk's change, highlighted: {still}")
        })?;
        app.keyboard(ENTER).await?;
        app.wait_until(
            "Register is open for the walk-in",
            "return !document.getElementById('view-register').hidden && document.getElementById('reg-familyName').value === 'Smith'",
        )
        .await?;
        Ok(())
    })
    .await;
    let want: BTreeSet<i64> = [ids[0], ids[1]].into_iter().collect();
    assert_eq!(checked_in(&db), want, "Sam Smith was checked in instead of the walk-in");
}
