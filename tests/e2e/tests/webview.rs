//! The desk through the real webview: the built app under Xvfb, driven by tauri-driver and
//! WebKitWebDriver. Each test prepares its own database with the core, drives the window as an
//! operator would, closes the session, and only then asserts.

use delegate_desk::{Desk, EventInput, ListFilter, Status};
use delegate_desk_e2e::{delegate, drive, ensure, turn, App, Step};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';
const ARROW_DOWN: char = '\u{E015}';

fn new_db(prepare: impl FnOnce(&mut Desk)) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let mut desk = Desk::open(&db).unwrap();
    prepare(&mut desk);
    (dir, db)
}

fn set_capacity(desk: &mut Desk, n: u32) {
    desk.update_event(&EventInput { capacity: Some(n.to_string()), ..Default::default() }).unwrap();
}

/// Run `steps` on a fresh app over `db`; close the app before reporting a failure.
async fn with_app(db: &Path, name: &str, steps: impl AsyncFnOnce(&App) -> Step) {
    drive(db, &[], name, steps).await;
}

#[tokio::test]
async fn register_by_keyboard_and_see_the_gauge_move() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|_| {});
    with_app(&db, "register-keyboard", async move |app: &App| {
        app.wait_text("#gauge-registered", |t| t == "0").await?;
        app.wait_text("#gauge-capacity", |t| t == "100").await?;
        app.click("#reg-rank").await?;
        ensure(app.focused_id().await? == "reg-rank", || "focus starts in rank".into())?;
        let keys = format!(
            "Col.{TAB}Hélène{TAB}Dupré-Bâtard{TAB}{TAB}Defence Attaché{TAB}Embassy of France{TAB}France{TAB}"
        );
        app.type_into("#reg-rank", &keys).await?;
        let focused = app.focused_id().await?;
        ensure(focused == "reg-category", || format!("Tab order reaches category, focus is on {focused}"))?;
        app.type_into(
            "#reg-category",
            &format!("Co{TAB}helene.dupre@example.org{TAB}+33 1 23 45 67 89{ENTER}"),
        )
        .await?;
        app.wait_contains("#register-result", "Registered — seat 1 of 100").await?;
        app.wait_text("#gauge-registered", |t| t == "1").await?;
        app.wait_text("#gauge-left", |t| t == "99").await?;
        let focused = app.focused_id().await?;
        ensure(focused == "reg-rank", || format!("focus returns to the first field, not {focused}"))?;
        let given = app.js("return document.getElementById('reg-givenName').value").await?;
        ensure(given == "", || format!("the form is reset, given name still {given}"))?;
        // A second Enter on the emptied form (a double tap) leaves the outcome on screen.
        app.type_into("#reg-rank", &ENTER.to_string()).await?;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let shown = app.text("#register-result").await?.unwrap_or_default();
        ensure(shown.contains("Registered — seat 1 of 100"), || {
            format!("the outcome stays, saw {shown:?}")
        })?;
        let error = app.text("#reg-givenName-error").await?.unwrap_or_default();
        ensure(error.trim().is_empty(), || format!("no refusal for the empty form, saw {error:?}"))?;
        // Enter on the category list registers too.
        app.type_into("#reg-rank", &format!("{TAB}Marc{TAB}{TAB}{TAB}{TAB}{TAB}{TAB}")).await?;
        let focused = app.focused_id().await?;
        ensure(focused == "reg-category", || format!("focus on category, not {focused}"))?;
        // Keys go to the focused list as a person types them (no click to open it): the arrow
        // picks the first category, Enter registers.
        app.keyboard(&ARROW_DOWN.to_string()).await?;
        let chosen = app.js("return document.getElementById('reg-category').value").await?;
        ensure(chosen == "delegate", || format!("the arrow chooses the first category, got {chosen}"))?;
        app.keyboard(&ENTER.to_string()).await?;
        app.wait_contains("#register-result", "Registered — seat 2 of 100").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    let all = desk.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    let marc = all.iter().find(|a| a.fields.given_name == "Marc").expect("Marc registered");
    assert_eq!((marc.fields.category.wire(), marc.status), ("delegate", Status::Registered));
    let helene = all.iter().find(|a| a.fields.given_name == "Hélène").expect("Hélène registered");
    let f = &helene.fields;
    assert_eq!(
        (f.rank.as_str(), f.given_name.as_str(), f.family_name.as_str()),
        ("Col.", "Hélène", "Dupré-Bâtard")
    );
    assert_eq!((f.position.as_str(), f.organization.as_str()), ("Defence Attaché", "Embassy of France"));
    assert_eq!(f.delegation, "France");
    assert_eq!(f.category.wire(), "coHost");
    assert_eq!(f.email, "helene.dupre@example.org");
    assert_eq!(f.days, vec![1, 2]);
    assert_eq!(helene.status, Status::Registered);
}

#[tokio::test]
async fn a_full_event_waitlists_and_says_so() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|d| {
        set_capacity(d, 1);
        d.register(&delegate("Seated", "Person", "Jamaica")).unwrap();
    });
    with_app(&db, "waitlist", async move |app: &App| {
        app.wait_text("#gauge-registered", |t| t == "1").await?;
        app.fill("#reg-givenName", "Late").await?;
        app.fill("#reg-familyName", "Arrival").await?;
        app.fill("#reg-delegation", "Barbados").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#register-result", "Event full — added to waitlist, position 1").await?;
        app.wait_text("#gauge-waitlisted", |t| t == "1").await?;
        app.wait_text("#gauge-left", |t| t == "0").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    assert_eq!(desk.status().unwrap().waitlisted, 1);
}

#[tokio::test]
async fn a_refused_field_is_shown_beside_it_and_nothing_is_written() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|_| {});
    with_app(&db, "validation", async move |app: &App| {
        app.fill("#reg-givenName", "Marc-André").await?;
        app.fill("#reg-email", "marc-andre.example.org").await?;
        app.fill("#reg-phone", "call me").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#reg-email-error", "has no @").await?;
        app.wait_contains("#reg-phone-error", "may hold only digits").await?;
        app.wait_contains("#reg-category-error", "Choose a category").await?;
        let invalid =
            app.js("return document.getElementById('reg-email').getAttribute('aria-invalid')").await?;
        ensure(invalid == "true", || format!("email marked invalid, aria-invalid={invalid}"))?;
        let kept = app.js("return document.getElementById('reg-givenName').value").await?;
        ensure(kept == "Marc-André", || format!("typed values are kept, given name is {kept}"))?;
        app.wait_text("#gauge-registered", |t| t == "0").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    assert_eq!(desk.revision().unwrap(), 0, "nothing written");
}

#[tokio::test]
async fn cancel_proposes_the_next_waitlisted_and_promotes_on_confirmation() {
    let _turn = turn().await;
    let mut ids = (0, 0);
    let (_dir, db) = new_db(|d| {
        set_capacity(d, 1);
        ids.0 = d.register(&delegate("Seated", "Person", "Jamaica")).unwrap().attendee.id;
        ids.1 = d.register(&delegate("Waiting", "Person", "Haiti")).unwrap().attendee.id;
    });
    let (seated, waiting) = ids;
    with_app(&db, "cancel-promote", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{waiting}'] .status"), "Waitlisted").await?;
        app.click(&format!("#attendee-table tr[data-id='{seated}'] td")).await?;
        app.click("#edit-cancel-registration").await?;
        app.wait_contains("#confirm-message", "Seated Person").await?;
        // A destructive confirmation starts on the safe choice; the dangerous one is red.
        ensure(app.focused_id().await? == "confirm-no", || "Keep has the focus".into())?;
        let class = app.js("return document.getElementById('confirm-ok').className").await?;
        ensure(class == "danger", || format!("Cancel registration is marked dangerous: {class}"))?;
        app.click("#confirm-ok").await?;
        app.wait_contains("#confirm-message", "Waiting Person").await?;
        // A promotion is not destructive: it starts on Promote.
        ensure(app.focused_id().await? == "confirm-ok", || "Promote has the focus".into())?;
        app.wait_contains("#confirm-message", "Waiting Person").await?;
        app.wait_text("#confirm-ok", |t| t.contains("Promote")).await?;
        app.wait_text("#gauge-registered", |t| t == "0").await?;
        app.click("#confirm-ok").await?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{waiting}'] .status"), "Registered").await?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{seated}'] .status"), "Cancelled").await?;
        app.wait_text("#gauge-registered", |t| t == "1").await?;
        app.wait_text("#gauge-waitlisted", |t| t == "0").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    assert_eq!(desk.attendee(seated).unwrap().status, Status::Cancelled);
    assert_eq!(desk.attendee(waiting).unwrap().status, Status::Registered);
}

#[tokio::test]
async fn promote_from_the_waitlist_explicitly() {
    let _turn = turn().await;
    let mut waiting = 0;
    let (_dir, db) = new_db(|d| {
        set_capacity(d, 1);
        d.register(&delegate("Seated", "Person", "Jamaica")).unwrap();
        waiting = d.register(&delegate("Waiting", "Person", "Haiti")).unwrap().attendee.id;
        set_capacity(d, 2);
    });
    with_app(&db, "promote", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{waiting}'] td")).await?;
        app.click("#edit-promote").await?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{waiting}'] .status"), "Registered").await?;
        app.wait_text("#gauge-registered", |t| t == "2").await?;
        Ok(())
    })
    .await;
    assert_eq!(Desk::open(&db).unwrap().attendee(waiting).unwrap().status, Status::Registered);
}

#[tokio::test]
async fn capacity_is_guarded_in_the_settings_view() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|d| {
        set_capacity(d, 2);
        d.register(&delegate("One", "Person", "Jamaica")).unwrap();
        d.register(&delegate("Two", "Person", "Jamaica")).unwrap();
        d.register(&delegate("Three", "Person", "Jamaica")).unwrap();
        d.set_pin(None, "246810").unwrap();
    });
    with_app(&db, "event-settings", async move |app: &App| {
        app.click("#nav-event").await?;
        app.fill("#event-capacity", "1").await?;
        app.click("#event-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#event-capacity-error", "2 people are registered").await?;
        app.fill("#event-capacity", "3").await?;
        app.click("#event-save").await?;
        app.wait_contains("#confirm-message", "").await?;
        app.wait_contains("#confirm-items", "Three Person").await?;
        app.click("#confirm-ok").await?;
        app.wait_text("#gauge-registered", |t| t == "3").await?;
        app.wait_text("#gauge-capacity", |t| t == "3").await?;
        Ok(())
    })
    .await;
    let s = Desk::open(&db).unwrap().status().unwrap();
    assert_eq!((s.capacity, s.registered, s.waitlisted), (3, 3, 0));
}

#[tokio::test]
async fn the_gauge_follows_another_process() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|_| {});
    let other = db.clone();
    with_app(&db, "other-process", async move |app: &App| {
        app.wait_text("#gauge-registered", |t| t == "0").await?;
        let mut desk = Desk::open(&other).unwrap();
        desk.register(&delegate("From", "Elsewhere", "Belize")).map_err(|e| e.to_string())?;
        // The window polls the database's revision every second; no action in this window.
        app.wait_text("#gauge-registered", |t| t == "1").await?;
        app.wait_text("#gauge-left", |t| t == "99").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn views_chosen_one_after_another_show_the_last_one_chosen() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|_| {});
    with_app(&db, "views-in-a-row", async |app: &App| {
        // The views the desk does not open on are built when first opened: three chosen in a
        // row (each built as it is chosen, or still being built when the next is chosen), the
        // last one is what shows, and each is in the page once, in the navigation's order.
        app.js("for (const v of ['dashboard', 'audit', 'event']) document.getElementById(`nav-${v}`).click()").await?;
        let shown = "return [...document.querySelectorAll('main .view')].filter((v) => !v.hidden).map((v) => v.id).join(' ')";
        let current = "return [...document.querySelectorAll('[aria-current=page]')].map((b) => b.id).join(' ')";
        let built = "return [...document.querySelectorAll('main .view')].map((v) => v.id).join(' ')";
        app.wait_until(
            "the three views are built and read",
            "return document.querySelectorAll('main .view').length === 5 && !document.getElementById('main').dataset.reading",
        )
        .await?;
        let (s, c) = (app.js(shown).await?, app.js(current).await?);
        ensure(s == "view-event" && c == "nav-event", || format!("shown: {s}; current: {c}"))?;
        ensure(app.focused_id().await? == "event-name-input", || "the focus is not in the event's name".into())?;
        // The keyboard's way, back to one already built: built once, shown alone, in order.
        app.chord("\u{E00A}", '8').await?;
        app.wait_until("the dashboard shows", "return !document.getElementById('view-dashboard').hidden").await?;
        let (s, c, b) = (app.js(shown).await?, app.js(current).await?, app.js(built).await?);
        ensure(s == "view-dashboard" && c == "nav-dashboard", || format!("shown: {s}; current: {c}"))?;
        ensure(b == "view-arrival view-register view-event view-dashboard view-audit", || format!("built: {b}"))?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_file_that_is_not_a_desk_database_is_shown_not_crashed_on_and_left_alone() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guest-list.csv");
    let bytes = "given,family\nHélène,Dupré\n".repeat(100);
    std::fs::write(&db, &bytes).unwrap();
    let app = App::launch(&db).await;
    let result = app.wait_contains("#message", "is not a Delegate Desk database").await;
    app.screenshot("foreign-file").await;
    app.close().await;
    result.unwrap();
    assert_eq!(std::fs::read_to_string(&db).unwrap(), bytes);
}

/// The start-up failure's *Try again*, by keyboard, opens the database once it can be opened
/// (here a folder that was a file at start, as a stick not yet mounted): the window starts on
/// it. It used to answer the first failure again, for good.
#[tokio::test]
async fn try_again_after_a_failed_start_opens_the_database_once_it_can() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::write(&stick, "not yet a folder").unwrap();
    let db = stick.join("desk.sqlite3");
    let app = App::launch(&db).await;
    let result: Step = async {
        app.wait_until("Try again has the keyboard", "return document.activeElement?.id === 'retry'").await?;
        // Pressed while it still cannot be opened: the reason again, and Try again again.
        app.js("document.getElementById('message').textContent = ''").await?;
        app.keyboard(&ENTER.to_string()).await?;
        app.wait_until(
            "the reason is said again",
            "return document.activeElement?.id === 'retry' && document.getElementById('message').textContent !== ''",
        )
        .await?;
        std::fs::remove_file(&stick).unwrap();
        std::fs::create_dir(&stick).unwrap();
        app.keyboard(&ENTER.to_string()).await?;
        app.wait_until(
            "the desk starts on the database",
            "return !!document.body.dataset.ready && !document.getElementById('retry')",
        )
        .await?;
        let name = app.js("return document.title").await?;
        ensure(name.as_str().is_some_and(|t| !t.is_empty()), || format!("title: {name}"))?;
        Ok(())
    }
    .await;
    app.screenshot("try-again-started").await;
    app.close().await;
    result.unwrap();
    assert!(db.is_file(), "the database was made in the folder");
}

/// The dashboard on a day that stops being a day of the event (its dates changed at another
/// desk) goes back to today's figures. It kept the old day's figures on screen, with the
/// refusal "Day 2 is not a day of the event" said again at every poll.
#[tokio::test]
async fn the_dashboard_on_a_day_the_event_no_longer_has_goes_back_to_today() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|d| {
        delegate_desk_e2e::event_from_today(d, 2, None);
        let one_day =
            delegate_desk::AttendeeInput { days: Some("1".into()), ..delegate("Ana", "Day", "Belize") };
        d.register(&one_day).unwrap();
    });
    // Ana was checked in for day 1 the day before it (as a desk set up the evening before
    // would): said under the chart, not drawn among the day's hours.
    let yesterday =
        (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO checkin (attendee_id, day, at, operator, desk, method) VALUES (1, 1, ?1, 'T', 'D', 'desk')",
            [&yesterday],
        )
        .unwrap();
    with_app(&db, "dashboard-day-gone", async |app: &App| {
        app.click("#nav-dashboard").await?;
        app.wait_contains("#dash-other-dates", "1 check-in for day 1 was made on another date").await?;
        app.screenshot("dashboard-other-dates").await;
        app.choose("dash-day", "2").await?;
        app.wait_until("day 2 is shown", "return document.getElementById('dash-day').value === '2'").await?;
        let mut d = Desk::open(&db).map_err(|e| e.to_string())?;
        let start = d.event().map_err(|e| e.to_string())?.start_date.to_string();
        d.update_event(&EventInput { end_date: Some(start), ..Default::default() })
            .map_err(|e| e.to_string())?;
        app.wait_until(
            "the dashboard shows day 1, the only day left",
            "const s = document.getElementById('dash-day'); return s.value === '1' && s.options.length === 1",
        )
        .await?;
        let said = app.js("return document.getElementById('message').textContent").await?;
        ensure(!said.as_str().unwrap_or("").contains("not a day"), || format!("message: {said}"))?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_attendee_is_reinstated() {
    let _turn = turn().await;
    let mut gone = 0;
    let (_dir, db) = new_db(|d| {
        gone = d.register(&delegate("Came", "Back", "Guyana")).unwrap().attendee.id;
        d.cancel(gone).unwrap();
    });
    with_app(&db, "reinstate", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{gone}'] td")).await?;
        app.click("#edit-reinstate").await?;
        // Named: the message stays while the next person is opened.
        app.wait_contains("#message", "Came Back: Reinstated — seat 1 of 100").await?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{gone}'] .status"), "Registered").await?;
        app.wait_contains("#edit-history", "Reinstated").await?;
        app.wait_text("#gauge-registered", |t| t == "1").await?;
        Ok(())
    })
    .await;
    assert_eq!(Desk::open(&db).unwrap().attendee(gone).unwrap().status, Status::Registered);
}

#[tokio::test]
async fn filter_the_list_by_name_and_edit_an_attendee() {
    let _turn = turn().await;
    let mut helene = 0;
    let (_dir, db) = new_db(|d| {
        helene = d.register(&delegate("Hélène", "Dupré", "Haiti")).unwrap().attendee.id;
        d.register(&delegate("Marc", "Côté", "Jamaica")).unwrap();
        d.register(&delegate("Zoë", "Ali", "Jamaica")).unwrap();
    });
    with_app(&db, "filter-edit", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.wait_text("#attendee-count", |t| t == "3 people").await?;
        // Case and accents are ignored.
        app.type_into("#filter-name", "HELENE").await?;
        app.wait_text("#attendee-count", |t| t == "1 of 3").await?;
        let rows =
            app.js("return document.querySelectorAll('#attendee-table tbody tr[data-id]').length").await?;
        ensure(rows == 1, || format!("one row shown, saw {rows}"))?;
        app.click(&format!("#attendee-table tr[data-id='{helene}'] td")).await?;
        app.click("#edit-save").await?;
        app.wait_contains("#message", "No change to save for Hélène Dupré").await?;
        app.fill("#edit-position", "Director of Civil Protection").await?;
        app.fill("#edit-email", "not-an-email").await?;
        app.click("#edit-save").await?;
        app.wait_contains("#edit-email-error", "has no @").await?;
        app.fill("#edit-email", "helene.dupre@example.org").await?;
        app.click("#edit-save").await?;
        app.wait_contains("#message", "Saved changes to Hélène Dupré").await?;
        Ok(())
    })
    .await;
    let a = Desk::open(&db).unwrap().attendee(helene).unwrap();
    assert_eq!(a.fields.position, "Director of Civil Protection");
    assert_eq!(a.fields.email, "helene.dupre@example.org");
    assert_eq!(a.status, Status::Registered);
}

/// The next person opened while a cancel is still being saved (another program holds the
/// database): they open once the cancel has ended, and what is typed for them stays. Before,
/// they opened at once, and the cancel's answer brought the person cancelled back over them,
/// with what had been typed for them gone.
#[tokio::test]
async fn a_person_opened_during_a_cancel_keeps_what_is_typed_for_them() {
    let _turn = turn().await;
    let mut ids = (0, 0);
    let (_dir, db) = new_db(|d| {
        ids.0 = d.register(&delegate("Ann", "Gone", "Jamaica")).unwrap().attendee.id;
        ids.1 = d.register(&delegate("Ben", "Next", "Haiti")).unwrap().attendee.id;
    });
    let (gone, next) = ids;
    let db2 = db.clone();
    with_app(&db, "cancel-then-next", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{gone}'] td")).await?;
        app.wait_contains("#edit-heading", "Ann Gone").await?;
        app.click("#edit-cancel-registration").await?;
        app.wait_contains("#confirm-message", "Ann Gone").await?;
        let hold = rusqlite::Connection::open(&db2).map_err(|e| e.to_string())?;
        hold.execute_batch("BEGIN IMMEDIATE").map_err(|e| e.to_string())?;
        app.click("#confirm-ok").await?;
        app.wait_until("the question is answered", "return !document.getElementById('confirm-dialog').open")
            .await?;
        app.click(&format!("#attendee-table tr[data-id='{next}'] td")).await?;
        hold.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        app.wait_contains(&format!("#attendee-table tr[data-id='{gone}'] .status"), "Cancelled").await?;
        app.wait_contains("#edit-heading", "Ben Next").await?;
        app.click("#edit-position").await?;
        app.keyboard("Chief of Staff").await?;
        // Every answer of the cancel is in: the window has read the database as it now is.
        let revision = Desk::open(&db2).map_err(|e| e.to_string())?.revision().map_err(|e| e.to_string())?;
        app.wait_until(
            "the window follows the cancel",
            &format!("return document.documentElement.dataset.revision === '{revision}'"),
        )
        .await?;
        let heading = app.js("return document.getElementById('edit-heading').textContent").await?;
        ensure(heading.as_str().unwrap_or("").contains("Ben Next"), || format!("the panel shows {heading}"))?;
        let position = app.js("return document.getElementById('edit-position').value").await?;
        ensure(position == "Chief of Staff", || format!("what was typed for Ben: {position}"))?;
        Ok(())
    })
    .await;
}

/// A walk-in started at Arrival while the Register form holds details typed and not saved:
/// the desk asks first, starting on "Keep what is typed"; kept, the walk-in is not started and
/// the desk says so; replaced, the form holds the walk-in's name. Before, the walk-in emptied
/// the form without a word.
#[tokio::test]
async fn a_walk_in_asks_before_replacing_a_half_typed_form() {
    let _turn = turn().await;
    let (_dir, db) = new_db(|_| {});
    with_app(&db, "walk-in-half-typed", async move |app: &App| {
        app.click("#nav-register").await?;
        app.click("#reg-givenName").await?;
        app.keyboard("Half").await?;
        for answer in ["keep", "replace"] {
            app.click("#nav-arrival").await?;
            app.click("#arrival-search").await?;
            app.keyboard("Zed Walkin").await?;
            app.wait_contains("#arrival-count", "Nobody found").await?;
            app.keyboard(&ENTER.to_string()).await?;
            app.wait_contains("#confirm-title", "Replace the form?").await?;
            app.wait_contains("#confirm-message", "details typed for Half, not saved").await?;
            ensure(app.focused_id().await? == "confirm-no", || "the safe choice has the focus".into())?;
            if answer == "keep" {
                // (Clicked: an Enter right after a scan's is kept from pressing a dialog's button.)
                app.click("#confirm-no").await?;
                app.wait_contains("#message", "was not started: the form keeps what was typed for Half")
                    .await?;
                let given = app.js("return document.getElementById('reg-givenName').value").await?;
                ensure(given == "Half", || format!("what was typed: {given}"))?;
            } else {
                app.click("#confirm-ok").await?;
                app.wait_until(
                    "the walk-in is in the form",
                    "return document.getElementById('reg-familyName').value === 'Walkin'",
                )
                .await?;
                let given = app.js("return document.getElementById('reg-givenName').value").await?;
                ensure(given == "Zed", || format!("the walk-in's given name: {given}"))?;
            }
        }
        Ok(())
    })
    .await;
}

/// Held by another program: the database is locked until the returned connection commits.
fn hold(db: &Path) -> Result<rusqlite::Connection, String> {
    let c = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    c.execute_batch("BEGIN IMMEDIATE").map_err(|e| e.to_string())?;
    Ok(c)
}

/// Typed while a save is on its way (another program holds the database): the Attendees panel
/// and Event settings show what was saved, and what was typed meanwhile stays as typed, an
/// unsaved change. Before, the saved record was filled over it without a word.
#[tokio::test]
async fn what_is_typed_while_a_save_is_on_its_way_stays() {
    let _turn = turn().await;
    let mut id = 0;
    let (_dir, db) = new_db(|d| {
        id = d.register(&delegate("Ann", "Typing", "Jamaica")).unwrap().attendee.id;
        d.set_pin(None, "246810").unwrap();
    });
    let db2 = db.clone();
    with_app(&db, "typed-during-save", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{id}'] td")).await?;
        app.wait_contains("#edit-heading", "Ann Typing").await?;
        app.click("#edit-position").await?;
        app.keyboard("Chief of Staff").await?;
        let held = hold(&db2)?;
        app.click("#edit-save").await?;
        app.js("document.getElementById('edit-organization').focus(); return 1").await?;
        app.keyboard("Coast Guard").await?;
        held.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        app.wait_contains("#message", "Saved changes to").await?;
        let stored = Desk::open(&db2).map_err(|e| e.to_string())?.attendee(id).map_err(|e| e.to_string())?;
        ensure(stored.fields.position == "Chief of Staff" && stored.fields.organization.is_empty(), || {
            format!("stored: {:?} / {:?}", stored.fields.position, stored.fields.organization)
        })?;
        app.wait_until(
            "the saved record is read again",
            "return document.getElementById('edit-history').children.length > 1",
        )
        .await?;
        let org = app.js("return document.getElementById('edit-organization').value").await?;
        ensure(org == "Coast Guard", || format!("what was typed during the save: {org}"))?;
        // Unsaved, and the panel knows it: closing asks first.
        app.click("#edit-close").await?;
        app.wait_contains("#confirm-title", "Discard changes?").await?;
        app.click("#confirm-no").await?;

        app.click("#nav-event").await?;
        app.wait_until("the settings are shown", "return !document.getElementById('view-event').hidden")
            .await?;
        // A first save opens the desk for the coordinator (the PIN), the second is held.
        app.fill("#event-capacity", "110").await?;
        app.click("#event-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_text("#gauge-capacity", |t| t == "110").await?;
        app.wait_until(
            "the first save is read again",
            "return document.getElementById('main').dataset.reading !== 'true'",
        )
        .await?;
        app.fill("#event-capacity", "120").await?;
        let held = hold(&db2)?;
        app.click("#event-save").await?;
        // Focused as by a click at the end of the name (a click waits for the page to settle,
        // and a refresh polled meanwhile waits behind the save).
        app.js("const n = document.getElementById('event-name-input'); n.focus(); n.setSelectionRange(n.value.length, n.value.length); return 1").await?;
        app.keyboard(" Typed").await?;
        held.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        app.wait_text("#gauge-capacity", |t| t == "120").await?;
        let name = app.js("return document.getElementById('event-name-input').value").await?;
        ensure(name.as_str().is_some_and(|n| n.ends_with(" Typed")), || format!("the name typed: {name}"))?;
        let stored = Desk::open(&db2).map_err(|e| e.to_string())?.event().map_err(|e| e.to_string())?;
        ensure(!stored.name.ends_with("Typed") && stored.capacity == 120, || format!("stored: {stored:?}"))?;
        Ok(())
    })
    .await;
}

/// Answers that come once the operator has gone to Arrival are said in the message line: a
/// registration (whose box is emptied when Register is shown again), and a cancel that frees a
/// seat, without its "Seat freed" question popping up over Arrival, where the next scan's
/// Enter could answer it.
#[tokio::test]
async fn answers_that_come_in_another_view_are_said_not_asked() {
    let _turn = turn().await;
    let mut ids = (0, 0);
    let (_dir, db) = new_db(|d| {
        set_capacity(d, 2);
        d.register(&delegate("Ann", "Seated", "Haiti")).unwrap();
        ids.0 = d.register(&delegate("Cy", "Leaving", "Jamaica")).unwrap().attendee.id;
        ids.1 = d.register(&delegate("Wes", "Waiting", "Belize")).unwrap().attendee.id;
    });
    let (leaving, waiting) = ids;
    let db2 = db.clone();
    with_app(&db, "answers-elsewhere", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{leaving}'] td")).await?;
        app.wait_contains("#edit-heading", "Cy Leaving").await?;
        app.click("#edit-cancel-registration").await?;
        app.wait_contains("#confirm-message", "Cy Leaving").await?;
        let held = hold(&db2)?;
        app.click("#confirm-ok").await?;
        app.wait_until("the question is answered", "return !document.getElementById('confirm-dialog').open")
            .await?;
        app.chord("\u{E00A}", '1').await?; // Alt+1: Arrival
        held.execute_batch("COMMIT").map_err(|e| e.to_string())?;
        app.wait_contains("#message", "promote them from Attendees").await?;
        app.wait_contains("#message", "Wes Waiting").await?;
        let open = app.js("return document.getElementById('confirm-dialog').open").await?;
        ensure(open == false, || "a question popped up over Arrival".into())?;

        // Refused (no category chosen) and registered: each said at Arrival, naming Zed.
        app.click("#nav-register").await?;
        app.click("#reg-givenName").await?;
        app.keyboard("Zed").await?;
        app.click("#reg-familyName").await?;
        app.keyboard("Late").await?;
        for (category, said) in
            [(None, "Zed Late was not registered: Choose a category"), (Some("delegate"), "Zed Late: ")]
        {
            if let Some(c) = category {
                app.click("#nav-register").await?;
                app.choose("reg-category", c).await?;
                app.click("#reg-familyName").await?;
            }
            let held = hold(&db2)?;
            app.keyboard(&ENTER.to_string()).await?;
            app.wait_until(
                "the registration is sent",
                "return document.querySelector('#view-register form').classList.contains('busy')",
            )
            .await?;
            app.chord("\u{E00A}", '1').await?; // Alt+1: Arrival
            held.execute_batch("COMMIT").map_err(|e| e.to_string())?;
            app.wait_contains("#message", said).await?;
        }
        app.wait_contains("#message", "waitlist").await?;
        let desk = Desk::open(&db2).map_err(|e| e.to_string())?;
        let w = desk.attendee(waiting).map_err(|e| e.to_string())?;
        ensure(w.status == Status::Waitlisted, || format!("Wes: {:?}", w.status))?;
        Ok(())
    })
    .await;
}

/// The row with the keyboard drops out of the list (cancelled at another desk while the list
/// shows the registered only): the keyboard stays in the table, on the row now at its place.
/// Before, the focus fell to the page and the arrow keys went nowhere.
#[tokio::test]
async fn the_keyboard_stays_in_the_list_when_its_row_drops_out() {
    let _turn = turn().await;
    let mut ids = Vec::new();
    let (_dir, db) = new_db(|d| {
        for family in ["Alpha", "Bravo", "Charlie"] {
            ids.push(d.register(&delegate("Row", family, "Haiti")).unwrap().attendee.id);
        }
    });
    let db2 = db.clone();
    with_app(&db, "focus-row-gone", async move |app: &App| {
        app.click("#nav-attendees").await?;
        app.choose("filter-status", "registered").await?;
        app.wait_until("the three are listed", "return document.querySelectorAll('#attendee-table tbody tr').length === 3")
            .await?;
        app.js(&format!("document.querySelector(\"#attendee-table tr[data-id='{}']\").focus(); return 1", ids[1]))
            .await?;
        Desk::open(&db2).map_err(|e| e.to_string())?.cancel(ids[1]).map_err(|e| e.to_string())?;
        app.wait_until(
            "Bravo is gone from the registered",
            &format!("return !document.querySelector(\"#attendee-table tr[data-id='{}']\")", ids[1]),
        )
        .await?;
        let on = app.js("return document.activeElement?.closest('#attendee-table tr')?.dataset.id ?? document.activeElement?.id ?? 'the page'").await?;
        ensure(on == ids[2].to_string().as_str(), || format!("the keyboard is on {on}"))?;
        Ok(())
    })
    .await;
}

/// A name of one long unbroken word (the longest the desk takes) breaks inside the panel's
/// title, the outcome box and the message line: the page never scrolls sideways at 1280 × 800
/// and no box is wider than itself.
#[tokio::test]
async fn a_long_unbroken_name_stays_inside_its_boxes() {
    let _turn = turn().await;
    let long = "W".repeat(100);
    let mut id = 0;
    let (_dir, db) = new_db(|d| {
        id = d.register(&delegate("Given", &long, "Haiti")).unwrap().attendee.id;
    });
    with_app(&db, "long-word", async move |app: &App| {
        app.resize(1280, 800).await?;
        let overflowing = "return [document.documentElement, ...document.querySelectorAll('#message, .detail, .detail-title, .result, .result-person, #edit-heading, main')]
             .filter((e) => e.offsetParent !== null || e === document.documentElement)
             .filter((e) => e.scrollWidth > e.clientWidth + 1)
             .map((e) => `${e.id || e.className || e.tagName} ${e.scrollWidth}>${e.clientWidth}`)";
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{id}'] td")).await?;
        app.wait_contains("#edit-heading", "WWWW").await?;
        app.click("#edit-position").await?;
        app.keyboard("Envoy").await?;
        app.click("#edit-save").await?;
        app.wait_contains("#message", "Saved changes to").await?;
        let wide = app.js(overflowing).await?;
        ensure(wide.as_array().is_some_and(|a| a.is_empty()), || format!("wider than their boxes: {wide}"))?;
        app.screenshot("long-word-attendees").await;
        app.chord("\u{E00A}", '2').await?;
        app.click("#reg-givenName").await?;
        app.keyboard("Other").await?;
        app.click("#reg-familyName").await?;
        app.keyboard(&"Q".repeat(100)).await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-familyName").await?;
        app.keyboard(&ENTER.to_string()).await?;
        app.wait_contains(".result-person", "QQQQ").await?;
        let wide = app.js(overflowing).await?;
        ensure(wide.as_array().is_some_and(|a| a.is_empty()), || format!("wider than their boxes: {wide}"))?;
        app.screenshot("long-word-register").await;
        Ok(())
    })
    .await;
}
