//! Security vetting through the real webview: a badge of a person not cleared scanned at the
//! desk is refused in large red letters naming them, the next badge right after is checked in
//! and nothing of the first stays on screen; the card of a person found by name says why in
//! red and offers only the coordinator's one admission, which asks a reason and the PIN; a
//! refused person's card shows security's note. In Attendees: the vetting filter, the state
//! set in the panel behind the PIN, and the setting turned off in Event settings.

use delegate_desk::{AttendeeInput, Desk, EventInput, ListFilter};
use delegate_desk_e2e::{drive, ensure, event_from_today, print_badge, turn, App};

fn person(given: &str, family: &str) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some("Belize".into()),
        category: Some("delegate".into()),
        ..Default::default()
    }
}

/// Print the badge of `id` into `out` and return its code.
fn vetting_on(d: &mut Desk) {
    d.update_event(&EventInput { require_vetting: Some("on".into()), ..Default::default() }).unwrap();
}

#[tokio::test]
async fn a_person_not_cleared_is_refused_in_red_and_the_coordinator_admits_once() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (pending, officer) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("100"));
        vetting_on(&mut d);
        let ann = d.register(&person("Ann", "Pending")).unwrap().attendee.id;
        let olu = d.register(&person("Olu", "Officer")).unwrap().attendee.id;
        let ray = d.register(&person("Ray", "Refused")).unwrap().attendee.id;
        d.set_vetting(olu, "cleared", None).unwrap();
        d.set_vetting(ray, "refused", Some("Not on the host nation's list")).unwrap();
        let codes = (print_badge(&mut d, &db, out.path(), ann), print_badge(&mut d, &db, out.path(), olu));
        d.set_pin(None, "246810").unwrap();
        codes
    };
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "vetting-desk", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.click("#arrival-search").await?;
        // A badge of a person not cleared: refused, the reason alone in large red letters,
        // the name above it.
        app.keyboard(&format!("{pending}\u{E007}")).await?;
        let why = app.wait_text("#arrival-outcome-text", |t| !t.is_empty()).await?;
        ensure(why == "Security vetting pending", || format!("the refusal: {why}"))?;
        app.wait_contains("#arrival-outcome-person", "Ann Pending").await?;
        let size = app
            .js("return parseFloat(getComputedStyle(document.getElementById('arrival-outcome-text')).fontSize)")
            .await?
            .as_f64()
            .unwrap_or(0.0);
        ensure(size >= 36.0, || format!("the refusal is {size}px: too small to read from a metre"))?;
        let red = app.js("return document.getElementById('arrival-outcome').classList.contains('danger')").await?;
        ensure(red == true, || "the refusal is red".into())?;
        app.screenshot("vetting-refused").await;
        // The next badge right after: checked in, and nothing of Ann stays on screen.
        app.keyboard(&format!("{officer}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "Olu Officer checked in today at").await?;
        let left = app.js("return document.getElementById('view-arrival').innerText").await?;
        ensure(!left.as_str().unwrap_or("").contains("Pending"), || format!("Ann stayed on screen: {left}"))?;
        // Ann found by name: the card says why in red, offers no check-in, and Enter refuses.
        app.keyboard("Ann Pen").await?;
        app.wait_contains("#arrival-vetting", "Security vetting pending").await?;
        let check = app.js("return document.getElementById('arrival-checkin') === null").await?;
        ensure(check == true, || "the card offers a check-in the desk would refuse".into())?;
        app.keyboard("\u{E007}").await?;
        app.wait_text("#arrival-outcome-text", |t| t == "Security vetting pending").await?;
        // The coordinator admits her once: a reason, Enter, the PIN.
        app.click("#arrival-outcome-unvetted").await?;
        app.wait_contains("#arrival-outcome-slot", "Why is Ann Pending admitted").await?;
        app.keyboard("Known to the chief of security\u{E007}").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#arrival-outcome", "Ann Pending checked in today at").await?;
        app.wait_contains("#arrival-outcome", "admitted once by the coordinator (Known to the chief of security)")
            .await?;
        // Once: coordinator actions close again behind the coordinator.
        app.wait_until(
            "the header's coordinator mark is gone",
            "return document.getElementById('pin-slot').hidden",
        )
        .await?;
        app.screenshot("vetting-admitted-once").await;
        // A person refused by security: the card says so with security's note.
        app.keyboard("Ray Ref").await?;
        app.wait_contains("#arrival-vetting", "Security vetting refused — Not on the host nation's list").await?;
        app.screenshot("vetting-card-refused").await;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let ins: Vec<i64> = d.checkins(1).unwrap().into_iter().map(|c| c.attendee_id).collect();
    assert_eq!(ins.len(), 2, "Olu, and Ann admitted once: {ins:?}");
    let overrides = d
        .audit_trail(&delegate_desk::AuditFilter {
            action: Some("vetting.override".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(overrides.len(), 1);
}

#[tokio::test]
async fn vetting_is_set_in_the_attendee_panel_behind_the_pin_and_filtered_in_the_list() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let ann = {
        let mut d = Desk::open(&db).unwrap();
        vetting_on(&mut d);
        let ann = d.register(&person("Ann", "Pending")).unwrap().attendee.id;
        d.register(&person("Bo", "Waiting")).unwrap();
        let cy = d.register(&person("Cy", "Cleared")).unwrap().attendee.id;
        d.set_vetting(cy, "cleared", None).unwrap();
        d.set_pin(None, "246810").unwrap();
        ann
    };
    drive(&db, &[], "vetting-panel", async |app: &App| {
        app.click("#nav-attendees").await?;
        app.choose("filter-vetting", "pending").await?;
        app.wait_contains("#attendee-count", "2 of 3").await?;
        app.click(&format!("#attendee-table tr[data-id='{ann}'] td")).await?;
        app.wait_contains("#vetting-state-line", "Pending").await?;
        app.wait_contains("#vetting-state-line", "not checked in until cleared").await?;
        app.choose("vetting-state", "cleared").await?;
        app.fill("#vetting-note", "Host nation list, 12 Nov").await?;
        // Another desk changes Ann meanwhile: the panel follows it, and the state chosen and
        // the note typed here stay as they are.
        let attache = AttendeeInput { position: Some("Attaché".into()), ..Default::default() };
        Desk::open(&db).unwrap().edit(ann, &attache).unwrap();
        app.wait_until("the panel shows the other desk's change", "return document.getElementById('edit-position').value === 'Attaché'").await?;
        let kept = app.js("return [document.getElementById('vetting-state').value, document.getElementById('vetting-note').value]").await?;
        ensure(kept == serde_json::json!(["cleared", "Host nation list, 12 Nov"]), || format!("the form was reset: {kept}"))?;
        let focus = app.focused_id().await?;
        ensure(focus == "vetting-note", || format!("the refresh moved the focus to {focus:?}"))?;
        app.keyboard("\u{E007}").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#message", "Vetting of Ann Pending: cleared (was pending)").await?;
        app.wait_contains("#vetting-chip", "Cleared").await?;
        app.wait_contains("#vetting-state-line", "Host nation list, 12 Nov").await?;
        app.wait_contains("#edit-history", "Security vetting: cleared — Host nation list, 12 Nov").await?;
        // The list follows: one pending left.
        app.wait_contains("#attendee-count", "1 of 3").await?;
        app.screenshot("vetting-panel-cleared").await;
        // The setting off in Event settings: coordinator actions are still open, but turning
        // the vetting off for everyone asks for the PIN again, typed for it.
        app.click("#nav-event").await?;
        app.click("#event-requireVetting").await?;
        app.click("#event-save").await?;
        app.wait_contains("#pin-why", "Turning off the security vetting").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#message", "no longer required").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert!(!d.event().unwrap().require_vetting);
    let pending = d.list(&ListFilter { vetting: Some("pending".into()), ..Default::default() }).unwrap();
    assert_eq!(pending.len(), 1);
    let a = d.attendee(ann).unwrap();
    assert_eq!((a.vetting.note.as_str(), a.vetting.by.is_some()), ("Host nation list, 12 Nov", true));
}

/// Security refuses a person at another desk while the coordinator types a note in the panel
/// (the state there still says Cleared): the save is refused as stale, and the refusal stands.
/// Saved again, knowing it, it is done. Before, the form's "Cleared" undid security's refusal.
#[tokio::test]
async fn a_vetting_form_filled_before_security_refused_the_person_does_not_undo_it() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let pat = {
        let mut d = Desk::open(&db).unwrap();
        vetting_on(&mut d);
        let pat = d.register(&person("Pat", "Watchlist")).unwrap().attendee.id;
        d.set_vetting(pat, "cleared", Some("passport seen")).unwrap();
        d.set_pin(None, "246810").unwrap();
        pat
    };
    drive(&db, &[], "vetting-stale", async |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{pat}'] td")).await?;
        app.wait_contains("#vetting-chip", "Cleared").await?;
        app.fill("#vetting-note", "passport checked").await?;
        let mut security = Desk::open(&db).unwrap();
        security.unlock("246810").map_err(|e| e.to_string())?;
        security.set_vetting(pat, "refused", Some("on watch list")).map_err(|e| e.to_string())?;
        drop(security);
        app.wait_contains("#vetting-chip", "Refused").await?;
        let kept = app.js("return document.getElementById('vetting-state').value").await?;
        ensure(kept == "cleared", || format!("the form shows {kept}"))?;
        app.click("#vetting-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#message", "changed at another desk").await?;
        app.wait_contains("#message", "now refused (on watch list)").await?;
        let refused = Desk::open(&db).unwrap().attendee(pat).unwrap().vetting;
        ensure(refused.note == "on watch list", || format!("security's refusal was undone: {refused:?}"))?;
        // Saved again, knowing it: done.
        app.click("#vetting-save").await?;
        app.wait_contains("#message", "cleared (was refused)").await?;
        Ok(())
    })
    .await;
    let v = Desk::open(&db).unwrap().attendee(pat).unwrap().vetting;
    assert_eq!((v.state.wire(), v.note.as_str()), ("cleared", "passport checked"));
}

/// Event settings left open while another desk saves: saving the event's new name does not put
/// back the "vetting off" and the venue the form still shows. The capacity typed here and
/// changed at the other desk too is refused, named with its stored value, the typed value kept;
/// saved again, it is taken.
#[tokio::test]
async fn a_stale_event_settings_form_saves_only_what_was_typed() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        d.set_pin(None, "246810").unwrap();
    }
    drive(&db, &[], "event-stale-form", async |app: &App| {
        app.click("#nav-event").await?;
        app.wait_until("the form is filled", "return document.getElementById('event-capacity').value !== ''")
            .await?;
        ensure(
            !app.js("return document.getElementById('event-requireVetting').checked")
                .await?
                .as_bool()
                .unwrap_or(true),
            || "vetting shown on before the test turned it on".to_string(),
        )?;
        app.fill("#event-name-input", "Regional Security Summit 2027").await?;
        // Another desk turns vetting on and moves the venue while the form is open and edited.
        let mut other = Desk::open(&db).unwrap();
        other.unlock("246810").unwrap();
        other
            .update_event(&EventInput {
                require_vetting: Some("on".into()),
                venue: Some("Hyatt Regency, Port of Spain".into()),
                ..Default::default()
            })
            .unwrap();
        app.click("#event-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#message", "Saved").await?;
        let e = Desk::open(&db).unwrap().event().unwrap();
        ensure(e.name == "Regional Security Summit 2027", || format!("name not saved: {}", e.name))?;
        ensure(e.require_vetting, || "the stale form turned the vetting off".to_string())?;
        ensure(e.venue == "Hyatt Regency, Port of Spain", || {
            format!("the stale venue was put back: {}", e.venue)
        })?;
        // The form now shows what is stored.
        app.wait_until(
            "the form shows vetting on",
            "return document.getElementById('event-requireVetting').checked",
        )
        .await?;

        // The capacity, typed here and changed at the other desk meanwhile, with the venue
        // (not typed here).
        app.fill("#event-capacity", "120").await?;
        other
            .update_event(&EventInput {
                capacity: Some("110".into()),
                venue: Some("Hilton Trinidad".into()),
                ..Default::default()
            })
            .unwrap();
        app.click("#event-save").await?;
        app.wait_contains("#message", "the capacity (now 110)").await?;
        app.wait_contains("#message", "Nothing was saved").await?;
        let typed = app.js("return document.getElementById('event-capacity').value").await?;
        ensure(typed == "120", || format!("what was typed was not kept: {typed}"))?;
        // What was not typed here shows what is stored now.
        app.wait_until(
            "the venue shows the other desk's",
            "return document.getElementById('event-venue').value === 'Hilton Trinidad'",
        )
        .await?;
        ensure(Desk::open(&db).unwrap().event().unwrap().capacity == 110, || {
            "the conflict saved".to_string()
        })?;
        app.screenshot("event-stale-conflict").await;
        app.click("#event-save").await?;
        app.wait_contains("#message", "Capacity raised from 110 to 120").await?;
        let e = Desk::open(&db).unwrap().event().unwrap();
        ensure(e.capacity == 120 && e.require_vetting, || {
            format!("{} seats, vetting {}", e.capacity, e.require_vetting)
        })?;
        ensure(e.venue == "Hilton Trinidad", || {
            format!("the save after the conflict put back the venue: {}", e.venue)
        })?;
        Ok(())
    })
    .await;
}
