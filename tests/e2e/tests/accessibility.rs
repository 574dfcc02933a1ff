//! Accessibility as a gate: axe-core (pinned, fetched by scripts/common.sh's `need_axe`) runs
//! inside the real webview over every view, the attendee panel, every dialog (who is at the
//! desk, the coordinator PIN, a confirmation, About), the undo form, an error state and the
//! import preview. Zero violations of WCAG 2.1 A and AA.

use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::Desk;
use delegate_desk_e2e::{drive, event_from_today, turn, App, Step};
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/data/invitees-sample.csv");
const VIEWS: [&str; 9] =
    ["arrival", "register", "attendees", "event", "badges", "import", "rosters", "dashboard", "audit"];

fn axe_source() -> String {
    let path = std::env::var_os("DELEGATE_DESK_AXE").expect(
        "DELEGATE_DESK_AXE names axe.min.js: scripts/test.sh fetches it (need_axe in scripts/common.sh)",
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", Path::new(&path).display()))
}

/// The WCAG 2.1 A and AA violations axe finds in the window as it is now, one line each.
async fn violations(app: &App, axe: &str, state: &str) -> Step<Vec<String>> {
    let loaded = app.js("return typeof window.axe === 'object';").await?;
    if loaded != true {
        app.execute("load axe", &format!("{axe}\n;return true;"), vec![]).await?;
    }
    let out = app
        .execute_async(
            &format!("axe on {state}"),
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
               .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }))))
               .catch((e) => done({ error: String(e) }));",
            vec![],
        )
        .await?;
    if let Some(e) = out.get("error") {
        return Err(format!("axe failed on {state}: {e}"));
    }
    let list = out.as_array().cloned().unwrap_or_default();
    Ok(list
        .iter()
        .map(|v: &Value| format!("{state}: {} ({}) — {} — {}", v["id"], v["impact"], v["help"], v["nodes"]))
        .collect())
}

#[tokio::test]
async fn every_view_panel_dialog_and_error_has_no_wcag_violation() {
    let _turn = turn().await;
    let axe = axe_source();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (someone, checked) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("130"));
        let bytes = std::fs::read(SAMPLE).unwrap();
        d.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
        let someone = d.search("taylor-farrell", 1).unwrap()[0].id;
        let checked = d.search("whitfield", 1).unwrap()[0].id;
        d.set_pin(None, "246810").unwrap();
        (someone, checked)
    };
    let sample = Path::new(SAMPLE).canonicalize().unwrap();
    let mut found: Vec<String> = Vec::new();
    drive(&db, &[], "accessibility", async |app: &App| {
        app.resize(1280, 800).await?;
        for view in VIEWS {
            app.click(&format!("#nav-{view}")).await?;
            app.wait_until(
                "the view shows",
                &format!("return !document.getElementById('view-{view}').hidden"),
            )
            .await?;
            app.wait_until("the view has loaded", "return !document.querySelector('main .busy');").await?;
            found.extend(violations(app, &axe, &format!("view {view}")).await?);
        }
        // The attendee panel, and the confirmation its Cancel asks.
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{someone}'] td")).await?;
        app.wait_contains("#edit-history", "").await?;
        found.extend(violations(app, &axe, "attendee panel").await?);
        app.click("#edit-cancel-registration").await?;
        app.el("#confirm-dialog[open]").await?;
        found.extend(violations(app, &axe, "confirmation dialog").await?);
        app.click("#confirm-no").await?;
        // An error state: Register with nothing filled in.
        app.click("#nav-register").await?;
        app.click("#reg-submit").await?;
        app.wait_until(
            "the form says what is missing",
            "return !!document.querySelector('#register-form [aria-invalid=\"true\"]')",
        )
        .await?;
        found.extend(violations(app, &axe, "register with errors").await?);
        // The import preview.
        app.click("#nav-import").await?;
        app.type_into("#import-file", sample.to_str().unwrap()).await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "new").await?;
        found.extend(violations(app, &axe, "import preview").await?);
        // The coordinator PIN dialog: a coordinator action while locked.
        app.click("#nav-event").await?;
        app.fill("#event-capacity", "131").await?;
        app.click("#event-save").await?;
        app.el("#pin-dialog[open]").await?;
        found.extend(violations(app, &axe, "PIN dialog").await?);
        app.click("#pin-cancel").await?;
        // The undo form, after a check-in at the arrival desk.
        app.click("#nav-arrival").await?;
        app.keyboard("whitfield").await?;
        app.wait_contains("#arrival-card", "Whitfield").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "checked in").await?;
        app.click("#arrival-outcome-undo").await?;
        app.el("#arrival-undo-reason").await?;
        found.extend(violations(app, &axe, "arrival with the undo form").await?);
        // About.
        app.click("#about-open").await?;
        app.el("#about-dialog[open]").await?;
        found.extend(violations(app, &axe, "About dialog").await?);
        app.click("#about-close").await?;
        Ok(())
    })
    .await;
    // Who is at the desk: asked when nobody is named.
    let data = tempfile::tempdir().unwrap();
    let env = [("DELEGATE_DESK_OPERATOR", Path::new("")), ("XDG_DATA_HOME", data.path())];
    drive(&db, &env, "accessibility-sign-in", async |app: &App| {
        app.el("#signin-dialog[open]").await?;
        found.extend(violations(app, &axe, "sign-in dialog").await?);
        Ok(())
    })
    .await;
    assert!(
        Desk::open(&db).unwrap().arrival_card(checked, Some(1)).unwrap().checkin.is_some(),
        "the undo form was looked at, not used"
    );
    assert!(found.is_empty(), "{} WCAG 2.1 A/AA violations:\n{}", found.len(), found.join("\n"));
}
