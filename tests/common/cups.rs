//! A CUPS scheduler of the tests' own (shared with the E2E tests): `cupsd` with a throwaway
//! configuration on a port of its own, so that nothing touches the machine's printers, and
//! printers that are socket listeners of the test, recording every job's bytes.
//!
//! The scheduler is started once per test process and stops with it (its wrapper shell kills
//! it, and removes its folder, when the test process's end closes the wrapper's input). Queues
//! are removed when their [`Queue`] is dropped. `CUPS_SERVER` is set for the process, so the
//! desk (and every `lp`/`lpstat`/CLI child) talks to this scheduler only.
//!
//! Without `cupsd` on the machine the tests that need it are skipped — unless
//! `DELEGATE_DESK_TEST_CUPS` is set (the test script sets it), when they fail.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Set to make the CUPS tests mandatory (fail when `cupsd` is missing).
pub const CUPS_ENV: &str = "DELEGATE_DESK_TEST_CUPS";

/// The tests' scheduler.
pub struct Scheduler {
    /// `127.0.0.1:PORT`, what `CUPS_SERVER` is set to.
    pub server: String,
    /// Its configuration, spool and logs.
    pub dir: PathBuf,
    wrapper: Mutex<Child>,
}

fn cupsd_path() -> Option<PathBuf> {
    ["/usr/sbin/cupsd", "/usr/local/sbin/cupsd"].iter().map(PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port()
}

/// The scheduler, started at the first call; `None` (the test should return) when `cupsd` is
/// not installed and [`CUPS_ENV`] is not set.
pub fn scheduler() -> Option<&'static Scheduler> {
    static S: OnceLock<Option<Scheduler>> = OnceLock::new();
    S.get_or_init(|| {
        let Some(cupsd) = cupsd_path() else {
            if std::env::var_os(CUPS_ENV).is_some() {
                panic!("{CUPS_ENV} is set but cupsd is not installed (apt-get install cups)");
            }
            eprintln!("skipped: cupsd is not installed (the test script installs it)");
            return None;
        };
        Some(start(&cupsd))
    })
    .as_ref()
}

fn start(cupsd: &std::path::Path) -> Scheduler {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "dd-cups-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["", "spool", "tmp", "cache", "state", "log", "ssl"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    // The print service's own user (lp) reads the spool through these folders.
    let _ = Command::new("chmod").args(["0755"]).arg(&dir).status();
    let port = free_port();
    let d = dir.display();
    std::fs::write(
        dir.join("cupsd.conf"),
        format!(
            "Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing Off\nDefaultAuthType None\n\
             JobRetryInterval 1\nMaxJobTime 0\n\
             <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
             <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("cups-files.conf"),
        format!(
            "ServerRoot {d}\nRequestRoot {d}/spool\nTempDir {d}/tmp\nCacheDir {d}/cache\nStateDir {d}/state\n\
             ErrorLog {d}/log/error_log\nAccessLog {d}/log/access_log\nPageLog {d}/log/page_log\n\
             Printcap {d}/printcap\nServerKeychain {d}/ssl\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n\
             FileDevice No\nSandboxing Relaxed\n"
        ),
    )
    .unwrap();
    // The shell waits on its input: when this process ends, the pipe closes, and it stops cupsd
    // and removes the folder. `exec` is not used so that the shell outlives cupsd's start.
    let script = format!(
        "'{}' -f -c '{d}/cupsd.conf' -s '{d}/cups-files.conf' >'{d}/log/stdout' 2>&1 & pid=$!; \
         read _ignored; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf '{d}'",
        cupsd.display()
    );
    let wrapper =
        Command::new("sh").args(["-c", &script]).stdin(Stdio::piped()).spawn().expect("start cupsd");
    let server = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(&server).is_err() {
        assert!(
            Instant::now() < deadline,
            "cupsd did not start: {}",
            std::fs::read_to_string(dir.join("log/error_log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::env::set_var("CUPS_SERVER", &server);
    Scheduler { server, dir, wrapper: Mutex::new(wrapper) }
}

impl Scheduler {
    /// Run a CUPS command (`lpadmin`, `cupsdisable`, `lpstat`…) against this scheduler.
    pub fn run(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program).args(args).env("CUPS_SERVER", &self.server).output().expect(program);
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// A raw queue named `name` whose device is `device` (`socket://127.0.0.1:PORT`).
    pub fn queue(&'static self, name: &str, device: &str) -> Queue {
        self.run("lpadmin", &["-p", name, "-E", "-v", device, "-m", "raw"]);
        Queue { name: name.to_string(), scheduler: self }
    }

    /// The scheduler's log, to explain a failure.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log/error_log")).unwrap_or_default()
    }
}

/// A queue of the tests' scheduler, removed on drop.
pub struct Queue {
    /// Its name.
    pub name: String,
    scheduler: &'static Scheduler,
}

impl Queue {
    /// Stop it (as `cupsdisable -r REASON`).
    pub fn stop(&self, reason: &str) {
        self.scheduler.run("cupsdisable", &["-r", reason, &self.name]);
    }

    /// Start it again.
    pub fn start(&self) {
        self.scheduler.run("cupsenable", &[&self.name]);
    }

    /// Make it the system's default.
    pub fn make_default(&self) {
        self.scheduler.run("lpadmin", &["-d", &self.name]);
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        let _ = Command::new("cancel")
            .args(["-a", &self.name])
            .env("CUPS_SERVER", &self.scheduler.server)
            .output();
        let _ = Command::new("lpadmin")
            .args(["-x", &self.name])
            .env("CUPS_SERVER", &self.scheduler.server)
            .output();
    }
}

/// The jobs a listener received: each one's bytes and when its last byte came.
type Received = Arc<Mutex<Vec<(Vec<u8>, Instant)>>>;

/// A printer: a socket listener that records the bytes of every job (one connection each).
pub struct Listener {
    /// `socket://127.0.0.1:PORT`.
    pub device: String,
    jobs: Received,
}

impl Listener {
    /// Listen on a new port.
    pub fn start() -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
        let device = format!("socket://{}", listener.local_addr().unwrap());
        let jobs: Received = Arc::default();
        let seen = jobs.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let mut bytes = Vec::new();
                    let _ = conn.read_to_end(&mut bytes);
                    let _ = conn.flush();
                    if !bytes.is_empty() {
                        seen.lock().unwrap().push((bytes, Instant::now()));
                    }
                });
            }
        });
        Listener { device, jobs }
    }

    /// The jobs received so far, in order.
    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.jobs.lock().unwrap().iter().map(|(b, _)| b.clone()).collect()
    }

    /// Wait (up to 30 s) until `n` jobs have been received; them, and when the last one ended.
    pub fn wait_for(&self, n: usize) -> (Vec<Vec<u8>>, Instant) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            {
                let jobs = self.jobs.lock().unwrap();
                if jobs.len() >= n {
                    let last = jobs.iter().map(|(_, t)| *t).max().unwrap();
                    return (jobs.iter().map(|(b, _)| b.clone()).collect(), last);
                }
            }
            assert!(Instant::now() < deadline, "the printer received {} of {n} jobs", self.jobs().len());
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A device nobody answers at: a port just freed, where connections are refused.
pub fn dead_device() -> String {
    format!("socket://127.0.0.1:{}", free_port())
}

/// A queue name no other test of this process uses.
pub fn queue_name(stem: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{stem}-{}", N.fetch_add(1, Ordering::SeqCst))
}

/// The page size of every page of a PDF, in points, as `pdfinfo` reads it from its bytes.
pub fn page_sizes(pdf: &[u8]) -> Vec<(f32, f32)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "dd-pdf-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").args(["-f", "1", "-l", "9999"]).arg(&path).output().expect("pdfinfo");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "pdfinfo refused the bytes the printer got: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let v: Vec<f32> = l.split_whitespace().filter_map(|w| w.parse().ok()).collect();
            // "Page    1 size: 175.748 x 283.465 pts"
            (v[v.len() - 2], v[v.len() - 1])
        })
        .collect()
}
