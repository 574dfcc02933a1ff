//! Harness of the end-to-end tests: starts `tauri-driver` (which starts WebKitWebDriver and the
//! real Delegate Desk binary on a database of the test's own) and connects a WebDriver client.
//!
//! Needs `Xvfb` (each window gets an X server of its own, see [`Display`]), `tauri-driver` on
//! the PATH, `WebKitWebDriver` (Debian: webkit2gtk-driver), and the app built with
//! `cargo build -p delegate-desk-app`.
//!
//! (The helpers sit in the library so that every test file can use them.)

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What a step of a test returns: a failure carries a message that says what was expected.
pub type Step<T = ()> = Result<T, String>;

/// How long a step waits for the window to show what it expects: long enough for a machine
/// whose every CPU is busy with something else (scripts/test-e2e-under-load.sh), where one
/// WebDriver command has taken seconds; a passing step never waits for it.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// True while the view on screen is being built or read (shown, or read again after a change):
/// the UI marks the page's main area `data-reading` until what it shows has arrived
/// (ui/js/app.js).
const VIEW_READING: &str = "return document.getElementById('main')?.dataset.reading === 'true'";

/// Whether the text field matching `arguments[0]` was clicked without getting the keyboard
/// (false for anything that is not a text field: a button, a box to tick).
const TYPED_INTO_MISSED: &str = "const e = document.querySelector(arguments[0]);
  const text = e && e.matches('input:not([type=checkbox]):not([type=radio]):not([type=file]):not([disabled]), textarea:not([disabled])');
  return Boolean(text && document.activeElement !== e);";

/// How long one WebDriver command may go unanswered before the test fails naming it. A busy
/// machine answers in seconds; a command still unanswered after this is a window or a driver
/// that hangs (a resize once waited for an answer that never came, and the whole test run
/// with it), and the test fails instead of waiting forever.
pub const COMMAND_DEADLINE: Duration = Duration::from_secs(60);

/// One WebDriver command (or any step that talks to the window), given [`COMMAND_DEADLINE`]:
/// its error, or no answer in time, becomes a failure that names `what`.
pub async fn within<T, E: std::fmt::Display + std::fmt::Debug>(
    what: &str,
    command: impl std::future::Future<Output = Result<T, E>>,
) -> Step<T> {
    within_for(COMMAND_DEADLINE, what, command).await
}

/// How a failure for want of an answer ends (see [`within`]).
const HANGS: &str = " (it hangs)";

async fn within_for<T, E: std::fmt::Display + std::fmt::Debug>(
    deadline: Duration,
    what: &str,
    command: impl std::future::Future<Output = Result<T, E>>,
) -> Step<T> {
    match tokio::time::timeout(deadline, command).await {
        Ok(Ok(v)) => Ok(v),
        // Some WebDriver errors have an empty message: the whole error, then.
        Ok(Err(e)) if e.to_string().trim().is_empty() => Err(format!("{what}: {e:?}")),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: no answer from the window's WebDriver in {deadline:?}{HANGS}")),
    }
}

/// How many tests drive windows at once (with `--test-threads` at least this). A test mostly
/// waits for its window to answer: on 2 cores the whole suite took 260 s one at a time, 197 s
/// two at a time and 163 s three at a time, the cores then 91 % busy (docs/speed.md).
pub const AT_ONCE: u32 = 3;

static WINDOWS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE as usize);

/// A test's turn to drive windows: at most [`AT_ONCE`] tests hold one together. Each window
/// has an X server, a driver, ports and folders of its own ([`App::launch_with`]).
pub async fn turn() -> tokio::sync::SemaphorePermit<'static> {
    WINDOWS.acquire().await.expect("the windows' turns are never closed")
}

/// A turn with no other test's window beside it: for a test that measures (start-up times),
/// where another window would take the cores it is timed on, and for one that stops what the
/// others use (the PostgreSQL test cluster).
pub async fn alone() -> tokio::sync::SemaphorePermit<'static> {
    WINDOWS.acquire_many(AT_ONCE).await.expect("the windows' turns are never closed")
}

/// An X server of the window's own (`Xvfb`), stopped when dropped: the windows of tests run
/// side by side never share a screen, a keyboard focus or a pointer, as one at a time on the
/// test command's one display they never did.
struct Display {
    server: Child,
    /// `:N`, as `DISPLAY` names it.
    name: String,
}

impl Display {
    /// A new X server, its messages written to `log`; an error says why there is none, with
    /// the end of its messages.
    fn start(log: &Path) -> Result<Display, String> {
        use std::io::BufRead;
        let messages = std::fs::File::create(log).map_err(|e| format!("create {}: {e}", log.display()))?;
        // `-displayfd 1`: the server takes a display number no other X server holds and
        // writes it on its standard output once it accepts connections.
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(messages)
            .spawn()
            .map_err(|e| format!("start Xvfb (Debian: the xvfb package): {e}"))?;
        // Read beside, so that a server that neither answers nor ends fails the start in
        // time instead of holding the test.
        let output = server.stdout.take().expect("Xvfb's output");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = std::io::BufReader::new(output).read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        let said = rx.recv_timeout(PATIENCE);
        if let Ok(Ok(line)) = &said {
            if let Ok(n) = line.trim().parse::<u32>() {
                return Ok(Display { server, name: format!(":{n}") });
            }
        }
        stop(&mut server);
        let messages = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = messages.lines().collect();
        let tail = lines[lines.len().saturating_sub(5)..].join(" / ");
        Err(match said {
            Err(_) => format!("Xvfb gave no display number in {PATIENCE:?}; it said: {tail}"),
            Ok(said) => format!("Xvfb gave no display number ({said:?}); it said: {tail}"),
        })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        stop(&mut self.server);
    }
}

/// The command-line tool built beside the app under test.
pub fn cli_path() -> PathBuf {
    app_path().with_file_name("delegate-desk-cli")
}

/// `command` with its home, data and config folders in `dir`, never the real home's.
pub fn in_own_home<'a>(command: &'a mut Command, dir: &Path) -> &'a mut Command {
    command.env("HOME", dir).env("XDG_DATA_HOME", dir).env("XDG_CONFIG_HOME", dir)
}

/// The app binary: `DELEGATE_DESK_APP`, else `target/debug/delegate-desk` of this workspace.
pub fn app_path() -> PathBuf {
    if let Some(p) = std::env::var_os("DELEGATE_DESK_APP") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let p = target.join("debug/delegate-desk");
    p.canonicalize().unwrap_or_else(|_| {
        panic!("{} is missing: build the app first with `cargo build -p delegate-desk-app`", p.display())
    })
}

/// A port free now, below the kernel's ephemeral range: a port the kernel hands out (bind to
/// port 0) may be given again to any outgoing connection — this test's own polling of the
/// driver once took the port WebKitWebDriver was about to listen on — while one below the
/// range is only ever taken on purpose.
fn free_port(not: u16) -> u16 {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|p| p.parse::<u16>().ok()))
        .unwrap_or(32768);
    let (first, span) = (low.saturating_sub(12_000).max(1024), low.saturating_sub(1024).clamp(1, 12_000));
    let seed = std::process::id()
        ^ std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    // A port is handed out once in this process: two tests starting windows side by side
    // would otherwise both find the same port free before either driver listens on it.
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
    for i in 0..u32::from(span) {
        let port = first + ((seed.wrapping_add(i.wrapping_mul(7919))) % u32::from(span)) as u16;
        if port != not && !given.contains(&port) && TcpListener::bind(("127.0.0.1", port)).is_ok() {
            given.push(port);
            return port;
        }
    }
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// tauri-driver, stopped when dropped: a test that fails or panics anywhere never leaves
/// tauri-driver and WebKitWebDriver running (they would hold the output pipe of the test run
/// open, and `cargo test | tee` would wait for them forever).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        stop(&mut self.0);
    }
}

/// A running app, driven through the webview.
pub struct App {
    /// The WebDriver client: reached only through the methods below, which give each command
    /// a deadline ([`COMMAND_DEADLINE`]).
    client: Client,
    driver: Driver,
    /// The window's X server, stopped after the driver (fields drop in this order).
    _display: Display,
    /// The database the app works on.
    pub db: PathBuf,
    /// The app's own home, data, config, cache and output folders (see [`App::launch_with`]).
    _folders: tempfile::TempDir,
}

impl App {
    /// Start tauri-driver and the app on `db`, and wait for the window to show the seat count
    /// read from the database and to have built its views.
    pub async fn start(db: &Path) -> App {
        App::start_with(db, &[]).await
    }

    /// [`App::start`] with more environment variables for the app (e.g. its output folder).
    pub async fn start_with(db: &Path, env: &[(&str, &Path)]) -> App {
        let app = App::launch_with(db, env).await;
        let loaded = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        // The seat count, then the views: the header is drawn before the views are built, and
        // a loaded machine once ran a test's first step in between (no #reg-givenName yet).
        let ready = match app.wait_text("#gauge-capacity", loaded).await {
            Ok(_) => {
                app.wait_until(
                    "the views are built",
                    "return document.getElementById('main').children.length > 0",
                )
                .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = ready {
            let page = app
                .js("return document.body ? document.body.innerText : document.documentElement.outerHTML")
                .await;
            app.screenshot("start-failure").await;
            app.close().await;
            panic!("the window did not show the seat count: {e}\nThe window shows: {page:?}");
        }
        app
    }

    /// Start tauri-driver and the app on `db`, without waiting for anything in the window.
    pub async fn launch(db: &Path) -> App {
        App::launch_with(db, &[]).await
    }

    /// [`App::launch`] with more environment variables for the app.
    pub async fn launch_with(db: &Path, env: &[(&str, &Path)]) -> App {
        // Everything that can fail before the driver runs is done first.
        let application = app_path();
        // The ports are free when chosen; if another process takes one before the drivers
        // listen on it, the session cannot start: then again, on other ports.
        for attempt in 1..=3 {
            match App::try_launch(db, env, &application).await {
                Ok(app) => return app,
                Err(e) if attempt < 3 => {
                    eprintln!("the window did not start ({e}); again, on other ports and another display")
                }
                Err(e) => panic!("could not start the window: {e}"),
            }
        }
        unreachable!()
    }

    async fn try_launch(db: &Path, env: &[(&str, &Path)], application: &Path) -> Result<App, String> {
        let port = free_port(0);
        let native = free_port(port);
        // Each app lives in folders of its own: its home, data, config and cache folders and
        // its output folder, so that no test writes into the real home (a PDF, a roster, the
        // audit export, WebKit's cache) and one test's window size never carries into the next.
        // A test that names one of them (to look into it, or to share it) passes it in `env`.
        let own = tempfile::tempdir().expect("folders for the app");
        let display = Display::start(&own.path().join("xvfb.log"))?;
        let folders: Vec<(&str, PathBuf)> = [
            ("HOME", "home"),
            ("XDG_DATA_HOME", "home/.local/share"),
            ("XDG_CONFIG_HOME", "home/.config"),
            ("XDG_CACHE_HOME", "home/.cache"),
            ("DELEGATE_DESK_OUTPUT_DIR", "output"),
        ]
        .into_iter()
        .filter(|(var, _)| !env.iter().any(|(k, _)| k == var))
        .map(|(var, sub)| {
            let dir = own.path().join(sub);
            std::fs::create_dir_all(&dir).expect("a folder of the app's own");
            (var, dir)
        })
        .collect();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DELEGATE_DESK_DB", db)
            // The operator is named, so the window does not ask who is at the desk (a test
            // that signs in passes an empty value).
            .env("DELEGATE_DESK_OPERATOR", "E2E operator")
            // Mesa's shader cache would be made anew in each app's cache folder (and says so
            // on stderr when it cannot): not worth it for a few screens.
            .env("MESA_SHADER_CACHE_DISABLE", "true")
            // The window lists printers: a test that runs a CUPS scheduler of its own passes
            // its address in `env` (tests/e2e/tests/printing.rs); the others see a print
            // service that is not there, never the machine's own printers, nor the scheduler
            // an earlier test of the same program left running (tests/common/cups.rs sets
            // CUPS_SERVER in this process for the scheduler's life, which is the program's).
            .env("CUPS_SERVER", "127.0.0.1:9")
            .env("DISPLAY", &display.name)
            // On a desktop session, GTK would put the window on the desktop's Wayland screen.
            .env("GDK_BACKEND", "x11")
            .env_remove("WAYLAND_DISPLAY")
            .envs(folders.iter().map(|(k, v)| (*k, v)))
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver (install it with `cargo install tauri-driver --locked`)");
        let driver = Driver(driver);
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on port {port}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": application }));
        let client = within(
            "start a WebDriver session",
            ClientBuilder::native().capabilities(caps).connect(&format!("http://127.0.0.1:{port}")),
        )
        .await?;
        Ok(App { client, driver, _display: display, db: db.to_path_buf(), _folders: own })
    }

    /// End the session and stop tauri-driver (SIGTERM, so that it stops WebKitWebDriver too).
    pub async fn close(self) {
        // A window that hangs does not hold the test: the driver and everything it started
        // are stopped anyway.
        let _ = within_for(Duration::from_secs(10), "end the session", self.client.clone().close()).await;
        drop(self.driver);
    }

    /// The processes the driver started (WebKitWebDriver, the app, WebKit's), one line each:
    /// pid, name, state and where in the kernel it waits — what a hang is looked at with.
    pub fn processes(&self) -> String {
        descendants(self.driver.0.id())
            .iter()
            .map(|(pid, _)| {
                let read = |f: &str| std::fs::read_to_string(format!("/proc/{pid}/{f}")).unwrap_or_default();
                let state = process(*pid).map_or_else(|| "?".into(), |p| p.state);
                format!("  {pid} {} {state} {}", read("comm").trim(), read("wchan"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Resize the window, as a person drags its corner.
    pub async fn resize(&self, width: u32, height: u32) -> Step {
        within(
            &format!("resize the window to {width} x {height}"),
            self.client.set_window_size(width, height),
        )
        .await
    }

    /// Move and resize the window.
    pub async fn set_rect(&self, x: u32, y: u32, width: u32, height: u32) -> Step {
        within(
            &format!("move the window to {x}, {y} and resize it to {width} x {height}"),
            self.client.set_window_rect(x, y, width, height),
        )
        .await
    }

    /// Where the window is and how large: (x, y, width, height).
    pub async fn rect(&self) -> Step<(u64, u64, u64, u64)> {
        within("read the window's place and size", self.client.get_window_rect()).await
    }

    /// Run JavaScript in the page with arguments.
    pub async fn execute(&self, what: &str, script: &str, args: Vec<Value>) -> Step<Value> {
        within(what, self.client.execute(script, args)).await
    }

    /// Run asynchronous JavaScript in the page (the last argument is its callback).
    pub async fn execute_async(&self, what: &str, script: &str, args: Vec<Value>) -> Step<Value> {
        within(what, self.client.execute_async(script, args)).await
    }

    /// The element matching a CSS selector, waiting for it to appear.
    pub async fn el(&self, css: &str) -> Step<Element> {
        within_for(
            PATIENCE + COMMAND_DEADLINE,
            &format!("no element {css}"),
            self.client.wait().at_most(PATIENCE).for_element(Locator::Css(css)),
        )
        .await
    }

    /// Click an element, as a person does once it is there and can be clicked: not while the
    /// view on screen is still being read (`data-reading`: its layout may still move, and a
    /// click aimed at one field would land on another), and the lookup and the click are tried
    /// again while the view is still re-rendering (a stale or not yet interactable element) or
    /// the element is scrolled out of reach, until [`PATIENCE`] runs out.
    pub async fn click(&self, css: &str) -> Step {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let reading = self.js(VIEW_READING).await? == true;
            let error = if reading {
                "the view on screen was still being read".to_string()
            } else {
                match within("find", self.client.find(Locator::Css(css))).await {
                    Ok(e) => match within("click", e.click()).await {
                        // A text field clicked has the keyboard, unless the click landed
                        // elsewhere: something outside the view (the footer, a notice) moved
                        // the page between the aim and the click. A person clicks again.
                        Ok(())
                            if self
                                .execute("check the click", TYPED_INTO_MISSED, vec![json!(css)])
                                .await?
                                != true =>
                        {
                            return Ok(())
                        }
                        Ok(()) => "the click landed beside the field".to_string(),
                        Err(e) => e,
                    },
                    Err(e) => e,
                }
            };
            if Instant::now() >= deadline {
                return Err(format!("click {css}: {error}"));
            }
            if reading {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            // As a person would: scroll it to the middle of its view, then try again.
            let _ = self.scroll_to(css).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scroll the element matching `css` to the middle of its view, as a person would before
    /// using it (nothing happens if there is none).
    async fn scroll_to(&self, css: &str) -> Step {
        self.execute(
            &format!("scroll to {css}"),
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'center'});",
            vec![json!(css)],
        )
        .await
        .map(|_| ())
    }

    /// Type into an element (keys go where the focus goes, so Tab moves on).
    pub async fn type_into(&self, css: &str, keys: &str) -> Step {
        within(&format!("type into {css}"), self.el(css).await?.send_keys(keys)).await
    }

    /// Type on the keyboard into whatever has the focus, as a person does: nothing is clicked
    /// first (sending keys to an element clicks it, which opens a `<select>`'s list).
    pub async fn keyboard(&self, keys: &str) -> Step {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let actions = keys.chars().fold(KeyActions::new("keyboard".into()), |a, c| {
            a.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c })
        });
        within(&format!("type {keys:?}"), self.client.perform_actions(actions)).await
    }

    /// Press `key` while holding `modifiers` (WebDriver key codes: Shift `\u{E008}`, Control
    /// `\u{E009}`, Alt `\u{E00A}`), as a person presses Alt+1 or Shift+Tab.
    pub async fn chord(&self, modifiers: &str, key: char) -> Step {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut a = KeyActions::new("keyboard".into());
        for m in modifiers.chars() {
            a = a.then(KeyAction::Down { value: m });
        }
        a = a.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        for m in modifiers.chars().rev() {
            a = a.then(KeyAction::Up { value: m });
        }
        within(&format!("press {modifiers:?}+{key:?}"), self.client.perform_actions(a)).await
    }

    /// Replace the value of a text field by typing. The field is scrolled into view first, as
    /// a person would: WebKitWebDriver refuses to clear a field below the fold.
    pub async fn fill(&self, css: &str, value: &str) -> Step {
        // A field of a view still being shown (a walk-in opening Register) is in the page but
        // not yet interactable: wait for it, as a person waits for the form. WebKitWebDriver
        // may also refuse a clear while the page is still laying out around the field (an
        // empty error, seen once in CI): find the field again and retry until PATIENCE runs
        // out. Each try clears first, so a half-typed try leaves nothing behind.
        let deadline = Instant::now() + PATIENCE;
        loop {
            let tried = self.fill_once(css, value).await;
            match tried {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() >= deadline => return Err(format!("fill {css}: {e}")),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    async fn fill_once(&self, css: &str, value: &str) -> Step {
        let e = self.el(css).await?;
        if !within("is it shown", e.is_displayed()).await? || !within("is it enabled", e.is_enabled()).await?
        {
            return Err("not shown or not enabled".into());
        }
        self.scroll_to(css).await?;
        within(&format!("clear {css}"), e.clear()).await?;
        within(&format!("type into {css}"), e.send_keys(value)).await
    }

    /// The text of an element as rendered (`innerText`), or `None` if there is no such element.
    /// (Read through the page: WebKitWebDriver's own element text comes back empty here.)
    pub async fn text(&self, css: &str) -> Step<Option<String>> {
        let v = self
            .execute(
                &format!("text of {css}"),
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_str().map(str::to_string))
    }

    /// Wait until the text of `css` satisfies `ok`; returns it.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> Step<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some(t) = self.text(css).await? {
                if ok(&t) {
                    return Ok(t);
                }
                last = t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{css} still shows {last:?} after {PATIENCE:?}"))
    }

    /// Wait until the text of `css` contains `want`.
    pub async fn wait_contains(&self, css: &str, want: &str) -> Step<String> {
        self.wait_text(css, |t| t.contains(want)).await.map_err(|e| format!("waiting for {want:?}: {e}"))
    }

    /// Answer the coordinator PIN dialog, which opens when a coordinator action is refused and
    /// a PIN is set: enters `pin`. Waits until the dialog has closed (the action is then tried
    /// again by the window).
    pub async fn coordinator_pin(&self, pin: &str) -> Step {
        self.el("#pin-dialog[open]").await?;
        self.fill("#pin-input", pin).await?;
        self.click("#pin-ok").await?;
        let deadline = Instant::now() + PATIENCE;
        while self.js("return document.getElementById('pin-dialog').open;").await? == true {
            if Instant::now() >= deadline {
                let note = self.text("#pin-dialog").await?.unwrap_or_default();
                return Err(format!("the PIN dialog stayed open: {note}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Run JavaScript in the page.
    pub async fn js(&self, script: &str) -> Step<Value> {
        self.execute(&format!("script {script}"), script, vec![]).await
    }

    /// Wait until `script` returns `true` in the page; `what` names the condition in the failure.
    pub async fn wait_until(&self, what: &str, script: &str) -> Step {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.js(script).await? == true {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!("waited {PATIENCE:?} for {what}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Choose `value` in the `<select>` with id `id` (and tell the page, as a person's choice
    /// would), once the list offers it (a list the page fills after it is shown, as the stocks,
    /// is waited for as a person would); fails if it never does.
    pub async fn choose(&self, id: &str, value: &str) -> Step {
        self.el(&format!("#{id}")).await?;
        let offered = format!(
            "return [...document.getElementById({}).options].some((o) => o.value === {})",
            json!(id),
            json!(value)
        );
        // Not offered in time: the check below says what the list holds.
        let _ = self.wait_until(&format!("#{id} offers {value}"), &offered).await;
        let v = self
            .execute(
                &format!("choose {value} in #{id}"),
                "const s = document.getElementById(arguments[0]); s.value = arguments[1];
                 s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
                vec![json!(id), json!(value)],
            )
            .await?;
        ensure(v == value, || format!("#{id} does not offer {value}: {v}"))
    }

    /// The id of the element that has the keyboard focus.
    pub async fn focused_id(&self) -> Step<String> {
        Ok(self
            .js("return document.activeElement ? document.activeElement.id : ''")
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// Save a screenshot as `name`.png in `E2E_SCREENSHOTS`, if that is set.
    pub async fn screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") {
            tokio::time::sleep(Duration::from_millis(400)).await;
            if let Ok(png) = within("take a screenshot", self.client.screenshot()).await {
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(Path::new(&dir).join(format!("{name}.png")), png);
            }
        }
    }
}

/// A process as /proc shows it.
struct Proc {
    /// Its state: `R`, `S`, `D`, `Z` (dead, waiting for its parent to collect it), …
    state: String,
    parent: u32,
    /// When it started: a pid can be given again to a new process; this tells them apart.
    started: u64,
}

fn process(pid: u32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // pid (comm) state ppid … starttime (the 22nd field): the name may hold spaces and
    // parentheses, so the fields are counted after its closing one.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(Proc {
        state: fields.first()?.to_string(),
        parent: fields.get(1)?.parse().ok()?,
        started: fields.get(19)?.parse().ok()?,
    })
}

/// The processes `pid` started, and the ones they started, with their start times.
fn descendants(pid: u32) -> Vec<(u32, u64)> {
    let all: Vec<(u32, u32, u64)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p: u32 = e.file_name().to_str()?.parse().ok()?;
            let found = process(p)?;
            Some((p, found.parent, found.started))
        })
        .collect();
    let mut found = vec![(pid, 0)];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i].0;
        found.extend(all.iter().filter(|(_, pp, _)| *pp == parent).map(|(p, _, t)| (*p, *t)));
        i += 1;
    }
    found.remove(0);
    found
}

fn stop(driver: &mut Child) {
    // What tauri-driver started (WebKitWebDriver, the app, WebKit's processes) is looked up
    // first: a session that hung was never ended, and its app would outlive the driver.
    let started = descendants(driver.id());
    let _ = Command::new("kill").args(["-TERM", &driver.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !matches!(driver.try_wait(), Ok(Some(_))) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = driver.kill();
    let _ = driver.wait();
    for (pid, at) in started {
        if process(pid).is_some_and(|p| p.started == at) {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
        }
    }
}

/// Run `steps` on a fresh app over `db` (with `env` for the app), save a screenshot named
/// `name`, close the app, and only then fail with the step's message: a failing step never
/// leaves a window or a driver behind.
pub async fn drive(db: &Path, env: &[(&str, &Path)], name: &str, steps: impl AsyncFnOnce(&App) -> Step) {
    let app = App::start_with(db, env).await;
    let result = steps(&app).await;
    let mut seen = String::new();
    if let Err(e) = &result {
        if e.contains(HANGS) {
            eprintln!("{name}: {e}\nWhat the driver started, as the step was given up:\n{}", app.processes());
        } else {
            // What the operator would have seen when the step was given up: the message area,
            // the view, the focus and any question open (CI keeps no screenshot).
            seen = app
                .js(SEEN)
                .await
                .map_or_else(|e| format!("(the window was not read: {e})"), |v| format!("{v}"));
        }
    }
    app.screenshot(name).await;
    app.close().await;
    if let Err(e) = result {
        panic!("{name}: {e}\nThe window showed: {seen}");
    }
}

/// The window's state when a step fails, as one JSON object (see [`drive`]).
const SEEN: &str = "const text = (id) => document.getElementById(id)?.textContent.trim() ?? null;
  const f = document.activeElement;
  return {
    message: text('message'),
    view: document.querySelector('nav [aria-current=\"page\"], nav .active')?.textContent.trim() ?? null,
    focus: f ? `${f.tagName.toLowerCase()}#${f.id}${f.disabled ? ' (disabled)' : ''}` : null,
    question: document.querySelector('dialog[open]')?.textContent.trim().slice(0, 300) ?? null,
    busy: [...document.querySelectorAll('.busy')].map((e) => e.id),
    disabled: [...document.querySelectorAll('main button:disabled')].map((b) => b.id || b.textContent.trim()).slice(0, 12),
  };";

/// The files in `dir` whose name ends in `.{ext}`, sorted.
pub fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the output folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// A delegate of `delegation` named `given family`: the person most tests register.
pub fn delegate(given: &str, family: &str, delegation: &str) -> delegate_desk::AttendeeInput {
    delegate_desk::AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some(delegation.into()),
        category: Some("delegate".into()),
        ..Default::default()
    }
}

/// Moves the event to `days` days starting today at the venue, so that the window opens on
/// the arrival desk and checks in for day 1.
pub fn event_from_today(desk: &mut delegate_desk::Desk, days: u64, capacity: Option<&str>) {
    let today = desk.event().unwrap().local_now().date_naive();
    let last = (1..days).fold(today, |d, _| d.succ_opt().unwrap());
    desk.update_event(&delegate_desk::EventInput {
        start_date: Some(today.to_string()),
        end_date: Some(last.to_string()),
        capacity: capacity.map(str::to_string),
        ..Default::default()
    })
    .unwrap();
}

/// Prints the badge of attendee `id` (a CR80 card) into `out`, as logistics would before the
/// doors open, and returns the code its QR carries (what a scanner types).
pub fn print_badge(desk: &mut delegate_desk::Desk, db: &Path, out: &Path, id: i64) -> String {
    let req = delegate_desk::printing::BadgeRequest {
        selection: delegate_desk::printing::BadgeSelection::Ids(vec![id]),
        preset: "cr80".into(),
        reason: None,
        note: None,
    };
    desk.print_badges(&req, &out.join(format!("b{id}.pdf"))).unwrap();
    badge_code(db, id)
}

/// The code of attendee `id`'s newest badge, read from the database.
pub fn badge_code(db: &Path, id: i64) -> String {
    delegate_desk::db::Db::open_raw(db)
        .unwrap()
        .value(
            "SELECT token FROM badge_print WHERE attendee_id = ?1 ORDER BY version DESC LIMIT 1",
            delegate_desk::params![id],
        )
        .unwrap()
}

/// Fail the step with `msg` unless `cond` holds.
pub fn ensure(cond: bool, msg: impl FnOnce() -> String) -> Step {
    if cond {
        Ok(())
    } else {
        Err(msg())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_command_that_never_answers_fails_naming_it() {
        let never = std::future::pending::<Result<(), String>>();
        let e = within_for(Duration::from_millis(20), "resize the window to 1280 x 660", never)
            .await
            .unwrap_err();
        assert!(e.starts_with("resize the window to 1280 x 660: no answer"), "{e}");
        assert!(e.contains(HANGS), "{e}");
    }

    #[tokio::test]
    async fn an_error_without_a_message_is_shown_whole() {
        #[derive(Debug)]
        struct Empty;
        impl std::fmt::Display for Empty {
            fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                Ok(())
            }
        }
        let e = within("clear #x", async { Err::<(), _>(Empty) }).await.unwrap_err();
        assert_eq!(e, "clear #x: Empty");
        let e = within("clear #x", async { Err::<(), _>("stale element") }).await.unwrap_err();
        assert_eq!(e, "clear #x: stale element");
        assert_eq!(within("read", async { Ok::<_, String>(3) }).await, Ok(3));
    }

    /// A driver whose session hung leaves what it started running: stopping it stops them
    /// too — the grandchild here stands for the app WebKitWebDriver started.
    #[test]
    fn stopping_the_driver_stops_what_it_started() {
        let mut parent = Command::new("sh")
            .args(["-c", "sleep 300 & sleep 300 & wait"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + PATIENCE;
        let started = loop {
            let d = descendants(parent.id());
            if d.len() == 2 {
                break d;
            }
            assert!(Instant::now() < deadline, "the two sleeps did not start: {d:?}");
            std::thread::sleep(Duration::from_millis(20));
        };
        // The shell ignores nothing: TERM ends it, and its children would stay (their parent
        // becomes init) if stop() did not look them up first.
        stop(&mut parent);
        let deadline = Instant::now() + PATIENCE;
        // Gone, or dead and waiting for init to collect it.
        let running = |pid: u32, at: u64| process(pid).is_some_and(|p| p.started == at && p.state != "Z");
        while started.iter().any(|(pid, at)| running(*pid, *at)) {
            assert!(Instant::now() < deadline, "a process the driver started is still running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
