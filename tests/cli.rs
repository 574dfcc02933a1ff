//! The `delegate-desk-cli` binary: commands, JSON output, exit codes and messages.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");

fn cli(db: &Path, args: &[&str]) -> Output {
    cli_to(db, args, std::process::Stdio::piped()).wait_with_output().unwrap()
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    let out = cli(db, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn refused(db: &Path, args: &[&str]) -> String {
    let out = cli(db, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn register_list_show_cancel_promote_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let ev = ok_json(&db, &["event", "show", "--json"]);
    assert_eq!(ev["name"], "Caribbean Nations Security Conference (CANSEC) 2019");
    assert_eq!(ev["startDate"], "2019-11-14");
    assert_eq!(ev["days"][1]["theme"], "Countering transnational threats");

    let out = ok_json(&db, &["event", "set", "--capacity", "1", "--theme", "2=Countering threats", "--json"]);
    assert_eq!(out["event"]["capacity"], 1);
    assert_eq!(out["event"]["days"][1]["theme"], "Countering threats");

    let a = ok_json(
        &db,
        &[
            "register",
            "--json",
            "--rank",
            "Lt. Col.",
            "--given-name",
            "Marc-André",
            "--family-name",
            "Côté",
            "--badge-name",
            "Marc-André Côté",
            "--position",
            "Liaison",
            "--organization",
            "Canadian Armed Forces",
            "--delegation",
            "Canada",
            "--category",
            "Co-host",
            "--email",
            "mac@example.org",
            "--phone",
            "+1-555-0100",
            "--days",
            "1 & 2",
            "--dietary",
            "none",
            "--accessibility",
            "",
            "--notes",
            "arrives late",
        ],
    );
    assert_eq!(a["status"], "registered");
    assert_eq!(a["category"], "coHost");
    assert_eq!(a["givenName"], "Marc-André");
    assert_eq!(a["displayName"], "Lt. Col. Marc-André Côté");
    assert_eq!(a["days"], serde_json::json!([1, 2]));
    let id_a = a["id"].as_i64().unwrap().to_string();

    let b = ok_json(
        &db,
        &["register", "--json", "--given-name", "Zoë", "--category", "press", "--days", "Day 1"],
    );
    assert_eq!(b["status"], "waitlisted");
    assert_eq!(b["waitlistPosition"], 1);
    let id_b = b["id"].as_i64().unwrap().to_string();

    let plain = cli(&db, &["register", "--given-name", "Siân", "--category", "VIP"]);
    assert_eq!(
        String::from_utf8_lossy(&plain.stdout).lines().next().unwrap(),
        "Event full — added to waitlist, position 2: #3 Siân"
    );

    let list = ok_json(&db, &["list", "--status", "waitlisted", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["givenName"], "Zoë");

    let shown = ok_json(&db, &["show", &id_a, "--json"]);
    assert_eq!(shown, a);

    let edited = ok_json(&db, &["edit", &id_a, "--position", "Senior Liaison", "--json"]);
    assert_eq!(edited["position"], "Senior Liaison");
    assert_eq!(edited["familyName"], "Côté");
    // The same value again, or no field at all: nothing was saved, and it says so.
    let with_id = ["--request-id", "same-values-01", "edit", &id_a, "--position", "Senior Liaison"];
    for again in [&["edit", &id_a, "--position", "Senior Liaison"][..], &["edit", &id_a][..], &with_id[..]] {
        let out = cli(&db, again);
        assert!(out.status.success(), "{again:?}");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.starts_with(&format!("No change: #{id_a} ")), "{again:?}: {said}");
    }
    // The coordinator's one admission takes its reason in --unvetted, and a blank one says so.
    let e = refused(&db, &["checkin", &id_a, "--day", "1", "--unvetted", "   "]);
    assert!(e.contains("(--unvetted)"), "{e}");

    let c = ok_json(&db, &["cancel", &id_a, "--json"]);
    assert_eq!(c["attendee"]["status"], "cancelled");
    assert_eq!(c["proposal"]["id"].as_i64().unwrap().to_string(), id_b);
    let s = ok_json(&db, &["status", "--json"]);
    assert_eq!(
        s,
        serde_json::json!({"capacity": 1, "registered": 0, "waitlisted": 2, "invited": 0, "cancelled": 1, "seatsLeft": 1, "heldForWaitlist": 1})
    );

    // The freed seat belongs to the waitlist: a reinstated person queues behind it.
    let again = cli(&db, &["reinstate", &id_a]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        format!(
            "2 people are waiting for a seat — reinstated to the waitlist, position 3: #{id_a} Lt. Col. Marc-André Côté"
        )
    );
    ok_json(&db, &["cancel", &id_a, "--json"]);
    let p = ok_json(&db, &["promote", &id_b, "--json"]);
    assert_eq!(p["promoted"][0]["status"], "registered");
    let s = ok_json(&db, &["status", "--json"]);
    assert_eq!((s["registered"].as_u64(), s["seatsLeft"].as_u64()), (Some(1), Some(0)));
}

#[test]
fn refusals_exit_2_with_the_message_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let e = refused(&db, &["register", "--given-name", "A", "--category", "Delegate", "--email", "a@b"]);
    assert!(e.contains("Email \"a@b\" needs a domain") && e.contains("(--email)"), "{e}");
    let e = refused(&db, &["register", "--category", "Delegate"]);
    assert!(e.contains("Enter a given name or a family name") && e.contains("--given-name"), "{e}");
    let e = refused(&db, &["event", "set", "--capacity", "0"]);
    assert!(e.contains("Capacity 0 is out of range"), "{e}");
    let e = refused(&db, &["event", "set", "--start-date", "2019-11-20"]);
    assert!(e.contains("End date 2019-11-15 is before the start date 2019-11-20"), "{e}");
    let e = refused(&db, &["show", "42"]);
    assert!(e.contains("There is no attendee #42"), "{e}");
    let e = refused(&db, &["event", "set", "--theme", "one=x"]);
    assert!(e.contains("\"one\" is not a day number"), "{e}");
    // A refused command wrote nothing.
    let s = ok_json(&db, &["status", "--json"]);
    assert_eq!(s["registered"], 0);
    assert_eq!(ok_json(&db, &["event", "show", "--json"])["capacity"], 100);
}

#[test]
fn a_foreign_file_exits_1_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.txt");
    std::fs::write(&db, b"not a database at all, just some text that is long enough").unwrap();
    let out = cli(&db, &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a Delegate Desk database"));
    assert_eq!(std::fs::read(&db).unwrap(), b"not a database at all, just some text that is long enough");
}

#[test]
fn the_environment_variable_selects_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.sqlite3");
    let out = Command::new(CLI)
        .args(["register", "--given-name", "Env", "--category", "staff"])
        .env("DELEGATE_DESK_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(db.exists());
    let s = ok_json(&db, &["status", "--json"]);
    assert_eq!(s["registered"], 1);
}

#[test]
fn badges_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let presets = ok_json(&db, &["presets", "--json"]);
    let names: Vec<&str> = presets.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "insert-4x3",
            "a6-portrait",
            "letter-6up-4x3",
            "a4-4up-a6",
            "cr80",
            "ql-62x100",
            "ql-62-continuous",
            "zebra-4x3"
        ]
    );
    let a = ok_json(
        &db,
        &["register", "--json", "--given-name", "Łukasz", "--family-name", "Żółć", "--category", "press"],
    );
    let id = a["id"].as_i64().unwrap().to_string();
    let pdf = dir.path().join("b.pdf");
    let out = cli(&db, &["badges", "--id", &id, "--preset", "cr80", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Pre-flight: 1 badge(s) on 1 page(s)"), "{text}");
    assert!(text.contains("1 badge on 1 page"), "{text}");
    assert!(pdf.exists());
    // The PDF of a batch recorded as printed is never written over.
    let e = refused(
        &db,
        &[
            "badges",
            "--id",
            &id,
            "--preset",
            "cr80",
            "-o",
            pdf.to_str().unwrap(),
            "--reprint",
            "--reason",
            "lost",
        ],
    );
    assert!(e.contains("already exists") && e.contains("(--output)"), "{e}");
    let pdf = dir.path().join("b2.pdf");
    let e = refused(&db, &["badges", "--id", &id, "--preset", "cr80", "-o", pdf.to_str().unwrap()]);
    assert!(e.contains("printed before; add --reprint --reason"), "{e}");
    let e = refused(&db, &["badges", "--all", "--preset", "a5", "-o", pdf.to_str().unwrap()]);
    assert!(e.contains("Unknown badge stock \"a5\""), "{e}");
    let again = ok_json(
        &db,
        &[
            "badges",
            "--id",
            &id,
            "--preset",
            "cr80",
            "-o",
            pdf.to_str().unwrap(),
            "--reprint",
            "--reason",
            "lost",
            "--json",
        ],
    );
    assert_eq!(again["preflight"]["badges"][0]["version"], 2);
    assert_eq!(again["outcome"]["badges"], 1);
    let shown = String::from_utf8(cli(&db, &["show", &id]).stdout).unwrap();
    assert!(shown.contains("version 2") && shown.contains("lost"), "{shown}");
    let cal = cli(&db, &["calibration", "cr80", "--dx", "-1.5", "--dy", "2"]);
    assert_eq!(String::from_utf8_lossy(&cal.stdout).trim(), "cr80: shift right -1.5 mm, down 2 mm");
    // A page that cannot be written refuses the command before the new shift is saved.
    let e = refused(&db, &["calibration", "cr80", "--dx", "2", "--dy", "5", "--page", pdf.to_str().unwrap()]);
    assert!(e.contains("already exists") && e.contains("(--page)"), "{e}");
    // So does a folder that is not there (the shift was saved, then the page failed, exit 1).
    let nowhere = dir.path().join("no-such-folder").join("cal.pdf");
    let e =
        refused(&db, &["calibration", "cr80", "--dx", "2", "--dy", "5", "--page", nowhere.to_str().unwrap()]);
    assert!(
        e.contains("(--page)") && e.contains("does not exist") && e.contains("nothing was written"),
        "{e}"
    );
    let cal = cli(&db, &["calibration", "cr80"]);
    assert_eq!(String::from_utf8_lossy(&cal.stdout).trim(), "cr80: shift right -1.5 mm, down 2 mm");
    // A page that fails only when written (a folder nothing can be written in, even by root)
    // comes after the shift was saved: exit 1, and the refusal says the shift was saved.
    let out = cli(&db, &["calibration", "cr80", "--dx", "1", "--dy", "0.5", "--page", "/proc/cal.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("The shift was saved (1 mm right, 0.5 mm down), but the calibration page was not written"),
        "{e}"
    );
    let cal = cli(&db, &["calibration", "cr80", "--dx", "-1.5", "--dy", "2"]);
    assert!(cal.status.success());
    // A refusal names the argument as it is typed.
    let e = refused(&db, &["calibration", "cr80", "--dx", "left", "--dy", "0"]);
    assert!(e.contains("(--dx)"), "{e}");
    let e = refused(&db, &["calibration", "a5"]);
    assert!(e.contains("(PRESET)"), "{e}");
    // Several ids after one --id.
    let b = ok_json(&db, &["register", "--json", "--given-name", "Zoë", "--category", "press"]);
    let b = b["id"].as_i64().unwrap().to_string();
    let both = dir.path().join("both.pdf");
    let out = cli(
        &db,
        &[
            "badges",
            "--id",
            &id,
            &b,
            "--preset",
            "cr80",
            "--reprint",
            "--reason",
            "damaged",
            "-o",
            both.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Pre-flight: 2 badge(s) on 2 page(s)"));
}

#[test]
fn import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "First Name;Last Name;Type;E-mail\nHélène;Dupré;Co-host;h@example.org\nBad;Row;Delegate;nope\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    // The dry run lists every row's problem, and fails as the import would (it used to exit
    // 0, and `import --dry-run && import` went on to a refused import).
    let out = cli(&db, &["import", f, "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((p["new"].as_u64(), p["invalid"].as_u64()), (Some(1), Some(1)));
    assert_eq!(p["errors"][0]["line"], 3);
    let e = refused(&db, &["import", f, "--dry-run"]);
    assert!(
        e.contains("The import would be refused, and nothing imported: 1 row of the file is invalid"),
        "{e}"
    );
    assert!(cli(&db, &["import", f, "--dry-run", "--skip-invalid"]).status.success());
    let e = refused(&db, &["import", f]);
    assert!(e.contains("1 row of the file is invalid; nothing was imported"), "{e}");
    assert_eq!(ok_json(&db, &["status", "--json"])["invited"], 0);
    // Refused as a whole, `--json` still gives every row's problem, on stdout.
    let out = cli(&db, &["import", f, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((p["invalid"].as_u64(), p["errors"][0]["line"].as_u64()), (Some(1), Some(3)));
    assert_eq!(p["errors"][0]["field"], "email");
    let out = ok_json(&db, &["import", f, "--register", "--skip-invalid", "--json"]);
    assert_eq!(out["registered"], 1);
    assert_eq!(out["message"], "Imported: 1 registered, 1 invalid rows left out");
}

/// A limit of 0 is refused: the answer would otherwise be that nothing exists.
#[test]
fn a_limit_of_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    for args in [&["print-jobs", "--limit", "0"][..], &["search", "ann", "--limit", "0"]] {
        let out = cli(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("--limit") && e.contains('0'), "{args:?}: {e}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing claimed on stdout");
    }
}

/// A dry run of an import that registers says what the seat rules would decide, and fails as
/// the import would when they refuse a row, so that `import --dry-run && import` stops there.
#[test]
fn an_import_dry_run_forecasts_seats_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "given_name,family_name,delegation,category\nAna,One,Jamaica,delegate\nBo,Two,Jamaica,delegate\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = cli(&db, &["allocation", "set", "Jamaica", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cli(&db, &["import", f, "--register", "--dry-run"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("If imported now: 1 registered, 1 waitlisted (their delegation's allocation is full)"),
        "{text}"
    );
    let out = cli(&db, &["allocation", "policy", "refuse"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = refused(&db, &["import", f, "--register", "--dry-run"]);
    assert!(e.contains("The import would be refused, and nothing imported. Line 3: Jamaica's allocation of 1 seat is full"), "{e}");
    let out = cli(&db, &["import", f, "--register", "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(p["forecast"]["refused"].as_str().unwrap().starts_with("Line 3: "), "{p}");
    assert_eq!(ok_json(&db, &["status", "--json"])["registered"], 0, "a dry run writes nothing");
    let e = refused(&db, &["import", f, "--register"]);
    assert!(e.contains("Line 3: Jamaica's allocation of 1 seat is full"), "{e}");
}

#[test]
fn export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    ok_json(
        &db,
        &["register", "--json", "--given-name", "Zoë", "--category", "press", "--phone", "+1-555-0100"],
    );
    let out = dir.path().join("r.csv");
    let o = cli(
        &db,
        &["export", "roster", "--format", "csv", "--columns", "security", "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 person written to"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with(
            "\u{FEFF}Name,Badge name,Rank,Delegation,Organisation,Category,Vetting,Vetting note\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("Zoë,,,,,Press,pending,\r\n"), "{text}");
    let e = refused(&db, &["export", "roster", "--format", "pdf2", "-o", out.to_str().unwrap()]);
    assert!(e.contains("Unknown format \"pdf2\""), "{e}");
}

#[test]
fn allocations_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let out = cli(&db, &["allocation", "set", "jamaica", "4"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Jamaica                          0 of 4 seats registered"));
    let e = refused(&db, &["allocation", "set", "Haiti", "97"]);
    assert!(e.contains("would total 101 seats, more than the capacity of 100"), "{e}");
    let e = refused(&db, &["allocation", "policy", "maybe"]);
    assert!(e.contains("use waitlist or refuse") && e.contains("(POLICY)"), "{e}");
    let e = refused(&db, &["allocation", "set", "Haiti", "lots"]);
    assert!(e.contains("(SEATS)"), "{e}");
    ok_json(
        &db,
        &["register", "--json", "--given-name", "A", "--delegation", "Jamaica", "--category", "delegate"],
    );
    let s = ok_json(&db, &["status", "--json"]);
    assert_eq!(
        s["allocations"][0],
        serde_json::json!({"delegation": "Jamaica", "seats": 4, "registered": 1})
    );
}

/// The CLI maps columns by hand (`--map`), gives rows without a category a default
/// (`--category`), and names the argument when either is wrong.
#[test]
fn import_with_a_manual_mapping_and_a_default_category() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let file = "tests/data/eventbrite-attendees.csv";
    let e = refused(&db, &["import", file, "--map", "Home Country=shoe size"]);
    assert!(e.contains("no field has that name") && e.trim_end().ends_with("(--map)"), "{e}");
    let e = refused(&db, &["import", file, "--map", "Home Country"]);
    assert!(e.contains("must be written HEADER=FIELD") && e.trim_end().ends_with("(--map)"), "{e}");
    let e = refused(&db, &["import", file, "--category", "spectator"]);
    assert!(e.contains("(--category)"), "{e}");
    let p = ok_json(
        &db,
        &[
            "import",
            file,
            "--map",
            "Home Country=delegation",
            "--category",
            "Observer",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(
        (p["new"].as_u64(), p["invalid"].as_u64(), p["defaulted"].as_u64()),
        (Some(4), Some(0), Some(1))
    );
    let out = cli(&db, &["import", file, "--map", "Home Country=delegation", "--category", "Observer"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Column \"Home Country\" read as delegation (manual)"), "{text}");
    assert!(text.contains("1 row(s) without a category are Observer"), "{text}");
    let list = ok_json(&db, &["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
}

/// Numbers from the command line are bounded before use: a huge day range, seats past u32,
/// and an export onto the database are refused with exit 2, naming the argument.
#[test]
fn hostile_numbers_and_paths_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let e = refused(&db, &["register", "--given-name", "A", "--category", "vip", "--days", "1-4294967295"]);
    assert!(e.contains("Day 4294967295 is not a day of this event") && e.contains("(--days)"), "{e}");
    let e = refused(&db, &["allocation", "set", "Jamaica", "4294967295"]);
    assert!(e.contains("out of range") && e.contains("(SEATS)"), "{e}");
    let e = refused(&db, &["export", "roster", "--format", "csv", "--days", "1-99999999999", "-o", "x.csv"]);
    assert!(e.contains("(--days)"), "{e}");
    let before = std::fs::read(&db).unwrap();
    let e = refused(&db, &["export", "roster", "--format", "csv", "-o", db.to_str().unwrap()]);
    assert!(e.contains("is the desk's database") && e.contains("(--output)"), "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let wal = format!("{}-wal", db.display());
    let e = refused(&db, &["calibration", "cr80", "--page", &wal]);
    assert!(e.contains("would destroy it"), "{e}");
}

/// Every writer of a file, given a file in a folder that does not exist, is refused with exit 2
/// naming the folder, before anything is recorded: no badge version, no print job, no audit
/// entry, no file. (It ended with exit 1, an I/O failure, after the badge's version was kept.)
#[test]
fn a_file_in_a_folder_that_does_not_exist_is_refused_with_exit_2_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    ok_json(&db, &["register", "--json", "--given-name", "Zoë", "--category", "press"]);
    ok_json(
        &db,
        &[
            "session", "add", "--day", "1", "--start", "09:00", "--end", "10:00", "--title", "Opening",
            "--json",
        ],
    );
    let nowhere = dir.path().join("no-such-folder");
    let at = |name: &str| nowhere.join(name).display().to_string();
    let writers: Vec<Vec<String>> = vec![
        vec!["export".into(), "roster".into(), "--format".into(), "csv".into(), "-o".into(), at("r.csv")],
        vec!["export".into(), "roster".into(), "--format".into(), "pdf".into(), "-o".into(), at("r.pdf")],
        vec![
            "export".into(),
            "attendance".into(),
            "--session".into(),
            "1".into(),
            "--format".into(),
            "csv".into(),
            "-o".into(),
            at("a.csv"),
        ],
        vec!["audit".into(), "--csv".into(), at("audit.csv")],
        vec![
            "badges".into(),
            "--all".into(),
            "--preset".into(),
            "cr80".into(),
            "-o".into(),
            at("badges.pdf"),
        ],
        vec!["calibration".into(), "cr80".into(), "--page".into(), at("cal.pdf")],
        vec!["session".into(), "export".into(), "-o".into(), at("programme.csv")],
        vec!["backup".into(), "-o".into(), at("b.sqlite3")],
    ];
    let trail = |db: &Path| ok_json(db, &["audit", "--json"]).as_array().map(Vec::len);
    let before = (trail(&db), ok_json(&db, &["list", "--json"]));
    for args in &writers {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = refused(&db, &args);
        assert!(
            e.contains(&format!("The folder {} does not exist", nowhere.display()))
                && e.contains("nothing was written"),
            "{args:?}: {e}"
        );
        assert_eq!((trail(&db), ok_json(&db, &["list", "--json"])), before, "{args:?} changed something");
    }
    assert!(!nowhere.exists());
    let jobs = ok_json(&db, &["print-jobs", "--json"]);
    assert_eq!(jobs.as_array().map(Vec::len), Some(0), "{jobs}");
    // A path with no file name is refused the same way.
    let e = refused(&db, &["export", "roster", "--format", "csv", "-o", ".."]);
    assert!(e.contains("not a file name") || e.contains("is a folder"), "{e}");
}

/// Output into a closed pipe (`| head`) ends the CLI quietly, not with a panic.
#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    cli(&db, &["status"]);
    let mut child = Command::new(CLI)
        .arg("--db")
        .arg(&db)
        .args(["presets", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

/// The hostile corpus through the CLI: each value is stored and given back exactly, or
/// refused with exit 2 and a message that names the field.
#[test]
fn hostile_values_are_stored_exactly_or_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let exact = [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "Robert'); DROP TABLE attendee;--",
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1-555 @SUM(A1)",
        "محمد العتيبي",
        "👩🏽‍⚕️ Zoë 👨‍👩‍👧",
        "\"quoted\", with; separators",
    ];
    for (i, v) in exact.iter().enumerate() {
        let (given, field, key) = (*v, "--position", "position");
        let family = format!("F{i}");
        let a = ok_json(
            &db,
            &[
                "register",
                "--json",
                "--given-name",
                given,
                "--family-name",
                &family,
                "--category",
                "vip",
                field,
                v,
            ],
        );
        assert_eq!(a["givenName"].as_str(), Some(given));
        let shown = ok_json(&db, &["show", &a["id"].to_string(), "--json"]);
        assert_eq!(shown[key].as_str(), Some(*v), "{v}");
    }
    for (args, field) in [
        (vec!["--given-name", "", "--family-name", " "], "--given-name"),
        (vec!["--given-name", "A\u{202E}B"], "--given-name"),
        (vec!["--given-name", "Zero\u{200B}Width"], "--given-name"),
        (vec!["--given-name", "Bell\u{7}"], "--given-name"),
        (vec!["--given-name", "Tab", "--notes", "a\tb"], "--notes"),
    ] {
        let mut all = vec!["register", "--category", "vip"];
        all.extend(args);
        let e = refused(&db, &all);
        assert!(e.contains(&format!("({field})")), "{e}");
    }
    let long = "x".repeat(10_000);
    let e = refused(&db, &["register", "--category", "vip", "--given-name", &long]);
    assert!(e.contains("10000 characters, the limit is 100 (") && e.contains("(--given-name)"), "{e}");
    let list = ok_json(&db, &["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), exact.len());
}

/// An import file is never read whole past the limit: /dev/zero is refused at once.
#[test]
fn an_endless_import_file_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let e = refused(&db, &["import", "/dev/zero", "--dry-run"]);
    assert!(e.contains("larger than 32 MB"), "{e}");
    assert!(!e.contains("32.0 MB"), "the size read is not the file's: {e}");
}

/// A named pipe given as an invite list or a programme is refused at once: opening it would
/// wait for a writer for ever.
#[test]
fn a_named_pipe_given_as_a_file_to_read_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let pipe = dir.path().join("guests.csv");
    assert!(Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    for args in
        [["import", pipe.to_str().unwrap(), "--dry-run"], ["session", "import", pipe.to_str().unwrap()]]
    {
        let out = cli(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8(out.stderr).unwrap();
        assert!(e.contains("is a named pipe, not a file") && e.contains("(FILE)"), "{e}");
    }
    // A name typed wrong, or a folder, is the user's to correct: exit 2, naming the argument
    // (it was exit 1, as for a disk that fails).
    let missing = dir.path().join("nofile.csv");
    for file in [missing.to_str().unwrap(), dir.path().to_str().unwrap()] {
        for args in [["import", file, "--dry-run"], ["session", "import", file]] {
            let e = refused(&db, &args);
            assert!(
                (e.contains("does not exist") || e.contains("is a folder")) && e.contains("(FILE)"),
                "{e}"
            );
        }
    }
}

/// `search` finds by the start of any word, in any order, and prints JSON with --json.
#[test]
fn search_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    ok_json(
        &db,
        &[
            "register",
            "--json",
            "--given-name",
            "Jean-Baptiste",
            "--family-name",
            "Núñez",
            "--category",
            "vip",
        ],
    );
    ok_json(
        &db,
        &["register", "--json", "--given-name", "Marie", "--family-name", "Curie", "--category", "vip"],
    );
    let found = ok_json(&db, &["search", "nun", "jea", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["familyName"], "Núñez");
    let out = cli(&db, &["search", "zzz"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0 found");
}

/// `pin set` reads the PIN from standard input (never from the command line), refuses a short
/// one naming where it came from, and `pin status` says who set it; the audit trail records
/// the change without the PIN.
#[test]
fn the_pin_is_set_from_standard_input_and_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let short = with_input(&db, &["--operator", "Coordinator", "pin", "set"], "12345\n12345\n", None);
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 6 characters (standard input)"));
    let differ = with_input(&db, &["--operator", "Coordinator", "pin", "set"], "808080\n808081\n", None);
    assert_eq!(differ.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&differ.stderr).contains("The two PINs differ"));
    let once = with_input(&db, &["--operator", "Coordinator", "pin", "set"], "808080\n", None);
    assert_eq!(once.status.code(), Some(2), "a PIN typed once is not taken");
    assert!(String::from_utf8_lossy(&cli(&db, &["pin", "status"]).stdout).contains("No coordinator PIN"));
    let good = with_input(&db, &["--operator", "Coordinator", "pin", "set"], "808080\r\n808080\r\n", None);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let status = String::from_utf8_lossy(&cli(&db, &["pin", "status"]).stdout).to_string();
    assert!(status.contains("set (by Coordinator"), "{status}");
    let audit = String::from_utf8_lossy(&cli(&db, &["audit", "--json"]).stdout).to_string();
    assert!(audit.contains("pin.set") && !audit.contains("808080"), "{audit}");
    // Changed without the current PIN (none in the environment, no terminal): refused once,
    // in one sentence (it used to be said twice).
    let again = with_input(&db, &["pin", "set"], "909090\n909090\n", None);
    assert_eq!(again.status.code(), Some(2));
    let e = String::from_utf8_lossy(&again.stderr).to_string();
    assert_eq!(e.matches("nothing was changed").count(), 1, "{e}");
    assert!(e.contains("Changing the coordinator PIN needs the current one"), "{e}");
}

/// Runs the CLI with `input` on standard input and the coordinator PIN (if any) in its
/// environment.
fn with_input(db: &Path, args: &[&str], input: &str, pin: Option<&str>) -> Output {
    use std::io::Write;
    let mut c = Command::new(CLI);
    c.arg("--db").arg(db).args(args).env_remove("DELEGATE_DESK_DB").env_remove("DELEGATE_DESK_PIN");
    if let Some(pin) = pin {
        c.env("DELEGATE_DESK_PIN", pin);
    }
    let mut child = c
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Once a PIN is set, the CLI's coordinator actions need it from DELEGATE_DESK_PIN (never an
/// argument): without it, or with a wrong one, exit 2 and nothing written; `pin set` needs the
/// current PIN; `pin reset` replaces a forgotten one, is audited and stays in `pin status`
/// until acknowledged; wrong tries are counted across processes.
#[test]
fn coordinator_actions_of_the_cli_need_the_pin_once_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let capacity = |db: &Path| ok_json(db, &["event", "show", "--json"])["capacity"].clone();
    // No PIN yet: the coordinator works from the CLI.
    ok_json(&db, &["event", "set", "--capacity", "120", "--json"]);
    let set = with_input(&db, &["pin", "set"], "135790\n135790\n", None);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let audit_rows = |db: &Path| ok_json(db, &["audit", "--json"]).as_array().map(Vec::len);
    let rows = audit_rows(&db);
    for args in [
        &["event", "set", "--capacity", "150"][..],
        &["allocation", "set", "Jamaica", "4"][..],
        &["allocation", "policy", "refuse"][..],
        &["pin", "acknowledge"][..],
    ] {
        let out = with_input(&db, args, "", None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("DELEGATE_DESK_PIN") && e.contains("nothing was changed"), "{args:?}: {e}");
    }
    assert_eq!(capacity(&db), 120);
    assert_eq!(audit_rows(&db), rows, "refusals wrote nothing");
    let wrong = with_input(&db, &["event", "set", "--capacity", "150"], "", Some("000000"));
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("Wrong PIN (4 tries left)"));
    let right = with_input(&db, &["event", "set", "--capacity", "150"], "", Some("135790"));
    assert!(right.status.success(), "{}", String::from_utf8_lossy(&right.stderr));
    assert_eq!(capacity(&db), 150);
    // The PIN is never a command-line argument.
    assert_eq!(cli(&db, &["event", "set", "--capacity", "151", "--pin", "135790"]).status.code(), Some(2));
    // Changing the PIN needs the current one.
    let no_current = with_input(&db, &["pin", "set"], "246802\n246802\n", None);
    assert_eq!(no_current.status.code(), Some(2));
    let changed = with_input(&db, &["pin", "set"], "246802\n246802\n", Some("135790"));
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    // Four wrong tries in four processes, then a fifth: the next try waits.
    for _ in 0..4 {
        with_input(&db, &["event", "set", "--capacity", "99"], "", Some("000000"));
    }
    let fifth = with_input(&db, &["event", "set", "--capacity", "99"], "", Some("000000"));
    assert!(String::from_utf8_lossy(&fifth.stderr).contains("the next try is possible in 60 s"), "{fifth:?}");
    let waits = with_input(&db, &["event", "set", "--capacity", "99"], "", Some("246802"));
    assert!(String::from_utf8_lossy(&waits.stderr).contains("Too many wrong PINs"), "{waits:?}");
    assert_eq!(capacity(&db), 150);
    // Forgotten: reset (audited, shown until acknowledged), which also ends the wait.
    let reset = with_input(&db, &["--operator", "Night shift", "pin", "reset"], "112233\n112233\n", None);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let status = String::from_utf8_lossy(&cli(&db, &["pin", "status"]).stdout).to_string();
    assert!(status.contains("reset as forgotten by Night shift"), "{status}");
    let ack = with_input(&db, &["pin", "acknowledge"], "", Some("112233"));
    assert!(ack.status.success(), "{}", String::from_utf8_lossy(&ack.stderr));
    let status = String::from_utf8_lossy(&cli(&db, &["pin", "status"]).stdout).to_string();
    assert!(!status.contains("reset as forgotten"), "{status}");
    let audit = String::from_utf8_lossy(&cli(&db, &["audit", "--json"]).stdout).to_string();
    assert!(audit.contains("pin.reset") && !audit.contains("112233") && !audit.contains("246802"), "{audit}");
}

/// A change run again with the same `--request-id` (a script retrying after a lost reply) is
/// answered as the first time and applied once; a malformed id is refused before anything.
#[test]
fn a_request_id_makes_a_retried_command_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let args = [
        "register",
        "--json",
        "--request-id",
        "script-run-7-row-12",
        "--given-name",
        "Ana",
        "--family-name",
        "Mora",
        "--delegation",
        "Belize",
        "--category",
        "delegate",
    ];
    let first = ok_json(&db, &args);
    let again = ok_json(&db, &args);
    assert_eq!(again, first);
    let list = ok_json(&db, &["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let id = first["id"].to_string();
    let cancel = ["cancel", &id, "--json", "--request-id", "script-run-7-cancel"];
    let cancelled = ok_json(&db, &cancel);
    assert_eq!(ok_json(&db, &cancel), cancelled, "a retried cancel is answered, not refused");
    let e =
        refused(&db, &["register", "--request-id", "x y", "--given-name", "Bo", "--category", "delegate"]);
    assert!(e.contains("Request id \"x y\""), "{e}");
    assert_eq!(ok_json(&db, &["list", "--json"]).as_array().unwrap().len(), 1);
    // The id of Ana's registration, sent with Bruno: refused (exit 2), nobody registered.
    let mut bruno = args;
    bruno[5] = "Bruno";
    bruno[7] = "Batard";
    let e = refused(&db, &bruno);
    assert!(
        e.contains("Request id script-run-7-row-12 was already used for another change: `register`"),
        "{e}"
    );
    assert_eq!(ok_json(&db, &["list", "--json"]).as_array().unwrap().len(), 1);
    // A check-in undone, then the same check-in again under its kept id: the id answers its
    // first check-in (it names that request), and a new id checks the person in again.
    let checkin = ["checkin", &id, "--day", "1", "--json", "--request-id", "script-run-7-in"];
    let reinstated = ok_json(&db, &["reinstate", &id, "--json"]);
    assert_eq!(reinstated["status"], "registered");
    ok_json(&db, &checkin);
    ok_json(&db, &["undo-checkin", &id, "--day", "1", "--reason", "wrong person", "--json"]);
    let e = refused(&db, &["checkin", &id, "--day", "2", "--json", "--request-id", "script-run-7-in"]);
    assert!(e.contains("already used for another change"), "{e}");
    let again = ok_json(&db, &["checkin", &id, "--day", "1", "--json", "--request-id", "script-run-7-in-2"]);
    assert_eq!(again["result"], "checkedIn", "{again}");
}

#[test]
fn demo_makes_a_file_of_its_own_and_never_replaces_a_real_database() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("try.sqlite3");
    let made = ok_json(&demo, &["demo", "--json"]);
    assert_eq!(made["people"], 120);
    assert_eq!(made["registered"], 97);
    assert_eq!(ok_json(&demo, &["event", "show", "--json"])["demo"], true);
    assert_eq!(ok_json(&demo, &["status", "--json"])["waitlisted"], 6);

    let real = dir.path().join("real.sqlite3");
    ok_json(&real, &["status", "--json"]);
    assert_eq!(ok_json(&real, &["event", "show", "--json"])["demo"], false);
    let before = std::fs::read(&real).unwrap();
    let err = refused(&real, &["demo"]);
    assert!(err.contains("is not a demo database") && err.contains("(--db)"), "{err}");
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn version_help_with_examples_and_completions() {
    let out = Command::new(CLI).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("delegate-desk-cli {}", env!("CARGO_PKG_VERSION"))
    );
    for sub in [&["badges"][..], &["allocation", "set"], &["demo"], &["export", "roster"], &["pin", "set"]] {
        let out = Command::new(CLI).args(sub).arg("--help").output().unwrap();
        assert!(out.status.success());
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains(&format!("Examples:\n  delegate-desk-cli {}", sub.join(" "))),
            "{sub:?}:\n{help}"
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(CLI).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        // The completions know the subcommands, the new ones too.
        assert!(text.contains("undo-checkin") && text.contains("demo"), "{shell}");
    }
    let out = Command::new(CLI).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// No file the desk writes can remove or replace anything but itself: a database named as an
/// older version's temporary file was (`.roster.csv.partial`) survives every writer of files
/// beside it, and no temporary file is left behind, written or refused.
#[test]
fn writers_of_files_never_touch_a_database_named_like_their_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut names = Vec::new();
    for out in ["roster.csv", "badges.pdf", "audit.csv", "calibration.pdf"] {
        // Whatever name the temporary file of `out` had or has, a database may have it.
        names.push((out, format!(".{out}.partial")));
        names.push((out, format!(".{out}.000000000000.partial")));
    }
    for (out, db_name) in names {
        let db = p.join(&db_name);
        ok_json(
            &db,
            &[
                "register",
                "--given-name",
                "Bruno",
                "--family-name",
                "Batard",
                "--delegation",
                "Haiti",
                "--category",
                "delegate",
                "--json",
            ],
        );
        let target = p.join(out);
        let args: Vec<String> = match out {
            "roster.csv" => vec!["export".into(), "roster".into(), "--format".into(), "csv".into()],
            "badges.pdf" => vec!["badges".into(), "--all".into(), "--preset".into(), "insert-4x3".into()],
            "audit.csv" => vec!["audit".into(), "--csv".into(), target.display().to_string()],
            _ => {
                vec!["calibration".into(), "insert-4x3".into(), "--page".into(), target.display().to_string()]
            }
        };
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        let t = target.display().to_string();
        if matches!(out, "roster.csv" | "badges.pdf") {
            args.extend(["-o", &t]);
        }
        let run = cli(&db, &args);
        assert!(run.status.success(), "{db_name} {out}: {}", String::from_utf8_lossy(&run.stderr));
        assert!(target.is_file(), "{out} written");
        let people = ok_json(&db, &["list", "--json"]);
        assert_eq!(people.as_array().map(Vec::len), Some(1), "{db_name}: the database beside {out} is whole");
        let left: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial") && !n.starts_with(&db_name))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
        std::fs::remove_file(&target).unwrap();
        for f in [db.clone(), p.join(format!("{db_name}-wal")), p.join(format!("{db_name}-shm"))] {
            let _ = std::fs::remove_file(f);
        }
    }
    // A write that fails (its destination is a folder) leaves no temporary file either.
    let db = p.join("desk.sqlite3");
    let folder = p.join("roster-folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let run = cli(&db, &["export", "roster", "--format", "csv", "-o", &folder.display().to_string()]);
    assert!(!run.status.success());
    let left: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "temporary files left after a failed write: {left:?}");
}

/// Every date and time a person types is bounded, the same on both engines: an event date
/// outside 2000–2100 and an audit filter at chrono's edge are refused with exit 2 naming the
/// flag, nothing written, no panic.
#[test]
fn dates_and_times_typed_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let before = ok_json(&db, &["event", "show", "--json"]);
    for (flag, value) in [
        ("--start-date", "+262142-12-30"),
        ("--start-date", "1999-12-31"),
        ("--end-date", "2101-01-01"),
        ("--start-date", "0000-01-01"),
        ("--end-date", "-0001-12-31"),
        ("--end-date", "9999-12-31"),
        ("--end-date", "2100-02-29"),
    ] {
        let e = refused(&db, &["event", "set", &format!("{flag}={value}")]);
        assert!(e.contains(&format!("({flag})")) && e.contains(value), "{flag} {value}: {e}");
        assert!(e.contains("2000 to 2100") || value.contains("02-29"), "{flag} {value}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    assert_eq!(ok_json(&db, &["event", "show", "--json"]), before, "nothing was written");
    assert_eq!(ok_json(&db, &["audit", "--json"]).as_array().map(Vec::len), Some(0), "nothing audited");
    for (flag, value) in [
        ("--until", "+262142-12-31 23:59"),
        ("--since", "+262142-12-31"),
        ("--until", "262142-12-31T23:59:59Z"),
        ("--since", "-262143-01-01 00:00"),
        ("--until", "9999-12-31 23:59"),
        ("--since", "1970-01-01"),
    ] {
        let e = refused(&db, &["audit", &format!("{flag}={value}")]);
        assert!(e.contains(&format!("({flag})")), "{flag} {value}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    // The edges that are allowed.
    ok_json(&db, &["event", "set", "--start-date", "2000-01-01", "--end-date", "2000-01-02", "--json"]);
    ok_json(&db, &["audit", "--since", "2000-01-01", "--until", "2100-12-31 23:59", "--json"]);
    ok_json(&db, &["event", "set", "--start-date", "2100-12-30", "--end-date", "2100-12-31", "--json"]);
}

/// A file an earlier version let hold a date out of range (SQLite stored +262142-12-30, which
/// PostgreSQL refuses) is not copied: refused naming --from and saying how to mend it, no
/// target made. Once its dates are set again it copies.
#[test]
fn a_copy_of_an_event_dated_out_of_range_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite3");
    ok_json(&db, &["event", "show", "--json"]);
    delegate_desk::db::Db::open_raw(&db)
        .unwrap()
        .execute("UPDATE event SET start_date = '+262142-12-30', end_date = '+262142-12-31'", &[])
        .unwrap();
    assert_eq!(ok_json(&db, &["event", "show", "--json"])["startDate"], "+262142-12-30");
    let to = dir.path().join("copy.sqlite3");
    let out = cli(&db, &["copy", "--from", db.to_str().unwrap(), "--to", to.to_str().unwrap()]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("+262142-12-30") && e.contains("(--from)") && e.contains("event set"), "{e}");
    assert!(!to.exists(), "a target was made");
    ok_json(&db, &["event", "set", "--start-date", "2027-11-14", "--end-date", "2027-11-15", "--json"]);
    let out = cli(&db, &["copy", "--from", db.to_str().unwrap(), "--to", to.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `badges --check` names what looks like a mistake on a badge (a name all in lower case, no
/// delegation) before it prints; JSON gives the warnings per badge.
#[test]
fn the_badge_check_warns_about_a_lower_case_name_and_no_delegation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let a = ok_json(
        &db,
        &["register", "--json", "--given-name", "marcus", "--family-name", "oneil", "--category", "delegate"],
    );
    let id = a["id"].as_i64().unwrap().to_string();
    let pdf = dir.path().join("b.pdf");
    let out = cli(&db, &["badges", "--id", &id, "--preset", "cr80", "--check", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("? Name \"marcus oneil\" is all in lower case"), "{text}");
    assert!(text.contains("? marcus oneil: no delegation on the badge"), "{text}");
    assert!(!pdf.exists(), "a check prints nothing");
    let json = ok_json(
        &db,
        &["badges", "--id", &id, "--preset", "cr80", "--check", "--json", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(json["withWarnings"], 1, "{json}");
    assert_eq!(json["badges"][0]["warnings"].as_array().map(Vec::len), Some(2), "{json}");
}

#[test]
fn the_programme_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let s = ok_json(
        &db,
        &[
            "session",
            "add",
            "--day",
            "1",
            "--start",
            "8:00",
            "--end",
            "08:30",
            "--title",
            "Welcoming remarks",
            "--room",
            "Auditorium",
            "--open-to",
            "press",
            "--json",
        ],
    );
    let id = s["id"].as_i64().expect("the new session's id");
    assert_eq!((s["start"].as_str(), s["title"].as_str()), (Some("08:00"), Some("Welcoming remarks")));
    assert!(s["categories"].as_array().unwrap().iter().any(|c| c == "press"));
    let out = cli(&db, &["session", "list", "--day", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains(&format!(
            "#{id:<4} day 1  08:00–08:30  Welcoming remarks  [Auditorium]  — open to everyone"
        )),
        "{text}"
    );
    // A clash in the room is refused, naming the session it clashes with; nothing is added.
    let e = refused(
        &db,
        &[
            "session",
            "add",
            "--day",
            "1",
            "--start",
            "08:15",
            "--end",
            "09:00",
            "--title",
            "Panel",
            "--room",
            "auditorium",
        ],
    );
    assert!(e.contains("Auditorium is taken on day 1 from 08:00 to 08:30 by “Welcoming remarks”"), "{e}");
    assert_eq!(ok_json(&db, &["session", "list", "--json"]).as_array().unwrap().len(), 1);
    let e = refused(&db, &["session", "set", &id.to_string(), "--end", "07:00"]);
    assert!(e.contains("The session ends at 07:00, before it starts at 08:00"), "{e}");
    let changed = ok_json(&db, &["session", "set", &id.to_string(), "--closed-to", "press", "--json"]);
    assert!(!changed["categories"].as_array().unwrap().iter().any(|c| c == "press"));
    // Out and back in.
    let file = dir.path().join("programme.csv");
    assert!(cli(&db, &["session", "export", "-o", file.to_str().unwrap()]).status.success());
    let other = dir.path().join("other.sqlite3");
    let r = ok_json(&other, &["session", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(r["added"], 1);
    let out = cli(&db, &["session", "remove", &id.to_string()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Removed “Welcoming remarks”"));
    let e = refused(&db, &["session", "remove", &id.to_string()]);
    assert!(e.contains(&format!("There is no session #{id}")), "{e}");
}

#[test]
fn the_door_from_the_command_line_exits_0_admitted_and_2_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let add = |title: &str, start: &str, end: &str| {
        let s = ok_json(
            &db,
            &["session", "add", "--day", "1", "--start", start, "--end", end, "--title", title, "--json"],
        );
        s["id"].as_i64().unwrap().to_string()
    };
    let closed = add("Disaster response", "09:00", "10:30");
    let reg = |given: &str, category: &str| {
        let a = ok_json(
            &db,
            &[
                "register",
                "--given-name",
                given,
                "--family-name",
                "Door",
                "--delegation",
                "Belize",
                "--category",
                category,
                "--json",
            ],
        );
        a["attendee"]["id"].as_i64().or(a["id"].as_i64()).unwrap().to_string()
    };
    let press = reg("Pat", "press");
    let officer = reg("Olu", "delegate");
    // Refused: exit 2, the reason on stderr, nothing written.
    let e = refused(&db, &["checkin", &press, "--session", &closed]);
    assert!(e.contains("Refused: Press — this session is closed to the press"), "{e}");
    let card = ok_json(&db, &["show", &press, "--json"]);
    assert_eq!(card["status"], "registered");
    // Admitted: exit 0, the card names the session; it counts as the day's check-in.
    let out = cli(&db, &["checkin", &officer, "--session", &closed]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Olu Door admitted to “Disaster response” at"), "{text}");
    assert!(
        text.contains(&format!("session #{closed} “Disaster response” (day 1, 09:00–10:30): in since")),
        "{text}"
    );
    assert!(text.contains("day 1 checked in"), "{text}");
    // Again: exit 0, already in since.
    let again = ok_json(&db, &["checkin", &officer, "--session", &closed, "--json"]);
    assert_eq!(again["result"], "alreadyCheckedIn");
    assert!(again["message"].as_str().unwrap().contains("is already in “Disaster response” since"));
    // --day and --session together is a usage error; an unknown session names its number.
    assert_eq!(cli(&db, &["checkin", &officer, "--session", &closed, "--day", "1"]).status.code(), Some(2));
    let e = refused(&db, &["checkin", &officer, "--session", "404"]);
    assert!(e.contains("There is no session #404"), "{e}");
    // The attendance goes out; JSON is not an attendance format.
    let csv = dir.path().join("attendance.csv");
    let out = cli(
        &db,
        &["export", "attendance", "--session", &closed, "--format", "csv", "-o", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Attendance of “Disaster response” — 1 in, 1 on the sheet"));
    let body = std::fs::read_to_string(&csv).unwrap();
    assert!(body.contains("Olu Door") && !body.contains("Pat Door"), "{body}");
    let e = refused(
        &db,
        &["export", "attendance", "--session", &closed, "--format", "json", "-o", csv.to_str().unwrap()],
    );
    assert!(e.contains("csv, xlsx or pdf"), "{e}");
}

/// A copy killed half-way leaves nothing under the name asked for (the new file is made under
/// a temporary name and named only once it reads back the same), so the copy can simply be
/// run again, and the copy made then opens. Nor does it leave a copy of its source in the
/// temporary folder (a working copy in a file stayed there, readable, with every attendee).
#[test]
fn a_copy_killed_half_way_leaves_no_half_made_file_and_can_be_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.sqlite3");
    {
        let mut desk = delegate_desk::Desk::open(&db).unwrap();
        let mut csv = String::from("given_name,family_name,delegation,category,email\n");
        for i in 0..15_000 {
            csv.push_str(&format!("Given{i},Family{i},Jamaica,Delegate,p{i}@example.org\n"));
        }
        desk.import(csv.as_bytes(), &Default::default()).unwrap();
    }
    let to = dir.path().join("copy.sqlite3");
    let partial = || {
        std::fs::read_dir(dir.path()).unwrap().any(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.starts_with(".copy.sqlite3.") && name.ends_with(".partial")
        })
    };
    let temp = tempfile::tempdir().unwrap();
    let mut child = Command::new(CLI)
        .env("TMPDIR", temp.path())
        .args([
            "--db",
            db.to_str().unwrap(),
            "copy",
            "--from",
            db.to_str().unwrap(),
            "--to",
            to.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the copy is being written: its file exists, under whatever name.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !partial()
        && !to.exists()
        && child.try_wait().unwrap().is_none()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    if status.success() {
        // The copy ended before the kill: nothing to check about a kill on this machine.
        assert!(to.exists());
        return;
    }
    assert!(!to.exists(), "a half-made copy under the name asked for");
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0, "left in the temporary folder");
    let out = cli(&db, &["copy", "--from", db.to_str().unwrap(), "--to", to.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let status = ok_json(&to, &["status", "--json"]);
    assert_eq!(status["invited"], 15_000, "{status}");
}

/// Escape sequences in an invite list (a header, a cell) are never written to the terminal as
/// they are: a terminal obeys them (a new title, a cleared screen, text moved). They are
/// written as `\u{1b}`, and a long unknown category is quoted shortened.
#[test]
fn escape_sequences_in_a_file_are_not_written_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let list = dir.path().join("list.csv");
    let category = format!("\u{1b}]0;pwned\u{7}{}", "x".repeat(5_000));
    std::fs::write(
        &list,
        format!("given_name,category,Notes\u{1b}[2J\nAnn,{category},\nBo,\u{1b}[31mVIP,\n"),
    )
    .unwrap();
    for args in [vec!["import", list.to_str().unwrap(), "--dry-run"], vec!["import", list.to_str().unwrap()]]
    {
        let out = cli(&db, &args);
        let both =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!both.contains('\u{1b}') && !both.contains('\u{7}'), "{args:?}: {both:?}");
        assert!(both.contains("\\u{1b}"), "{args:?}: shown escaped: {both}");
        assert!(both.len() < 3_000, "{args:?}: the long value is shortened: {} bytes", both.len());
    }
}

/// An answer that cannot be written (standard output on a full disk: `/dev/full`) ends with
/// exit 1 and says so on stderr; the change it answers is made and kept, and the automatic
/// backup after a change still runs. Before, the CLI panicked: exit 101 and no backup.
#[test]
fn an_answer_that_cannot_be_written_is_exit_1_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let out = Command::new(CLI)
        .arg("--db")
        .arg(&db)
        .args(["register", "--given-name", "Ann", "--family-name", "Full", "--category", "delegate"])
        .env_remove("DELEGATE_DESK_DB")
        .env_remove("DELEGATE_DESK_PIN")
        .stdout(full)
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(e.contains("the answer could not be written to standard output"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert_eq!(ok_json(&db, &["status", "--json"])["registered"], 1, "the change is made");
    let backups = dir.path().join("d.sqlite3-backups");
    assert!(std::fs::read_dir(&backups).is_ok_and(|mut d| d.next().is_some()), "the automatic backup ran");
}

/// Runs the CLI with its standard output on `stdout`.
fn cli_to(db: &Path, args: &[&str], stdout: std::process::Stdio) -> std::process::Child {
    Command::new(CLI)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DELEGATE_DESK_DB")
        .env_remove("DELEGATE_DESK_PIN")
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// A change is backed up even when the command then fails (the calibration page could not be
/// written after the shift was saved), or when the reader of its output went away (`… | grep
/// -q`): the backup was skipped, killed by SIGPIPE or returned past by the failure.
#[test]
fn a_change_is_backed_up_whatever_happens_after_it() {
    let backups =
        |db: &Path| std::fs::read_dir(delegate_desk::backup::backup_dir(db)).map(|d| d.count()).unwrap_or(0);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cal.sqlite3");
    let out = cli(&db, &["calibration", "cr80", "--dx", "1", "--dy", "0.5", "--page", "/proc/cal.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("The shift was saved"));
    assert_eq!(backups(&db), 1, "the saved shift is in a backup");

    let db = dir.path().join("pipe.sqlite3");
    let mut child = cli_to(
        &db,
        &["register", "--given-name", "Pipe", "--family-name", "Test", "--category", "delegate"],
        std::process::Stdio::piped(),
    );
    drop(child.stdout.take()); // the reader is gone before the answer is written
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a closed pipe is exit 1, not a signal: {:?}", out.status);
    assert!(out.stderr.is_empty(), "nobody reads a message: {}", String::from_utf8_lossy(&out.stderr));
    let status = ok_json(&db, &["status", "--json"]);
    assert_eq!(status["registered"], 1);
    assert_eq!(backups(&db), 1, "the registration is in a backup");
}

/// Edges of the command line found by a review: each said something untrue, or ended with a
/// code or a message not its own.
#[test]
fn the_command_line_says_what_happened_at_its_edges() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("edges.sqlite3");
    ok_json(&db, &["register", "--json", "--given-name", "Ann", "--family-name", "Lee", "--category", "vip"]);
    // A name filter of 60,000 characters: refused naming it, not the database's words.
    let long = "a".repeat(60_000);
    let e = refused(&db, &["list", "--name", &long]);
    assert!(e.contains("(--name)") && !e.contains("Database error"), "{e}");
    let e = refused(&db, &["list", "--delegation", &long]);
    assert!(e.contains("(--delegation)"), "{e}");
    // Standard output that cannot be written: exit 1 and a message, never a panic or exit 0.
    for args in [&["completions", "bash"][..], &["--help"][..]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = cli_to(&db, args, full.into()).wait_with_output().unwrap();
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
    // A backup named by a link to nowhere: refused as a link before anything is copied.
    let dangling = dir.path().join("dangling.sqlite3");
    std::os::unix::fs::symlink(dir.path().join("nowhere/x.sqlite3"), &dangling).unwrap();
    let e = refused(&db, &["backup", "-o", dangling.to_str().unwrap()]);
    assert!(e.contains("symbolic link") && e.contains("(--output)"), "{e}");
    // Refusals name the argument as it is typed.
    let e = refused(&db, &["checkin", "--scan", ""]);
    assert!(e.trim_end().ends_with("(--scan)"), "{e}");
    let session = ok_json(
        &db,
        &[
            "session", "add", "--day", "1", "--start", "09:00", "--end", "10:00", "--title", "Opening",
            "--json",
        ],
    );
    let id = session["id"].as_i64().or_else(|| session["session"]["id"].as_i64()).unwrap().to_string();
    for day in ["0", "3", "99"] {
        let e = refused(&db, &["session", "list", "--day", day]);
        assert!(e.contains(&format!("no day {day}")) && e.contains("(--day)"), "{e}");
    }
    assert!(cli(&db, &["session", "list", "--day", "1"]).status.success());
    let add = ["session", "add", "--day", "1", "--start", "11:00", "--end", "12:00", "--title", "Press"];
    let e = refused(&db, &[&add[..], &["--open-to", "martians"]].concat());
    assert!(e.trim_end().ends_with("(--open-to)"), "{e}");
    let e = refused(&db, &[&add[..], &["--open-to", "press", "--closed-to", "press"]].concat());
    assert!(e.contains("both opened and closed") && e.trim_end().ends_with("(--closed-to)"), "{e}");
    let many: Vec<String> = (1..=10_001).map(|i| i.to_string()).collect();
    let mut args = vec!["session", "admit", id.as_str()];
    args.extend(many.iter().map(String::as_str));
    let e = refused(&db, &args);
    assert!(e.trim_end().ends_with("(PEOPLE)"), "{e}");
    // A print sent again with its request id, its PDF moved away since: the answer stands,
    // with no pre-flight of a print that does not happen ("reprint, version 3").
    let ann = ok_json(&db, &["list", "--json"])[0]["id"].as_i64().unwrap().to_string();
    let first = dir.path().join("first.pdf");
    ok_json(&db, &["badges", "--id", &ann, "--preset", "cr80", "-o", first.to_str().unwrap(), "--json"]);
    let again = dir.path().join("again.pdf");
    let reprint = [
        "--request-id",
        "badge-run-0001",
        "badges",
        "--id",
        &ann,
        "--preset",
        "cr80",
        "-o",
        again.to_str().unwrap(),
        "--reprint",
        "--reason",
        "lost",
    ];
    let out = cli(&db, &reprint);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("version 2"));
    std::fs::rename(&again, dir.path().join("moved.pdf")).unwrap();
    let out = cli(&db, &reprint);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!said.contains("version 3") && !said.contains("Pre-flight"), "{said}");
    assert!(said.contains("answered before") && said.contains("no longer there"), "{said}");
    let shown = String::from_utf8_lossy(&cli(&db, &["show", &ann]).stdout).to_string();
    assert!(shown.contains("version 2") && !shown.contains("version 3"), "{shown}");
    // No PIN reset waiting: nothing is said to be acknowledged.
    let set = with_input(&db, &["--operator", "Coordinator", "pin", "set"], "808080\n808080\n", None);
    assert!(set.status.success());
    let ack = with_input(&db, &["pin", "acknowledge"], "", Some("808080"));
    assert!(ack.status.success(), "{}", String::from_utf8_lossy(&ack.stderr));
    let said = String::from_utf8_lossy(&ack.stdout).to_string();
    assert!(said.contains("No PIN reset was waiting") && !said.contains("is acknowledged"), "{said}");
}
