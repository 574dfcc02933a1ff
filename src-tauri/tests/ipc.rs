//! The commands through Tauri's real IPC path on the mock runtime (no display): JSON of a
//! result, the `{kind, message, field}` of an error, and the capability that limits the window
//! to the desk's own commands.

use delegate_desk_app::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

#[path = "../../tests/common/process_folder.rs"]
mod process_folder;

/// Every test of this binary writes only in a folder of its own, never in the real home: the
/// home, data, config and cache folders and the output folder (where the commands that write
/// files — badges, rosters, the audit export, calibration pages — put them) are set once, before
/// the first app is built, under a folder of the process (before, every run left one in /tmp).
fn isolate() {
    static FOLDER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    FOLDER.get_or_init(|| {
        let root = process_folder::process_folder("ipc-home");
        for (var, sub) in [
            ("HOME", "home"),
            ("XDG_DATA_HOME", "home/.local/share"),
            ("XDG_CONFIG_HOME", "home/.config"),
            ("XDG_CACHE_HOME", "home/.cache"),
            (delegate_desk::printing::OUTPUT_DIR_ENV, "output"),
        ] {
            let dir = root.join(sub);
            std::fs::create_dir_all(&dir).expect("a folder of the test's own");
            std::env::set_var(var, &dir);
        }
        root
    });
}

/// The folder [`isolate`] set as the output folder.
fn output_dir() -> std::path::PathBuf {
    isolate();
    delegate_desk::printing::output_dir_path().expect("the output folder")
}

fn app(db: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    isolate();
    let app = delegate_desk_app::builder(mock_builder(), AppState::open(Some(db)))
        .build(tauri::generate_context!())
        .expect("build the app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window");
    (app, window)
}

/// A command through the real IPC path with this body and these headers.
fn request(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON body"))
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    request(window, cmd, InvokeBody::Json(args), Default::default())
}

#[test]
fn commands_answer_with_camel_case_json() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("ipc.sqlite3"));
    let names = invoke(&w, "walk_in_name", json!({"text": "maria de la cruz"})).unwrap();
    assert_eq!(names, json!({"givenName": "Maria", "familyName": "de la Cruz"}));
    let status = invoke(&w, "seat_status", json!({})).unwrap();
    assert_eq!(
        status,
        json!({"capacity": 100, "registered": 0, "waitlisted": 0, "invited": 0, "cancelled": 0, "seatsLeft": 100, "heldForWaitlist": 0})
    );
    let out = invoke(
        &w,
        "attendee_register",
        json!({"input": {"givenName": "Hélène", "familyName": "Dupré", "category": "Co-host", "days": "1"}}),
    )
    .unwrap();
    assert_eq!(out["message"], "Registered — seat 1 of 100");
    assert_eq!(out["attendee"]["category"], "coHost");
    assert_eq!(out["attendee"]["waitlistPosition"], Value::Null);
    let id = out["attendee"]["id"].clone();
    let list = invoke(&w, "attendee_list", json!({"filter": {"name": "helene"}})).unwrap();
    assert_eq!(list[0]["id"], id);
    assert_eq!(invoke(&w, "revision", json!({})).unwrap(), json!(1));
    let cats = invoke(&w, "categories", json!({})).unwrap();
    assert_eq!(cats[1], json!({"value": "coHost", "label": "Co-host"}));
    let info = invoke(&w, "db_info", json!({})).unwrap();
    assert!(info["path"].as_str().unwrap().ends_with("ipc.sqlite3"), "{info}");
    let files = delegate_desk::printing::output_dir_path().unwrap().display().to_string();
    assert_eq!(info["outputDir"], json!(files), "{info}");
}

#[test]
fn errors_arrive_as_kind_message_field() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("ipc.sqlite3"));
    let e = invoke(
        &w,
        "attendee_register",
        json!({"input": {"givenName": "A", "category": "delegate", "email": "nope"}}),
    )
    .unwrap_err();
    assert_eq!(e["kind"], "validation");
    assert_eq!(e["field"], "email");
    assert_eq!(e["message"], "Email \"nope\" has no @");
    let e = invoke(&w, "attendee_get", json!({"id": 77})).unwrap_err();
    assert_eq!(e, json!({"kind": "notFound", "message": "There is no attendee #77"}));
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.txt");
    std::fs::write(&foreign, "just text, not a database, long enough to have a header").unwrap();
    let (_app, w) = app(&foreign);
    let e = invoke(&w, "event_get", json!({})).unwrap_err();
    assert_eq!(e["kind"], "storage");
    assert!(e["message"].as_str().unwrap().contains("is not a Delegate Desk database"), "{e}");
    // The second command gets the same error (the opening's outcome is kept, not tried again
    // half-way), and the file is left as it was.
    let again = invoke(&w, "seat_status", json!({})).unwrap_err();
    assert_eq!(again, e);
    let bytes = std::fs::read(&foreign).unwrap();
    assert_eq!(bytes, b"just text, not a database, long enough to have a header");
}

/// *Try again* after a failed opening opens the database again: a folder that was not there
/// at start (a stick not mounted yet) is there now, and the desk opens. Before, the first
/// outcome was kept for good and the window could only be restarted. A foreign file is still
/// refused the same way, and left as it was.
#[test]
fn try_again_opens_the_database_once_it_can_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::write(&stick, "not yet a folder").unwrap();
    let (_app, w) = app(&stick.join("desk.sqlite3"));
    let e = invoke(&w, "event_get", json!({})).unwrap_err();
    assert_eq!(e["kind"], "storage", "{e}");
    // Still there: the answer is the reason, again.
    let again = invoke(&w, "desk_reopen", json!({})).unwrap_err();
    assert_eq!(again["kind"], "storage", "{again}");
    std::fs::remove_file(&stick).unwrap();
    std::fs::create_dir(&stick).unwrap();
    assert_eq!(
        invoke(&w, "event_get", json!({})).unwrap_err()["kind"],
        "storage",
        "not opened behind the window's back"
    );
    invoke(&w, "desk_reopen", json!({})).unwrap();
    assert!(invoke(&w, "event_get", json!({})).unwrap()["name"].is_string());
    invoke(&w, "attendee_register", json!({"input": {"givenName": "Ana", "category": "press"}})).unwrap();
    // A desk that is open is kept (not opened a second time).
    let rev = invoke(&w, "revision", json!({})).unwrap();
    invoke(&w, "desk_reopen", json!({})).unwrap();
    assert_eq!(invoke(&w, "revision", json!({})).unwrap(), rev);
    assert_eq!(invoke(&w, "seat_status", json!({})).unwrap()["registered"], 1);

    let foreign = dir.path().join("foreign.txt");
    std::fs::write(&foreign, "just text, not a database, long enough to have a header").unwrap();
    let (_app2, w2) = app(&foreign);
    let e = invoke(&w2, "desk_reopen", json!({})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("is not a Delegate Desk database"), "{e}");
    assert_eq!(std::fs::read(&foreign).unwrap(), b"just text, not a database, long enough to have a header");
}

/// A window started on a server runs *Try with demo data* and *Leave the demo* off the async
/// runtime, as every other command: opening a server desk there panicked (the client blocks),
/// and leaving the demo answered "failed unexpectedly (a bug)" instead of why the server
/// cannot be reached.
#[test]
fn the_demo_of_a_server_desk_is_left_with_the_servers_own_answer() {
    let (_app, w) = app(std::path::Path::new("postgres://nobody@127.0.0.1:1/none"));
    let e = invoke(&w, "event_get", json!({})).unwrap_err();
    assert_eq!(e["kind"], "unreachable", "{e}");
    let made = invoke(&w, "demo_start", json!({})).unwrap();
    assert_eq!(made["registered"], 97, "{made}");
    assert_eq!(invoke(&w, "event_get", json!({})).unwrap()["demo"], true);
    let e = invoke(&w, "demo_leave", json!({})).unwrap_err();
    assert_eq!(e["kind"], "unreachable", "{e}");
    // The window stays on the demo it showed.
    assert_eq!(invoke(&w, "event_get", json!({})).unwrap()["demo"], true);
}

/// The database opens on a thread of its own while the window starts: commands that come at
/// once, from several threads, right after, all wait for that one opening and see the same
/// desk — none answers "being opened", none opens a second connection that would miss the
/// others' writes.
#[test]
fn commands_sent_while_the_database_opens_wait_for_it_and_share_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opening.sqlite3");
    {
        let mut d = delegate_desk::Desk::open(&db).unwrap();
        d.update_event(&delegate_desk::EventInput { capacity: Some("3".into()), ..Default::default() })
            .unwrap();
    }
    for _ in 0..5 {
        let state = AppState::open(Some(&db));
        let registered: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let state = &state;
                    s.spawn(move || {
                        state.with(|d| {
                            d.register(&delegate_desk::AttendeeInput {
                                given_name: Some(format!("Early{i}")),
                                family_name: Some("Caller".into()),
                                category: Some("delegate".into()),
                                ..Default::default()
                            })
                        })
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &registered {
            assert!(r.is_ok() || r.as_ref().unwrap_err().kind() == "conflict", "{r:?}");
        }
        let status = state.with(|d| d.status()).unwrap();
        assert_eq!(status.capacity, 3);
        assert!(status.registered <= 3, "over capacity: {status:?}");
        drop(state);
    }
    let d = delegate_desk::Desk::open(&db).unwrap();
    assert_eq!(
        d.status().unwrap().registered,
        3,
        "the first three registered, the rest waitlisted or refused"
    );
}

#[test]
fn the_window_may_call_only_the_desk_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("ipc.sqlite3"));
    // A core command the UI does not use is not allowed by the capability.
    let e = invoke(&w, "plugin:window|close", json!({})).unwrap_err();
    assert!(e.to_string().contains("not allowed"), "{e}");
    // Every listed command is registered and allowed (a missing one would fail differently).
    for cmd in delegate_desk_app::COMMAND_NAMES {
        if let Err(e) = invoke(&w, cmd, json!({"id": 1, "ids": [1], "input": {}, "filter": {}})) {
            let s = e.to_string();
            assert!(!s.contains("not allowed") && !s.contains("not found"), "{cmd}: {s}");
        }
    }
    // The commands that write files wrote them into the test's own output folder.
    let written: Vec<_> = std::fs::read_dir(output_dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(
        written.iter().any(|n| n.to_string_lossy().starts_with("audit-")),
        "the audit export was written elsewhere: {written:?}"
    );
}

#[test]
fn badge_commands_answer_with_the_wire_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("ipc.sqlite3"));
    let presets = invoke(&w, "badge_presets", json!({})).unwrap();
    assert_eq!(presets.as_array().unwrap().len(), 8);
    assert_eq!(presets[2]["name"], "letter-6up-4x3");
    assert_eq!(presets[2]["cutMarks"], true);
    assert!(presets.as_array().unwrap().iter().any(|p| p["name"] == "ql-62x100"));
    // The print log starts empty; a job the log does not hold is named.
    assert_eq!(invoke(&w, "print_jobs", json!({"limit": 10})).unwrap(), json!([]));
    let e = invoke(&w, "print_job_cancel", json!({"id": 7})).unwrap_err();
    assert_eq!(e["kind"], "notFound", "{e}");
    let a = invoke(&w, "attendee_register", json!({"input": {"givenName": "Мария", "category": "staff"}}))
        .unwrap();
    let id = a["attendee"]["id"].clone();
    let pre = invoke(
        &w,
        "badge_preflight",
        json!({"request": {"selection": {"who": "ids", "ids": [id]}, "preset": "cr80", "reason": null, "note": null}}),
    )
    .unwrap();
    assert_eq!(pre["badges"][0]["printedName"], "Мария");
    assert_eq!(pre["badges"][0]["version"], 1);
    assert_eq!(pre["pages"], 1);
    let e = invoke(&w, "calibration_set", json!({"preset": "cr80", "dxMm": "99", "dyMm": "0"})).unwrap_err();
    assert_eq!(e["field"], "dxMm");
    assert_eq!(
        invoke(&w, "calibration_get", json!({"preset": "cr80"})).unwrap(),
        json!({"dxMm": 0.0, "dyMm": 0.0})
    );
}

/// An import command with the file as the raw body and its options (JSON) in the header.
fn invoke_raw(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    bytes: &[u8],
    options: Value,
) -> Result<Value, Value> {
    invoke_raw_text(window, cmd, bytes, &options.to_string())
}

/// An invite list travels as raw bytes with its options in a header; a JSON body is refused.
#[test]
fn import_takes_the_file_as_raw_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("ipc.sqlite3"));
    let csv = "given_name,family_name,category\nHélène,Dupré,co-host\nBob,Ray,delegate\n".as_bytes();
    let p = invoke_raw(&w, "import_preview", csv, json!({"mode": "register"})).unwrap();
    assert_eq!((p["rows"].clone(), p["new"].clone()), (json!(2), json!(2)));
    // The window is a desk: an import needs the coordinator PIN, set on first use.
    let e = invoke_raw(&w, "import_run", csv, json!({"mode": "register"})).unwrap_err();
    assert_eq!(e["kind"], "coordinatorOnly", "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("has no coordinator PIN yet: the coordinator sets one in Event settings"),
        "{e}"
    );
    let status = invoke(&w, "pin_set", json!({"pin": "5150"})).unwrap_err();
    assert_eq!(status["field"], "pin", "{status}");
    let status = invoke(&w, "pin_set", json!({"pin": "515051"})).unwrap();
    assert_eq!((status["set"].clone(), status["unlocked"].clone()), (json!(true), json!(true)), "{status}");
    let out = invoke_raw(&w, "import_run", csv, json!({"mode": "register"})).unwrap();
    assert_eq!(out["registered"], 2, "{out}");
    let status = invoke(&w, "pin_lock", json!({})).unwrap();
    assert_eq!(status["unlocked"], false);
    let e = invoke(&w, "event_update", json!({"input": {"capacity": "90"}})).unwrap_err();
    assert_eq!(e["kind"], "coordinatorOnly", "{e}");
    let e = invoke(&w, "pin_unlock", json!({"pin": "515052"})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("Wrong PIN (4 tries left)"), "{e}");
    invoke(&w, "pin_unlock", json!({"pin": "515051"})).unwrap();
    invoke(&w, "event_update", json!({"input": {"capacity": "90"}})).unwrap();
    // Event settings changes the PIN with the current one typed; without it, neither a locked
    // desk nor an open one can (an open window would let anyone lock the coordinator out).
    let e = invoke(&w, "pin_set", json!({"pin": "777777"})).unwrap_err();
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("validation"), json!("current")), "{e}");
    invoke(&w, "pin_lock", json!({})).unwrap();
    let e = invoke(&w, "pin_set", json!({"pin": "777777"})).unwrap_err();
    assert_eq!(e["field"], "current", "{e}");
    invoke(&w, "pin_set", json!({"pin": "777777", "current": "515051"})).unwrap();
    invoke(&w, "pin_lock", json!({})).unwrap();
    let e = invoke(&w, "pin_unlock", json!({"pin": "515051"})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("Wrong PIN"), "{e}");
    invoke(&w, "pin_unlock", json!({"pin": "777777"})).unwrap();
    let e = invoke(&w, "import_preview", json!({"bytes": [1, 2], "options": {}})).unwrap_err();
    assert_eq!(e["field"], "file");
    let e = invoke_raw(&w, "import_preview", csv, json!({"mode": "sideways"})).unwrap_err();
    assert_eq!(e["field"], "options", "{e}");
    let big = vec![b'a'; delegate_desk::import::MAX_IMPORT_BYTES + 1];
    let e = invoke_raw(&w, "import_preview", &big, json!({})).unwrap_err();
    assert_eq!(e["field"], "file");
    assert!(e["message"].as_str().unwrap().contains("larger than 32 MB"), "{e}");
    // Options naming a column past ASCII travel \u-escaped (a header holds only bytes).
    let csv = "given_name,category,Pa\u{ed}s / Territ\u{f3}rio\nAna,vip,Brasil\n".as_bytes();
    let escaped = json!({"map": {"Pa\u{ed}s / Territ\u{f3}rio": "delegation"}})
        .to_string()
        .replace('\u{ed}', "\\u00ed")
        .replace('\u{f3}', "\\u00f3");
    assert!(escaped.is_ascii(), "{escaped}");
    let p = invoke_raw_text(&w, "import_preview", csv, &escaped).unwrap();
    assert_eq!(p["columns"][2]["field"], "delegation", "{p}");
}

fn invoke_raw_text(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    bytes: &[u8],
    options: &str,
) -> Result<Value, Value> {
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert("x-import-options", options.parse().unwrap());
    request(window, cmd, InvokeBody::Raw(bytes.to_vec()), headers)
}

/// A panic inside one command is reported as an internal error and the next command works:
/// the desk's lock is not left poisoned.
#[test]
fn a_panic_in_one_command_does_not_break_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(Some(&dir.path().join("p.sqlite3")));
    let e = state
        .with(|d| -> delegate_desk::Result<()> {
            d.register(&delegate_desk::AttendeeInput {
                given_name: Some("Half".into()),
                category: Some("vip".into()),
                ..Default::default()
            })?;
            panic!("boom")
        })
        .unwrap_err();
    assert_eq!(e.kind(), "internal");
    assert!(e.to_string().contains("The window keeps working"), "{e}");
    let s = state.with(|d| d.status()).unwrap();
    assert_eq!(s.registered, 1, "the registration before the panic was its own committed transaction");
    state
        .with(|d| {
            d.register(&delegate_desk::AttendeeInput {
                given_name: Some("Next".into()),
                category: Some("vip".into()),
                ..Default::default()
            })
        })
        .unwrap();
}

/// *Back up now* writes a backup beside the database and the status names it.
#[test]
fn backup_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let (_app, w) = app(&db);
    assert_eq!(invoke(&w, "backup_status", json!({})).unwrap()["last"], Value::Null);
    let b = invoke(&w, "backup_now", json!({})).unwrap();
    assert!(b["path"].as_str().unwrap().contains("b.sqlite3-backups/manual-"), "{b}");
    let s = invoke(&w, "backup_status", json!({})).unwrap();
    assert_eq!(s["last"]["path"], b["path"]);
    assert_eq!(s["count"], 1);
    // When it was made, for the footer's "Last backup": the window reads `taken`, the time in
    // the backup's name (`manual-20191114-071500123.sqlite3` is 2019-11-14T07:15:00.123Z).
    let digits = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
    let name = b["path"].as_str().unwrap().rsplit_once("/manual-").unwrap().1.trim_end_matches(".sqlite3");
    assert_eq!(digits(s["taken"].as_str().unwrap()), digits(name), "{s}");
}

/// The security posture written in the README: a strict CSP (no inline or remote script or
/// style, no eval, IPC only), a frozen prototype, and a capability that grants exactly the
/// desk's own commands — no plugin (shell, file system, HTTP) at all.
#[test]
fn the_csp_and_the_capability_are_strict() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    for needed in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(needed), "CSP lacks {needed}: {csp}");
    }
    for banned in ["unsafe-inline", "unsafe-eval", "https:", "*"] {
        assert!(!csp.contains(banned), "CSP allows {banned}: {csp}");
    }
    assert_eq!(conf["app"]["security"]["freezePrototype"], true);
    let cap: Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    let mut granted: Vec<String> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    let mut commands: Vec<String> =
        delegate_desk_app::COMMAND_NAMES.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    granted.sort();
    commands.sort();
    assert_eq!(granted, commands, "the capability grants exactly the desk's commands");
    assert_eq!(cap["windows"], json!(["main"]));
}

/// Try with demo data, then Leave the demo: the window's desk switches to a demo beside the
/// real database and back, the operator signed in is carried over, and the real database is
/// not written. A demo shown is made again from scratch.
#[test]
fn the_demo_switches_the_desk_and_leaves_the_real_database_alone() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("desk.sqlite3");
    let (_app, w) = app(&real);
    invoke(&w, "operator_set", json!({"name": "Ana Pierre", "desk": "Desk 3"})).unwrap();
    // Remembered on disk for the next start, in this test's own data folder.
    let info = invoke(&w, "operator_get", json!({})).unwrap();
    assert_eq!(info["remembered"], json!({"name": "Ana Pierre", "desk": "Desk 3"}), "{info}");
    // The desk's settings too, one by one; a name that is not the window's is refused.
    invoke(&w, "desk_setting_set", json!({"key": "delegate-desk.badge-preset", "value": "cr80"})).unwrap();
    invoke(&w, "desk_setting_set", json!({"key": "delegate-desk.print-at-check-in", "value": "yes"}))
        .unwrap();
    invoke(&w, "desk_setting_set", json!({"key": "delegate-desk.print-at-check-in"})).unwrap();
    let e = invoke(&w, "desk_setting_set", json!({"key": "HOME", "value": "/"})).unwrap_err();
    assert_eq!(e["kind"], "validation", "{e}");
    let settings = invoke(&w, "desk_settings_get", json!({})).unwrap();
    assert_eq!(settings["delegate-desk.badge-preset"], "cr80", "{settings}");
    assert!(settings.get("delegate-desk.print-at-check-in").is_none(), "forgotten: {settings}");
    invoke(
        &w,
        "attendee_register",
        json!({"input": {"givenName": "Real", "familyName": "Person", "category": "delegate"}}),
    )
    .unwrap();
    // The mock runtime keeps no window title (the real one is checked end to end); the
    // command answers.
    assert!(invoke(&w, "window_title", json!({})).is_ok());
    // The real database's last change (its file is in WAL mode: the bytes move on a checkpoint).
    let before = invoke(&w, "revision", json!({})).unwrap();

    let made = invoke(&w, "demo_start", json!({})).unwrap();
    assert_eq!(made["registered"], 97, "{made}");
    let demo = dir.path().join("desk-demo.sqlite3");
    assert_eq!(made["path"], json!(demo.display().to_string()));
    assert_eq!(invoke(&w, "event_get", json!({})).unwrap()["demo"], true);
    assert_eq!(invoke(&w, "seat_status", json!({})).unwrap()["registered"], 97);
    let about = invoke(&w, "about", json!({})).unwrap();
    assert_eq!(
        (about["demo"].clone(), about["database"]["path"].clone()),
        (json!(true), json!(demo.display().to_string()))
    );
    // Who is at the desk came along: a change in the demo is recorded under their name.
    let who = invoke(&w, "operator_get", json!({})).unwrap();
    assert_eq!((who["name"].clone(), who["desk"].clone()), (json!("Ana Pierre"), json!("Desk 3")));
    invoke(
        &w,
        "attendee_register",
        json!({"input": {"givenName": "Tried", "familyName": "Out", "category": "press"}}),
    )
    .unwrap();
    // Trying again while the demo shows makes it afresh.
    invoke(&w, "demo_start", json!({})).unwrap();
    let people = invoke(&w, "attendee_list", json!({"filter": {"name": "tried"}})).unwrap();
    assert_eq!(people, json!([]));

    invoke(&w, "demo_leave", json!({})).unwrap();
    assert_eq!(invoke(&w, "event_get", json!({})).unwrap()["demo"], false);
    assert_eq!(invoke(&w, "seat_status", json!({})).unwrap()["registered"], 1);
    assert_eq!(invoke(&w, "revision", json!({})).unwrap(), before, "the real database was written");
    let people = invoke(&w, "attendee_list", json!({})).unwrap();
    assert_eq!(people.as_array().map(Vec::len), Some(1));
}

/// A demo cannot be made where it would replace a real database: the window stays on what it
/// showed, and says why.
#[test]
fn a_demo_refused_leaves_the_window_on_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("desk.sqlite3");
    // A real database sits where the demo would go.
    drop(delegate_desk::Desk::open(&dir.path().join("desk-demo.sqlite3")).unwrap());
    let (_app, w) = app(&real);
    let e = invoke(&w, "demo_start", json!({})).unwrap_err();
    assert_eq!(e["kind"], "validation", "{e}");
    assert!(e["message"].as_str().unwrap().contains("not a demo database"), "{e}");
    assert_eq!(invoke(&w, "event_get", json!({})).unwrap()["demo"], false);
    assert!(invoke(&w, "db_info", json!({})).unwrap()["path"].as_str().unwrap().ends_with("desk.sqlite3"));
}

#[test]
fn the_programme_and_the_door_answer_through_the_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ipc.sqlite3");
    delegate_desk::Desk::open(&db).unwrap().set_pin(None, "246810").unwrap();
    let (_app, w) = app(&db);
    let input =
        json!({"day": 1, "start": "9:00", "end": "10:30", "title": "Disaster response", "room": "Hall A"});
    // A coordinator action: refused until the PIN is given, then done.
    let e = invoke(&w, "session_add", json!({ "input": input })).unwrap_err();
    assert_eq!(e["kind"], "coordinatorOnly", "{e}");
    invoke(&w, "pin_unlock", json!({"pin": "246810"})).unwrap();
    let s = invoke(&w, "session_add", json!({ "input": input })).unwrap();
    assert_eq!((s["start"].as_str(), s["categories"].as_array().unwrap().len()), (Some("09:00"), 7));
    let listed = invoke(&w, "sessions", json!({"day": 1})).unwrap();
    assert_eq!(listed[0]["openTo"], "everyone but the press", "{listed}");
    let press = invoke(
        &w,
        "attendee_register",
        json!({"input": {"givenName": "Pat", "familyName": "Press", "category": "press", "delegation": "Press"}}),
    )
    .unwrap()["attendee"]["id"]
        .clone();
    let card = invoke(&w, "arrival_card", json!({"id": press, "session": s["id"]})).unwrap();
    assert_eq!(card["door"]["refusal"], "Press — this session is closed to the press", "{card}");
    let out = invoke(&w, "arrival_arrive", json!({"id": press, "session": s["id"]})).unwrap();
    assert_eq!((out["result"].as_str(), out["card"]["checkin"].is_null()), (Some("refused"), true), "{out}");
    let named =
        invoke(&w, "session_people", json!({"id": s["id"], "people": [press], "list": "admit"})).unwrap();
    assert_eq!(named["admitted"], json!([press]), "{named}");
    let listed = invoke(&w, "sessions", json!({})).unwrap();
    assert_eq!(listed[0]["people"][0]["displayName"], "Pat Press", "{listed}");
    invoke(&w, "session_people", json!({"id": s["id"], "people": [press], "list": "clear"})).unwrap();
    let changed = invoke(&w, "session_set", json!({"id": s["id"], "input": {"openTo": "press"}})).unwrap();
    assert_eq!(changed["categories"].as_array().unwrap().len(), 8);
    // A form filled before another desk's change of the room: its own room is refused as a
    // conflict (stale, nothing written), its categories as loaded leave the press admitted.
    let loaded = json!({"room": "Hall Z", "categories": "delegate"});
    let typed = json!({"room": "Hall Y", "categories": "delegate"});
    let e = invoke(&w, "session_set", json!({"id": s["id"], "input": typed, "loaded": loaded})).unwrap_err();
    assert_eq!((e["kind"].as_str(), e["stale"].as_bool()), (Some("conflict"), Some(true)), "{e}");
    assert_eq!(e["typed"], json!(["room"]), "the categories were typed as loaded: {e}");
    assert!(e["message"].as_str().unwrap().contains("the room (now "), "{e}");
    let listed = invoke(&w, "sessions", json!({})).unwrap();
    assert_eq!(listed[0]["room"], s["room"], "a stale refusal wrote the room: {listed}");
    let typed = json!({"title": "Opening plenary", "categories": "delegate"});
    let loaded = json!({"title": s["title"], "categories": "delegate"});
    let saved = invoke(&w, "session_set", json!({"id": s["id"], "input": typed, "loaded": loaded})).unwrap();
    assert_eq!(
        (saved["title"].as_str(), saved["categories"].as_array().unwrap().len()),
        (Some("Opening plenary"), 8)
    );
    let out = invoke(&w, "arrival_arrive", json!({"id": press, "session": s["id"]})).unwrap();
    assert_eq!(out["result"], "admitted", "{out}");
    let e = invoke(&w, "session_remove", json!({"id": s["id"], "force": false})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("has had 1 check-in"), "{e}");
    let sheet = invoke(&w, "attendance_export", json!({"session": s["id"], "format": "pdf"})).unwrap();
    assert!(std::fs::read(sheet["path"].as_str().unwrap()).unwrap().starts_with(b"%PDF"), "{sheet}");
    let gone = invoke(&w, "session_remove", json!({"id": s["id"], "force": true})).unwrap();
    assert_eq!(gone["attendance"], 1);
    // The programme in as raw bytes, and out into the output folder.
    let csv =
        "day,start,end,title,room,open to\n1,08:00,08:30,Welcoming remarks,Main hall,\"Delegate, Press\"\n";
    let applied = invoke_raw(&w, "programme_import", csv.as_bytes(), json!({})).unwrap();
    assert_eq!(applied["added"], 1, "{applied}");
    let e = invoke(&w, "programme_import", json!({"bytes": csv})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("raw bytes"), "{e}");
    let out = invoke(&w, "programme_export", json!({})).unwrap();
    let written = std::fs::read_to_string(out["path"].as_str().unwrap()).unwrap();
    assert!(written.contains("Welcoming remarks"), "{written}");
}
