//! Damaged and hostile database files through the CLI: truncated files, random bytes, text,
//! another program's SQLite file (with and without a `-wal` that still holds frames), a newer
//! or a negative schema version, a read-only file, a read-only folder and a full disk.
//!
//! For each refused file, `status` and `register` must fail with exit code 1 or 2 (never a
//! signal, never a panic's 101), print a message that starts with "error:" and names the file,
//! and leave the folder exactly as it was: every file byte-identical with the same mode, and no
//! new file (no `-wal`, `-shm` or `-journal`). A brand-new path must instead create a private
//! database (file 0o600, new folders 0o700).
//!
//! The read-only folder and full disk cases mount a small tmpfs, which needs root; elsewhere
//! they say so and return (CI runs as root).

use rusqlite::Connection;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");
const REGISTER: &[&str] = &["register", "--given-name", "A", "--family-name", "B", "--category", "delegate"];
/// People in the real database the damaged copies are made from.
const PEOPLE: usize = 50;

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(CLI)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DELEGATE_DESK_DB")
        .output()
        .expect("run the CLI")
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

/// Every entry of a folder: its name, its mode, and its bytes (files) or nothing (folders).
type Listing = BTreeMap<String, (u32, Option<Vec<u8>>)>;

fn listing(dir: &Path) -> Listing {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let p = e.path();
            let bytes = if e.file_type().unwrap().is_file() { Some(fs::read(&p).unwrap()) } else { None };
            (e.file_name().to_string_lossy().into_owned(), (mode(&p), bytes))
        })
        .collect()
}

/// What changed between two listings, one line per file; empty if nothing.
fn changes(before: &Listing, after: &Listing) -> Vec<String> {
    let mut out = Vec::new();
    for (name, (m, bytes)) in before {
        match after.get(name) {
            None => out.push(format!("{name} disappeared")),
            Some((m2, bytes2)) => {
                if m != m2 {
                    out.push(format!("{name}: mode {m:o} became {m2:o}"));
                }
                if bytes != bytes2 {
                    let len = |b: &Option<Vec<u8>>| b.as_ref().map_or(0, Vec::len);
                    let first = bytes
                        .iter()
                        .flatten()
                        .zip(bytes2.iter().flatten())
                        .position(|(a, b)| a != b)
                        .map_or(String::new(), |i| format!(", first difference at byte {i}"));
                    out.push(format!("{name} changed: {} bytes became {}{first}", len(bytes), len(bytes2)));
                }
            }
        }
    }
    for (name, (m, bytes)) in after {
        if !before.contains_key(name) {
            let size = bytes.as_ref().map_or(0, Vec::len);
            out.push(format!("{name} appeared ({size} bytes, mode {m:o})"));
        }
    }
    out
}

/// Run `args` on `db`; it must be refused cleanly and leave the folder as it was.
fn assert_refused_untouched(case: &str, db: &Path, args: &[&str]) -> String {
    let dir = db.parent().unwrap();
    let before = listing(dir);
    let out = cli(db, args);
    let after = listing(dir);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let what = format!("{case}: `{}`", args[0]);
    let mut problems = Vec::new();
    match (out.status.code(), out.status.signal()) {
        (Some(1 | 2), _) => {}
        (Some(0), _) => problems.push(format!(
            "succeeded (exit 0) instead of refusing; stdout: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        )),
        (Some(c), _) => problems.push(format!("exit code {c}, expected 1 or 2")),
        (None, s) => problems.push(format!("killed by signal {s:?}")),
    }
    if !stderr.starts_with("error:") {
        problems.push("stderr does not start with \"error:\"".into());
    }
    if !stderr.contains(&db.display().to_string()) {
        problems.push(format!("stderr does not name the file {}", db.display()));
    }
    if stderr.contains("panicked") {
        problems.push("it panicked".into());
    }
    problems.extend(changes(&before, &after));
    assert!(problems.is_empty(), "{what}:\n  - {}\n  stderr: {}", problems.join("\n  - "), stderr.trim());
    stderr
}

/// `status` and `register` on `db` are both refused cleanly, leaving the folder as it was.
fn assert_both_refused(case: &str, db: &Path) -> (String, String) {
    let status = assert_refused_untouched(case, db, &["status"]);
    let register = assert_refused_untouched(case, db, REGISTER);
    (status, register)
}

fn assert_mentions(case: &str, stderr: &str, any_of: &[&str]) {
    let lower = stderr.to_lowercase();
    assert!(
        any_of.iter().any(|w| lower.contains(w)),
        "{case}: the message should say one of {any_of:?}: {stderr}"
    );
}

/// No `-wal`, `-shm` or `-journal` beside `db` (its `-backups` folder may be there).
fn assert_no_companions(db: &Path) {
    let prefix = format!("{}-", db.file_name().unwrap().to_string_lossy());
    let left: Vec<String> = listing(db.parent().unwrap())
        .into_keys()
        .filter(|n| n.starts_with(&prefix) && !n.ends_with("-backups"))
        .collect();
    assert!(left.is_empty(), "{} left companions behind once closed: {left:?}", db.display());
}

/// The bytes of a real database made by the CLI with 50 people registered, closed (no
/// `-wal` left); made once per test run.
fn real_database() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("real.sqlite3");
        for n in 0..PEOPLE {
            let out = cli(
                &db,
                &[
                    "register",
                    "--given-name",
                    &format!("Given{n}"),
                    "--family-name",
                    &format!("Family{n}"),
                    "--category",
                    "delegate",
                    "--delegation",
                    "Jamaica",
                    "--email",
                    &format!("p{n}@example.org"),
                ],
            );
            assert!(out.status.success(), "register {n}: {}", String::from_utf8_lossy(&out.stderr));
        }
        assert_no_companions(&db);
        fs::read(&db).unwrap()
    })
}

/// A copy of the real database as `desk.sqlite3` in a folder of its own.
fn our_database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    fs::write(&db, real_database()).unwrap();
    (dir, db)
}

/// Change a pragma of a closed database with rusqlite, leaving no companion file behind.
fn set_pragma(db: &Path, pragma: &str, value: i64) {
    {
        let c = Connection::open(db).unwrap();
        c.pragma_update(None, pragma, value).unwrap();
        let back: i64 = c.pragma_query_value(None, pragma, |r| r.get(0)).unwrap();
        assert_eq!(back, value, "{pragma}");
    }
    assert_no_companions(db);
}

/// Deterministic noise (splitmix64).
fn random_bytes(len: usize, mut state: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A foreign SQLite file: a table `t` with some rows, `application_id` as given,
/// `user_version` 0, in rollback-journal mode.
fn foreign_database(db: &Path, application_id: i32) {
    let c = Connection::open(db).unwrap();
    c.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);
         INSERT INTO t (note) VALUES ('keep me'), ('and me'), ('me too');",
    )
    .unwrap();
    c.pragma_update(None, "application_id", application_id).unwrap();
    c.pragma_update(None, "user_version", 0).unwrap();
}

/// A foreign database in WAL mode whose `-wal` still holds frames, as `name` and `name-wal`
/// in `dir` (no `-shm`). With `table_in_wal`, even the table exists only in the `-wal`: the
/// main file alone looks like a new, empty database. Made by copying the two files aside
/// while the writing connection is still open (automatic checkpoints off), so no checkpoint
/// ever reaches the copies. Returns the number of rows of `t`.
fn foreign_database_with_wal(dir: &Path, name: &str, table_in_wal: bool) -> i64 {
    let src = tempfile::tempdir().unwrap();
    let f = src.path().join("f.db");
    let c = Connection::open(&f).unwrap();
    if !table_in_wal {
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO t (note) VALUES ('first');",
        )
        .unwrap();
    }
    let mode: String = c.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    c.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    c.execute_batch("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, note TEXT);").unwrap();
    for i in 0..20 {
        c.execute("INSERT INTO t (note) VALUES (?1)", [format!("row {i} only in the wal")]).unwrap();
    }
    let rows: i64 = c.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
    fs::copy(&f, dir.join(name)).unwrap();
    fs::copy(src.path().join("f.db-wal"), dir.join(format!("{name}-wal"))).unwrap();
    drop(c);
    assert!(fs::metadata(dir.join(format!("{name}-wal"))).unwrap().len() > 32, "the -wal holds frames");

    // The copies are what we think: elsewhere, SQLite reads the rows through the -wal.
    let check = tempfile::tempdir().unwrap();
    fs::copy(dir.join(name), check.path().join("c.db")).unwrap();
    fs::copy(dir.join(format!("{name}-wal")), check.path().join("c.db-wal")).unwrap();
    let c = Connection::open(check.path().join("c.db")).unwrap();
    let seen: i64 = c.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(seen, rows, "the copied -wal holds the rows");
    if table_in_wal {
        let main = Connection::open_with_flags(
            format!("file:{}?immutable=1", dir.join(name).display()),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        let objects: i64 = main.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
        assert_eq!(objects, 0, "without its -wal the main file looks empty");
    }
    rows
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A tmpfs mounted on a folder, unmounted when dropped (even when the test fails).
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("mount: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(Tmpfs { dir: dir.to_path_buf() })
    }

    fn remount(&self, options: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "remount {options}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount").arg(&self.dir).status().is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// A tmpfs for a root-only case, or `None` (with a line saying the case was not run).
fn tmpfs_for(case: &str, dir: &Path, size: &str) -> Option<Tmpfs> {
    if !is_root() {
        println!("{case}: not run — mounting a tmpfs needs root (CI runs as root)");
        return None;
    }
    match Tmpfs::mount(dir, size) {
        Ok(m) => Some(m),
        Err(e) => {
            println!("{case}: not run — {e}");
            None
        }
    }
}

/// Our database cut to half its length is refused, untouched.
#[test]
fn a_database_truncated_to_half_is_refused_untouched() {
    let (_dir, db) = our_database();
    let bytes = real_database();
    fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    assert_both_refused("truncated to half", &db);
}

/// Our database cut to 50 bytes (less than SQLite's header) is refused, untouched.
#[test]
fn a_database_truncated_to_50_bytes_is_refused_untouched() {
    let (_dir, db) = our_database();
    fs::write(&db, &real_database()[..50]).unwrap();
    assert_both_refused("truncated to 50 bytes", &db);
}

/// 64 KiB of random bytes are refused, untouched.
#[test]
fn random_bytes_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("noise.sqlite3");
    fs::write(&db, random_bytes(64 * 1024, 0xD15EA5E)).unwrap();
    assert_both_refused("64 KiB of random bytes", &db);
}

/// A five-byte text file ("hello") is refused, untouched.
#[test]
fn a_small_text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hello.sqlite3");
    fs::write(&db, "hello").unwrap();
    assert_both_refused("a text file", &db);
}

/// Another program's SQLite file (application_id 0, user_version 0, a table with rows) is
/// refused, untouched.
#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    foreign_database(&db, 0);
    let (status, register) = assert_both_refused("a foreign SQLite file", &db);
    assert_mentions("a foreign SQLite file", &status, &["not a delegate desk database"]);
    assert_mentions("a foreign SQLite file", &register, &["not a delegate desk database"]);
}

/// Another program's SQLite file whose table and rows are still in its `-wal`: the file and
/// its `-wal` stay byte-identical, the `-wal` is not checkpointed away, no `-shm` appears.
#[test]
fn a_foreign_sqlite_file_with_a_live_wal_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    foreign_database_with_wal(dir.path(), "other.db", true);
    let db = dir.path().join("other.db");
    assert_both_refused("a foreign SQLite file whose table is only in its -wal", &db);
    assert!(dir.path().join("other.db-wal").exists(), "the -wal is still there");
}

/// Another program's SQLite file with a table in the main file and more rows in its `-wal`:
/// refused, the file and its `-wal` byte-identical.
#[test]
fn a_foreign_sqlite_file_with_rows_in_its_wal_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    foreign_database_with_wal(dir.path(), "other.db", false);
    let db = dir.path().join("other.db");
    assert_both_refused("a foreign SQLite file with rows in its -wal", &db);
    assert!(dir.path().join("other.db-wal").exists(), "the -wal is still there");
}

/// A SQLite file of another application (another application_id) is refused, untouched.
#[test]
fn a_sqlite_file_of_another_application_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other-app.db");
    foreign_database(&db, 0x1234_5678);
    let (status, register) = assert_both_refused("another application_id", &db);
    assert_mentions("another application_id", &status, &["not a delegate desk database"]);
    assert_mentions("another application_id", &register, &["not a delegate desk database"]);
}

/// Our database with a schema version newer than this build's is refused, untouched.
#[test]
fn a_newer_schema_version_is_refused_untouched() {
    let (_dir, db) = our_database();
    let c = Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let current: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    drop(c);
    assert!(current > 0, "a CLI-made database has a schema version");
    set_pragma(&db, "user_version", current + 1);
    let (status, register) = assert_both_refused("a newer schema version", &db);
    assert_mentions("a newer schema version", &status, &["newer"]);
    assert_mentions("a newer schema version", &register, &["newer"]);
}

/// Our database whose newer schema version is still only in its `-wal` (a newer desk wrote
/// it and has not checkpointed yet, or was killed): the main file's header looks current, so
/// SQLite opens the original. The refusal must not checkpoint the `-wal` into the main file
/// on its way out: the main file and its `-wal` stay byte-identical (SQLite's `-shm` index may
/// appear; it holds no data), and the newer version is still what the pair says.
#[test]
fn a_newer_schema_version_only_in_the_wal_is_refused_untouched() {
    let (dir, db) = our_database();
    let wal = dir.path().join("desk.sqlite3-wal");
    let current: i64 = {
        let c = Connection::open(&db).unwrap();
        c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).unwrap();
        c.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        c.pragma_update(None, "user_version", v + 1).unwrap();
        v
    };
    assert!(fs::metadata(&wal).unwrap().len() > 32, "the newer version is in the -wal");
    let _ = fs::remove_file(dir.path().join("desk.sqlite3-shm"));
    let main_before = fs::read(&db).unwrap();
    let wal_before = fs::read(&wal).unwrap();
    for args in [&["status"][..], REGISTER] {
        let out = cli(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "`{}` is refused: {stderr}", args[0]);
        assert_mentions("a newer version in the -wal", &stderr, &["newer"]);
        assert!(fs::read(&db).unwrap() == main_before, "`{}` left the main file as it was", args[0]);
        assert!(
            fs::read(&wal).map(|w| w == wal_before).unwrap_or(false),
            "`{}` left the -wal in place, byte-identical (not checkpointed into the main file)",
            args[0]
        );
    }
    let check = tempfile::tempdir().unwrap();
    fs::copy(&db, check.path().join("c.sqlite3")).unwrap();
    fs::copy(&wal, check.path().join("c.sqlite3-wal")).unwrap();
    let c = Connection::open(check.path().join("c.sqlite3")).unwrap();
    let seen: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(seen, current + 1, "the pair still says the newer version");
}

/// Our database with user_version -1 is refused, untouched (no panic).
#[test]
fn a_negative_schema_version_is_refused_untouched() {
    let (_dir, db) = our_database();
    set_pragma(&db, "user_version", -1);
    assert_both_refused("user_version -1", &db);
}

/// Our database with user_version i32::MIN is refused, untouched (no panic).
#[test]
fn the_most_negative_schema_version_is_refused_untouched() {
    let (_dir, db) = our_database();
    set_pragma(&db, "user_version", i64::from(i32::MIN));
    assert_both_refused("user_version i32::MIN", &db);
}

/// Our database marked read-only (mode 0o444) is refused with a clear message and left as
/// it was, even for root, whom the permission bits do not stop.
#[test]
fn a_read_only_database_file_is_refused_untouched() {
    let (_dir, db) = our_database();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o444)).unwrap();
    let (status, register) = assert_both_refused("a read-only file", &db);
    let words = ["read-only", "read only", "readonly", "not writable", "permission"];
    assert_mentions("a read-only file", &status, &words);
    assert_mentions("a read-only file", &register, &words);
}

/// Our database in a folder mounted read-only: `register` fails with a clear message; `status`
/// may either answer (reading is possible) or refuse cleanly; nothing changes either way.
#[test]
fn a_database_in_a_read_only_folder() {
    let case = "a read-only folder";
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ro");
    let Some(mount) = tmpfs_for(case, &dir, "4m") else { return };
    let db = dir.join("desk.sqlite3");
    let out =
        cli(&db, &["register", "--given-name", "Ann", "--family-name", "Lee", "--category", "delegate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_no_companions(&db);
    mount.remount("ro");

    let before = listing(&dir);
    let status = cli(&db, &["status", "--json"]);
    if status.status.success() {
        let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(v["registered"], 1, "{case}: status read the file: {v}");
        println!("{case}: `status` answers read-only");
    } else {
        let stderr = assert_refused_untouched(case, &db, &["status"]);
        println!("{case}: `status` refuses: {}", stderr.trim());
    }
    assert_eq!(changes(&before, &listing(&dir)), Vec::<String>::new());
    let stderr = assert_refused_untouched(case, &db, REGISTER);
    assert_mentions(case, &stderr, &["read-only", "read only", "readonly", "not writable", "permission"]);
    drop(mount);
}

/// A full disk: registering until the tmpfs is full ends with exit 1 and a message about the
/// full disk, no panic; every acknowledged registration is still on file and the file is whole.
#[test]
fn a_full_disk_loses_no_acknowledged_registration() {
    let case = "a full disk";
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("small");
    let Some(mount) = tmpfs_for(case, &dir, "600k") else { return };
    let db = dir.join("desk.sqlite3");
    let notes = "Arrives by the early flight; needs a parking permit and a second badge. ".repeat(20);
    let mut acknowledged = Vec::new();
    let mut failure = None;
    for n in 0..2000 {
        let email = format!("p{n}@example.org");
        let out = cli(
            &db,
            &[
                "register",
                "--json",
                "--given-name",
                &format!("Given{n}"),
                "--family-name",
                &format!("Family{n}"),
                "--category",
                "delegate",
                "--email",
                &email,
                "--notes",
                &notes,
            ],
        );
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["email"], email.as_str());
            acknowledged.push(email);
        } else {
            failure = Some(out);
            break;
        }
    }
    let failure = failure.expect("the disk never filled");
    let stderr = String::from_utf8_lossy(&failure.stderr).into_owned();
    println!("{case}: full after {} registrations: {}", acknowledged.len(), stderr.trim());
    assert_eq!(failure.status.code(), Some(1), "{case}: {:?}: {stderr}", failure.status);
    assert!(stderr.starts_with("error:") && !stderr.contains("panicked"), "{case}: {stderr}");
    assert_mentions(case, &stderr, &["full", "no space", "space left"]);
    assert!(!acknowledged.is_empty(), "{case}: nothing was registered before the disk filled");

    let on_file = |what: &str| {
        let out = cli(&db, &["list", "--json"]);
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let emails: Vec<String> =
            v.as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap().to_string()).collect();
        for e in &acknowledged {
            assert!(emails.contains(e), "{case} ({what}): acknowledged {e} is not on file");
        }
        assert!(emails.len() <= acknowledged.len() + 1, "{case} ({what}): {} on file", emails.len());
        Ok(emails.len())
    };
    match on_file("disk still full") {
        Ok(n) => println!("{case}: `list` works on the full disk ({n} on file)"),
        Err(e) => {
            assert!(!e.contains("panicked"), "{case}: {e}");
            println!("{case}: `list` refuses on the full disk: {}", e.trim());
        }
    }

    mount.remount("size=8m");
    let n = on_file("after making room").unwrap_or_else(|e| panic!("{case}: list after making room: {e}"));
    let c = Connection::open(&db).unwrap();
    let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok", "{case}");
    let audited: i64 =
        c.query_row("SELECT count(*) FROM audit WHERE action = 'register'", [], |r| r.get(0)).unwrap();
    assert_eq!(audited as usize, n, "{case}: one audit entry per registration");
    drop(c);
    let out =
        cli(&db, &["register", "--given-name", "After", "--family-name", "Room", "--category", "delegate"]);
    assert!(out.status.success(), "{case}: {}", String::from_utf8_lossy(&out.stderr));
    drop(mount);
}

/// A brand-new path in an existing folder creates a database (exit 0) readable by its owner
/// only (0o600), with no companion file left once the CLI has exited.
#[test]
fn a_new_path_creates_a_private_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let out = cli(&db, &["status"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_no_companions(&db);
    assert!(mode(&db) == 0o600, "the database holds personal data: mode {:o}, wanted 600", mode(&db));
}

/// Folders created for a new database are private (0o700), and the database in them 0o600.
#[test]
fn new_folders_for_a_database_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new").join("nested").join("desk.sqlite3");
    let out = cli(&db, &["status"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for folder in [dir.path().join("new"), dir.path().join("new").join("nested")] {
        assert!(mode(&folder) == 0o700, "{} has mode {:o}, wanted 700", folder.display(), mode(&folder));
    }
    assert!(mode(&db) == 0o600, "{} has mode {:o}, wanted 600", db.display(), mode(&db));
}

/// A database named as SQLite's own file beside another — the live `-wal` (empty until the
/// first change), its `-shm`, a `-journal` — is refused, by every command that would make or
/// open one, and the other database is left as it was and still works. Before, a new database
/// was made in the live `-wal` (the next change of the other destroyed it), and one at the
/// `-journal` name locked the other, or was deleted at its next open.
#[test]
fn a_database_named_as_another_databases_journal_is_refused() {
    let (dir, db) = our_database();
    // Another desk has it open: its -wal and -shm exist, the -wal empty.
    let live = Connection::open(&db).unwrap();
    let _: i64 = live.query_row("SELECT count(*) FROM attendee", [], |r| r.get(0)).unwrap();
    let beside = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display()));
    assert_eq!(fs::metadata(beside("-wal")).unwrap().len(), 0, "the live -wal is empty");
    for suffix in ["-wal", "-shm", "-journal"] {
        let case = format!("the database's own {suffix}");
        let (status, _) = assert_both_refused(&case, &beside(suffix));
        assert_mentions(&case, &status, &[&format!("sqlite's own {suffix} file of the database")]);
        assert_refused_untouched(&case, &beside(suffix), &["demo"]);
        let to = beside(suffix);
        assert_refused_untouched(
            &case,
            &db,
            &["copy", "--from", db.to_str().unwrap(), "--to", to.to_str().unwrap()],
        );
    }
    // A new database named so is refused even with nothing beside it.
    let lone = dir.path().join("other.sqlite3-journal");
    let (status, _) = assert_both_refused("a new -journal name", &lone);
    assert_mentions("a new -journal name", &status, &["ends in -journal"]);
    // Only the exact ends: a name that merely starts so is a database like any other.
    let fine = dir.path().join("desk.sqlite3-walnut");
    assert!(cli(&fine, REGISTER).status.success(), "{}", fine.display());
    drop(live);
    let out = cli(&db, &["list", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let people: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(people.as_array().map(Vec::len), Some(PEOPLE), "the other database is whole");
}

/// A forced restore over a damaged database, on a disk with no room for the backup: refused,
/// and the damaged file is still at its name, byte for byte, with nothing made beside it.
/// Before, the file was moved aside first and the copy failed after it: the name was left
/// free, and the next desk to open it made a new, empty database there in place of the event.
#[test]
fn a_forced_restore_that_cannot_copy_leaves_the_database_at_its_name() {
    let case = "a forced restore on a full disk";
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("small");
    let Some(_mount) = tmpfs_for(case, &dir, "64k") else { return };
    let db = dir.join("desk.sqlite3");
    let damaged = random_bytes(16 * 1024, 7);
    fs::write(&db, &damaged).unwrap();
    let backup = base.path().join("good.sqlite3");
    fs::write(&backup, real_database()).unwrap();
    assert!(real_database().len() > 64 * 1024, "the backup must not fit: {} bytes", real_database().len());
    let out = cli(&db, &["restore", backup.to_str().unwrap(), "--force"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{case}: it succeeded: {}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("nothing was moved or restored"), "{case}: {stderr}");
    assert_eq!(fs::read(&db).unwrap(), damaged, "{case}: the database is at its name, as it was");
    let left: Vec<String> = listing(&dir).into_keys().filter(|n| n != "desk.sqlite3").collect();
    assert!(left.iter().all(|n| !n.contains("restoring") && !n.contains("unopened")), "{case}: {left:?}");
}

/// A symbolic link to nothing given as the database (its file, or its folder, missing): refused
/// with a message naming where it points, the folder as it was. Before, a test build panicked
/// ("assertion failed") and a release build said only "No such file or directory".
#[test]
fn a_link_to_nothing_is_refused_naming_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    for (name, target) in [("to-missing-file", "gone.sqlite3"), ("to-missing-folder", "nowhere/db.sqlite3")] {
        let link = dir.path().join(name);
        std::os::unix::fs::symlink(dir.path().join(target), &link).unwrap();
        let (status, _) = assert_both_refused(name, &link);
        assert_mentions(name, &status, &["is a symbolic link to", "which does not exist"]);
    }
}
