//! Backups and restore: consistent while another desk writes, rotated, private, and a restore
//! that never silently loses newer changes.

mod common;

use common::{desk, desk_with_capacity, nth};
use delegate_desk::backup::{backup_dir, inspect, AUTO_KEEP};
use delegate_desk::Desk;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn count(path: &Path, sql: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Backups taken while another desk registers people are each one consistent moment: every
/// attendee has its audit row, the capacity holds, and the file passes an integrity check.
#[test]
fn a_backup_during_a_stream_of_registrations_is_consistent() {
    let (dir, db, desk) = desk_with_capacity(150);
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut other = Desk::open(&writer_db).unwrap();
        for i in 0..200 {
            other.register(&nth(i)).unwrap();
        }
    });
    let mut sizes = Vec::new();
    for k in 0..6 {
        let out = dir.path().join(format!("b{k}.sqlite3"));
        let info = desk.backup(&out).unwrap();
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        let conn = rusqlite::Connection::open(&out).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        drop(conn);
        let people = count(&out, "SELECT count(*) FROM attendee");
        assert_eq!(people, info.attendees);
        assert_eq!(people, count(&out, "SELECT count(*) FROM audit WHERE action = 'register'"));
        assert!(count(&out, "SELECT count(*) FROM attendee WHERE status = 'registered'") <= 150);
        assert!(!dir.path().join(format!("b{k}.sqlite3-wal")).exists(), "a backup is one file");
        sizes.push(people);
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    writer.join().unwrap();
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");

    // The last one restores into a desk that has moved on only with --force.
    let last = dir.path().join("b5.sqlite3");
    let mut desk = desk;
    assert!(
        sizes.iter().any(|&n| n > 0 && n < 200),
        "at least one backup was taken while the other desk was registering: {sizes:?}"
    );
    if sizes[5] < 200 {
        let e = desk.restore(&last, false).unwrap_err();
        assert!(e.to_string().contains("changes newer than the backup"), "{e}");
    }
    let out = desk.restore(&last, true).unwrap();
    assert_eq!(desk.list(&Default::default()).unwrap().len() as i64, sizes[5]);
    let aside = Path::new(&out.kept_aside);
    assert_eq!(count(aside, "SELECT count(*) FROM attendee"), 200);
    assert!(aside.starts_with(backup_dir(&db)));
}

/// Restoring refuses a database with newer changes, then replaces it when forced and keeps
/// the replaced one aside.
#[test]
fn restore_refuses_newer_changes_unless_forced() {
    let (dir, _db, mut desk) = desk_with_capacity(100);
    for i in 0..10 {
        desk.register(&nth(i)).unwrap();
    }
    let b = dir.path().join("ten.sqlite3");
    desk.backup(&b).unwrap();
    // Restoring the backup of the same moment is allowed.
    desk.restore(&b, false).unwrap();
    for i in 10..15 {
        desk.register(&nth(i)).unwrap();
    }
    let e = desk.restore(&b, false).unwrap_err();
    assert_eq!(e.kind(), "conflict");
    assert_eq!(desk.list(&Default::default()).unwrap().len(), 15, "a refused restore changes nothing");
    let out = desk.restore(&b, true).unwrap();
    assert_eq!(desk.list(&Default::default()).unwrap().len(), 10);
    assert_eq!(count(Path::new(&out.kept_aside), "SELECT count(*) FROM attendee"), 15);
    // The desk works on after a restore, and the restore is in the audit trail (the first
    // restore's entry went with the state it was written in).
    desk.register(&nth(99)).unwrap();
    assert_eq!(
        count(
            &dir.path().join("desk.sqlite3"),
            "SELECT count(*) FROM audit WHERE action = 'database.restore'"
        ),
        1
    );
}

/// A file that is not a Delegate Desk backup is refused and left byte-for-byte as it was.
#[test]
fn restore_refuses_a_file_that_is_not_ours_untouched() {
    let (dir, _db, mut desk) = desk_with_capacity(100);
    desk.register(&nth(1)).unwrap();
    let foreign = dir.path().join("foreign.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    }
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all").unwrap();
    for f in [&foreign, &junk] {
        let before = std::fs::read(f).unwrap();
        let e = desk.restore(f, true).unwrap_err();
        assert_eq!(e.kind(), "storage", "{e}");
        assert!(e.to_string().contains("not a Delegate Desk database"), "{e}");
        assert_eq!(std::fs::read(f).unwrap(), before);
    }
    assert_eq!(desk.list(&Default::default()).unwrap().len(), 1);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!names.iter().any(|n| n.to_string_lossy().contains("foreign.sqlite3-")), "{names:?}");
}

/// Automatic backups: one after a change, none without a change or within ten minutes, and
/// only the newest twelve are kept.
#[test]
fn automatic_backups_rotate() {
    let (_dir, db, mut desk) = desk_with_capacity(100);
    desk.register(&nth(1)).unwrap();
    let first = desk.auto_backup().unwrap().expect("a first backup after a change");
    assert!(desk.auto_backup().unwrap().is_none(), "no change since");
    desk.register(&nth(2)).unwrap();
    assert!(desk.auto_backup().unwrap().is_none(), "the last one is not ten minutes old");
    let folder = backup_dir(&db);
    assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    // Fourteen older automatic backups, from a day before.
    for h in 0..14 {
        let name = format!("auto-20191113-{:02}0000000-r1.sqlite3", h + 5);
        std::fs::copy(&first.path, folder.join(name)).unwrap();
    }
    std::fs::remove_file(&first.path).unwrap();
    let taken = desk.auto_backup().unwrap().expect("the newest is a day old");
    let autos: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("auto-"))
        .collect();
    assert_eq!(autos.len(), AUTO_KEEP, "{autos:?}");
    assert!(!autos.iter().any(|n| n.starts_with("auto-20191113-05")), "the oldest went first");
    assert_eq!(inspect(Path::new(&taken.path)).unwrap().attendees, 2);
    let status = desk.backup_status().unwrap();
    assert_eq!(status.count, AUTO_KEEP);
    assert_eq!(status.last.unwrap().path, taken.path);
    assert_eq!(status.auto_failed, None);

    // An automatic backup that fails (a file where its folder should be) is said by the
    // status until one works again: the window said only that the last backup grew older.
    desk.register(&nth(3)).unwrap();
    let aside = folder.with_extension("aside");
    std::fs::rename(&folder, &aside).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    let e = desk.auto_backup().expect_err("no folder to back up into");
    let said = desk.backup_status().unwrap().auto_failed.expect("the failure is said");
    assert!(said.contains(&e.to_string()), "{said}");
    std::fs::remove_file(&folder).unwrap();
    std::fs::rename(&aside, &folder).unwrap();
    desk.auto_backup().unwrap();
    assert_eq!(desk.backup_status().unwrap().auto_failed, None, "said until one works");
}

/// The CLI backs up, refuses to overwrite, restores, and names the operator it was given.
#[test]
fn cli_backup_and_restore() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let run = |args: &[&str]| {
        Command::new(cli).arg("--db").arg(&db).args(args).env_remove("DELEGATE_DESK_DB").output().unwrap()
    };
    let ok = |args: &[&str]| {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    ok(&["--operator", "Desk 1 — Ana", "register", "--given-name", "Ann", "--category", "vip"]);
    let b = dir.path().join("b.sqlite3");
    let out = ok(&["backup", "-o", b.to_str().unwrap()]);
    assert!(out.starts_with("Backed up 1 people"), "{out}");
    let again = run(&["backup", "-o", b.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let onto_db = run(&["backup", "-o", db.to_str().unwrap()]);
    assert_eq!(onto_db.status.code(), Some(2));
    ok(&["register", "--given-name", "Bob", "--category", "vip"]);
    let refused = run(&["restore", b.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    let out = ok(&["--operator", "Cora", "--desk", "Desk 7", "restore", b.to_str().unwrap(), "--force"]);
    assert!(out.contains("kept as"), "{out}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit WHERE action = 'database.restore' AND operator = 'Cora' AND desk = 'Desk 7'"),
        1,
        "the restore is recorded with the operator and the desk it was given"
    );
    // Once a PIN is set, a restore is the coordinator's: the CLI asks for it, as for any
    // coordinator action (here from DELEGATE_DESK_PIN), and restores once it is given.
    let cli_with = |args: &[&str], pin: Option<&str>| {
        let mut c = Command::new(cli);
        c.arg("--db").arg(&db).args(args).env_remove("DELEGATE_DESK_DB").env_remove("DELEGATE_DESK_PIN");
        if let Some(p) = pin {
            c.env("DELEGATE_DESK_PIN", p);
        }
        c.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"246810\n246810\n").unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(cli_with(&["pin", "set"], None).status.success());
    let locked = cli_with(&["restore", b.to_str().unwrap(), "--force"], None);
    assert_eq!(locked.status.code(), Some(2));
    let said = String::from_utf8_lossy(&locked.stderr);
    assert!(
        said.contains("Restoring a backup over this database is for the coordinator")
            && said.contains("DELEGATE_DESK_PIN"),
        "{said}"
    );
    let done = cli_with(&["restore", b.to_str().unwrap(), "--force"], Some("246810"));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    // A restore refused for a reason that needs no database creates none at a new path.
    let empty = dir.path().join("empty.sqlite3");
    drop(delegate_desk::Desk::open(&empty).unwrap());
    let fresh = dir.path().join("fresh.sqlite3");
    let o = Command::new(cli)
        .arg("--db")
        .arg(&fresh)
        .args(["restore", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds no attendee and no change"));
    assert!(!fresh.exists(), "a refused restore made no database");
    let list = ok(&["list", "--json"]);
    assert!(list.contains("\"Ann\"") && !list.contains("\"Bob\""), "{list}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit WHERE operator = 'Desk 1 — Ana' AND action = 'register'"),
        1
    );
    // The change through the CLI left an automatic backup beside the database.
    let listed = ok(&["backup", "--list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert!(v["count"].as_u64().unwrap() >= 1, "{v}");
    let bad = run(&["--operator", "  ", "status"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--operator"));
}

/// A damaged database is replaced by a backup only with --force, and is moved aside, not
/// deleted; reading the backup creates nothing beside it; a live database is not a backup.
#[test]
fn restore_replaces_a_damaged_database_only_when_forced() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let run = |args: &[&str]| {
        Command::new(cli).arg("--db").arg(&db).args(args).env_remove("DELEGATE_DESK_DB").output().unwrap()
    };
    for i in 0..30 {
        let o = run(&[
            "register",
            "--given-name",
            &format!("P{i}"),
            "--family-name",
            &"F".repeat(90),
            "--category",
            "vip",
        ]);
        assert!(o.status.success());
    }
    let store = tempfile::tempdir().unwrap();
    let b = store.path().join("good.sqlite3");
    assert!(run(&["backup", "-o", b.to_str().unwrap()]).status.success());
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = std::fs::read(&db).unwrap();

    let o = run(&["restore", b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("is damaged") && e.contains("add --force"), "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), damaged, "refused: left as it was");

    let o = run(&["restore", b.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("could not be opened"), "{out}");
    let list = run(&["list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 30);
    let kept: Vec<_> = std::fs::read_dir(backup_dir(&db))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("-unopened-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), damaged, "the damaged file is kept, not deleted");
    let beside: Vec<String> = std::fs::read_dir(store.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["good.sqlite3"], "reading the backup created nothing beside it");

    // A live database (a -wal beside it) is not a backup.
    let live = store.path().join("live.sqlite3");
    let open = Desk::open(&live).unwrap();
    let e = delegate_desk::backup::inspect(&live).unwrap_err();
    assert!(e.to_string().contains("not a backup"), "{e}");
    drop(open);
}

/// Two databases in one folder keep their automatic backups apart.
#[test]
fn two_databases_of_one_folder_have_their_own_backups() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Desk::open(&dir.path().join("desk.sqlite3")).unwrap();
    let mut b = Desk::open(&dir.path().join("desk.db")).unwrap();
    a.register(&nth(1)).unwrap();
    b.register(&nth(1)).unwrap();
    b.register(&nth(2)).unwrap();
    assert!(a.auto_backup().unwrap().is_some());
    assert!(b.auto_backup().unwrap().is_some(), "b's first backup is not skipped because of a's");
    assert_eq!(a.backup_status().unwrap().last.unwrap().attendees, 1);
    assert_eq!(b.backup_status().unwrap().last.unwrap().attendees, 2);
}

/// Point a run of the CLI at folders inside `dir` (home, data, output) and away from the
/// environment of whoever runs the tests.
fn isolate<'a>(c: &'a mut Command, dir: &Path) -> &'a mut Command {
    c.env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("DELEGATE_DESK_OUTPUT_DIR", dir.join("out"))
        .env("TZ", "UTC")
        .env_remove("DELEGATE_DESK_DB")
        .env_remove("DELEGATE_DESK_PIN")
        .env_remove("DELEGATE_DESK_OPERATOR")
        .env_remove("DELEGATE_DESK_DESK")
}

/// Every row of every table of the database at `path`, in one order: what it holds.
fn content(path: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|t| t.unwrap())
        .collect();
    let mut all = vec![format!("user_version {}", count(path, "PRAGMA user_version"))];
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect()
            })
            .unwrap()
            .map(|r: rusqlite::Result<Vec<String>>| format!("{t}: {}", r.unwrap().join(" | ")))
            .collect();
        rows.sort();
        all.extend(rows);
    }
    all
}

/// *Back up now* with nothing changed for ten minutes: the footer's "Last backup" is when it
/// was made, not the time of the last change it holds (which the backup's `at` is, and a
/// restore compares). It once showed the change's minute, as if the click had done nothing.
#[test]
fn back_up_now_shows_when_it_was_made_not_the_last_change() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let change = chrono::Utc::now() - chrono::TimeDelta::minutes(10);
    let mut c = Command::new("faketime");
    isolate(&mut c, dir.path());
    let o = c
        .arg("-f")
        .arg(format!("@{}", change.format("%Y-%m-%d %H:%M:%S")))
        .args([cli, "--db"])
        .arg(&db)
        .args(["register", "--given-name", "Ann", "--category", "vip"])
        .output()
        .expect("faketime (the test command installs it)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let desk = Desk::open(&db).unwrap();
    let start = chrono::Utc::now();
    let made = desk.backup_now().unwrap();
    let end = chrono::Utc::now();
    let status = desk.backup_status().unwrap();
    assert_eq!(status.last.as_ref().map(|l| &l.path), Some(&made.path), "{status:?}");
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
    let held = parse(&status.last.as_ref().unwrap().at);
    assert!(
        held < start - chrono::TimeDelta::minutes(9),
        "the backup holds the change of ten minutes ago: {status:?}"
    );
    let taken = parse(status.taken.as_deref().expect("when it was made"));
    // The name carries milliseconds: the time is the one read just before the copy.
    assert!(
        taken >= start - chrono::TimeDelta::milliseconds(1) && taken <= end,
        "made between {start} and {end}: {status:?}"
    );
    assert!(!status.age_unknown);
    let list = |args: &[&str]| {
        let mut c = Command::new(cli);
        isolate(&mut c, dir.path());
        let o = c.arg("--db").arg(&db).args(["backup", "--list"]).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let shown = list(&["--json"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["taken"], status.taken.as_deref().unwrap(), "{shown}");
    let text = list(&[]);
    let last_change = &status.last.as_ref().unwrap().at;
    assert!(
        text.contains(&format!("Last backup {}", status.taken.as_deref().unwrap()))
            && text.contains(&format!("(last change {last_change})")),
        "{text}"
    );
}

/// A laptop whose clock was a day ahead, then corrected: the automatic backups made at the
/// wrong time do not make every new one look old — the new ones are kept, not rotated away
/// as soon as made, and `backup --list` shows the backup holding the latest change. Run with
/// `faketime` (Debian's package), the CLI as a desk runs it.
#[test]
fn automatic_backups_survive_a_clock_put_back() {
    if Command::new("faketime").arg("--version").output().is_err() {
        panic!("faketime is missing: the test command installs it (Debian package faketime)");
    }
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    // The CLI with its clock started at `at` (faketime's "@": it ticks on from there).
    let run = |at: chrono::DateTime<chrono::Utc>, args: &[&str]| {
        let mut c = Command::new("faketime");
        isolate(&mut c, dir.path());
        c.arg("-f")
            .arg(format!("@{}", at.format("%Y-%m-%d %H:%M:%S")))
            .arg(cli)
            .arg("--db")
            .arg(&db)
            .args(args);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{at} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let register = |at, i: usize| {
        run(at, &["register", "--given-name", &format!("Ann{i}"), "--category", "vip"]);
    };
    let list = |at| -> serde_json::Value {
        serde_json::from_str(&run(at, &["backup", "--list", "--json"])).unwrap()
    };
    let minutes = |m: usize| chrono::TimeDelta::minutes(m as i64);
    // A day ahead: every change, eleven minutes after the one before, leaves an automatic
    // backup stamped tomorrow — as many as are kept.
    let now = chrono::Utc::now();
    let ahead = now + chrono::TimeDelta::days(1);
    for i in 0..AUTO_KEEP {
        register(ahead + minutes(11 * i), i);
    }
    let folder = backup_dir(&db);
    let names = || {
        let mut v: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("auto-"))
            .collect();
        v.sort();
        v
    };
    let ahead_names = names();
    assert_eq!(ahead_names.len(), AUTO_KEEP, "{ahead_names:?}");
    // The clock is corrected, a day back. Before any change, the last backup has an unknown age.
    let shown = list(now - minutes(60));
    assert_eq!(shown["ageUnknown"], true, "{shown}");
    let text = run(now - minutes(60), &["backup", "--list"]);
    assert!(text.contains("its age is unknown"), "{text}");
    // Four changes at the true time, eleven minutes apart: each leaves a backup that stays.
    let mut kept = Vec::new();
    for j in 0..4 {
        register(now - minutes(60) + minutes(11 * j), AUTO_KEEP + j);
        let after = names();
        assert_eq!(after.len(), AUTO_KEEP, "{after:?}");
        let new: Vec<&String> = after.iter().filter(|n| !ahead_names.contains(n)).collect();
        assert_eq!(new.len(), j + 1, "every backup made at the true time is kept: {after:?}");
        kept = after;
    }
    let revision_of =
        |n: &str| n.rsplit_once("-r").unwrap().1.trim_end_matches(".sqlite3").parse::<i64>().unwrap();
    // By their names the new ones are the oldest; by what they hold, the newest.
    let newest = kept.iter().max_by_key(|n| revision_of(n)).unwrap().clone();
    assert!(kept[..4].contains(&newest), "{kept:?}");
    // The ones holding the oldest revisions made room for them.
    let mut ahead_by_revision = ahead_names.clone();
    ahead_by_revision.sort_by_key(|n| revision_of(n));
    let removed: Vec<&String> = ahead_names.iter().filter(|n| !kept.contains(n)).collect();
    assert_eq!(removed, ahead_by_revision[..4].iter().collect::<Vec<_>>(), "{kept:?}");
    let shown = list(now);
    assert!(
        shown["last"]["path"].as_str().unwrap().ends_with(&newest),
        "the last backup shown is the one holding the latest change: {shown}"
    );
    assert_eq!(shown["last"]["attendees"], AUTO_KEEP + 4, "{shown}");
    assert_eq!(shown["ageUnknown"], false, "{shown}");
    let text = run(now, &["backup", "--list"]);
    assert!(text.contains(&newest) && !text.contains("unknown"), "{text}");
    // A change five minutes after the last backup: no new backup yet, nothing removed.
    register(now - minutes(60) + minutes(11 * 3 + 5), AUTO_KEEP + 4);
    assert_eq!(names(), kept);
}

/// After a restore to an older state, the backups taken from then on rank above those taken
/// before it: they are kept, and the newest of them is the last backup shown.
#[test]
fn backups_after_a_restore_to_an_older_state_are_the_newest() {
    let (dir, db, mut desk) = desk_with_capacity(100);
    for i in 0..5 {
        desk.register(&nth(i)).unwrap();
    }
    let early = dir.path().join("early.sqlite3");
    assert_eq!(desk.backup(&early).unwrap().attendees, 5);
    for i in 5..20 {
        desk.register(&nth(i)).unwrap();
    }
    let before = desk.revision().unwrap();
    // A folder of automatic backups up to this revision, from an hour ago and before.
    let first = desk.auto_backup().unwrap().expect("a first backup");
    let folder = backup_dir(&db);
    for k in 0..AUTO_KEEP as i64 {
        let name = format!("auto-20191113-{:02}0000000-r{}.sqlite3", k + 5, before - k);
        std::fs::copy(&first.path, folder.join(name)).unwrap();
    }
    std::fs::remove_file(&first.path).unwrap();
    desk.restore(&early, true).unwrap();
    assert!(desk.revision().unwrap() > before, "a restore moves the revision on, never back");
    desk.register(&nth(50)).unwrap();
    let taken = desk.auto_backup().unwrap().expect("the newest was taken the day before");
    let status = desk.backup_status().unwrap();
    assert_eq!(status.last.as_ref().map(|l| &l.path), Some(&taken.path), "{status:?}");
    assert_eq!(status.last.unwrap().attendees, 6);
    assert!(Path::new(&taken.path).exists());
    assert!(!status.age_unknown);
}

/// A backup of another event — or of a demo — is not restored over this one without
/// --force; the refusal names both events (names and dates) and changes nothing; with --force
/// it goes through and is in the audit trail. A new database takes another event's backup (a
/// desk set up again), but not a demo's.
#[test]
fn restore_names_the_event_of_a_backup_of_another_event() {
    let dir = tempfile::tempdir().unwrap();
    let run = |db: &Path, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_delegate-desk-cli"));
        isolate(&mut c, dir.path()).arg("--db").arg(db).args(args).output().unwrap()
    };
    let ok = |db: &Path, args: &[&str]| {
        let o = run(db, args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let db = dir.path().join("real.sqlite3");
    let other = dir.path().join("other.sqlite3");
    let demo = dir.path().join("demo.sqlite3");
    ok(
        &db,
        &[
            "event",
            "set",
            "--name",
            "Caribbean Security Conference 2027",
            "--start-date",
            "2027-03-09",
            "--end-date",
            "2027-03-10",
        ],
    );
    ok(&db, &["register", "--given-name", "Ann", "--category", "vip"]);
    ok(
        &other,
        &[
            "event",
            "set",
            "--name",
            "Regional Logistics Forum",
            "--start-date",
            "2027-05-04",
            "--end-date",
            "2027-05-05",
        ],
    );
    ok(&other, &["register", "--given-name", "Otto", "--category", "vip"]);
    ok(&demo, &["demo"]);
    let b_other = dir.path().join("other-backup.sqlite3");
    let b_demo = dir.path().join("demo-backup.sqlite3");
    ok(&other, &["backup", "-o", b_other.to_str().unwrap()]);
    ok(&demo, &["backup", "-o", b_demo.to_str().unwrap()]);
    let aside = || {
        std::fs::read_dir(backup_dir(&db))
            .map(|d| {
                d.filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("replaced-"))
                    .count()
            })
            .unwrap_or(0)
    };
    let before = content(&db);
    let refused = run(&db, &["restore", b_other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let e = String::from_utf8_lossy(&refused.stderr);
    assert!(
        e.contains("“Regional Logistics Forum” (2027-05-04 to 2027-05-05)")
            && e.contains("“Caribbean Security Conference 2027” (2027-03-09 to 2027-03-10)")
            && e.contains("--force"),
        "{e}"
    );
    let refused = run(&db, &["restore", b_demo.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let e = String::from_utf8_lossy(&refused.stderr);
    assert!(e.contains("is demo data") && e.contains("Caribbean Security Conference 2027"), "{e}");
    assert_eq!(content(&db), before, "the refusals changed the database");
    assert_eq!(aside(), 0, "a refused restore keeps nothing aside: it did nothing");

    let forced = ok(&db, &["restore", b_other.to_str().unwrap(), "--force"]);
    assert!(forced.contains("kept as"), "{forced}");
    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["event", "show", "--json"])).unwrap();
    assert_eq!(shown["name"], "Regional Logistics Forum");
    assert_eq!(count(&db, "SELECT count(*) FROM audit WHERE action = 'database.restore'"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM attendee WHERE given_name = 'Otto'"), 1);
    assert_eq!(aside(), 1, "the database it replaced is kept aside");

    // A new database: another event's backup comes back without --force; a demo's does not.
    let fresh = dir.path().join("new-laptop.sqlite3");
    let out = ok(&fresh, &["restore", b_other.to_str().unwrap()]);
    assert!(out.contains("Restored"), "{out}");
    assert_eq!(count(&fresh, "SELECT count(*) FROM attendee"), 1);
    let fresh = dir.path().join("another-laptop.sqlite3");
    ok(&fresh, &["status"]);
    let before = content(&fresh);
    let refused = run(&fresh, &["restore", b_demo.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is demo data"), "{refused:?}");
    assert_eq!(content(&fresh), before);
}

/// A backup written beside a database named as a backup's temporary file once was
/// (`.b.sqlite3.partial`) leaves that database whole; an existing file is never replaced.
#[test]
fn a_backup_never_removes_a_file_named_like_its_temporary_file() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(".b.sqlite3.partial");
    let run = |args: &[&str]| {
        Command::new(cli).arg("--db").arg(&db).args(args).env_remove("DELEGATE_DESK_DB").output().unwrap()
    };
    assert!(run(&["register", "--given-name", "Ann", "--category", "vip"]).status.success());
    let out = dir.path().join("b.sqlite3");
    let o = run(&["backup", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db, "SELECT count(*) FROM attendee"), 1, "the database is whole");
    assert_eq!(count(&out, "SELECT count(*) FROM attendee"), 1);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial") && !n.starts_with(".b.sqlite3.partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `restore --force` replaces a database that cannot be opened, moved aside first; but a
/// folder, a named pipe or a link at that name is no database: it is refused, and nothing is
/// moved or created.
#[test]
fn a_forced_restore_moves_only_a_file_never_a_folder_or_a_pipe() {
    use delegate_desk::backup::restore_path;
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.sqlite3");
    {
        let desk = Desk::open(&dir.path().join("source.sqlite3")).unwrap();
        desk.backup(&b).unwrap();
    }
    let folder = dir.path().join("Documents");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("thesis.txt"), "precious").unwrap();
    let pipe = dir.path().join("pipe.sqlite3");
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(folder.join("thesis.txt"), &link).unwrap();
    let listing = || {
        let mut v: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        v.sort();
        v
    };
    let before = listing();
    for (db, what) in
        [(&folder, "is a folder"), (&pipe, "is not a regular file"), (&link, "is a symbolic link")]
    {
        let e = restore_path(db, &b, true, None, None, &mut |_| {
            panic!("no PIN is asked for a file that does not open")
        })
        .unwrap_err();
        assert!(e.to_string().contains(what) && e.to_string().contains("nothing was moved"), "{e}");
    }
    assert_eq!(listing(), before);
    assert_eq!(std::fs::read_to_string(folder.join("thesis.txt")).unwrap(), "precious");
}

/// A forced restore never takes another database's journal, nor a file open now. `restore
/// --force` at `desk.sqlite3-wal` put the backup in place of the live -wal (a registration only
/// there was lost) and said the file "was left untouched"; at a file another program holds
/// open, it moved it aside while that program went on writing into it.
#[test]
fn a_forced_restore_takes_no_journal_and_no_file_open_now() {
    use delegate_desk::backup::restore_path;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let b = dir.path().join("b.sqlite3");
    {
        let mut desk = Desk::open(&db).unwrap();
        desk.register(&nth(1)).unwrap();
        desk.backup(&b).unwrap();
    }
    // Another desk holds the database open, with a registration only in its -wal.
    let mut holder = Desk::open(&db).unwrap();
    holder.register(&nth(2)).unwrap();
    let wal = dir.path().join("desk.sqlite3-wal");
    let before = std::fs::read(&wal).unwrap();
    let no_pin = &mut |_: &str| -> delegate_desk::Result<String> { panic!("no PIN is asked") };
    for journal in [wal.clone(), dir.path().join("desk.sqlite3-shm")] {
        let e = restore_path(&journal, &b, true, None, None, no_pin).unwrap_err();
        assert!(e.to_string().contains("SQLite's own") && !e.to_string().contains("--force"), "{e}");
        let mut aside = journal.as_os_str().to_owned();
        aside.push("-backups");
        assert!(!std::path::Path::new(&aside).exists(), "nothing was moved aside");
    }
    assert_eq!(std::fs::read(&wal).unwrap(), before, "the live -wal is untouched");
    drop(holder);
    assert_eq!(Desk::open(&db).unwrap().status().unwrap().registered, 2, "both registrations kept");

    // Another program's database, open in it now: refused, not moved aside.
    let foreign = dir.path().join("other.db");
    let other = rusqlite::Connection::open(&foreign).unwrap();
    other.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
    let e = restore_path(&foreign, &b, true, None, None, no_pin).unwrap_err();
    assert!(e.to_string().contains("is open now") && e.to_string().contains("nothing was moved"), "{e}");
    assert!(!dir.path().join("other.db-backups").exists());
    other.execute("INSERT INTO t VALUES (2)", []).unwrap();
    let n: i64 = other.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    // A backup is not written under another database's journal name either (it said "Backed
    // up", and that database's next opening deleted it).
    let desk = Desk::open(&db).unwrap();
    for name in ["other.db-wal", "other.db-journal"] {
        let out = dir.path().join(name);
        let _ = std::fs::remove_file(&out);
        let e = desk.backup(&out).unwrap_err();
        assert!(e.to_string().contains("SQLite's own"), "{e}");
    }
    assert!(!dir.path().join("other.db-journal").exists());
}

/// A restore while another desk registers people loses nothing that desk was told is saved:
/// every registration it confirmed is in the restored database or in the one kept aside.
/// (Before, the restore kept the database aside, then a registration committed, then the
/// backup replaced the database: that registration was in neither file.) The writes refused
/// meanwhile say that a restore is under way, and write nothing.
#[test]
fn a_restore_while_another_desk_writes_loses_no_confirmed_change() {
    let (dir, db, mut desk) = desk_with_capacity(100_000);
    for i in 0..5 {
        desk.register(&nth(i)).unwrap();
    }
    let backup = dir.path().join("before.sqlite3");
    desk.backup(&backup).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (writer_db, writer_stop) = (db.clone(), stop.clone());
    let writer = std::thread::spawn(move || {
        let mut other = Desk::open(&writer_db).unwrap();
        let (mut confirmed, mut refused) = (Vec::new(), Vec::new());
        let mut i = 1_000;
        while !writer_stop.load(std::sync::atomic::Ordering::Relaxed) {
            i += 1;
            let who = nth(i);
            match other.register(&who) {
                Ok(_) => confirmed.push(who.email.clone().unwrap()),
                Err(e) => refused.push(e.to_string()),
            }
        }
        (confirmed, refused)
    });
    let mut files = Vec::new();
    for _ in 0..8 {
        // Let the other desk write between restores.
        let seen = count(&db, "SELECT count(*) FROM attendee");
        while count(&db, "SELECT count(*) FROM attendee") < seen + 3 {
            std::thread::yield_now();
        }
        files.push(std::path::PathBuf::from(desk.restore(&backup, true).unwrap().kept_aside));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (confirmed, refused) = writer.join().unwrap();
    files.push(db.clone());
    let mut kept = std::collections::HashSet::new();
    for f in &files {
        let conn =
            rusqlite::Connection::open_with_flags(f, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut st = conn.prepare("SELECT email FROM attendee").unwrap();
        kept.extend(st.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
    }
    let lost: Vec<&String> = confirmed.iter().filter(|e| !kept.contains(*e)).collect();
    assert!(
        lost.is_empty(),
        "confirmed to the other desk, then in no file: {lost:?} (of {})",
        confirmed.len()
    );
    assert!(confirmed.len() > 8, "the other desk wrote between the restores ({})", confirmed.len());
    for why in &refused {
        assert!(
            why.contains("A restore of the database is under way") && why.contains("nothing was written"),
            "{why}"
        );
    }
    assert!(!delegate_desk::store::restoring::mark_path(&db).exists(), "the mark is gone once restored");
}

/// The restore's mark is beside the file itself: a restore run through a symbolic link refuses
/// the writes of a desk that opened the file by its name, and the other way round (the mark
/// was beside the name typed, and a desk using the other name wrote on).
#[test]
fn the_restore_mark_is_seen_whatever_the_database_is_called() {
    use delegate_desk::store::restoring::RestoreMark;
    let (dir, db, mut desk) = desk_with_capacity(10);
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let mut by_link = Desk::open(&link).unwrap();
    for (n, (marked, writer)) in [(&link, &mut desk), (&db, &mut by_link)].into_iter().enumerate() {
        let mark = RestoreMark::take(marked, "Ana", "Desk 2").unwrap();
        let e = writer.register(&nth(100 + n)).unwrap_err();
        assert!(e.to_string().contains("A restore of the database is under way (by Ana at Desk 2"), "{e}");
        drop(mark);
    }
    desk.register(&nth(1)).unwrap();
    by_link.register(&nth(2)).unwrap();
}

/// The newest backup, asked for after every change, reads each backup file once: a file
/// changed since (written over, or cut short) is read again and counted as it is now, a new
/// one is read, and one gone is forgotten.
#[test]
fn the_newest_backup_follows_files_changed_since_they_were_read() {
    let (_dir, _path, mut desk) = desk();
    desk.register(&nth(0)).unwrap();
    let first = desk.backup_now().unwrap();
    assert_eq!(desk.backup_status().unwrap().last.unwrap().path, first.path);
    desk.register(&nth(1)).unwrap();
    let second = desk.backup_now().unwrap();
    let last = desk.backup_status().unwrap().last.unwrap();
    assert_eq!((last.path.as_str(), last.attendees), (second.path.as_str(), 2));
    // The newest written over with text: it is no backup any more.
    std::fs::write(&second.path, b"not a backup").unwrap();
    let last = desk.backup_status().unwrap().last.unwrap();
    assert_eq!((last.path.as_str(), last.attendees), (first.path.as_str(), 1));
    // And gone: forgotten, the count with it.
    std::fs::remove_file(&second.path).unwrap();
    let status = desk.backup_status().unwrap();
    assert_eq!((status.count, status.last.unwrap().path), (1, first.path.clone()));
    // The older one written over with a newer backup's content: read again.
    desk.register(&nth(2)).unwrap();
    let third = desk.backup_now().unwrap();
    std::fs::remove_file(&first.path).unwrap();
    std::fs::copy(&third.path, &first.path).unwrap();
    std::fs::remove_file(&third.path).unwrap();
    let last = desk.backup_status().unwrap().last.unwrap();
    assert_eq!((last.path.as_str(), last.attendees), (first.path.as_str(), 3));
}

/// Every file name in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `copy --from` reads its source without changing it or making anything beside it: a backup
/// (opened read-write, it was turned to write-ahead logging and left with a `-wal` beside it,
/// which then made it "a database in use, not a backup"; an older one was migrated in place),
/// a closed database, and a database a desk has open, whose last change is still only in its
/// `-wal` and is copied too.
#[test]
fn a_copy_reads_its_source_without_changing_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("event.sqlite3");
    let mut open = Desk::open(&db).unwrap();
    for i in 1..=3 {
        open.register(&nth(i)).unwrap();
    }
    let shelf = tempfile::tempdir().unwrap();
    let backup = shelf.path().join("kept.sqlite3");
    open.backup(&backup).unwrap();
    let kept = std::fs::read(&backup).unwrap();
    let out = tempfile::tempdir().unwrap();
    delegate_desk::copy::copy(&backup, &out.path().join("from-backup.sqlite3")).unwrap();
    assert!(std::fs::read(&backup).unwrap() == kept, "the backup was changed");
    assert_eq!(names_in(shelf.path()), ["kept.sqlite3"]);
    assert_eq!(inspect(&backup).unwrap().attendees, 3, "the backup is still a backup");

    // Open at a desk: the fourth person is in the -wal only.
    open.register(&nth(4)).unwrap();
    let main_file = std::fs::read(&db).unwrap();
    let to = out.path().join("from-live.sqlite3");
    delegate_desk::copy::copy(&db, &to).unwrap();
    assert_eq!(Desk::open(&to).unwrap().list(&Default::default()).unwrap().len(), 4);
    assert!(std::fs::read(&db).unwrap() == main_file, "the open database's file was written");
    drop(open);

    // Closed: nothing is made beside it.
    let closed = names_in(dir.path());
    let bytes = std::fs::read(&db).unwrap();
    let to = out.path().join("from-closed.sqlite3");
    delegate_desk::copy::copy(&db, &to).unwrap();
    assert_eq!(names_in(dir.path()), closed);
    assert!(std::fs::read(&db).unwrap() == bytes, "the closed database was written");
    assert_eq!(Desk::open(&to).unwrap().list(&Default::default()).unwrap().len(), 4);
}

/// Two desks pressing "Back up now" in the same millisecond (the same name is free for both):
/// each gets a backup of its own. Before, the second one failed ("File exists") and the
/// operator was told the backup was not made.
#[test]
fn two_desks_backing_up_at_once_both_get_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("event.sqlite3");
    Desk::open(&db).unwrap().register(&nth(1)).unwrap();
    let start = std::sync::Barrier::new(2);
    let made: Vec<Vec<String>> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let (start, db) = (&start, &db);
                s.spawn(move || {
                    let desk = Desk::open(db).unwrap();
                    (0..30)
                        .map(|round| {
                            start.wait();
                            // (Not a panic here: the other desk would wait at the barrier for ever.)
                            match desk.backup_now() {
                                Ok(b) => b.path,
                                Err(e) => format!("round {round}: no backup: {e}"),
                            }
                        })
                        .collect()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let failed: Vec<&String> = made.iter().flatten().filter(|p| p.starts_with("round")).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let mut all: Vec<&String> = made.iter().flatten().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 60, "two desks were given one file");
}

/// A new database where another was, that one's backups kept beside it (a fresh start after
/// a rehearsal): its own backups rank above the old ones and rotate as any. Ranked below them
/// (they hold later revisions), its every change was due a backup, each rotation removed its
/// previous one, and the footer named an old backup as the last one.
#[test]
fn a_new_database_beside_older_backups_keeps_its_own() {
    let (_dir, db, mut desk) = desk_with_capacity(100);
    desk.register(&nth(1)).unwrap();
    let first = desk.auto_backup().unwrap().expect("a first backup");
    let folder = backup_dir(&db);
    for r in 100..112 {
        std::fs::copy(&first.path, folder.join(format!("auto-20191113-{:02}0000000-r{r}.sqlite3", r - 95)))
            .unwrap();
    }
    std::fs::remove_file(&first.path).unwrap();
    drop(desk);
    for f in [db.clone(), db.with_extension("sqlite3-wal"), db.with_extension("sqlite3-shm")] {
        let _ = std::fs::remove_file(f);
    }
    let mut fresh = Desk::open(&db).unwrap();
    fresh.register(&nth(2)).unwrap();
    let taken = fresh.auto_backup().unwrap().expect("its first backup");
    assert!(inspect(Path::new(&taken.path)).unwrap().revision > 111, "numbered past the old backups");
    assert_eq!(fresh.backup_status().unwrap().last.unwrap().path, taken.path, "the last backup is its own");
    fresh.register(&nth(3)).unwrap();
    assert!(fresh.auto_backup().unwrap().is_none(), "not due: its last backup is not ten minutes old");
    assert!(Path::new(&taken.path).exists(), "its backup was kept");
}

/// The database itself named as its own backup (through a symbolic link, a hard link, or its
/// journal) is refused, exit 2, with no audit row and nothing kept aside: it said "Restored",
/// read the live file without its -wal, and could write that over the latest changes.
#[test]
fn a_restore_from_the_database_itself_is_refused() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    {
        let mut desk = Desk::open(&db).unwrap();
        desk.register(&nth(1)).unwrap();
    }
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let hard = dir.path().join("hard.sqlite3");
    std::fs::hard_link(&db, &hard).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let audits = count(&db, "SELECT count(*) FROM audit");
    for from in [&link, &hard, &db.with_file_name("sub/../desk.sqlite3")] {
        for force in [false, true] {
            let mut args = vec!["--db".to_string(), db.display().to_string(), "restore".into()];
            args.push(from.display().to_string());
            if force {
                args.push("--force".into());
            }
            let o = Command::new(cli).args(&args).env_remove("DELEGATE_DESK_DB").output().unwrap();
            let e = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
            assert!(e.contains("is this database itself") && e.contains("(FILE)"), "{e}");
        }
    }
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), audits, "no restore recorded");
    assert!(!backup_dir(&db).exists(), "nothing kept aside");
    // The desk's own call refuses it the same way.
    let mut desk = Desk::open(&db).unwrap();
    let e = desk.restore(&link, true).unwrap_err();
    assert_eq!(e.field(), Some("file"), "{e}");
}
