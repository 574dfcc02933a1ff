//! Lists and forms at the keyboard, through the real webview: the attendee list is one Tab
//! stop entered with Arrow Down, draws 200 rows at a time and says "N of M"; the delegation
//! filter matches as it is typed; Escape closes the detail panel; the badge picker is one Tab
//! stop too; the Register view shows
//! people already on the list and registers one of them instead of a duplicate; a delegation
//! typed short ("Fra") is confirmed against the known one.

use delegate_desk::{Desk, EventInput, ListFilter};
use delegate_desk_e2e::{delegate, drive, ensure, turn, App};

#[tokio::test]
async fn the_attendee_list_at_the_keyboard_and_with_many_people() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        d.update_event(&EventInput { capacity: Some("400".into()), ..Default::default() }).unwrap();
        for n in 0..250 {
            let delegation = if n % 10 == 0 { "Jamaica" } else { "Dominican Republic" };
            d.register(&delegate(&format!("Given{n:03}"), &format!("Family{n:03}"), delegation)).unwrap();
        }
    }
    drive(&db, &[], "lists", async |app: &App| {
        app.click("#nav-attendees").await?;
        app.wait_contains("#attendee-count", "250 people").await?;
        let drawn = app.js("return document.querySelectorAll('#attendee-table tbody tr').length").await?;
        ensure(drawn == 200, || format!("{drawn} rows drawn at first"))?;
        app.wait_contains("#attendee-more", "Show 50 more (200 of 250 shown)").await?;
        // Arrow Down from the name box enters the list; one Tab stop inside it.
        app.click("#filter-name").await?;
        app.keyboard("\u{E015}").await?; // ArrowDown
        let first = app.js("return document.activeElement.closest('tr')?.dataset.id ?? ''").await?;
        ensure(first == "1", || format!("the first row has the focus: {first}"))?;
        app.keyboard("\u{E015}\u{E015}").await?;
        let stops = app
            .js("return document.querySelectorAll('#attendee-table tbody tr[tabindex=\"0\"]').length")
            .await?;
        ensure(stops == 1, || format!("{stops} Tab stops in the list"))?;
        // End draws everything and goes to the last row.
        app.keyboard("\u{E010}").await?; // End
        let last = app.js("return document.activeElement.closest('tr')?.dataset.id ?? ''").await?;
        ensure(last == "250", || format!("End goes to the last row: {last}"))?;
        // Enter opens the detail panel; Escape closes it and the focus goes back to the row.
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#attendee-detail", "Family249").await?;
        app.keyboard("\u{E00C}").await?;
        let hidden = app.js("return document.getElementById('attendee-detail').hidden").await?;
        ensure(hidden == true, || "Escape closed the panel".into())?;
        // The delegation filter as it is typed: "jam" is Jamaica, "rep" the Dominican Republic.
        app.fill("#filter-delegation", "jam").await?;
        app.wait_contains("#attendee-count", "25 of 250").await?;
        app.fill("#filter-delegation", "rep").await?;
        app.wait_contains("#attendee-count", "225 of 250").await?;
        app.screenshot("lists-filter").await;
        // The badge picker too: one Tab stop, entered with Arrow Down, Enter ticks.
        app.click("#nav-badges").await?;
        app.wait_contains("#badges-table", "Family000").await?;
        app.click("#badges-filter").await?;
        app.keyboard("\u{E015}\u{E015}\u{E007}").await?; // ArrowDown twice, Enter
        app.wait_contains("#badges-selected-count", "1").await?;
        let stops = app
            .js("return document.querySelectorAll('#badges-table input.badge-pick[tabindex=\"0\"]').length")
            .await?;
        ensure(stops == 1, || format!("{stops} Tab stops in the badge picker"))?;
        let on = app.js("return document.activeElement.closest('tr')?.innerText ?? ''").await?;
        ensure(on.as_str().is_some_and(|t| t.contains("Family001")), || {
            format!("the second row has the focus: {on}")
        })?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn register_offers_the_person_already_on_the_list_and_confirms_a_short_delegation() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let invited = {
        let mut d = Desk::open(&db).unwrap();
        d.register(&delegate("Anne", "Other", "France")).unwrap();
        d.import(
            b"given_name,family_name,category,delegation\nMarguerite,Fontenelle,delegate,Haiti\n",
            &Default::default(),
        )
        .unwrap();
        d.search("fontenelle", 1).unwrap()[0].id
    };
    drive(&db, &[], "register-matches", async |app: &App| {
        app.click("#nav-register").await?;
        app.fill("#reg-givenName", "Marg").await?;
        app.fill("#reg-familyName", "Fonten").await?;
        app.wait_contains("#reg-matches", "Marguerite Fontenelle").await?;
        app.wait_contains("#reg-matches", "Invited").await?;
        app.screenshot("register-matches-list").await;
        app.click("#reg-use-0").await?;
        app.wait_contains("#register-result", "Marguerite Fontenelle").await?;
        app.wait_contains("#register-result", "Registered").await?;
        let shown = app.js("return document.getElementById('reg-matches').hidden").await?;
        ensure(shown == true, || "the list of matches is gone".into())?;
        // A new person with a delegation typed short: confirmed against the known one.
        app.fill("#reg-givenName", "Jules").await?;
        app.fill("#reg-familyName", "Newcomer").await?;
        app.fill("#reg-delegation", "Fra").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#confirm-message", "Did you mean France?").await?;
        app.click("#confirm-ok").await?;
        app.wait_contains("#register-result", "Jules Newcomer").await?;
        app.wait_contains("#register-result", "France").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    assert_eq!(d.attendee(invited).unwrap().status, delegate_desk::Status::Registered);
    let france = d.list(&ListFilter { delegation: Some("France".into()), ..Default::default() }).unwrap();
    assert_eq!(france.len(), 2, "Jules joined France, no 'Fra' delegation");
    assert_eq!(d.list(&Default::default()).unwrap().len(), 3, "no duplicate of Marguerite");
}

/// A person's panel left open while another desk saves them: the position typed here is saved
/// and the other desk's phone stays; the stale note says what the save will do. The phone
/// typed here and changed there too is refused by name with the stored value, the typed value
/// kept; saved again, it is taken.
#[tokio::test]
async fn a_stale_attendee_panel_saves_only_what_was_typed() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let id = Desk::open(&db).unwrap().register(&delegate("Ann", "Archer", "Jamaica")).unwrap().attendee.id;
    drive(&db, &[], "attendee-stale-form", async |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{id}'] td")).await?;
        app.wait_until(
            "the panel is filled",
            "return document.getElementById('edit-familyName').value === 'Archer'",
        )
        .await?;
        app.fill("#edit-position", "Chief of Defence Staff").await?;
        let mut other = Desk::open(&db).unwrap();
        let phone =
            delegate_desk::AttendeeInput { phone: Some("+1 876 555 0100".into()), ..Default::default() };
        other.edit(id, &phone).unwrap();
        app.wait_contains("#attendee-detail", "changed at another desk").await?;
        app.click("#edit-save").await?;
        app.wait_contains("#message", "Saved changes to").await?;
        let a = Desk::open(&db).unwrap().attendee(id).unwrap();
        ensure(a.fields.position == "Chief of Defence Staff", || format!("position: {}", a.fields.position))?;
        ensure(a.fields.phone == "+1 876 555 0100", || {
            format!("the stale phone was put back: {:?}", a.fields.phone)
        })?;
        app.wait_until(
            "the panel shows the phone",
            "return document.getElementById('edit-phone').value === '+1 876 555 0100'",
        )
        .await?;

        app.fill("#edit-phone", "+1 876 555 0111").await?;
        let both = delegate_desk::AttendeeInput {
            phone: Some("+1 876 555 0199".into()),
            email: Some("ann@jdf.mil.jm".into()),
            ..Default::default()
        };
        other.edit(id, &both).unwrap();
        app.click("#edit-save").await?;
        app.wait_contains("#message", "the phone (now “+1 876 555 0199”)").await?;
        let typed = app.js("return document.getElementById('edit-phone').value").await?;
        ensure(typed == "+1 876 555 0111", || format!("what was typed was not kept: {typed}"))?;
        // The e-mail, not typed here, shows what the other desk stored.
        app.wait_until(
            "the e-mail shows the other desk's",
            "return document.getElementById('edit-email').value === 'ann@jdf.mil.jm'",
        )
        .await?;
        app.screenshot("attendee-stale-conflict").await;
        app.click("#edit-save").await?;
        app.wait_contains("#message", "Saved changes to").await?;
        let a = Desk::open(&db).unwrap().attendee(id).unwrap();
        ensure(a.fields.phone == "+1 876 555 0111", || format!("phone: {}", a.fields.phone))?;
        ensure(a.fields.email == "ann@jdf.mil.jm", || {
            format!("the save after the conflict put back the e-mail: {}", a.fields.email)
        })?;
        Ok(())
    })
    .await;
}
