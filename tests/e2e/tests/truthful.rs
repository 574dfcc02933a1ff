//! What the desk says must be true, through the real webview: a PIN reset made from the
//! command line is shown in the open window until a coordinator acknowledges it with the new
//! PIN; the arrival search box stays in sight, above the message, however far the view is
//! scrolled; the audit's time filters show no made-up date and read what is typed.

use delegate_desk::Desk;
use delegate_desk_e2e::{delegate, drive, ensure, event_from_today, turn, App};

#[tokio::test]
async fn a_pin_reset_is_shown_in_the_window_until_a_coordinator_acknowledges_it() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        d.set_pin(None, "first-2468").unwrap();
    }
    drive(&db, &[], "pin-reset", async |app: &App| {
        ensure(app.js("return document.getElementById('pin-reset-banner').hidden").await? == true, || {
            "a reset notice before any reset".into()
        })?;
        // The coordinator forgot the PIN: the night shift resets it from the command line while
        // the window is open; the window says so at its next look at the database.
        {
            let mut cli = Desk::open(&db).map_err(|e| e.to_string())?;
            cli.set_operator("Night shift").map_err(|e| e.to_string())?;
            cli.reset_pin("second-1357").map_err(|e| e.to_string())?;
        }
        app.wait_contains("#pin-reset-banner", "reset as forgotten by Night shift").await?;
        ensure(app.js("return document.getElementById('pin-reset-banner').hidden").await? == false, || {
            "the reset notice is hidden".into()
        })?;
        app.screenshot("pin-reset-notice").await;
        // Acknowledging is for the coordinator: the old PIN no longer opens anything.
        app.click("#pin-reset-ack").await?;
        app.el("#pin-dialog[open]").await?;
        app.fill("#pin-input", "first-2468").await?;
        app.click("#pin-ok").await?;
        app.wait_contains("#pin-dialog", "Wrong PIN").await?;
        app.coordinator_pin("second-1357").await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while app.js("return document.getElementById('pin-reset-banner').hidden").await? != true {
            ensure(std::time::Instant::now() < deadline, || {
                "the notice stayed after the acknowledgement".into()
            })?;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let s = d.pin_status().unwrap();
    assert_eq!((s.reset_at, s.reset_by), (None, None));
    assert_eq!(s.wrong_tries, 0, "the right PIN cleared the count");
}

#[tokio::test]
async fn the_search_box_stays_in_sight_above_the_message_and_the_audit_times_show_no_made_up_date() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("200"));
        for i in 0..40 {
            let id =
                d.register(&delegate(&format!("Alana{i:02}"), &format!("Archer{i:02}"), "Jamaica")).unwrap();
            if i < 25 {
                d.check_in(id.attendee.id, None).unwrap();
            }
        }
    }
    drive(&db, &[], "search-in-sight", async |app: &App| {
        // A laptop's short screen: the view scrolls.
        app.resize(1280, 660).await?;
        app.click("#nav-arrival").await?;
        // The latest arrivals fill the view (25 of them); then a code that is no badge of
        // this event is scanned: refused, said above them.
        app.wait_contains("#arrival-recent", "Archer24").await?;
        let token = delegate_desk::token::new_token().map_err(|e| e.to_string())?;
        app.type_into("#arrival-search", &format!("{token}\u{E007}")).await?;
        app.wait_text("#arrival-outcome", |t| !t.is_empty()).await?;
        // Scrolled to the bottom, the search box is still where the operator types.
        let seen = app
            .js("const main = document.getElementById('main');
                 main.scrollTop = main.scrollHeight;
                 const box = document.getElementById('arrival-search');
                 const r = box.getBoundingClientRect();
                 const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                 const m = main.getBoundingClientRect();
                 return {scrollable: main.scrollHeight > main.clientHeight, scrolled: main.scrollTop,
                         onTop: top === box, inside: r.top >= m.top - 1 && r.bottom <= m.bottom + 1};")
            .await?;
        app.screenshot("arrival-scrolled").await;
        ensure(seen["scrollable"] == true, || {
            format!("the view does not scroll, the test proves nothing: {seen}")
        })?;
        ensure(seen["onTop"] == true && seen["inside"] == true, || {
            format!("the search box is hidden: {seen}")
        })?;

        // The audit's time filters: empty says "Any time", no date drawn in grey; a time
        // typed and Enter filters.
        app.click("#nav-audit").await?;
        app.wait_text("#audit-count", |t| !t.is_empty()).await?;
        let looks = app
            .js("const s = document.getElementById('audit-since');
                 return {type: s.type, value: s.value, placeholder: s.placeholder};")
            .await?;
        ensure(
            looks["type"] == "text" && looks["value"] == "" && looks["placeholder"] == "Any time",
            || format!("the From filter shows {looks}"),
        )?;
        app.type_into("#audit-since", "2099-01-01\u{E007}").await?;
        app.wait_contains("#audit-count", "No entry matches").await?;
        app.click("#audit-clear").await?;
        app.wait_text("#audit-count", |t| !t.is_empty() && !t.contains("No entry")).await?;
        Ok(())
    })
    .await;
}
