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
use delegate_desk_e2e::{delegate, drive, ensure, event_from_today, files_in, serial, App};

const ENTER: &str = "\u{E007}";
const ALT: &str = "\u{E00A}";

#[tokio::test]
async fn print_badge_reaches_the_printer_and_a_failed_job_goes_to_another() {
    let _one = serial().await;
    let Some(sched) = scheduler() else { return };
    let good = Listener::start();
    let q = sched.queue(&queue_name("desk1"), &good.device);
    let dead = sched.queue(&queue_name("dead"), &dead_device());
    let spare = sched.queue(&queue_name("spare"), &Listener::start().device);
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
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "printing", async |app: &App| {
        // The printer of the stock, and the option to print at check-in, on this computer.
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "insert-4x3").await?;
        app.wait_until("the printers are listed", &format!(
            "return [...document.getElementById('badges-printer').options].some((o) => o.value === '{q_name}')"
        )).await?;
        app.choose("badges-printer", &q_name).await?;
        app.wait_contains("#badges-printer-state", "idle").await?;
        app.wait_contains("#badges-print", &format!("Print on {q_name}")).await?;
        app.click("#badges-print-at-checkin").await?;
        app.screenshot("printing-choice").await;

        // A check-in by keyboard prints Ana's first badge on that printer.
        app.chord(ALT, '1').await?;
        app.wait_until("the arrival box has the focus", "return document.activeElement.id === 'arrival-search'").await?;
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
        app.wait_contains("#arrival-outcome", &format!("Badge of {} printed on {q_name}", bruno.display_name)).await?;

        // The stock's printer stops: the header says so.
        q.stop("out of labels");
        app.wait_contains("#printer-state", &format!("Printer {q_name} stopped")).await?;
        app.wait_contains("#printer-state", "out of labels").await?;
        app.screenshot("printing-stopped").await;
        q.start();
        app.wait_until("the header's printer line goes", "return document.getElementById('printer-state').hidden").await?;

        // A reprint on a printer that never answers: cancelled while it waits, then sent to
        // another printer from the print log.
        app.click("#nav-badges").await?;
        app.choose("badges-printer", &dead_name).await?;
        app.click(&format!("#badges-table tr[data-id='{}'] input.badge-pick", ana.id)).await?;
        app.click("#badges-check").await?;
        app.wait_contains("#badges-preflight", "reprint").await?;
        app.choose("badges-reason", "damaged").await?;
        app.click("#badges-print").await?;
        app.wait_until("the job can be cancelled", "return !document.getElementById('badges-cancel-job').hidden").await?;
        app.click("#badges-cancel-job").await?;
        app.wait_contains("#message", "Not printed").await?;
        app.wait_contains("#print-log-table", "cancelled").await?;
        app.screenshot("printing-failed").await;
        let row = app.js("return document.querySelector('#print-log-table tr[data-state=\"cancelled\"]').dataset.job").await?;
        let id = row.as_str().unwrap_or_default().to_string();
        app.choose(&format!("print-log-to-{id}"), &spare_name).await?;
        app.click(&format!("#print-log-retry-{id}")).await?;
        app.wait_contains("#message", &format!("Printed: {} on {spare_name}", ana.display_name)).await?;
        Ok(())
    })
    .await;
    // What the printer got is the badge PDF, at the stock's size, byte for byte one that is kept.
    let (jobs, _) = good.wait_for(2);
    let kept: Vec<Vec<u8>> = files_in(out.path(), "pdf").iter().map(|p| std::fs::read(p).unwrap()).collect();
    for job in &jobs {
        assert!(kept.contains(job), "a printed job is not one of the PDFs kept");
        let (w, h) = page_sizes(job)[0];
        assert!((w - 288.0).abs() < 0.5 && (h - 216.0).abs() < 0.5, "{w} x {h}");
    }
    let d = Desk::open(&db).unwrap();
    assert_eq!(d.badge_history(ana.id).unwrap().len(), 2, "the first badge and the reprint sent again");
    assert_eq!(d.badge_history(bruno.id).unwrap().len(), 1);
}
