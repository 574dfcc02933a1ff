//! Hardening through the real webview: damaged and foreign databases are reported and left
//! byte-for-byte alone, hostile text is refused or shown as literal text (no script runs),
//! an Eventbrite export is imported with a column mapped by hand, and *Back up now* works.

use delegate_desk::{AttendeeInput, Desk, ListFilter};
use delegate_desk_e2e::{drive, ensure, turn, App, Step};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const EVENTBRITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/eventbrite-attendees.csv");

/// Every file of a folder with its length and a hash of its bytes (short to print).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (p, (bytes.len(), h.finish()))
        })
        .collect()
}

/// The window opened on `db` shows `want` in the message area; the folder is unchanged.
async fn refused_in_the_window(db: &Path, want: &str, name: &str) {
    shown_in_the_window(db, want, name, true).await;
}

/// The window opened on `db` shows `want`; the database file is unchanged, and with
/// `whole_folder` nothing else in its folder either.
async fn shown_in_the_window(db: &Path, want: &str, name: &str, whole_folder: bool) {
    let folder = db.parent().unwrap();
    let before = snapshot(folder);
    let app = App::launch(db).await;
    let result = app.wait_contains("#message", want).await;
    app.screenshot(name).await;
    app.close().await;
    result.unwrap_or_else(|e| panic!("{name}: {e}"));
    let after = snapshot(folder);
    if whole_folder {
        assert_eq!(after, before, "{name}: the folder changed");
    } else {
        assert_eq!(after.get(db), before.get(db), "{name}: the database changed");
    }
}

#[tokio::test]
async fn damaged_and_foreign_databases_are_reported_and_left_alone() {
    let _turn = turn().await;
    // Our own database, made newer and then negative.
    for (version, want, name) in [
        (-1, "negative schema version", "negative-version"),
        (99, "newer version of Delegate Desk", "newer-version"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite3");
        drop(Desk::open(&db).unwrap());
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "user_version", version).unwrap();
        drop(c);
        refused_in_the_window(&db, want, name).await;
    }
    // Another program's database whose rows are still in its -wal.
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let other = live.join("other.db");
    let c = rusqlite::Connection::open(&other).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
    )
    .unwrap();
    let db = dir.path().join("other.db");
    std::fs::copy(&other, &db).unwrap();
    std::fs::copy(live.join("other.db-wal"), dir.path().join("other.db-wal")).unwrap();
    drop(c);
    std::fs::remove_dir_all(&live).unwrap();
    refused_in_the_window(&db, "another program's SQLite file", "foreign-wal").await;
    // Another program's SQLite file, all in the main file.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE item (name TEXT); INSERT INTO item VALUES ('radio');").unwrap();
    drop(c);
    refused_in_the_window(&db, "another program's SQLite file", "foreign").await;
    // Random bytes.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..65_536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&db, &noise).unwrap();
    refused_in_the_window(&db, "is not an SQLite file", "random-bytes").await;
    // Truncated.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    {
        let mut d = Desk::open(&db).unwrap();
        for i in 0..40 {
            d.register(&AttendeeInput {
                given_name: Some(format!("G{i}")),
                family_name: Some("F".repeat(90)),
                category: Some("delegate".into()),
                ..Default::default()
            })
            .unwrap();
        }
    }
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    refused_in_the_window(&db, "is damaged", "truncated").await;
}

/// Hostile values through the form: refused beside their field, or stored and shown exactly as
/// text; no markup is interpreted and no script runs.
#[tokio::test]
async fn hostile_text_is_refused_or_shown_literally() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    drop(Desk::open(&db).unwrap());
    let shown = [
        ("<img src=x onerror=\"window.__pwned=1\">", "Ahmed"),
        ("محمد بن سلمان", "العتيبي"),
        ("👩🏽‍⚕️ Zoë", "O'Brien; DROP TABLE attendee;--"),
        ("javascript:alert(1)", "=HYPERLINK(\"http://x\")"),
        ("<script>window.__pwned=2</script>", "+1-555 @cmd"),
    ];
    let refused = [
        ("A\u{202E}gnirts", "givenName", "invisible control character"),
        ("Zero\u{200B}Width", "givenName", "invisible control character"),
        ("   ", "givenName", "Enter a given name or a family name"),
    ];
    let long = "x".repeat(10_000);
    drive(&db, &[], "hostile", async |app: &App| -> Step {
        let set = async |id: &str, v: &str| -> Step {
            app.execute(
                &format!("set {id}"),
                "const e = document.getElementById(arguments[0]); e.value = arguments[1];
                 e.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![json!(id), json!(v)],
            )
            .await
            .map(|_| ())
        };
        for (i, (given, family)) in shown.iter().enumerate() {
            set("reg-givenName", given).await?;
            set("reg-familyName", family).await?;
            app.choose("reg-category", "vip").await?;
            app.click("#reg-submit").await?;
            app.wait_contains("#register-result", &format!("seat {} of 100", i + 1)).await?;
        }
        for (value, field, why) in refused {
            set(&format!("reg-{field}"), value).await?;
            app.choose("reg-category", "vip").await?;
            app.click("#reg-submit").await?;
            app.wait_contains(&format!("#reg-{field}-error"), why).await?;
        }
        set("reg-givenName", &long).await?;
        app.click("#reg-submit").await?;
        app.wait_contains("#reg-givenName-error", "10000 characters, the limit is 100").await?;
        app.click("#nav-attendees").await?;
        app.wait_text("#attendee-count", |t| t == "5 people").await?;
        let names = app
            .js("return [...document.querySelectorAll('#attendee-table td.name')].map(td => td.textContent)")
            .await?;
        for (given, family) in shown {
            let want = format!("{given} {family}");
            ensure(names.as_array().unwrap().iter().any(|n| n.as_str() == Some(want.as_str())), || {
                format!("{want:?} shown exactly, saw {names}")
            })?;
        }
        let injected = app.js("return document.querySelectorAll('main img, main script').length").await?;
        ensure(injected == 0, || format!("no markup from data, found {injected} elements"))?;
        let pwned = app.js("return window.__pwned === undefined").await?;
        ensure(pwned == true, || "no script ran".into())?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    let stored: Vec<String> =
        desk.list(&ListFilter::default()).unwrap().into_iter().map(|a| a.fields.given_name).collect();
    for (given, _) in shown {
        assert!(stored.iter().any(|s| s == given), "{given} stored as typed: {stored:?}");
    }
    assert_eq!(stored.len(), 5, "nothing refused was written");
}

/// An Eventbrite attendee report: its columns are recognised, one is mapped by hand in the
/// preview, rows without a ticket type take the default category, and the mapping is
/// remembered for the next file.
#[tokio::test]
async fn import_an_eventbrite_export_mapping_a_column_by_hand() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap().set_pin(None, "246810").unwrap();
    let file = Path::new(EVENTBRITE).canonicalize().unwrap();
    drive(&db, &[], "import-mapping", async |app: &App| {
        app.click("#nav-import").await?;
        app.type_into("#import-file", file.to_str().unwrap()).await?;
        app.choose("import-default-category", "regionalInstitution").await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "4 new").await?;
        app.wait_contains("#import-summary", "1 row without a category read as Regional institution").await?;
        let home = app
            .js("return [...document.querySelectorAll('#import-columns tbody tr')].findIndex(r => r.cells[0].textContent === 'Home Country')")
            .await?;
        let i = home.as_i64().ok_or("no Home Country row")?;
        // Chosen from the keyboard: the table is made again from the new preview, and the
        // keyboard stays on the choice (it fell to the page).
        app.js(&format!("document.getElementById('import-map-{i}').focus()")).await?;
        app.choose(&format!("import-map-{i}"), "delegation").await?;
        app.wait_contains("#import-columns tbody", "chosen here").await?;
        let focused = app.focused_id().await?;
        ensure(focused == format!("import-map-{i}"), || format!("the keyboard is on #{focused}"))?;
        app.click("#import-confirm").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#import-result", "4 invited").await?;
        // The same file again: the column is read as remembered.
        app.click("#import-preview").await?;
        app.wait_contains("#import-columns tbody", "chosen for an earlier file").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    let all = desk.list(&ListFilter::default()).unwrap();
    let cote = all.iter().find(|a| a.fields.family_name == "Côté").unwrap();
    assert_eq!(cote.fields.delegation, "Canada");
    let sian = all.iter().find(|a| a.fields.given_name == "Siân").unwrap();
    assert_eq!(sian.fields.category.wire(), "regionalInstitution");
}

/// Two columns chosen for one field in the preview: the desk refuses, naming both, and the last
/// preview stays on screen marked out of date (Import disabled), so that the column table is
/// there to choose again in; another choice previews again. Before, the preview was hidden
/// with its table, and the choice could only be undone by choosing another file.
#[tokio::test]
async fn a_refused_column_choice_keeps_the_column_table_to_choose_again() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap().set_pin(None, "246810").unwrap();
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,Ticket Type,Home Country,Nationality\nAnn,Lee,VIP,Haiti,Jamaica\n",
    )
    .unwrap();
    drive(&db, &[], "import-choice", async |app: &App| {
        app.click("#nav-import").await?;
        app.type_into("#import-file", file.to_str().unwrap()).await?;
        app.click("#import-preview").await?;
        app.wait_contains("#import-summary", "1 new").await?;
        let row = |h: &str| {
            format!("return [...document.querySelectorAll('#import-columns tbody tr')].findIndex(r => r.cells[0].textContent === '{h}')")
        };
        let home = app.js(&row("Home Country")).await?.as_i64().ok_or("no Home Country row")?;
        let nationality = app.js(&row("Nationality")).await?.as_i64().ok_or("no Nationality row")?;
        app.choose(&format!("import-map-{home}"), "delegation").await?;
        app.wait_contains("#import-columns tbody", "chosen here").await?;
        app.choose(&format!("import-map-{nationality}"), "delegation").await?;
        app.wait_contains("body", "are both read as delegation; choose one of them").await?;
        let shown = app.js("return !document.getElementById('import-columns').closest('[hidden]')").await?;
        ensure(shown == true, || "the column table stays on screen".into())?;
        let disabled = app.js("return document.getElementById('import-confirm').disabled").await?;
        ensure(disabled == true, || "Import waits for a preview of the choices".into())?;
        app.screenshot("import-choice-refused").await;
        // Choose again in the table: previewed, and importable.
        app.choose(&format!("import-map-{home}"), "").await?;
        app.wait_until("Import is offered again", "return !document.getElementById('import-confirm').disabled").await?;
        app.click("#import-confirm").await?;
        app.coordinator_pin("246810").await?;
        app.wait_contains("#import-result", "1 invited").await?;
        Ok(())
    })
    .await;
    let desk = Desk::open(&db).unwrap();
    let all = desk.list(&ListFilter::default()).unwrap();
    assert_eq!(all[0].fields.delegation, "Jamaica", "read from Nationality");
}

/// A file of gigabytes chosen by mistake as the invite list (here 3 GB, sparse): the window
/// reads no more of it than the desk takes, says its real size beside its name, and the desk's
/// refusal names the limit without a size it did not read. Before, the window read the whole
/// file into the page on every preview.
#[tokio::test]
async fn a_file_of_gigabytes_is_refused_without_being_read_whole() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap().set_pin(None, "246810").unwrap();
    let huge = dir.path().join("everyone.csv");
    std::fs::File::create(&huge).unwrap().set_len(3 << 30).unwrap();
    drive(&db, &[], "import-huge", async |app: &App| {
        app.click("#nav-import").await?;
        app.type_into("#import-file", huge.to_str().unwrap()).await?;
        app.wait_contains("#view-import", "everyone.csv — 3.0 GB").await?;
        app.click("#import-preview").await?;
        app.wait_contains("#view-import", "The file is larger than 32 MB, the most an invite list may be")
            .await?;
        app.screenshot("import-huge-refused").await;
        // The window goes on answering.
        app.click("#nav-arrival").await?;
        app.wait_contains("#arrival-day-note", "day").await?;
        Ok(())
    })
    .await;
}

/// *Back up now* in the footer writes a backup and says when.
#[tokio::test]
async fn back_up_now_from_the_footer() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    drop(Desk::open(&db).unwrap());
    drive(&db, &[], "backup", async |app: &App| {
        app.wait_contains("#backup-last", "No backup yet").await?;
        app.click("#backup-now").await?;
        app.wait_contains("#message", "Backed up 0 people to").await?;
        app.wait_contains("#backup-last", "Last backup").await?;
        app.wait_contains("#backup-last", "just now").await?;
        Ok(())
    })
    .await;
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("e2e.sqlite3-backups")).unwrap().collect();
    assert_eq!(backups.len(), 1);
}

/// *Back up now* after ten quiet minutes: the footer says the backup was made just now. It
/// once showed the time of the last change the backup holds ("10 min ago"), as if the click
/// had done nothing.
#[tokio::test]
async fn back_up_now_after_quiet_minutes_says_just_now() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    // The last change, ten minutes ago: a registration by the command-line tool with its clock
    // set back (faketime; the audit trail cannot be changed afterwards). It leaves an automatic
    // backup of that time, as a desk's change does.
    let ago = chrono::Utc::now() - chrono::Duration::minutes(10);
    let cli = delegate_desk_e2e::cli_path();
    let mut register = std::process::Command::new("faketime");
    register
        .arg("-f")
        .arg(ago.format("@%Y-%m-%d %H:%M:%S").to_string())
        .arg(&cli)
        .arg("--db")
        .arg(&db)
        .args(["register", "--given-name", "Quiet", "--family-name", "Minutes", "--category", "vip"]);
    let out = delegate_desk_e2e::in_own_home(&mut register, dir.path())
        .output()
        .expect("faketime (the test command installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    drive(&db, &[], "backup-quiet", async |app: &App| {
        // The command-line tool's own automatic backup of that change, made ten minutes ago.
        app.wait_contains("#backup-last", "(10 min ago)").await?;
        app.click("#backup-now").await?;
        app.wait_contains("#message", "Backed up 1 person to").await?;
        app.wait_contains("#backup-last", "just now").await?;
        let line = app.text("#backup-last").await?.unwrap_or_default();
        ensure(!line.contains("min ago"), || {
            format!("the backup made now is dated by the last change: {line}")
        })
    })
    .await;
}

/// A tmpfs mounted on a folder (as root), unmounted when dropped, even when a step fails.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mount one, or say why not (not root, no mount) and give nothing: CI runs as root.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if !root {
            println!("tmpfs cases not run: mounting needs root (CI runs as root)");
            return None;
        }
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("tmpfs cases not run: mount failed");
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let ok = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        if !std::process::Command::new("umount").arg(&self.0).status().is_ok_and(|s| s.success()) {
            let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// A database marked read-only, one in a folder mounted read-only, and one on a disk with no
/// space left: each is reported in the window, and nothing is changed or created.
#[tokio::test]
async fn read_only_and_full_disks_are_reported_in_the_window() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    drop(Desk::open(&db).unwrap());
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();
    refused_in_the_window(&db, "is marked read-only", "read-only-file").await;

    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    let Some(mount) = Tmpfs::mount(&folder, "4m") else { return };
    let db = folder.join("desk.sqlite3");
    drop(Desk::open(&db).unwrap());
    mount.remount("ro");
    refused_in_the_window(&db, "cannot be written", "read-only-folder").await;
    drop(mount);

    let folder = dir.path().join("small");
    let Some(_mount) = Tmpfs::mount(&folder, "1m") else { return };
    let db = folder.join("desk.sqlite3");
    drop(Desk::open(&db).unwrap());
    // Fill the rest of the disk.
    let mut ballast = std::fs::File::create(folder.join("ballast")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut ballast, &block).is_ok() {}
    drop(ballast);
    // SQLite may leave its empty journal files beside our own database; the database itself
    // is unchanged.
    shown_in_the_window(&db, "The disk that holds it is full", "full-disk", false).await;
}
