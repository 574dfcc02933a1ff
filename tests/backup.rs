//! Backups and restore: consistent while another desk writes, rotated, private, and a restore
//! that never silently loses newer changes.

mod common;

use common::{desk_with_capacity, nth};
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
    let out = ok(&["restore", b.to_str().unwrap(), "--force"]);
    assert!(out.contains("kept as"), "{out}");
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
    let run = |offset: &str, args: &[&str]| {
        let mut c = Command::new("faketime");
        c.arg("-f").arg(offset).arg(cli).arg("--db").arg(&db).args(args).env_remove("DELEGATE_DESK_DB");
        let o = c.output().unwrap();
        assert!(o.status.success(), "{offset} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let register = |offset: &str, i: usize| {
        run(offset, &["register", "--given-name", &format!("Ann{i}"), "--category", "vip"]);
    };
    // A day ahead: every change, eleven minutes after the one before, leaves an automatic
    // backup stamped tomorrow — as many as are kept.
    let ahead = chrono::Utc::now() + chrono::TimeDelta::days(1);
    for i in 0..AUTO_KEEP {
        let at = ahead + chrono::TimeDelta::minutes(11 * i as i64);
        register(&format!("@{}", at.format("%Y-%m-%d %H:%M:%S")), i);
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
    assert_eq!(names().len(), AUTO_KEEP, "{:?}", names());
    // The clock is corrected: the real time, a day earlier than those backups.
    register("+0", AUTO_KEEP);
    let after_fix = names();
    assert_eq!(after_fix.len(), AUTO_KEEP, "{after_fix:?}");
    let revision_of =
        |n: &str| n.rsplit_once("-r").unwrap().1.trim_end_matches(".sqlite3").parse::<i64>().unwrap();
    let newest = after_fix.iter().max_by_key(|n| revision_of(n)).unwrap().clone();
    assert!(after_fix[0] == newest, "by its name it is the oldest: {after_fix:?}");
    let listed: serde_json::Value =
        serde_json::from_str(&run("+0", &["backup", "--list", "--json"])).unwrap();
    assert!(
        listed["last"]["path"].as_str().unwrap().ends_with(&newest),
        "the last backup shown is the one holding the latest change: {listed}"
    );
    assert_eq!(listed["last"]["attendees"], AUTO_KEEP + 1, "{listed}");
    // The one holding the oldest revision made room for it.
    assert!(after_fix.iter().all(|n| revision_of(n) > 1), "{after_fix:?}");
    // The next change at the true time: no new backup yet (the last is new), nothing removed.
    register("+0", AUTO_KEEP + 1);
    assert_eq!(names(), after_fix);
}

/// A backup of another event — or of a demo — is not restored over this one without
/// --force; the refusal names both events and changes nothing.
#[test]
fn restore_names_the_event_of_a_backup_of_another_event() {
    let cli = env!("CARGO_BIN_EXE_delegate-desk-cli");
    let dir = tempfile::tempdir().unwrap();
    let run = |db: &Path, args: &[&str]| {
        Command::new(cli).arg("--db").arg(db).args(args).env_remove("DELEGATE_DESK_DB").output().unwrap()
    };
    let db = dir.path().join("real.sqlite3");
    let other = dir.path().join("other.sqlite3");
    let demo = dir.path().join("demo.sqlite3");
    assert!(run(&db, &["event", "set", "--name", "Caribbean Security Conference 2027"]).status.success());
    assert!(run(&db, &["register", "--given-name", "Ann", "--category", "vip"]).status.success());
    assert!(run(&other, &["event", "set", "--name", "Regional Logistics Forum"]).status.success());
    assert!(run(&demo, &["demo"]).status.success());
    let b_other = dir.path().join("other-backup.sqlite3");
    let b_demo = dir.path().join("demo-backup.sqlite3");
    assert!(run(&other, &["backup", "-o", b_other.to_str().unwrap()]).status.success());
    assert!(run(&demo, &["backup", "-o", b_demo.to_str().unwrap()]).status.success());
    let rows =
        |p: &Path| count(p, "SELECT count(*) FROM audit") * 1000 + count(p, "SELECT count(*) FROM attendee");
    let before = rows(&db);
    let refused = run(&db, &["restore", b_other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let e = String::from_utf8_lossy(&refused.stderr);
    assert!(
        e.contains("Regional Logistics Forum") && e.contains("Caribbean Security Conference 2027"),
        "{e}"
    );
    let refused = run(&db, &["restore", b_demo.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("demo data"), "{:?}", refused);
    assert_eq!(rows(&db), before, "the refusals changed the database");
    let forced = run(&db, &["restore", b_other.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    let name: serde_json::Value =
        serde_json::from_slice(&run(&db, &["event", "show", "--json"]).stdout).unwrap();
    assert_eq!(name["name"], "Regional Logistics Forum");
    assert_eq!(count(&db, "SELECT count(*) FROM audit WHERE action = 'database.restore'"), 1);
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
