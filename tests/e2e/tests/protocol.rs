//! Protocol through the real webview: a VIP checked in at another desk (the CLI, another
//! process) shows under the header on whatever view is open — here the dashboard — without
//! any action in this window (the time printed, not asserted); a person flagged "notify
//! protocol" checked in at this desk by keyboard adds a second notice, and the outcome says
//! protocol was notified; Acknowledge takes a notice away here, and the audit says who did it.
//! The Attendees list in the order of precedence. Notices that cannot be read again are said
//! to be as read before, on the bar itself.

use delegate_desk::{AttendeeInput, AuditFilter, Desk};
use delegate_desk_e2e::{drive, ensure, event_from_today, turn, App};

fn person(given: &str, family: &str, delegation: &str, category: &str) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some(delegation.into()),
        category: Some(category.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_vips_arrival_shows_on_every_view_until_acknowledged() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (minister, flagged) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("100"));
        let minister = d
            .register(&AttendeeInput {
                head_of_delegation: Some("yes".into()),
                ..person("Kamla", "Minister", "Trinidad and Tobago", "vip")
            })
            .unwrap()
            .attendee
            .id;
        let flagged = d
            .register(&AttendeeInput {
                notify_protocol: Some("yes".into()),
                ..person("Olu", "Flagged", "Jamaica", "delegate")
            })
            .unwrap()
            .attendee
            .id;
        d.register(&person("Amy", "Alpha", "Barbados", "delegate")).unwrap();
        (minister, flagged)
    };
    let cli = delegate_desk_e2e::cli_path();
    drive(&db, &[], "protocol", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.click("#nav-dashboard").await?;
        let hidden = app.js("return document.getElementById('protocol-notices').hidden").await?;
        ensure(hidden == true, || "a notice before anyone arrived".into())?;
        // Another desk checks the minister in: the notice appears here without any action.
        let started = std::time::Instant::now();
        let out = std::process::Command::new(&cli)
            .args(["checkin", &minister.to_string(), "--operator", "Ana", "--desk", "Desk 2"])
            .env("DELEGATE_DESK_DB", &db)
            .output()
            .map_err(|e| format!("run {}: {e}", cli.display()))?;
        ensure(out.status.success(), || format!("the CLI check-in: {}", String::from_utf8_lossy(&out.stderr)))?;
        app.wait_contains("#protocol-notices", "Kamla Minister").await?;
        eprintln!(
            "webview: a VIP checked in at another desk shows here after {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        app.wait_contains("#protocol-notices", "(Trinidad and Tobago, head of delegation) arrived at").await?;
        app.wait_contains("#protocol-notices", "checked in by Ana (Desk 2)").await?;
        app.screenshot("protocol-notice-dashboard").await;
        // This desk checks in a person flagged for protocol, by keyboard.
        app.click("#nav-arrival").await?;
        app.click("#arrival-search").await?;
        app.keyboard("Olu Fla").await?;
        app.wait_contains("#arrival-card", "Olu Flagged").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "Olu Flagged checked in today at").await?;
        app.wait_contains("#arrival-outcome", "protocol notified").await?;
        app.wait_contains("#protocol-notices", "For protocol: 2 arrivals").await?;
        app.wait_contains("#protocol-notices", "Olu Flagged (Jamaica) arrived at").await?;
        // Protocol takes the minister in hand: acknowledged here, gone here.
        let first = app
            .js("return document.querySelector('#protocol-notices li').dataset.notice")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string();
        app.click(&format!("#protocol-ack-{first}")).await?;
        app.wait_contains("#message", "Acknowledged: Kamla Minister").await?;
        app.wait_text("#protocol-notices", |t| !t.contains("Kamla") && t.contains("Olu Flagged")).await?;
        app.screenshot("protocol-notice-acknowledged").await;
        // The Acknowledge button went with its notice, and the focus with it: the next
        // person's name still reaches the search box, and Enter checks them in.
        app.keyboard("Amy Al").await?;
        app.wait_contains("#arrival-card", "Amy Alpha").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "Amy Alpha checked in today at").await?;
        // The list in the order of precedence: the head of delegation first.
        app.click("#nav-attendees").await?;
        app.choose("filter-order", "precedence").await?;
        app.wait_until(
            "the head of delegation first",
            "const r = document.querySelector('#attendee-table tbody tr td.name'); return !!r && r.textContent === 'Kamla Minister'",
        )
        .await?;
        // The notices cannot be read again (another program took their table away): the bar
        // says so on itself, as long as it lasts (a message alone went with the next action,
        // and the notices shown passed for current ones); once they can, it says so no more.
        let raw = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
        raw.execute_batch("ALTER TABLE protocol_notice RENAME TO protocol_notice_away").map_err(|e| e.to_string())?;
        Desk::open(&db).unwrap().register(&person("Zoe", "Later", "Belize", "delegate")).map_err(|e| e.to_string())?;
        app.wait_contains("#protocol-stale", "could not be read again").await?;
        app.wait_contains("#protocol-notices", "Olu Flagged").await?;
        app.screenshot("protocol-stale").await;
        raw.execute_batch("ALTER TABLE protocol_notice_away RENAME TO protocol_notice").map_err(|e| e.to_string())?;
        Desk::open(&db).unwrap().register(&person("Yan", "Later", "Belize", "delegate")).map_err(|e| e.to_string())?;
        app.wait_until("the bar no longer says it is stale", "return document.getElementById('protocol-stale') === null")
            .await?;
        app.wait_contains("#protocol-notices", "Olu Flagged").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let open = d.protocol_notices(false).unwrap();
    assert_eq!(open.iter().map(|n| n.attendee_id).collect::<Vec<_>>(), [flagged]);
    let acks =
        d.audit_trail(&AuditFilter { action: Some("protocol.ack".into()), ..Default::default() }).unwrap();
    assert_eq!((acks.len(), acks[0].attendee_id), (1, Some(minister)));
}

/// A view that cannot read what it shows (the audit with a time the desk refuses, left in its
/// filter) does not keep a VIP's arrival at another desk from showing: the protocol notices,
/// the PIN and the backup line follow every change whatever the view.
#[tokio::test]
async fn a_refused_audit_filter_does_not_hold_back_a_vips_arrival() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let minister = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("100"));
        d.register(&AttendeeInput {
            head_of_delegation: Some("yes".into()),
            ..person("Kamla", "Minister", "Trinidad and Tobago", "vip")
        })
        .unwrap()
        .attendee
        .id
    };
    let cli = delegate_desk_e2e::cli_path();
    drive(&db, &[], "protocol-audit", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.click("#nav-audit").await?;
        app.wait_contains("#audit-count", "entr").await?;
        app.click("#audit-since").await?;
        app.keyboard("2019-11-14 08\u{E007}").await?;
        app.wait_contains("#message", "is not a time").await?;
        let out = std::process::Command::new(&cli)
            .args(["checkin", &minister.to_string(), "--operator", "Ana", "--desk", "Desk 2"])
            .env("DELEGATE_DESK_DB", &db)
            .output()
            .map_err(|e| format!("run {}: {e}", cli.display()))?;
        ensure(out.status.success(), || {
            format!("the CLI check-in: {}", String::from_utf8_lossy(&out.stderr))
        })?;
        app.wait_contains("#protocol-notices", "Kamla Minister").await?;
        app.wait_contains("#message", "is not a time").await?;
        Ok(())
    })
    .await;
}
