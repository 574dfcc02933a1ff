//! The audit trail view through the real webview: every change listed newest first with its
//! person and operator; filters by words of a name, operator and action; a change made by the
//! CLI while the view is open appears; the CSV export holds what the view counts; a hostile
//! name and delegation are text here and on the dashboard.

use delegate_desk::{AttendeeInput, Desk};
use delegate_desk_e2e::{delegate, drive, ensure, event_from_today, files_in, turn, App};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

#[tokio::test]
async fn the_audit_view_lists_filters_follows_and_exports() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (hostile, plain) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        d.sign_in("Ana Operator", "Desk 1").unwrap();
        let hostile = d.register(&delegate(HOSTILE, "Hostile", HOSTILE)).unwrap().attendee.id;
        let plain = d.register(&delegate("Quentin", "Plainfield", "Aruba")).unwrap().attendee.id;
        d.check_in(hostile, Some(1)).unwrap();
        d.sign_in("Ben Operator", "Desk 2").unwrap();
        d.edit(
            plain,
            &AttendeeInput {
                notes: Some("Needs an interpreter".into()),
                ..delegate("Quentin", "Plainfield", "Aruba")
            },
        )
        .unwrap();
        (hostile, plain)
    };
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "audit", async |app: &App| {
        app.click("#nav-audit").await?;
        app.wait_contains("#audit-count", "entries, newest first").await?;
        let first = app.text("#audit-table tbody tr:first-child").await?.unwrap_or_default();
        ensure(first.contains("Edited") && first.contains("Ben Operator") && first.contains("Notes: — → Needs an interpreter"), || {
            format!("newest first: {first}")
        })?;
        app.wait_contains("#audit-table", &format!("{HOSTILE} Hostile #{hostile}")).await?;
        ensure(app.focused_id().await? == "audit-who", || "the person filter has the focus".into())?;
        app.screenshot("audit-view").await;
        // Words of a name.
        app.type_into("#audit-who", "plainf").await?;
        app.wait_contains("#audit-count", "2 entries").await?;
        let rows = app.js("return [...document.querySelectorAll('#audit-table tbody tr')].every(r => r.innerText.includes('Plainfield'))").await?;
        ensure(rows == true, || "only Plainfield's entries".into())?;
        app.click("#audit-clear").await?;
        // Operator and action.
        app.choose("audit-operator", "Ana Operator").await?;
        app.choose("audit-action", "checkin").await?;
        app.wait_contains("#audit-count", "1 entry").await?;
        app.wait_contains("#audit-table", "Day 1, found at the desk").await?;
        // The CLI checks someone in while the view is open: the row appears.
        {
            let mut cli = Desk::open(&db).unwrap();
            cli.sign_in("Ana Operator", "Desk 1").unwrap();
            cli.check_in(plain, Some(1)).unwrap();
        }
        app.wait_contains("#audit-count", "2 entries").await?;
        app.wait_contains("#audit-table tbody tr:first-child", "Quentin Plainfield").await?;
        // Export what matches.
        app.click("#audit-export").await?;
        app.wait_contains("#audit-saved", "2 audit entries written").await?;
        // Hostile text stays text here and on the dashboard.
        for view in ["view-audit", "view-dashboard"] {
            if view == "view-dashboard" {
                app.click("#nav-dashboard").await?;
                app.wait_contains("#dash-delegations", HOSTILE).await?;
            }
            let images = app.js(&format!("return document.querySelectorAll('#{view} img').length")).await?;
            ensure(images == 0, || format!("{images} images in #{view}"))?;
        }
        Ok(())
    })
    .await;
    let files = files_in(out.path(), "csv");
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "header and two check-ins: {text}");
    assert!(rows[1].contains(HOSTILE) && rows[2].contains("Quentin Plainfield"), "{text}");
}
