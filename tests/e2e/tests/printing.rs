//! Badges straight to a printer through the real window, on a CUPS scheduler of the test's own
//! (`tests/common/cups.rs`: socket-listener printers, nothing of the machine's): the printer
//! chosen for a stock in Badges, a check-in that prints the first badge (the option of this
//! computer), Print badge on the card reaching the printer, a stopped printer said in the
//! header, a job on a printer that never answers cancelled and sent again to another from the
//! print log.

#[path = "../../common/cups.rs"]
mod cups;

use cups::{dead_device, page_sizes, queue_name, scheduler, Listener};
use delegate_desk::Desk;
use delegate_desk_e2e::{badge_code, delegate, drive, ensure, event_from_today, files_in, turn, App, Step};

const ENTER: &str = "\u{E007}";
const ALT: &str = "\u{E00A}";

/// Another desk registers `given`, so the window's poll draws the print log again: waits until
/// the row's printer list (`to`, a script expression) is a new element, and returns its value.
async fn drawn_again(app: &App, db: &std::path::Path, to: &str, given: &str) -> Step<serde_json::Value> {
    app.js(&format!("{to}.dataset.drawn = 'before'; return true")).await?;
    Desk::open(db).unwrap().register(&delegate(given, "Late", "Cuba")).unwrap();
    app.wait_until("the print log is drawn again", &format!("return {to}.dataset.drawn !== 'before'"))
        .await?;
    app.js(&format!("return {to}.value")).await
}

#[tokio::test]
async fn print_badge_reaches_the_printer_and_a_failed_job_goes_to_another() {
    let _turn = turn().await;
    let Some(sched) = scheduler() else { return };
    let good = Listener::start();
    let q = sched.queue(&queue_name("desk1"), &good.device);
    let dead = sched.queue(&queue_name("dead"), &dead_device());
    let spare = sched.queue(&queue_name("spare"), &Listener::start().device);
    // Two more: one that sorts before all the others, and one taken away while chosen.
    let first = sched.queue(&queue_name("aa-first"), &Listener::start().device);
    let gone = sched.queue(&queue_name("gone"), &Listener::start().device);
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (ana, bruno) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        let ana = d.register(&delegate("Ana", "Pierre", "Haiti")).unwrap().attendee;
        let bruno = d.register(&delegate("Bruno", "Quashie", "Jamaica")).unwrap().attendee;
        (ana, bruno)
    };
    let (q_name, dead_name, spare_name) = (q.name.clone(), dead.name.clone(), spare.name.clone());
    // The window prints through this test's scheduler, named to it (the harness names none).
    let env =
        [("DELEGATE_DESK_OUTPUT_DIR", out.path()), ("CUPS_SERVER", std::path::Path::new(&sched.server))];
    drive(&db, &env, "printing", async |app: &App| {
        // The printer of the stock, and the option to print at check-in, on this computer.
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "insert-4x3").await?;
        app.choose("badges-printer", &q_name).await?;
        app.wait_contains("#badges-printer-state", "idle").await?;
        app.wait_contains("#badges-print", &format!("Print on {q_name}")).await?;
        app.click("#badges-print-at-checkin").await?;
        app.screenshot("printing-choice").await;

        // A check-in by keyboard prints Ana's first badge on that printer.
        app.chord(ALT, '1').await?;
        app.wait_until(
            "the arrival box has the focus",
            "return document.activeElement.id === 'arrival-search'",
        )
        .await?;
        app.keyboard("Pierre").await?;
        app.wait_contains("#arrival-card-name", &ana.display_name).await?;
        app.keyboard(ENTER).await?;
        app.wait_contains("#arrival-outcome", &format!("printed on {q_name}")).await?;
        let text = app.text("#arrival-outcome").await?.unwrap_or_default();
        ensure(text.contains(&ana.display_name), || format!("the outcome is about someone else: {text}"))?;
        app.screenshot("printing-arrival").await;

        // Bruno's card: Print badge, one key, reaches the printer too.
        app.keyboard("Quashie").await?;
        app.wait_contains("#arrival-card-name", &bruno.display_name).await?;
        app.click("#arrival-print").await?;
        app.wait_contains(
            "#arrival-outcome",
            &format!("Badge of {} printed on {q_name}", bruno.display_name),
        )
        .await?;

        // A walk-in registered, then Print badge: to the same printer.
        app.click("#nav-register").await?;
        app.fill("#reg-givenName", "Carla").await?;
        app.fill("#reg-familyName", "Ortiz").await?;
        app.fill("#reg-delegation", "Haiti").await?;
        app.choose("reg-category", "delegate").await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#register-result", "Registered").await?;
        app.click("#reg-print").await?;
        app.wait_contains("#register-result", &format!("Badge of Carla Ortiz printed on {q_name}")).await?;
        app.chord(ALT, '1').await?;

        // The stock's printer stops: the header says so.
        q.stop("out of labels");
        app.wait_contains("#printer-state", &format!("Printer {q_name} stopped")).await?;
        app.wait_contains("#printer-state", "out of labels").await?;
        app.screenshot("printing-stopped").await;
        q.start();
        app.wait_until(
            "the header's printer line goes",
            "return document.getElementById('printer-state').hidden",
        )
        .await?;

        // A reprint on a printer that never answers: cancelled while it waits, then sent to
        // another printer from the print log.
        app.click("#nav-badges").await?;
        app.choose("badges-printer", &dead_name).await?;
        app.click(&format!("#badges-table tr[data-id='{}'] input.badge-pick", ana.id)).await?;
        app.click("#badges-check").await?;
        app.wait_contains("#badges-preflight", "reprint").await?;
        app.choose("badges-reason", "damaged").await?;
        app.click("#badges-print").await?;
        app.wait_until(
            "the job can be cancelled",
            "return !document.getElementById('badges-cancel-job').hidden",
        )
        .await?;
        app.click("#badges-cancel-job").await?;
        app.wait_contains("#message", "Not printed").await?;
        app.wait_contains("#print-log-table", "cancelled").await?;
        app.screenshot("printing-failed").await;
        let row = app
            .js("return document.querySelector('#print-log-table tr[data-state=\"cancelled\"]').dataset.job")
            .await?;
        let id = row.as_str().unwrap_or_default().to_string();
        app.choose(&format!("print-log-to-{id}"), &spare_name).await?;
        // Another desk's change draws the log again before Send again: the printer the
        // operator chose stays chosen (it went back to the one that failed, and the job with it).
        let to = format!("document.getElementById('print-log-to-{id}')");
        app.js(&format!("{to}.focus(); return true")).await?;
        let kept = drawn_again(app, &db, &to, "Dora").await?;
        ensure(kept == serde_json::json!(spare_name), || {
            format!("the printer chosen for Send again is now {kept}")
        })?;
        let focused = app.focused_id().await?;
        ensure(focused == format!("print-log-to-{id}"), || format!("the focus moved to {focused:?}"))?;
        // A printer chosen, then taken off the computer before the log is drawn again: the
        // job's own printer is shown again, not whichever printer comes first in the list.
        app.choose(&format!("print-log-to-{id}"), &gone.name).await?;
        sched.run("lpadmin", &["-x", &gone.name]);
        let shown = drawn_again(app, &db, &to, "Eve").await?;
        ensure(shown == serde_json::json!(dead_name), || {
            format!("with the chosen printer gone, Send again would go to {shown} (first: {})", first.name)
        })?;
        app.choose(&format!("print-log-to-{id}"), &spare_name).await?;
        app.click(&format!("#print-log-retry-{id}")).await?;
        app.wait_contains("#message", &format!("Printed: {} on {spare_name}", ana.display_name)).await?;
        // Print again… on the job that has now printed: the window asks first (the core's question,
        // known by its kind, not its words), and No prints nothing.
        let printed = format!(
            "return [...document.querySelectorAll('#print-log-table tr[data-state=\"completed\"]')]
               .filter((r) => r.textContent.includes({spare_name:?})).map((r) => r.dataset.job)[0] ?? ''"
        );
        app.wait_until("the job sent again shows as printed", &printed.replace("[0] ?? ''", ".length > 0"))
            .await?;
        let sent = app.js(&printed).await?;
        // As a person waits for the busy cursor to go: the log can show the job printed (a
        // look at the print service) before Send again has its answer, and until then the log
        // takes no other action (a click there did nothing, under load, and no question came).
        app.wait_until(
            "the print log is no longer busy with Send again",
            "return !document.getElementById('print-log').classList.contains('busy')",
        )
        .await?;
        app.click(&format!("#print-log-again-{}", sent.as_str().unwrap_or_default())).await?;
        app.el("#confirm-dialog[open]").await?;
        app.wait_contains("#confirm-title", "Print again?").await?;
        app.wait_contains("#confirm-message", "Already printed at").await?;
        app.click("#confirm-no").await?;
        app.wait_until("the question goes", "return !document.querySelector('#confirm-dialog[open]')")
            .await?;
        let said = app.text("#message").await?.unwrap_or_default();
        ensure(!said.contains("Already printed"), || format!("No was answered, yet the desk says: {said}"))?;
        // A job that printed while its badge was replaced by one printed elsewhere (the core
        // records it so, in its words): its row says the card does not scan, not just "printed".
        let sent = sent.as_str().unwrap_or_default().to_string();
        rusqlite::Connection::open(&db)
            .and_then(|c| c.execute(
                "UPDATE print_job SET words = 'completed; 1 of its badges were replaced meanwhile by one printed elsewhere: those do not scan' WHERE id = ?1",
                [&sent],
            ))
            .map_err(|e| e.to_string())?;
        Desk::open(&db).unwrap().register(&delegate("Fay", "Late", "Cuba")).unwrap();
        app.wait_until(
            "the row of the job says its badge does not scan",
            &format!(
                "return document.querySelector('#print-log-table tr[data-job=\"{sent}\"] .job-state')?.textContent.includes('those do not scan')"
            ),
        )
        .await?;
        Ok(())
    })
    .await;
    // What the printer got is the badge PDF, at the stock's size, byte for byte one that is kept.
    let (jobs, _) = good.wait_for(3);
    let kept: Vec<Vec<u8>> = files_in(out.path(), "pdf").iter().map(|p| std::fs::read(p).unwrap()).collect();
    for job in &jobs {
        assert!(kept.contains(job), "a printed job is not one of the PDFs kept");
        let (w, h) = page_sizes(job)[0];
        assert!((w - 288.0).abs() < 0.5 && (h - 216.0).abs() < 0.5, "{w} x {h}");
    }
    let d = Desk::open(&db).unwrap();
    assert_eq!(d.badge_history(ana.id).unwrap().len(), 2, "the first badge and the reprint sent again");
    assert_eq!(d.badge_history(bruno.id).unwrap().len(), 1);
    let carla = d.search("Ortiz", 5).unwrap();
    assert_eq!(d.badge_history(carla[0].id).unwrap().len(), 1, "the walk-in's badge");
}

const TAB: &str = "\u{E004}";

fn state_of_jobs(db: &std::path::Path, who: i64) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT j.state, j.words FROM print_job j JOIN print_job_badge b ON b.job_id = j.id
              WHERE b.attendee_id = ?1 ORDER BY j.id",
        )
        .unwrap();
    st.query_map([who], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// A short rush at 1280 × 800, keyboard only, with "print at check-in" on: a printer that never
/// answers does not hold up the next person (their check-in lands while the first badge's job
/// still waits, and the failure is said by name when it ends, not over the next person's
/// outcome); on the working printer each check-in prints, a scan typed right after is about
/// the person scanned, and a wrong check-in is undone by keyboard.
#[tokio::test]
async fn a_rush_that_prints_at_check_in_never_waits_for_the_printer() {
    let _turn = turn().await;
    let Some(sched) = scheduler() else { return };
    let good = Listener::start();
    let q = sched.queue(&queue_name("rush"), &good.device);
    let dead = sched.queue(&queue_name("rush-dead"), &dead_device());
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let people: Vec<delegate_desk::Attendee> = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        [
            ("Ana", "Pierre", "Haiti"),
            ("Bruno", "Quashie", "Jamaica"),
            ("Carla", "Ortiz", "Belize"),
            ("Dmitri", "Volkov", "Guyana"),
        ]
        .iter()
        .map(|(g, f, del)| d.register(&delegate(g, f, del)).unwrap().attendee)
        .collect()
    };
    let (q_name, dead_name) = (q.name.clone(), dead.name.clone());
    let db2 = db.clone();
    // The window prints through this test's scheduler, named to it (the harness names none).
    let env =
        [("DELEGATE_DESK_OUTPUT_DIR", out.path()), ("CUPS_SERVER", std::path::Path::new(&sched.server))];
    drive(&db, &env, "printing-rush", async |app: &App| {
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "insert-4x3").await?;
        app.choose("badges-printer", &dead_name).await?;
        app.click("#badges-print-at-checkin").await?;
        app.chord(ALT, '1').await?;
        app.wait_until(
            "the arrival box has the focus",
            "return document.activeElement.id === 'arrival-search'",
        )
        .await?;

        // Ana, then Bruno at once: Bruno's check-in lands while Ana's badge job still waits.
        app.keyboard("Pierre").await?;
        app.wait_contains("#arrival-card-name", &people[0].display_name).await?;
        app.keyboard(ENTER).await?;
        app.wait_contains("#arrival-outcome", "printing the badge").await?;
        app.keyboard("Quashie").await?;
        app.wait_contains("#arrival-card-name", &people[1].display_name).await?;
        app.keyboard(ENTER).await?;
        app.wait_contains("#arrival-outcome", &format!("{} checked in", people[1].display_name)).await?;
        let ana_jobs = state_of_jobs(&db2, people[0].id);
        ensure(ana_jobs.len() == 1 && ana_jobs[0].0 == "waiting" && ana_jobs[0].1 == "sent", || {
            format!("Ana's badge job should still be waiting while Bruno checks in: {ana_jobs:?}")
        })?;
        // When Ana's job gives up, the list of what needs a look names her (it stays until
        // seen: the message area was emptied by the next action); the outcome stays Bruno's.
        app.wait_until(
            "Ana's badge is said not printed",
            &format!(
                "return document.getElementById('arrival-missed-list').textContent.includes('{} NOT printed')",
                people[0].display_name
            ),
        )
        .await?;
        let outcome = app.text("#arrival-outcome").await?.unwrap_or_default();
        ensure(
            outcome.contains(&people[1].display_name) && !outcome.contains(&people[0].display_name),
            || format!("the outcome must stay about Bruno: {outcome}"),
        )?;
        app.screenshot("printing-rush-dead").await;

        // The working printer: Carla checks in and her badge prints; her badge scanned right
        // after is about her.
        app.click("#nav-badges").await?;
        app.choose("badges-printer", &q_name).await?;
        app.chord(ALT, '1').await?;
        app.wait_until(
            "the arrival box has the focus",
            "return document.activeElement.id === 'arrival-search'",
        )
        .await?;
        app.keyboard("Ortiz").await?;
        app.wait_contains("#arrival-card-name", &people[2].display_name).await?;
        app.keyboard(ENTER).await?;
        app.wait_contains(
            "#arrival-outcome",
            &format!("Badge of {} printed on {q_name}", people[2].display_name),
        )
        .await?;
        let token = badge_code(&db2, people[2].id);
        app.keyboard(&format!("{token}{ENTER}")).await?;
        app.wait_contains("#arrival-outcome", "already").await?;
        let outcome = app.text("#arrival-outcome").await?.unwrap_or_default();
        ensure(outcome.contains(&people[2].display_name), || {
            format!("the scan's outcome is not Carla's: {outcome}")
        })?;

        // Dmitri checked in by mistake, undone by keyboard: Tab to Undo, the reason, Enter.
        app.keyboard("Volkov").await?;
        app.wait_contains("#arrival-card-name", &people[3].display_name).await?;
        app.keyboard(ENTER).await?;
        app.wait_contains("#arrival-outcome", &format!("Badge of {} printed", people[3].display_name))
            .await?;
        app.keyboard(TAB).await?;
        ensure(app.focused_id().await? == "arrival-outcome-undo", || "Tab from the box reaches Undo".into())?;
        app.keyboard(ENTER).await?;
        app.keyboard(&format!("wrong person{ENTER}")).await?;
        app.wait_contains("#arrival-outcome", "undone: wrong person").await?;
        Ok(())
    })
    .await;
    let (jobs, _) = good.wait_for(2);
    assert_eq!(jobs.len(), 2, "Carla's and Dmitri's badges, and nothing else, reached the printer");
    let d = Desk::open(&db).unwrap();
    assert!(d.badge_history(people[0].id).unwrap().is_empty(), "Ana's badge never printed");
    assert!(d.badge_history(people[1].id).unwrap().is_empty(), "nor Bruno's");
    assert_eq!(d.badge_history(people[2].id).unwrap().len(), 1);
}

/// An Enter typed while the desk is still busy with the last action (a badge on a printer that
/// never answers holds the arrival actions for its 15 s) waits its turn, then acts on what it
/// was pressed on: the person highlighted at the key, though the operator moved the highlight
/// since and the next badge was scanned, emptying the box (the Enter then found nothing, and
/// nobody was checked in, unsaid; without the scan it checked in whoever was highlighted then).
#[tokio::test]
async fn an_enter_waiting_its_turn_acts_on_what_it_was_pressed_on() {
    let _turn = turn().await;
    let Some(sched) = scheduler() else { return };
    let dead = sched.queue(&queue_name("turn-dead"), &dead_device());
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (people, bruno_code) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        let people: Vec<delegate_desk::Attendee> = [
            ("Ana", "Pierre", "Haiti"),
            ("Eve", "Nash", "Jamaica"),
            ("Peter", "Nash", "Jamaica"),
            ("Bruno", "Quashie", "Belize"),
        ]
        .iter()
        .map(|(g, f, del)| d.register(&delegate(g, f, del)).unwrap().attendee)
        .collect();
        let code = delegate_desk_e2e::print_badge(&mut d, &db, out.path(), people[3].id);
        (people, code)
    };
    let dead_name = dead.name.clone();
    let db2 = db.clone();
    let env =
        [("DELEGATE_DESK_OUTPUT_DIR", out.path()), ("CUPS_SERVER", std::path::Path::new(&sched.server))];
    let checked_in = |db: &std::path::Path| -> Vec<i64> {
        let d = Desk::open(db).unwrap();
        let mut v: Vec<i64> =
            d.recent_arrivals(1, 100).unwrap().into_iter().map(|a| a.checkin.attendee_id).collect();
        v.sort_unstable();
        v
    };
    drive(&db, &env, "enter-in-turn", async |app: &App| {
        app.resize(1280, 800).await?;
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "insert-4x3").await?;
        app.choose("badges-printer", &dead_name).await?;
        app.chord(ALT, '1').await?;
        app.wait_until(
            "the arrival box has the focus",
            "return document.activeElement.id === 'arrival-search'",
        )
        .await?;
        // Ana's badge to the printer that never answers: the arrival actions wait for it.
        app.keyboard("Pierre").await?;
        app.wait_contains("#arrival-card-name", &people[0].display_name).await?;
        app.click("#arrival-print").await?;
        app.wait_until(
            "Ana's badge is on its way",
            "return document.getElementById('arrival-search').value === ''",
        )
        .await?;
        app.click("#arrival-search").await?;
        // "Nash", Eve highlighted, Enter: it waits its turn behind Ana's badge.
        app.keyboard("Nash").await?;
        app.wait_contains("#arrival-card-name", &people[1].display_name).await?;
        app.keyboard(ENTER).await?;
        // The operator looks at Peter's card; then the next delegate's badge is scanned.
        app.keyboard("\u{E015}").await?; // ArrowDown
        app.wait_contains("#arrival-card-name", &people[2].display_name).await?;
        app.keyboard(&format!("{bruno_code}{ENTER}")).await?;
        // A walk-in's Enter, then the box emptied before its turn: Register is not opened over
        // the arrivals (it took the desk away from them); the list says so.
        app.keyboard("Zed Newcomer").await?;
        app.wait_contains("#arrival-results", "New walk-in").await?;
        app.keyboard(ENTER).await?;
        app.keyboard("\u{E00C}").await?; // Escape
        let jobs = state_of_jobs(&db2, people[0].id);
        ensure(jobs.len() == 1 && jobs[0].0 == "waiting", || {
            format!("Ana's badge should still be waiting while the Enter and the scan are typed: {jobs:?}")
        })?;
        // Once Ana's badge gives up: Eve, then Bruno; never Peter. That Ana's badge did not
        // print was shown only until Eve's check-in replaced it: it stays listed until seen.
        app.wait_contains("#arrival-outcome", &format!("{} checked in", people[3].display_name)).await?;
        app.wait_contains("#arrival-missed-list", &format!("{} NOT printed", people[0].display_name)).await?;
        app.wait_contains("#arrival-missed-list", "Walk-in “Zed Newcomer” not opened").await?;
        let arrival = app.js("return !document.getElementById('view-arrival').hidden").await?;
        ensure(arrival == true, || "the walk-in's Enter left Arrival after the box had moved on".into())?;
        let shown = app
            .js("const m = document.getElementById('arrival-missed'); return !m.hidden && m.getBoundingClientRect().height > 0")
            .await?;
        ensure(shown == true, || "the list of what needs a look is not in sight".into())?;
        app.screenshot("enter-in-turn").await;
        app.click("#arrival-missed-seen").await?;
        app.wait_until(
            "the list is gone once seen",
            "return document.getElementById('arrival-missed').hidden",
        )
        .await?;
        ensure(app.focused_id().await? == "arrival-search", || "Seen leaves the focus in the box".into())?;
        let seen = checked_in(&db2);
        ensure(seen == vec![people[1].id, people[3].id], || format!("checked in: {seen:?}"))?;
        Ok(())
    })
    .await;
    assert_eq!(checked_in(&db), vec![people[1].id, people[3].id]);
}

/// Send again on one job while another is still being sent (its printer never answers, and the
/// window waits up to 15 s for it): the second click is refused in words — which job is still
/// being sent, and that nothing was done for the other — and the other job is not sent again.
/// Before, the click was dropped, and only a busy cursor showed it. Cancelled meanwhile, the
/// other job's row says so at once.
#[tokio::test]
async fn a_click_while_a_job_is_being_sent_is_refused_in_words() {
    let _turn = turn().await;
    let Some(sched) = scheduler() else { return };
    let dead = sched.queue(&queue_name("busy-dead"), &dead_device());
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (ana, bruno) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 1, None);
        let ana = d.register(&delegate("Ana", "Pierre", "Haiti")).unwrap().attendee;
        let bruno = d.register(&delegate("Bruno", "Quashie", "Jamaica")).unwrap().attendee;
        (ana, bruno)
    };
    // Both sent to the printer that never answers by the command line, not waited for: waiting,
    // not printed. (Its PDFs go to the test's output folder: this process names none.)
    let cli = delegate_desk_e2e::cli_path();
    for who in [ana.id, bruno.id] {
        let mut badges = std::process::Command::new(&cli);
        badges
            .arg("--db")
            .arg(&db)
            .args(["badges", "--id", &who.to_string(), "--preset", "cr80", "--printer", &dead.name])
            .args(["--wait", "0"])
            .env("DELEGATE_DESK_OUTPUT_DIR", out.path())
            .env("CUPS_SERVER", &sched.server);
        let sent = delegate_desk_e2e::in_own_home(&mut badges, dir.path())
            .output()
            .expect("the command-line tool beside the app");
        assert!(
            !String::from_utf8_lossy(&sent.stdout).is_empty(),
            "{}",
            String::from_utf8_lossy(&sent.stderr)
        );
    }
    let jobs = Desk::open(&db).unwrap().print_jobs(10).unwrap();
    let job_of = |who: &delegate_desk::Attendee| {
        jobs.iter().find(|j| j.names == [who.display_name.clone()]).cloned().expect("the job sent")
    };
    let (first, second) = (job_of(&ana), job_of(&bruno));
    assert!(
        !first.printed && !second.printed && first.cups_job.is_some() && second.cups_job.is_some(),
        "{first:?} {second:?}"
    );
    let env =
        [("DELEGATE_DESK_OUTPUT_DIR", out.path()), ("CUPS_SERVER", std::path::Path::new(&sched.server))];
    drive(&db, &env, "printing-busy", async |app: &App| {
        app.click("#nav-badges").await?;
        app.el(&format!("#print-log-retry-{}", second.id)).await?;
        app.click(&format!("#print-log-retry-{}", first.id)).await?;
        // Bruno's Send again is clicked in the same script that sees the log busy: a loaded
        // machine must not let Ana's 15 s run out between the look and the click.
        let clicked = app
            .js(&format!(
                "const log = document.getElementById('print-log');
                 if (!log.classList.contains('busy')) return false;
                 document.getElementById('print-log-retry-{}').click();
                 return true",
                second.id
            ))
            .await?;
        ensure(clicked == true, || "the print log was not busy right after Ana's Send again".to_string())?;
        let said = app.wait_contains("#message", "still being sent").await?;
        let want = [
            format!("Print job {} ({}) is still being sent", first.id, ana.display_name),
            format!("Nothing was done for job {} ({})", second.id, bruno.display_name),
        ];
        ensure(want.iter().all(|w| said.contains(w.as_str())), || {
            format!("the refusal does not say which job is being sent and which was left: {said}")
        })?;
        app.screenshot("printing-busy-refused").await;
        // Bruno's job cancelled while Ana's is still being sent: its row says so at once (the
        // log is read again only after Ana's answer, and said "waiting" beside "cancelled").
        app.click(&format!("#print-log-cancel-{}", second.id)).await?;
        app.wait_contains("#message", &format!("Not printed: {} on", bruno.display_name)).await?;
        app.wait_until(
            "Bruno's row says cancelled while Ana's job is still being sent",
            &format!(
                "return document.querySelector('#print-log-table tr[data-job=\"{}\"]')?.dataset.state === 'cancelled'
                   && document.getElementById('print-log').classList.contains('busy')",
                second.id
            ),
        )
        .await?;
        // Ana's Send again ends in its own words (still waiting on that printer).
        app.wait_until(
            "Send again has its answer",
            "return !document.getElementById('print-log').classList.contains('busy')",
        )
        .await?;
        app.wait_until(
            "the desk says how Ana's job stands",
            "return !document.getElementById('message').textContent.includes('still being sent')",
        )
        .await?;
        Ok(())
    })
    .await;
    // Bruno's job was not sent again: it is still the one job of his, with its CUPS number,
    // cancelled.
    let jobs = Desk::open(&db).unwrap().print_jobs(10).unwrap();
    let bruno_jobs: Vec<_> = jobs.iter().filter(|j| j.names == [bruno.display_name.clone()]).collect();
    assert_eq!(bruno_jobs.len(), 1, "{bruno_jobs:?}");
    assert_eq!(bruno_jobs[0].cups_job, second.cups_job);
    assert_eq!(bruno_jobs[0].retry_of, None);
    assert_eq!(bruno_jobs[0].state, "cancelled");
    // Ana's was: a job of hers sent again from the first.
    assert!(
        jobs.iter().any(|j| j.retry_of == Some(first.id) && j.names == [ana.display_name.clone()]),
        "{jobs:?}"
    );
}
