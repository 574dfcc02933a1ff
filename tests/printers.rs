//! Badges straight to a printer, through a real CUPS scheduler of the test's own
//! (`common::cups`): the bytes a printer receives are the badge PDF at the stock's size, a
//! printer that never answers or is stopped is reported as not printed and nothing counts as
//! printed, a failed job goes again to another printer, and the CLI says the same with its exit
//! status. Nothing here reaches the machine's own printers.

mod common;

use common::cups::{dead_device, page_sizes, queue_name, scheduler, Listener};
use common::{desk, nth};
use delegate_desk::badge::preset::PT_PER_MM;
use delegate_desk::cups::PrinterState;
use delegate_desk::printing::{BadgeRequest, BadgeSelection, PrinterChoice, OUTPUT_DIR_ENV};
use delegate_desk::{Desk, Error};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The output folder of this test process (never the real one; before, every run left one in
/// /tmp).
fn output_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = common::process_folder("printers-output");
        std::env::set_var(OUTPUT_DIR_ENV, &dir);
        dir
    })
}

/// The tests of this file share one output folder and count its files: one at a time.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn request(ids: Vec<i64>, preset: &str) -> BadgeRequest {
    BadgeRequest { selection: BadgeSelection::Ids(ids), preset: preset.into(), reason: None, note: None }
}

fn to(printer: &str, wait_seconds: u32) -> PrinterChoice {
    PrinterChoice { printer: printer.into(), copies: 1, wait_seconds }
}

fn registered(desk: &mut Desk, n: usize) -> Vec<i64> {
    (0..n).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect()
}

fn files_in_output() -> usize {
    std::fs::read_dir(output_dir()).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn the_printers_are_the_cups_queues_with_the_default_marked_and_a_stopped_one_saying_why() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    let (a, b, c) = (queue_name("list-a"), queue_name("list-b"), queue_name("list-c"));
    let la = Listener::start();
    let _qa = cups.queue(&a, &la.device);
    let qb = cups.queue(&b, &la.device);
    let qc = cups.queue(&c, &dead_device());
    qb.make_default();
    qc.stop("out of labels");
    let (_dir, _path, desk) = desk();
    let printers = desk.printers().unwrap();
    let find = |n: &str| {
        printers.iter().find(|p| p.name == n).unwrap_or_else(|| panic!("{n} in {printers:?}")).clone()
    };
    assert!(find(&b).is_default && !find(&a).is_default);
    assert_eq!(find(&a).state, PrinterState::Idle);
    let stopped = find(&c);
    assert_eq!(stopped.state, PrinterState::Stopped);
    assert!(stopped.reason.contains("paused") && stopped.reason.contains("out of labels"), "{stopped:?}");
    assert!(stopped.state_words().starts_with("stopped: "), "{}", stopped.state_words());
}

#[test]
fn a_badge_sent_to_a_printer_arrives_as_the_stocks_pdf_and_counts_as_printed_only_then() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let printer = Listener::start();
    let q = cups.queue(&queue_name("ql"), &printer.device);
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 2);
    let before = desk.revision().unwrap();
    let job =
        desk.print_to_printer(&request(vec![ids[0]], "ql-62x100"), &to(&q.name, 15), &mut |_, _| {}).unwrap();
    assert!(job.printed, "{job:?}\n{}", cups.log());
    assert_eq!(job.state, "completed");
    assert!(job.cups_job.is_some() && job.message.starts_with("Printed: "), "{}", job.message);
    assert!(desk.revision().unwrap() > before);

    let (received, _) = printer.wait_for(1);
    let kept = std::fs::read(&job.file).expect("the PDF is kept in the output folder");
    assert!(job.file.starts_with(output_dir().to_str().unwrap()), "{}", job.file);
    assert_eq!(received[0], kept, "the printer got the badge PDF byte for byte");
    let sizes = page_sizes(&received[0]);
    assert_eq!(sizes.len(), 1);
    let (w, h) = sizes[0];
    assert!((w - 62.0 * PT_PER_MM).abs() < 0.5 && (h - 100.0 * PT_PER_MM).abs() < 0.5, "{w} x {h} pt");

    // Recorded as printed, with the printer and the job, exactly once.
    let history = desk.badge_history(ids[0]).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].preset, "ql-62x100");
    assert!(desk.badge_history(ids[1]).unwrap().is_empty());
    let log = desk.print_jobs(10).unwrap();
    assert_eq!(log[0].id, job.id);
    assert_eq!(log[0].names.len(), 1);

    // Two copies: the printer gets the badge twice, recorded once.
    let mut two = to(&q.name, 15);
    two.copies = 2;
    let job = desk.print_to_printer(&request(vec![ids[1]], "ql-62x100"), &two, &mut |_, _| {}).unwrap();
    assert!(job.printed && job.copies == 2, "{job:?}");
    let kept = std::fs::read(&job.file).unwrap();
    let (got, _) = printer.wait_for(2);
    // CUPS's socket backend sends a raw job's copies one after the other on one connection.
    assert_eq!(got[1], [kept.clone(), kept].concat());
    assert_eq!(desk.badge_history(ids[1]).unwrap().len(), 1);
}

#[test]
fn a_printer_that_never_answers_is_reported_not_printed_and_the_job_goes_again_to_another() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let dead = cups.queue(&queue_name("dead"), &dead_device());
    let good = Listener::start();
    let other = cups.queue(&queue_name("other"), &good.device);
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let job =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 1), &mut |_, _| {}).unwrap();
    assert!(!job.printed);
    assert_eq!(job.state, "waiting");
    assert!(job.words.starts_with("still waiting after 1 s"), "{}", job.words);
    assert!(job.message.starts_with("Not printed: ") && job.message.contains(&job.file), "{}", job.message);
    assert!(std::path::Path::new(&job.file).exists(), "the PDF is kept and named");
    assert!(desk.badge_history(ids[0]).unwrap().is_empty(), "nothing counts as printed");

    // Printing the same person beside it is refused; the print log is the way.
    let rev = desk.revision().unwrap();
    let files = files_in_output();
    let e = desk
        .print_to_printer(&request(ids.clone(), "cr80"), &to(&other.name, 5), &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)) && e.to_string().contains("still on its way"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "a refusal writes nothing");
    assert_eq!(files_in_output(), files, "and leaves no file");
    // The check says so before the print: by name, the badge is listed as on its way (the
    // print is refused); with "not printed yet", it is left out, as the print leaves it out.
    // It was counted among the badges to print, and the window marked it printed after.
    let check = desk.badge_preflight(&request(ids.clone(), "cr80")).unwrap();
    let listed: Vec<(i64, i64)> = check.on_the_way.iter().map(|w| (w.attendee_id, w.job)).collect();
    assert_eq!(listed, [(ids[0], job.id)]);
    let not_printed = BadgeRequest { selection: BadgeSelection::NotPrinted, ..request(vec![], "cr80") };
    let check = desk.badge_preflight(&not_printed).unwrap();
    assert!(check.badges.iter().all(|b| b.attendee_id != ids[0]), "{:?}", check.badges);
    assert_eq!(check.on_the_way.len(), 1);
    assert_eq!(desk.revision().unwrap(), rev, "a check writes nothing");

    // Sent again to a printer that answers: the same PDF; the first job is cancelled in CUPS.
    // With a request id (a script's retry): sent again with it, it is answered with the same
    // job, not refused because cancelling the first job had taken the id.
    let send = |d: &mut Desk| d.retry_print_job(job.id, Some(&other.name), false, 15);
    let args = (job.id, Some(other.name.clone()), false);
    let again = desk.once(Some("retry-job-0001"), "print-jobs.retry", &args, send).unwrap();
    let answered = desk.once(Some("retry-job-0001"), "print-jobs.retry", &args, send).unwrap();
    assert_eq!(answered.id, again.id, "the retry sent again is answered, not applied twice");
    assert!(again.printed, "{again:?}");
    assert_eq!(again.retry_of, Some(job.id));
    let (received, _) = good.wait_for(1);
    assert_eq!(received[0], std::fs::read(&job.file).unwrap());
    let first = desk.print_job(job.id).unwrap();
    assert_eq!(first.state, "cancelled", "{first:?}");
    assert_eq!(desk.badge_history(ids[0]).unwrap().len(), 1);

    // The first job sent again once more (another desk's log still shows it cancelled): its
    // badge was printed from the job sent again, so it is asked about, not printed a second time.
    let rev = desk.revision().unwrap();
    let e = desk.retry_print_job(job.id, Some(&other.name), false, 15).unwrap_err();
    assert!(matches!(e, Error::Confirm(_)), "{e:?}");
    assert!(e.to_string().contains(&format!("job {}, the same badge as job {}", again.id, job.id)), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "refused, nothing written");

    // Printed already: again only when asked, and still one badge on record.
    let e = desk.retry_print_job(again.id, None, false, 15).unwrap_err();
    assert!(matches!(e, Error::Confirm(_)), "{e:?}");
    assert!(
        e.to_string().starts_with("Already printed at ") && e.to_string().ends_with("— print again?")
            || e.to_string().contains("print again?"),
        "{e}"
    );
    let third = desk.retry_print_job(again.id, None, true, 15).unwrap();
    assert!(third.printed);
    good.wait_for(2);
    assert_eq!(desk.badge_history(ids[0]).unwrap().len(), 1);

    // A job sent again while the one sent before it is still on its way: refused, naming it.
    let stuck = desk.retry_print_job(third.id, Some(&dead.name), true, 1).unwrap();
    assert_eq!(stuck.state, "waiting", "{stuck:?}");
    let rev = desk.revision().unwrap();
    let e = desk.retry_print_job(third.id, Some(&other.name), true, 15).unwrap_err();
    assert!(
        matches!(e, Error::Conflict(_))
            && e.to_string().contains(&format!("is being sent already, in job {}", stuck.id)),
        "{e}"
    );
    assert_eq!(desk.revision().unwrap(), rev, "refused, nothing written");
    // Nor from the first job, two steps back along the jobs sent again: the same badge.
    let e = desk.retry_print_job(job.id, Some(&other.name), true, 15).unwrap_err();
    assert!(e.to_string().contains(&format!("in job {}", stuck.id)), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "refused, nothing written");
    assert_eq!(good.wait_for(2).0.len(), 2, "nothing more reached the printer");
}

#[test]
fn a_stopped_printer_is_refused_before_anything_is_written() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("stopped"), &l.device);
    q.stop("out of labels");
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let rev = desk.revision().unwrap();
    let files = files_in_output();
    let e = desk
        .print_to_printer(&request(ids.clone(), "zebra-4x3"), &to(&q.name, 5), &mut |_, _| {})
        .unwrap_err();
    assert!(e.to_string().contains("is stopped: paused") && e.to_string().contains("out of labels"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev);
    assert_eq!(files_in_output(), files);
    assert!(desk.print_jobs(10).unwrap().is_empty());

    // Unknown printers are named with the ones there are; bad choices by field.
    let e = desk
        .print_to_printer(&request(ids.clone(), "zebra-4x3"), &to("no-such-queue", 5), &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)) && e.to_string().contains(&q.name), "{e}");
    let mut bad = to(&q.name, 5);
    bad.copies = 0;
    let e = desk.print_to_printer(&request(ids, "zebra-4x3"), &bad, &mut |_, _| {}).unwrap_err();
    assert_eq!(e.field(), Some("copies"));
    assert_eq!(desk.revision().unwrap(), rev);
}

#[test]
fn a_job_waiting_when_the_desk_stopped_following_it_counts_once_cups_completes_it() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("late"), &l.device);
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 3);
    // Held by CUPS: the desk says so and counts nothing.
    q.stop("warming up");
    let e = desk.print_to_printer(&request(ids.clone(), "ql-62-continuous"), &to(&q.name, 0), &mut |_, _| {});
    assert!(e.is_err());
    q.start();
    let job = desk
        .print_to_printer(&request(ids.clone(), "ql-62-continuous"), &to(&q.name, 0), &mut |_, _| {})
        .unwrap();
    // Asked not to wait at all, the desk may or may not have seen it complete.
    l.wait_for(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let j = desk.print_job(job.id).unwrap();
        if j.printed {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never recorded: {j:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for id in &ids {
        assert_eq!(desk.badge_history(*id).unwrap().len(), 1);
    }
    let (w, h) = page_sizes(&l.jobs()[0])[0];
    assert!((w - 100.0 * PT_PER_MM).abs() < 0.5 && (h - 62.0 * PT_PER_MM).abs() < 0.5, "{w} x {h}");
}

fn cli(db: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_delegate-desk-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env(OUTPUT_DIR_ENV, output_dir())
        .env("DELEGATE_DESK_OPERATOR", "Ana")
        .env("DELEGATE_DESK_DESK", "Desk 1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn the_cli_exits_0_only_when_cups_completed_the_job() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    let good = Listener::start();
    let q = cups.queue(&queue_name("cli"), &good.device);
    let dead = cups.queue(&queue_name("cli-dead"), &dead_device());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let (code, _, err) = cli(
        &db,
        &[
            "register",
            "--given-name",
            "Ana",
            "--family-name",
            "Pierre",
            "--delegation",
            "Jamaica",
            "--category",
            "delegate",
        ],
    );
    assert_eq!(code, 0, "{err}");

    let (code, out, _) = cli(&db, &["printers"]);
    assert_eq!(code, 0);
    assert!(out.contains(&q.name) && out.contains(&dead.name), "{out}");
    let (_, json, _) = cli(&db, &["printers", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(list.as_array().unwrap().iter().any(|p| p["name"] == q.name.as_str() && p["state"] == "idle"));

    let (code, out, err) =
        cli(&db, &["badges", "--id", "1", "--preset", "ql-62x100", "--printer", &dead.name, "--wait", "1"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("Not printed") && err.contains("still waiting after 1 s") && err.contains(".pdf"),
        "{err}"
    );
    let (code, out, _) = cli(&db, &["print-jobs"]);
    assert_eq!(code, 0);
    assert!(out.contains("waiting") && out.contains(&dead.name), "{out}");

    let (code, out, err) = cli(&db, &["print-jobs", "retry", "1", "--printer", &q.name]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("Printed: Ana Pierre on "), "{out}");
    good.wait_for(1);
    let (code, _, err) = cli(&db, &["print-jobs", "retry", "2"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("print again?"), "{err}");

    // The same request id twice: printed once, answered twice with how the job stands now.
    let once = [
        "--request-id",
        "print-ana-again-1",
        "badges",
        "--id",
        "1",
        "--preset",
        "cr80",
        "--printer",
        &q.name,
        "--reprint",
        "--reason",
        "damaged",
    ];
    let (code, out, err) = cli(&db, &once);
    assert_eq!(code, 0, "{out}{err}");
    let (code, again, err) = cli(&db, &once);
    assert_eq!(code, 0, "{again}{err}");
    // (The pre-flight before it reads the database as it is now.)
    assert_eq!(out.lines().last(), again.lines().last());
    assert!(again.lines().last().unwrap().starts_with("Printed: Ana Pierre on "), "{again}");
    good.wait_for(2);
    let (_, json, _) = cli(&db, &["print-jobs", "--json"]);
    let jobs: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(jobs.as_array().unwrap().len(), 3, "{json}");
    assert_eq!(good.jobs().len(), 2);

    // Copies, and arguments out of range named.
    let (code, _, err) = cli(
        &db,
        &[
            "badges",
            "--id",
            "1",
            "--preset",
            "cr80",
            "--printer",
            &q.name,
            "--copies",
            "0",
            "--reprint",
            "--reason",
            "lost",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--copies"), "{err}");
    let (code, _, err) = cli(
        &db,
        &[
            "badges",
            "--id",
            "1",
            "--preset",
            "cr80",
            "--printer",
            "bad name",
            "--reprint",
            "--reason",
            "lost",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--printer"), "{err}");

    // No print service at all: said, exit 1, nothing written.
    let out = Command::new(env!("CARGO_BIN_EXE_delegate-desk-cli"))
        .args(["printers"])
        .env("CUPS_SERVER", dead_device().trim_start_matches("socket://"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("does not answer"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_job_cut_off_between_the_log_and_cups_holds_nobody_back_once_cancelled() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("cut"), &l.device);
    let dead = cups.queue(&queue_name("cut-dead"), &dead_device());
    let (_dir, path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let job =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    // As if the desk had stopped right after logging the job, before CUPS answered.
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    raw.execute(
        "UPDATE print_job SET state = 'sending', cups_job = NULL WHERE id = ?1",
        delegate_desk::params![job.id],
    )
    .unwrap();
    let log = desk.print_jobs(5).unwrap();
    assert_eq!(log[0].state, "sending");
    assert!(!log[0].printed && log[0].message.starts_with("Not printed"), "{}", log[0].message);
    let e =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&q.name, 15), &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("still on its way"), "{e}");
    assert_eq!(desk.cancel_print_job(job.id).unwrap().state, "cancelled");
    // Cancelled twice: the same answer, nothing more written.
    let rev = desk.revision().unwrap();
    assert_eq!(desk.cancel_print_job(job.id).unwrap().state, "cancelled");
    assert_eq!(desk.revision().unwrap(), rev);
    let printed =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&q.name, 15), &mut |_, _| {}).unwrap();
    assert!(printed.printed);
    let history = desk.badge_history(ids[0]).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].version, 1, "nothing had printed: the first badge is version 1");
}

/// A trigger of the test's own that cancels every print job as it is logged (`on`), or none.
fn cancel_as_logged(raw: &delegate_desk::db::Db, on: bool) {
    let sql = match (raw.engine_name(), on) {
        ("postgres", true) => {
            "CREATE FUNCTION cancelled_meanwhile() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
               UPDATE print_job SET state = 'cancelled', words = 'cancelled at the desk' WHERE id = NEW.id;
               RETURN NULL;
             END $$;
             CREATE TRIGGER cancelled_meanwhile AFTER INSERT ON print_job
               FOR EACH ROW EXECUTE FUNCTION cancelled_meanwhile();"
        }
        ("postgres", false) => {
            "DROP TRIGGER cancelled_meanwhile ON print_job; DROP FUNCTION cancelled_meanwhile();"
        }
        (_, true) => {
            "CREATE TRIGGER cancelled_meanwhile AFTER INSERT ON print_job BEGIN
               UPDATE print_job SET state = 'cancelled', words = 'cancelled at the desk' WHERE id = NEW.id;
             END"
        }
        (_, false) => "DROP TRIGGER cancelled_meanwhile",
    };
    raw.batch(sql).unwrap();
}

/// A job cancelled at another desk while CUPS was taking it (as if: a trigger of the test's own
/// cancels the job as it is logged, so that CUPS's answer finds it cancelled). It is taken back
/// from CUPS, with CUPS's number kept in the log, and nothing counts as printed. On a printer
/// that prints at once, the log says what CUPS did first: printed and recorded, or cancelled.
/// Before, the answer was dropped with CUPS's number, and a badge that had printed stayed
/// "cancelled".
#[test]
fn a_job_cancelled_while_cups_was_taking_it_is_taken_back_and_the_log_says_what_came_of_it() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let dead = cups.queue(&queue_name("meanwhile-dead"), &dead_device());
    let l = Listener::start();
    let good = cups.queue(&queue_name("meanwhile"), &l.device);
    let (_dir, path, mut desk) = desk();
    let ids = registered(&mut desk, 2);
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    cancel_as_logged(&raw, true);

    // A printer that never answers: CUPS's job is cancelled there, and its number logged.
    let job =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&dead.name, 5), &mut |_, _| {}).unwrap();
    assert_eq!((job.state.as_str(), job.words.as_str()), ("cancelled", "cancelled at the desk"), "{job:?}");
    let n = job.cups_job.expect("CUPS's number is in the log") as i32;
    let status = delegate_desk::cups::job(&dead.name, n).unwrap();
    assert_eq!(status.state, delegate_desk::cups::JobState::Cancelled, "{status:?}");
    assert!(!job.printed && desk.badge_history(ids[0]).unwrap().is_empty());
    // The badge can be printed anew: nothing holds it back.
    cancel_as_logged(&raw, false);
    let l2 = Listener::start();
    let other = cups.queue(&queue_name("meanwhile-2"), &l2.device);
    assert!(
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&other.name, 15), &mut |_, _| {})
            .unwrap()
            .printed
    );

    // A printer that takes it at once: the log says what CUPS did first.
    cancel_as_logged(&raw, true);
    let job =
        desk.print_to_printer(&request(vec![ids[1]], "cr80"), &to(&good.name, 5), &mut |_, _| {}).unwrap();
    let n = job.cups_job.expect("CUPS's number is in the log") as i32;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let ended = loop {
        let s = delegate_desk::cups::job(&good.name, n).unwrap();
        if s.state.is_final() {
            break s.state;
        }
        assert!(std::time::Instant::now() < deadline, "CUPS never ended job {n}: {s:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let logged = desk.print_job(job.id).unwrap();
    if ended == delegate_desk::cups::JobState::Completed {
        assert_eq!(logged.state, "completed", "CUPS printed it: {logged:?}");
        assert_eq!(desk.badge_history(ids[1]).unwrap().len(), 1);
    } else {
        assert_eq!(logged.state, "cancelled", "CUPS {ended:?}: {logged:?}");
        assert!(desk.badge_history(ids[1]).unwrap().is_empty());
    }
}

#[test]
fn a_cancelled_job_is_not_sent_again_once_its_version_was_printed_elsewhere() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("elsewhere"), &l.device);
    let dead = cups.queue(&queue_name("elsewhere-dead"), &dead_device());
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let stuck =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    desk.cancel_print_job(stuck.id).unwrap();
    // The cancelled job freed version 1: printed now on another printer, with another code.
    assert!(
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&q.name, 15), &mut |_, _| {})
            .unwrap()
            .printed
    );
    let rev = desk.revision().unwrap();
    let e = desk.retry_print_job(stuck.id, Some(&q.name), false, 15).unwrap_err();
    assert!(e.to_string().contains("A newer badge was printed since"), "{e}");
    // Nothing written — and so nothing sent: a job is logged before it goes to CUPS.
    assert_eq!(desk.revision().unwrap(), rev, "refused: nothing written");
    assert_eq!(desk.badge_history(ids[0]).unwrap().len(), 1);
}

/// A job CUPS has forgotten (restarted, or its history purged) can no longer print nor be
/// cancelled there. Before, cancelling it or sending it again failed ("Not found"), and every
/// new print for that person was refused as "still on its way" — even to a PDF — for good. Now
/// the log lets it go, saying whether it printed is unknown, and the badge can be printed.
#[test]
fn a_job_cups_has_forgotten_holds_nobody_back() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("forgot"), &l.device);
    let dead = cups.queue(&queue_name("forgot-dead"), &dead_device());
    let (_dir, path, mut desk) = desk();
    let ids = registered(&mut desk, 2);
    // As if CUPS had been restarted without its history: the job's number is one it does not know.
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    let forget = |job: i64| {
        raw.execute("UPDATE print_job SET cups_job = 987654 WHERE id = ?1", delegate_desk::params![job])
            .unwrap();
    };
    // Cancelled from the log once CUPS forgot it.
    let a =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(a.state, "waiting");
    forget(a.id);
    let cancelled = desk.cancel_print_job(a.id).unwrap();
    assert_eq!(cancelled.state, "cancelled");
    assert!(cancelled.words.contains("CUPS no longer knows this job"), "{}", cancelled.words);
    assert!(cancelled.words.contains("whether it printed is unknown"), "{}", cancelled.words);
    assert!(
        cancelled.message.starts_with("Cancelled: "),
        "not known not to have printed: {}",
        cancelled.message
    );
    let printed =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&q.name, 15), &mut |_, _| {}).unwrap();
    assert!(printed.printed, "{printed:?}");
    // Found forgotten when the log is looked at: let go, and the badge prints to a PDF.
    let b =
        desk.print_to_printer(&request(vec![ids[1]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(b.state, "waiting");
    forget(b.id);
    let log = desk.print_jobs(10).unwrap();
    let seen = log.iter().find(|j| j.id == b.id).unwrap();
    assert_eq!(seen.state, "failed", "{seen:?}");
    assert!(seen.words.contains("CUPS no longer knows this job"), "{}", seen.words);
    assert!(seen.message.starts_with("Ended: "), "not known not to have printed: {}", seen.message);
    let pdf = tempfile::tempdir().unwrap();
    desk.print_badges(&request(vec![ids[1]], "cr80"), &pdf.path().join("b.pdf")).unwrap();
    assert_eq!(desk.badge_history(ids[1]).unwrap().len(), 1);
}

/// On a server, every desk has its own print service on its own computer, numbering its jobs
/// its own way: a desk asks its own about its own jobs only. Another desk's job still waiting
/// is left as it is when the log is looked at (it was asked of this desk's CUPS, found
/// unknown, and recorded failed while it printed there — a badge that then did not open the
/// door); it is not sent again from here, and cancelling it here lets it go, saying what that means.
#[test]
fn another_desks_job_is_asked_about_at_that_desk_only() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("elsewhere"), &l.device);
    let dead = cups.queue(&queue_name("elsewhere-dead"), &dead_device());
    let (_dir, path, mut desk) = desk();
    let ids = registered(&mut desk, 2);
    let job =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(job.state, "waiting");
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    let mine: String =
        raw.value("SELECT scheduler FROM print_job WHERE id = ?1", delegate_desk::params![job.id]).unwrap();
    // This computer's scheduler, after its machine id, at the test scheduler's port.
    let port = delegate_desk::cups::server().unwrap().rsplit(':').next().unwrap().to_string();
    assert!(mine.ends_with(&format!("/localhost:{port}")) && !mine.starts_with('/'), "{mine}");
    // As if sent by another computer's own CUPS, under a number this one does not know.
    raw.execute(
        "UPDATE print_job SET scheduler = 'another-machine/localhost:631', cups_job = 987654, desk = 'Desk 2' WHERE id = ?1",
        delegate_desk::params![job.id],
    )
    .unwrap();
    let seen = desk.print_jobs(10).unwrap().into_iter().find(|j| j.id == job.id).unwrap();
    assert_eq!((seen.state.as_str(), seen.words.as_str()), ("waiting", job.words.as_str()), "{seen:?}");
    let e = desk.retry_print_job(job.id, Some(&q.name), true, 15).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("send it again at Desk 2"), "{e}");
    assert!(l.jobs().is_empty(), "nothing reached a printer");
    let gone = desk.cancel_print_job(job.id).unwrap();
    assert_eq!(gone.state, "cancelled");
    assert!(gone.words.contains("where it may still print"), "{}", gone.words);
    assert!(gone.words.contains("does not open the door"), "{}", gone.words);
    // What the desk says of it is not "not printed": it may still print there.
    assert!(
        gone.message.starts_with("Cancelled: ") && !gone.message.contains("Not printed"),
        "{}",
        gone.message
    );
    // Let go: the person's badge can be printed again here.
    let printed =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&q.name, 15), &mut |_, _| {}).unwrap();
    assert!(printed.printed, "{printed:?}");
    // A job written before the scheduler was recorded (an upgraded roster), from another desk:
    // on a server it is that desk's; on a file (one computer) it is this one's, as before.
    let old =
        desk.print_to_printer(&request(vec![ids[1]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    raw.execute(
        "UPDATE print_job SET scheduler = '', cups_job = 987654, desk = 'Desk 2' WHERE id = ?1",
        delegate_desk::params![old.id],
    )
    .unwrap();
    let seen = desk.print_jobs(10).unwrap().into_iter().find(|j| j.id == old.id).unwrap();
    let want = if raw.is_server() { "waiting" } else { "failed" };
    assert_eq!(seen.state, want, "{seen:?}");
}

/// A job sent again prints only for people still registered: a person cancelled since their
/// badge failed to print gets no badge from the print log.
#[test]
fn a_job_is_not_sent_again_for_a_person_cancelled_since() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let l = Listener::start();
    let q = cups.queue(&queue_name("gone"), &l.device);
    let dead = cups.queue(&queue_name("gone-dead"), &dead_device());
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let job =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    desk.cancel(ids[0]).unwrap();
    let rev = desk.revision().unwrap();
    let e = desk.retry_print_job(job.id, Some(&q.name), false, 15).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert!(e.to_string().contains("no longer registered") && e.to_string().contains("cancelled"), "{e}");
    assert!(e.to_string().contains("neither sent again nor cancelled"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "refused: nothing written");
    // The waiting job is left as it was (it may hold others' badges too).
    assert_eq!(desk.print_job(job.id).unwrap().state, "waiting");
    assert!(desk.badge_history(ids[0]).unwrap().is_empty(), "no badge recorded");
    assert!(l.jobs().is_empty(), "nothing reached the printer");
}

/// A cancelled job sent again while another badge of the same person (printed anew since,
/// with another code) is still on its way to a printer: refused, naming that job, nothing
/// written and nothing sent. Before, both went out; the one completed second was recorded as
/// replaced, and the person could be handed the badge the door refuses.
#[test]
fn a_job_is_not_sent_again_beside_another_badge_of_the_same_person_on_its_way() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let dead = cups.queue(&queue_name("beside-dead"), &dead_device());
    let l = Listener::start();
    let good = cups.queue(&queue_name("beside"), &l.device);
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 1);
    let first =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(desk.cancel_print_job(first.id).unwrap().state, "cancelled");
    let second =
        desk.print_to_printer(&request(ids.clone(), "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(second.state, "waiting");
    let rev = desk.revision().unwrap();
    let e = desk.retry_print_job(first.id, Some(&good.name), true, 5).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains(&format!("in print job {} on {}", second.id, dead.name)), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "refused: nothing written");
    assert!(l.jobs().is_empty(), "nothing reached the printer");
    assert_eq!(desk.print_jobs(10).unwrap().len(), 2, "no job was added");
}

/// Send again only while the job's PDF is still the file it wrote: a file replaced in the
/// output folder since (another badge's, an older one) or gone is refused before anything is
/// changed, the job left as it was and nothing sent. Before, whatever file was at the job's
/// path went to the printer, recorded as the job's badges.
#[test]
fn a_job_whose_file_was_replaced_is_not_sent_again() {
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let dead = cups.queue(&queue_name("replaced-dead"), &dead_device());
    let l = Listener::start();
    let good = cups.queue(&queue_name("replaced"), &l.device);
    let (_dir, _path, mut desk) = desk();
    let ids = registered(&mut desk, 2);
    let first =
        desk.print_to_printer(&request(vec![ids[0]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    let other =
        desk.print_to_printer(&request(vec![ids[1]], "cr80"), &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(desk.cancel_print_job(first.id).unwrap().state, "cancelled");
    let file = first.file.clone();
    let kept = std::fs::read(&file).unwrap();
    // The other person's badge put in its place, then no file at all.
    std::fs::copy(&other.file, &file).unwrap();
    for (what, want) in [("replaced", "has changed since the job wrote it"), ("gone", "cannot be read")] {
        if what == "gone" {
            std::fs::remove_file(&file).unwrap();
        }
        let rev = desk.revision().unwrap();
        let e = desk.retry_print_job(first.id, Some(&good.name), true, 5).unwrap_err();
        assert!(e.to_string().contains(want), "{what}: {e}");
        assert_eq!(desk.revision().unwrap(), rev, "{what}: refused, nothing written");
        assert_eq!(desk.print_jobs(10).unwrap().len(), 2, "{what}: no job was added");
        assert!(l.jobs().is_empty(), "{what}: nothing reached the printer");
    }
    // Its own file back: sent again.
    std::fs::write(&file, kept).unwrap();
    let again = desk.retry_print_job(first.id, Some(&good.name), true, 30).unwrap();
    assert_eq!(again.retry_of, Some(first.id));
}

/// A lost badge reprinted to a printer that has not finished (out of paper, slower than the
/// desk waited): the lost badge is replaced at once, and the new one, in its holder's hand,
/// checks them in. Before, the lost badge went on checking its finder in until the print log
/// was read at the desk that sent the job, and the new badge was "Not a badge of this event".
#[test]
fn a_reprint_on_its_way_replaces_the_lost_badge_and_its_own_checks_in() {
    use delegate_desk::checkin::Arrival;
    let _one = one_at_a_time();
    let Some(cups) = scheduler() else { return };
    output_dir();
    let dead = cups.queue(&queue_name("reprint-dead"), &dead_device());
    let (dir, path, mut desk) = desk();
    let id = registered(&mut desk, 1)[0];
    desk.print_badges(&request(vec![id], "cr80"), &dir.path().join("first.pdf")).unwrap();
    let raw = delegate_desk::db::Db::open_raw(&path).unwrap();
    let token = |version: i64| -> String {
        raw.query_row(
            "SELECT token FROM badge_print WHERE attendee_id = ?1 AND version = ?2
             UNION ALL SELECT token FROM print_job_badge WHERE attendee_id = ?1 AND version = ?2",
            delegate_desk::params![id, version],
            |r| r.get(0),
        )
        .unwrap()
    };
    let lost = token(1);
    let reprint = BadgeRequest { reason: Some("lost".into()), ..request(vec![id], "cr80") };
    let job = desk.print_to_printer(&reprint, &to(&dead.name, 0), &mut |_, _| {}).unwrap();
    assert_eq!(job.state, "waiting", "{job:?}");
    let new = token(2);

    let old = desk.scan(&lost, Some(1)).unwrap();
    assert_eq!(old.result, Arrival::ReplacedBadge, "{}", old.message);
    assert!(old.message.contains("version 2 (lost)") && old.message.contains(&dead.name), "{}", old.message);
    assert!(old.card.checkin.is_none(), "the finder of the lost badge is not checked in");
    let current = desk.scan(&new, Some(1)).unwrap();
    assert_eq!(current.result, Arrival::CheckedIn, "{}", current.message);
    assert_eq!(current.card.attendee.id, id);
    let _ = desk.cancel_print_job(job.id);
}
