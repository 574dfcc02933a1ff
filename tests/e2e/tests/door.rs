//! The door of a session and the programme, through the real webview: "Checking in for" a
//! session, a press badge refused in large red letters naming the person, the next scan right
//! after it admitted, a second scan "already in since", a name typed and admitted with Enter,
//! an undo that takes them out of the session; the programme added and refused in Event
//! settings by keyboard, behind the PIN. Measures, with 10,000 people on file, scan → refusal
//! and scan → admission drawn in the webview (printed, not asserted).

use delegate_desk::import::ImportOptions;
use delegate_desk::programme::SessionInput;
use delegate_desk::{AttendeeInput, Desk};
use delegate_desk_e2e::{drive, ensure, event_from_today, print_badge, turn, App, Step};

fn person(given: &str, family: &str, category: &str) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some(if category == "press" { "Press" } else { "Belize" }.into()),
        category: Some(category.into()),
        ..Default::default()
    }
}

fn session(d: &mut Desk, start: &str, end: &str, title: &str, press: bool) -> i64 {
    d.add_session(&SessionInput {
        day: Some(1),
        start: Some(start.into()),
        end: Some(end.into()),
        title: Some(title.into()),
        room: Some("Hall A".into()),
        open_to: press.then(|| "press".into()),
        ..Default::default()
    })
    .unwrap()
    .id
}

/// Print the badge of `id` into `out` and return its code.
/// Times, in the page, the next Enter in the search box until the outcome shows `result`
/// (read back as `window.__drawn`, in ms).
async fn time_next(app: &App, result: &str) -> Step {
    app.js(&format!(
        "window.__t0 = null; window.__drawn = null;
         const box = document.getElementById('arrival-search');
         const mark = (e) => {{ if (e.key === 'Enter') {{ window.__t0 = performance.now(); box.removeEventListener('keydown', mark, true); }} }};
         box.addEventListener('keydown', mark, true);
         new MutationObserver((m, o) => {{ if (window.__t0 !== null && document.getElementById('arrival-outcome').dataset.result === '{result}') {{ window.__drawn = performance.now() - window.__t0; o.disconnect(); }} }})
           .observe(document.getElementById('arrival-outcome'), {{attributes: true, childList: true, subtree: true}});"
    ))
    .await
    .map(|_| ())
}

#[tokio::test]
async fn at_a_sessions_door_the_press_is_refused_and_the_next_person_admitted() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (closed, reporter, officer, typed) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("100"));
        d.set_pin(None, "246810").unwrap(); // the programme's changes are the coordinator's
        session(&mut d, "08:00", "08:30", "Welcoming remarks", true);
        let closed = session(&mut d, "09:00", "10:30", "Disaster response", false);
        let reporter = d.register(&person("Ann", "Reporter", "press")).unwrap().attendee.id;
        let officer = d.register(&person("Olu", "Officer", "delegate")).unwrap().attendee.id;
        d.register(&person("Quincy", "Typedname", "delegate")).unwrap();
        let (r, o) =
            (print_badge(&mut d, &db, out.path(), reporter), print_badge(&mut d, &db, out.path(), officer));
        // 10,000 people on file: the door is timed as the conference's largest list would be.
        let mut csv = String::from("given_name,family_name,delegation,category\n");
        for i in 0..9_997 {
            csv.push_str(&format!("Hélène{i},Dupré-Bâtard,Jamaica,Delegate\n"));
        }
        assert_eq!(d.import(csv.as_bytes(), &ImportOptions::default()).unwrap().invited, 9_997);
        (closed, r, o, "Typedn")
    };
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "door", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.choose("arrival-day", &format!("s{closed}")).await?;
        app.wait_contains("#arrival-day-note", "At the door of “Disaster response”").await?;
        app.click("#arrival-search").await?;
        // The press badge: refused, the reason alone in large red letters, the name above it.
        time_next(app, "refused").await?;
        app.keyboard(&format!("{reporter}\u{E007}")).await?;
        let why = app.wait_text("#arrival-outcome-text", |t| !t.is_empty()).await?;
        ensure(why == "Press — this session is closed to the press", || format!("the refusal: {why}"))?;
        app.wait_contains("#arrival-outcome-person", "Ann Reporter — Disaster response").await?;
        let ms = app.js("return window.__drawn").await?;
        eprintln!("webview, 10,000 people: door scan Enter → refusal drawn: {ms} ms");
        let size = app
            .js("return parseFloat(getComputedStyle(document.getElementById('arrival-outcome-text')).fontSize)")
            .await?
            .as_f64()
            .unwrap_or(0.0);
        ensure(size >= 36.0, || format!("the refusal is {size}px: too small to read from a metre"))?;
        let red = app.js("return document.getElementById('arrival-outcome').classList.contains('danger')").await?;
        ensure(red == true, || "the refusal is red".into())?;
        app.screenshot("door-refused").await;
        // The next badge right after: admitted, and nothing of the reporter stays on screen.
        time_next(app, "admitted").await?;
        app.keyboard(&format!("{officer}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "Olu Officer admitted to “Disaster response” at").await?;
        let ms = app.js("return window.__drawn").await?;
        eprintln!("webview, 10,000 people: door scan Enter → admitted drawn: {ms} ms");
        let left = app.js("return document.getElementById('arrival-outcome').textContent").await?;
        ensure(!left.as_str().unwrap_or("").contains("Reporter"), || format!("the reporter stayed: {left}"))?;
        app.screenshot("door-admitted").await;
        // The same badge again: already in, since when.
        app.keyboard(&format!("{officer}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome", "is already in “Disaster response” since").await?;
        // A name typed: the card says they may enter; Enter admits.
        app.keyboard(typed).await?;
        app.wait_contains("#arrival-card", "May enter “Disaster response”").await?;
        app.keyboard("\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "Quincy Typedname admitted to “Disaster response”").await?;
        // A mistake undone from the outcome, by keyboard: out of the day and of the session.
        app.click("#arrival-outcome-undo").await?;
        app.keyboard("wrong person\u{E007}").await?;
        app.wait_contains("#arrival-outcome", "(and their admission to “Disaster response”)").await?;
        // The dashboard: each session of the day, in the room / expected.
        app.click("#nav-dashboard").await?;
        let row = app
            .wait_text(&format!("#dash-sessions tr[data-session='{closed}']"), |t| t.contains("Disaster response"))
            .await?;
        let cells: Vec<&str> = row.split('\t').map(str::trim).collect();
        ensure(cells.ends_with(&["1", "2"]), || format!("1 in the room of 2 expected: {row:?}"))?;
        app.screenshot("door-dashboard").await;
        // Removing the session someone is in: the core's refusal is a question, and the window
        // asks it a second time (by its kind, not its words); Keep it keeps the session.
        app.click("#nav-event").await?;
        app.click(&format!("#session-remove-{closed}")).await?;
        app.wait_contains("#confirm-title", "Remove the session").await?;
        app.click("#confirm-ok").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#confirm-title", "People were checked in to it").await?;
        app.wait_contains("#confirm-message", "(1 in it now)").await?;
        app.click("#confirm-no").await?;
        app.wait_until("the question goes", "return !document.querySelector('#confirm-dialog[open]')").await?;
        app.wait_contains("#programme-day-1", "Disaster response").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let inside = d.session_checkins(closed).unwrap();
    assert_eq!(inside.len(), 1, "only the officer is in: {inside:?}");
    let board = d.dashboard(Some(1)).unwrap();
    let row = board.sessions.iter().find(|a| a.session.id == closed).unwrap();
    assert_eq!((row.in_room, row.expected), (1, 2));
}

#[tokio::test]
async fn the_programme_is_kept_in_event_settings_behind_the_pin() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        d.set_pin(None, "246810").unwrap();
        d.register(&person("Ann", "Reporter", "press")).unwrap();
        d.register(&person("Bea", "Reporterova", "press")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let csv = dir.path().join("programme.csv");
    std::fs::write(
        &csv,
        "day,start,end,title,room,open to\n2,08:30,10:00,Transnational threats,Main hall,\n",
    )
    .unwrap();
    let db2 = db.clone();
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "programme", async |app: &App| {
        app.click("#nav-event").await?;
        app.click("#session-start").await?;
        // The click is on the field aimed at, though the view moved as it filled (the PIN's
        // fields, the programme's note): the typing below goes where it should.
        let focused = app.focused_id().await?;
        ensure(focused == "session-start", || format!("the click focused {focused:?}"))?;
        // Keyboard only: Tab through the form, Enter saves.
        app.keyboard("8:00\u{E004}8:30\u{E004}Welcoming remarks\u{E004}Hall A").await?;
        app.js("document.getElementById('session-open-press').checked = true").await?;
        app.keyboard("\u{E007}").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#programme-day-1", "Welcoming remarks").await?;
        app.wait_contains("#programme-day-1", "08:00–08:30").await?;
        app.wait_contains("#programme-day-1", "everyone").await?;
        // A second session in the same room at the same time: refused, naming the other.
        app.click("#session-start").await?;
        app.keyboard("8:15\u{E004}9:00\u{E004}Clash\u{E004}Hall A\u{E007}").await?;
        app.wait_contains("#message", "Welcoming remarks").await?;
        let rows = app.js("return document.querySelectorAll('#programme-days tbody tr').length").await?;
        ensure(rows == 1, || format!("the clash was added: {rows} rows"))?;
        // A time that is none: the field says so.
        app.fill("#session-start", "25:00").await?;
        app.fill("#session-room", "Hall B").await?;
        app.click("#session-save").await?;
        app.wait_contains("#session-start-error", "not a time of day").await?;
        app.screenshot("programme-form").await;
        // The programme in from a CSV file, out again, and a session's sign-in sheet.
        app.type_into("#programme-file", csv.to_str().unwrap()).await?;
        app.click("#programme-import").await?;
        app.wait_contains("#programme-day-2", "Transnational threats").await?;
        app.click("#programme-export").await?;
        app.wait_contains("#programme-saved", "Wrote the programme (2 sessions)").await?;
        app.click("#session-sheet-1").await?;
        app.wait_contains("#programme-saved", "Sign-in sheet of “Welcoming remarks”").await?;
        // A person admitted by name, found by typing, then taken off the list again.
        app.click("#session-people-1").await?;
        ensure(app.focused_id().await? == "session-people-find", || "the search has the focus".into())?;
        app.keyboard("Repor").await?;
        app.wait_contains("#session-people-results", "Bea Reporterova").await?;
        // Two clicks in a row, the second while the first is still being shown: both are done.
        app.js("const bs = document.querySelectorAll(\"#session-people-results button[data-list='exclude']\"); bs[0].click(); bs[1].click(); return bs.length").await?;
        app.wait_contains("#session-people-lists", "Ann Reporter (#1)").await?;
        app.wait_contains("#session-people-lists", "Bea Reporterova (#2)").await?;
        app.wait_contains("#programme-day-1", "People (2)…").await?;
        app.screenshot("programme-people").await;
        app.js("const bs = document.querySelectorAll(\"#session-people-lists button[data-list='clear']\"); for (const b of bs) b.click(); return bs.length").await?;
        app.wait_until(
            "the list is empty again",
            "return !document.getElementById('session-people-lists').textContent.includes('Reporter')",
        )
        .await?;
        // Two Admit clicks, and the next session's panel opened while the second still waits its
        // turn: both go to the session they were clicked in, none to the one opened since.
        app.js("const bs = document.querySelectorAll(\"#session-people-results button[data-list='admit']\"); bs[0].click(); bs[1].click(); document.getElementById('session-people-2').click(); return bs.length").await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let list = Desk::open(&db2).unwrap().sessions(None).map_err(|e| e.to_string())?;
            if list[0].admitted.len() == 2 || std::time::Instant::now() > deadline {
                ensure(list[0].admitted.len() == 2 && list[1].admitted.is_empty(), || {
                    format!("admitted to session 1: {:?}, to session 2: {:?}", list[0].admitted, list[1].admitted)
                })?;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        app.wait_contains("#session-people-heading", "Transnational threats").await?;
        app.wait_contains("#message", "admitted by name to “Welcoming remarks”").await?;
        app.keyboard("\u{E00C}").await?; // Escape
        app.wait_until("the panel is closed", "return document.getElementById('session-people').hidden")
            .await?;
        Ok(())
    })
    .await;
    let files: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.starts_with("programme-") && f.ends_with(".csv")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("attendance-session-1-") && f.ends_with(".pdf")), "{files:?}");
    let d = Desk::open(&db).unwrap();
    let list = d.sessions(None).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].title.as_str(), list[0].room.as_str()), ("Welcoming remarks", "Hall A"));
    assert!(list[0].categories.contains(&delegate_desk::Category::Press));
    assert!(list[0].excluded.is_empty() && list[0].admitted.len() == 2);
    assert!(list[1].excluded.is_empty() && list[1].admitted.is_empty());
    let trail = d.audit_trail(&Default::default()).unwrap();
    assert!(trail.iter().any(|e| e.action == "session.exclude"), "the exclusion is in the audit trail");
}

/// A session's form left open while another desk changes the same session: the save takes only
/// what was typed in it (the other desk's room stays); a field changed at both desks is refused,
/// naming it, with what was typed kept and the rest of the form showing what is stored, and the
/// next save replaces only what was typed.
#[tokio::test]
async fn a_stale_session_form_saves_only_what_was_typed() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (id, closing) = {
        let mut d = Desk::open(&db).unwrap();
        let ids = (
            session(&mut d, "08:00", "09:00", "Opening", false),
            session(&mut d, "16:00", "17:00", "Closing", false),
        );
        d.set_pin(None, "246810").unwrap();
        ids
    };
    let stored = |db: &std::path::Path| Desk::open(db).unwrap().session(id).unwrap();
    drive(&db, &[], "programme-stale-form", async |app: &App| {
        app.click("#nav-event").await?;
        app.click(&format!("#session-edit-{id}")).await?;
        app.wait_until(
            "the form is filled",
            "return document.getElementById('session-title').value === 'Opening'",
        )
        .await?;
        app.fill("#session-title", "Opening ceremony").await?;
        // Another desk moves the session to another room while the form is open and edited.
        let mut other = Desk::open(&db).unwrap();
        other.unlock("246810").unwrap();
        other.set_session(id, &SessionInput { room: Some("Salon B".into()), ..Default::default() }).unwrap();
        app.click("#session-save").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#message", "“Opening ceremony” saved").await?;
        let s = stored(&db);
        ensure(s.title == "Opening ceremony", || format!("title not saved: {}", s.title))?;
        ensure(s.room == "Salon B", || format!("the stale room was put back: {}", s.room))?;

        // The end, typed here and changed at the other desk meanwhile, with the room (not
        // typed here).
        app.click(&format!("#session-edit-{id}")).await?;
        app.wait_until(
            "the form shows Salon B",
            "return document.getElementById('session-room').value === 'Salon B'",
        )
        .await?;
        app.fill("#session-end", "10:00").await?;
        // The start typed again as it was, another way ("8:00" for 08:00): no edit, so the
        // other desk's new start must not be put back after the conflict.
        app.fill("#session-start", "8:00").await?;
        other
            .set_session(
                id,
                &SessionInput {
                    start: Some("07:30".into()),
                    end: Some("09:30".into()),
                    room: Some("Salon C".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        app.click("#session-save").await?;
        app.wait_contains("#message", "the end (now 09:30)").await?;
        app.wait_contains("#message", "Nothing was saved").await?;
        let typed = app.js("return document.getElementById('session-end').value").await?;
        ensure(typed == "10:00", || format!("what was typed was not kept: {typed}"))?;
        app.wait_until(
            "the room and the start show the other desk's",
            "return document.getElementById('session-room').value === 'Salon C' && document.getElementById('session-start').value === '07:30'",
        )
        .await?;
        ensure(stored(&db).end == "09:30", || "the conflict saved".to_string())?;
        app.screenshot("programme-stale-conflict").await;
        app.click("#session-save").await?;
        app.wait_contains("#message", "“Opening ceremony” saved").await?;
        let s = stored(&db);
        ensure(s.start == "07:30" && s.end == "10:00" && s.room == "Salon C", || {
            format!("after the conflict: {}–{}, room {}", s.start, s.end, s.room)
        })?;

        // A save refused after Edit was clicked on another session: the refusal names the
        // session it is about, and the other session's form stays as Edit filled it.
        app.click(&format!("#session-edit-{id}")).await?;
        app.wait_until(
            "the form shows the session",
            "return document.getElementById('session-title').value === 'Opening ceremony'",
        )
        .await?;
        // The title emptied (refused: a session needs one), saved, and Edit clicked on the
        // closing session before the answer.
        app.js(&format!(
            "document.getElementById('session-title').value = ''; document.getElementById('session-save').click(); document.getElementById('session-edit-{closing}').click(); return true"
        ))
        .await?;
        app.wait_contains("#message", &format!("Session #{id} “Opening ceremony” was not saved")).await?;
        let shown = app
            .js("return [document.getElementById('session-title').value, document.getElementById('session-title-error').textContent]")
            .await?;
        ensure(shown == serde_json::json!(["Closing", ""]), || {
            format!("the other session's form after the refusal: {shown}")
        })?;
        ensure(stored(&db).title == "Opening ceremony", || "the refused save changed the title".into())?;
        Ok(())
    })
    .await;
}

/// A door stays a door when one read of the programme fails (the message says so): the press is
/// still refused there. The session removed at another desk: the window says in red, and on the
/// day note until the operator chooses again, that check-ins now go to the day, not to its door.
/// Before, both turned the door into the day's check-in without a word, and the next press badge
/// was checked in in green.
#[tokio::test]
async fn a_door_never_turns_into_a_days_check_in_without_a_word() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (closed, reporter) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("100"));
        let closed = session(&mut d, "09:00", "10:30", "Closed briefing", false);
        let reporter = d.register(&person("Ann", "Reporter", "press")).unwrap().attendee.id;
        (closed, print_badge(&mut d, &db, out.path(), reporter))
    };
    let another_desk = |change: &dyn Fn(&mut Desk)| change(&mut Desk::open(&db).unwrap());
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "door-kept", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.choose("arrival-day", &format!("s{closed}")).await?;
        app.wait_contains("#arrival-day-note", "At the door of “Closed briefing”").await?;
        // The window's next read of the programme fails, once: Tauri's IPC answers through the
        // page's `fetch` (its `invoke` is read-only), so that one answer is replaced by the
        // error a failed read gives. Another desk's change makes the window read the days and
        // doors again.
        app.js(
            "const real = window.fetch.bind(window); window.__failSessions = 1;
             window.fetch = (input, init) => String(input?.url ?? input).endsWith('/sessions') && window.__failSessions-- > 0
               ? Promise.resolve(new Response(JSON.stringify({ kind: 'storage', message: 'The programme cannot be read (a test)' }),
                   { headers: { 'Tauri-Response': 'error', 'Content-Type': 'application/json' } }))
               : real(input, init);",
        )
        .await?;
        another_desk(&|d| {
            d.register(&person("Bo", "Other", "delegate")).unwrap();
        });
        app.wait_contains("#message", "The programme cannot be read (a test)").await?;
        app.wait_until("the failed read was tried", "return window.__failSessions < 1").await?;
        let chosen = app.js("return document.getElementById('arrival-day').value").await?;
        ensure(chosen == format!("s{closed}"), || format!("the door stays chosen: {chosen}"))?;
        app.wait_contains("#arrival-day-note", "At the door of “Closed briefing”").await?;
        app.click("#arrival-search").await?;
        app.keyboard(&format!("{reporter}\u{E007}")).await?;
        app.wait_contains("#arrival-outcome-text", "this session is closed to the press").await?;
        // The session removed at another desk: said, in red and on the note.
        another_desk(&|d| {
            d.remove_session(closed, false).unwrap();
        });
        app.wait_contains(
            "#message",
            "The session “Closed briefing” was removed at another desk: check-ins now go to day 1, not to its door.",
        )
        .await?;
        app.wait_contains("#arrival-day-note", "was removed at another desk").await?;
        let left = app.js("return document.getElementById('arrival-outcome').textContent").await?;
        ensure(!left.as_str().unwrap_or("").contains("closed to the press"), || {
            format!("the door's last outcome stayed under the day: {left}")
        })?;
        let warned = app.js("return document.getElementById('arrival-day-note').classList.contains('warn')").await?;
        ensure(warned == true, || "the note is a warning".into())?;
        app.screenshot("door-removed").await;
        // Choosing again is the operator's answer: the note goes back to the day.
        app.choose("arrival-day", "1").await?;
        app.wait_text("#arrival-day-note", |t| t == "Today is day 1.").await?;
        Ok(())
    })
    .await;
}

/// At a session's door the results list says who is here today, not "✓ In": the check-in it
/// shows is the day's, and a steward read "In" as admitted to the session.
#[tokio::test]
async fn at_a_door_the_results_do_not_call_a_days_check_in_an_admission() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let s = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, Some("100"));
        d.set_pin(None, "246810").unwrap();
        let s = session(&mut d, "09:00", "10:30", "Maritime security", true);
        let id = d.register(&person("Hester", "Daypass", "delegate")).unwrap().attendee.id;
        d.check_in(id, Some(1)).unwrap();
        s
    };
    drive(&db, &[], "door-results", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.keyboard("daypass").await?;
        app.wait_contains("#arrival-results", "✓ In").await?;
        app.choose("arrival-day", &format!("s{s}")).await?;
        app.wait_contains("#arrival-day-note", "At the door of “Maritime security”").await?;
        app.wait_contains("#arrival-results", "Here today").await?;
        let text = app.text("#arrival-results").await?.unwrap_or_default();
        ensure(!text.contains("✓ In"), || format!("the door's results say {text:?}"))?;
        Ok(())
    })
    .await;
}

/// A walk-in registered while the desk is at a session's door is checked in there: a reporter
/// at a session closed to the press is refused, as their badge would be, and gets no day's
/// check-in. It was a day's check-in alone, and "checked in" read as admitted.
#[tokio::test]
async fn a_walk_in_checked_in_from_register_at_a_door_meets_the_doors_rule() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let closed = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, Some("100"));
        d.set_pin(None, "246810").unwrap();
        session(&mut d, "09:00", "10:30", "Closed briefing", false)
    };
    drive(&db, &[], "door-walk-in", async |app: &App| {
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        app.choose("arrival-day", &format!("s{closed}")).await?;
        app.wait_contains("#arrival-day-note", "At the door of “Closed briefing”").await?;
        app.click("#nav-register").await?;
        app.fill("#reg-givenName", "Rita").await?;
        app.fill("#reg-familyName", "Newsdesk").await?;
        app.fill("#reg-delegation", "Press").await?;
        app.choose("reg-category", "press").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#register-result", "Registered").await?;
        app.click("#reg-checkin").await?;
        app.wait_contains("#register-follow", "closed to the press").await?;
        Ok(())
    })
    .await;
    let d = Desk::open(&db).unwrap();
    let rita = d.search("newsdesk", 1).unwrap().remove(0);
    assert!(d.arrival_card(rita.id, Some(1)).unwrap().checkin.is_none(), "no day's check-in");
}
