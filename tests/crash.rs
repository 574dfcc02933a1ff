//! "kill -9" proof: a stream of CLI operations on one database, each in its own
//! `delegate-desk-cli` process, with the running process SIGKILLed at random moments.
//!
//! An operation is *acknowledged* only when its process exited 0 and printed its result. After
//! every kill the database must hold every acknowledged change (admissions at a session's door
//! among them), nothing half-written, and the seat rules: the storage is sound (SQLite's
//! `PRAGMA integrity_check` and foreign key check on a file), registered ≤ capacity, nobody in
//! a session without the day's check-in, every allocation holds at most its seats, the seats not
//! allocated hold the people without an allocation, and every waitlisted person (and only they)
//! has a waitlist position. A killed operation may or may not have committed (killed after the
//! commit, before printing): either is fine, and the model of the expected state learns which
//! from the database.
//!
//! With `DELEGATE_DESK_TEST_PG` set (under `pg_virtualenv`) the same stream runs against a
//! roster on a PostgreSQL server: the CLI gets the server's address as `--db`, and after every
//! kill the server must have let go of the killed process (its connection, transaction and
//! locks) before the check reads, within [`LET_GO`]. No CLI process may run longer than
//! [`STALL`]: a lock left behind by a killed writer would stall the stream, and fails it.
//!
//! The kills come from a small PRNG seeded from the clock; the seed is printed, and
//! `DD_CRASH_SEED=N` replays the same choices. `DD_KILL_ROUNDS` (default 20) is the number of
//! kills that must land on a running process; the long variant is
//! `DD_KILL_ROUNDS=500 cargo test -p delegate-desk --release --test crash` (see
//! `scripts/test-long.sh`, which runs it on both engines).

mod common;

use delegate_desk::db::{Db, Engine};
use delegate_desk::params;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");
/// Small enough that the event fills and the waitlist is used.
const CAPACITY: u32 = 12;
/// Jamaica's seat allocation, inside the capacity.
const JAMAICA_SEATS: u32 = 3;
/// No more new people once this many are on file; the other operations go on.
const MAX_PEOPLE: usize = 40;
/// The longest wait before a kill, in microseconds, at least: when operations take longer (a
/// server round trip, a loaded machine), the window grows to half again the median time an
/// operation took, so that kills land anywhere in a process's life, its commit included.
const MAX_KILL_DELAY_US: u64 = 40_000;
/// On a server, the longest wait before a kill aimed at a write transaction, in microseconds,
/// counted from the moment the transaction is seen: long enough to reach its commit and the
/// reading back after it.
const MAX_IN_WRITE_DELAY_US: u64 = 15_000;
const SIGKILL: i32 = 9;
/// The longest any CLI process may run: one that runs longer waits on something a killed
/// process left behind (a lock, a transaction), and the stream has stalled.
const STALL: Duration = Duration::from_secs(60);
/// How soon after a kill a PostgreSQL server must have ended the killed process's session (and
/// with it its transaction and locks): the server sees the socket close at once.
const LET_GO: Duration = Duration::from_secs(10);

/// splitmix64: small, deterministic, good enough to choose operations and moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Wait for `child` to end and collect its output; `None` (after killing it) when it is still
/// running [`STALL`] after this call.
fn finish_within_stall(child: Child) -> Option<Output> {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(STALL) {
        Ok(out) => Some(out.expect("wait for the CLI")),
        Err(_) => {
            // The waiting thread has not reaped it, so the id is still our child's.
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            None
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    Some(raw.trim().parse().unwrap_or_else(|_| panic!("{name}={raw:?} is not a whole number")))
}

/// One attendee as the model expects to find them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Person {
    id: i64,
    given: String,
    family: String,
    email: String,
    delegation: String,
    status: String,
    position: String,
    prints: u32,
    /// Checked in for day 1 (a check-in in force).
    checked: bool,
    /// Admitted to the session at the door (an admission in force; it implies `checked`).
    in_session: bool,
    /// Security vetting: pending, cleared or refused (vetting is required in the stream, so
    /// only a cleared person is ever checked in or admitted).
    vetting: String,
}

/// One operation of the stream; each touches one attendee.
#[derive(Debug, Clone)]
enum Op {
    Register {
        given: String,
        family: String,
        email: String,
        delegation: String,
        position: String,
    },
    Edit {
        id: i64,
        position: String,
    },
    Cancel {
        id: i64,
    },
    Promote {
        id: i64,
    },
    Reinstate {
        id: i64,
    },
    Badge {
        id: i64,
        reprint: bool,
        out: PathBuf,
    },
    CheckIn {
        id: i64,
    },
    UndoCheckIn {
        id: i64,
    },
    /// At the door of the session of day 1 (`SESSION`): admitted, and checked in for day 1.
    Door {
        id: i64,
    },
    /// Security vetting set to `state`.
    Vetting {
        id: i64,
        state: &'static str,
    },
}

/// The one session of the stream (day 1, open to delegates): the first of a new programme.
const SESSION: &str = "1";

impl Op {
    fn args(&self, preset: &str) -> Vec<String> {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        match self {
            Op::Register { given, family, email, delegation, position } => s(&[
                "register",
                "--json",
                "--category",
                "delegate",
                "--given-name",
                given,
                "--family-name",
                family,
                "--email",
                email,
                "--delegation",
                delegation,
                "--position",
                position,
            ]),
            Op::Edit { id, position } => s(&["edit", &id.to_string(), "--position", position, "--json"]),
            Op::Cancel { id } => s(&["cancel", &id.to_string(), "--json"]),
            Op::Promote { id } => s(&["promote", &id.to_string(), "--json"]),
            Op::Reinstate { id } => s(&["reinstate", &id.to_string(), "--json"]),
            Op::CheckIn { id } => s(&["checkin", &id.to_string(), "--day", "1", "--json"]),
            Op::Door { id } => s(&["checkin", &id.to_string(), "--session", SESSION, "--json"]),
            Op::Vetting { id, state } => s(&["vetting", &id.to_string(), state, "--json"]),
            Op::UndoCheckIn { id } => {
                s(&["undo-checkin", &id.to_string(), "--day", "1", "--reason", "crash test", "--json"])
            }
            Op::Badge { id, reprint, out } => {
                let mut v = s(&["badges", "--id", &id.to_string(), "--preset", preset, "--json", "-o"]);
                v.push(out.display().to_string());
                if *reprint {
                    v.extend(s(&["--reprint", "--reason", "lost"]));
                }
                v
            }
        }
    }

    fn target(&self) -> Option<i64> {
        match self {
            Op::Register { .. } => None,
            Op::Edit { id, .. }
            | Op::Cancel { id }
            | Op::Promote { id }
            | Op::Reinstate { id }
            | Op::Badge { id, .. }
            | Op::CheckIn { id }
            | Op::UndoCheckIn { id }
            | Op::Door { id }
            | Op::Vetting { id, .. } => Some(*id),
        }
    }
}

/// When the test SIGKILLs an operation's process.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// That long after the spawn.
    After(Duration),
    /// On a server: that long after its session is seen inside a write transaction (holding a
    /// transaction id: it has locked or written a row). Most of a CLI process's life is
    /// starting and connecting; these kills land in the transaction, at its commit and just
    /// after it.
    InWrite(Duration),
}

/// How a process ended.
enum Ended {
    /// It ran to its end (success or a refusal).
    Finished(Output),
    /// Our SIGKILL landed while it was running.
    Killed,
}

/// The run: the database, the model of what is on file, and what a failure report needs.
struct Crash {
    seed: u64,
    db: PathBuf,
    out_dir: PathBuf,
    preset: String,
    people: BTreeMap<i64, Person>,
    /// The person a cancellation proposed for the freed seat.
    proposal: Option<i64>,
    /// People whose acknowledged badge print has not yet been looked for in `show ID`.
    prints_to_show: BTreeSet<i64>,
    log: Vec<String>,
    serial: u64,
    /// Whether anybody was ever seen waitlisted, and Jamaica's allocation ever seen full.
    waitlist_used: bool,
    allocation_full: bool,
    /// Killed operations found committed afterwards (killed after the commit).
    committed_kills: usize,
    /// How long the operations that ran to their end took, most recent last.
    durations: Vec<Duration>,
    /// The longest a check took, and (on a server) the longest the server took to let go of a
    /// killed process.
    slowest_check: Duration,
    slowest_let_go: Duration,
    /// On a server: the test's own connection, which watches the sessions and reads the rows.
    server: Option<Db>,
    /// Kills of [`Kill::InWrite`] that landed.
    in_write_kills: usize,
}

impl Crash {
    fn fail(&self, msg: impl AsRef<str>) -> ! {
        let tail = &self.log[self.log.len().saturating_sub(25)..];
        panic!(
            "{}\n  seed {} — replay with DD_CRASH_SEED={}\n  database {}\n  last operations:\n    {}",
            msg.as_ref(),
            self.seed,
            self.seed,
            self.db.display(),
            tail.join("\n    ")
        );
    }

    fn command(&self, args: &[String]) -> Command {
        let mut c = Command::new(CLI);
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("DELEGATE_DESK_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Run one CLI process to its end; it must succeed and print JSON.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.text(args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| self.fail(format!("`{}` printed no JSON ({e}): {out}", args.join(" "))))
    }

    /// Run one CLI process to its end; it must succeed; its text output.
    fn text(&self, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let child = self.command(&args).spawn().expect("run the CLI");
        let out = self.finish(child, &args.join(" "));
        if !out.status.success() {
            self.fail(format!(
                "`{}` failed ({:?}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait for `child` to end and collect its output; one still running after [`STALL`] is
    /// killed and fails the run (the stream stalled).
    fn finish(&self, child: Child, what: &str) -> Output {
        finish_within_stall(child).unwrap_or_else(|| {
            self.fail(format!(
                "`{what}` was still running {} s after it started: the stream stalled (on a lock or \
                 transaction a killed process left behind?)",
                STALL.as_secs()
            ))
        })
    }

    /// Start `op`'s process and, if `kill` is given, SIGKILL it at that moment if it is still
    /// running.
    fn run(&mut self, op: &Op, kill: Option<Kill>) -> Ended {
        let args = op.args(&self.preset);
        let started = Instant::now();
        let mut child = self.command(&args).spawn().expect("spawn the CLI");
        match kill {
            None => {}
            Some(Kill::After(delay)) => std::thread::sleep(delay),
            Some(Kill::InWrite(delay)) if self.await_write(&mut child) => std::thread::sleep(delay),
            Some(Kill::InWrite(_)) => {}
        }
        if kill.is_some() && child.try_wait().expect("poll the CLI").is_none() {
            // If it ends between the poll and the kill, the kill finds a zombie and does
            // nothing: the exit status below tells which happened.
            let _ = child.kill();
        }
        let out = self.finish(child, &args.join(" "));
        if out.status.signal() == Some(SIGKILL) && kill.is_some() {
            self.in_write_kills += usize::from(matches!(kill, Some(Kill::InWrite(_))));
            return Ended::Killed;
        }
        if let Some(sig) = out.status.signal() {
            self.fail(format!(
                "{op:?} died of signal {sig} that the test did not send: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        self.durations.push(started.elapsed());
        Ended::Finished(out)
    }

    /// On a server: wait until a session on the roster's database holds a transaction id (the
    /// child's write transaction has begun), or the child has ended (`false`).
    fn await_write(&self, child: &mut Child) -> bool {
        let Some(db) = &self.server else { return false };
        let started = Instant::now();
        while started.elapsed() < STALL {
            if child.try_wait().expect("poll the CLI").is_some() {
                return false;
            }
            let writing: i64 = db
                .value(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                       AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
                    params![],
                )
                .unwrap_or_else(|e| self.fail(format!("pg_stat_activity: {e}")));
            if writing > 0 {
                return true;
            }
            // Polling a condition: the transaction lasts a few milliseconds.
            std::thread::sleep(Duration::from_micros(200));
        }
        false
    }

    /// How long after its spawn the next kill may come: [`MAX_KILL_DELAY_US`], or half again
    /// the median time of the last operations that ran to their end, whichever is longer.
    fn kill_window(&self) -> Duration {
        let mut recent: Vec<Duration> = self.durations.iter().rev().take(15).copied().collect();
        recent.sort_unstable();
        let median = recent.get(recent.len() / 2).copied().unwrap_or_default();
        Duration::from_micros(MAX_KILL_DELAY_US).max(median * 3 / 2)
    }

    /// The next operation, chosen among those the model says make sense.
    fn choose(&mut self, rng: &mut Rng) -> Op {
        let with = |status: &str| -> Vec<i64> {
            self.people.values().filter(|p| p.status == status).map(|p| p.id).collect()
        };
        let registered = with("registered");
        let waitlisted = with("waitlisted");
        let cancelled = with("cancelled");
        let active: Vec<i64> =
            self.people.values().filter(|p| p.status != "cancelled").map(|p| p.id).collect();
        let all: Vec<i64> = self.people.keys().copied().collect();
        let proposal = self.proposal.filter(|id| waitlisted.contains(id));

        // (weight, kind)
        let mut kinds: Vec<(u64, u8)> = Vec::new();
        if self.people.len() < MAX_PEOPLE {
            kinds.push((if self.people.len() < CAPACITY as usize + 4 { 8 } else { 4 }, 0));
        }
        if !all.is_empty() {
            kinds.push((2, 1));
            kinds.push((3, 9));
        }
        if !active.is_empty() {
            kinds.push((2, 2));
        }
        if proposal.is_some() {
            kinds.push((6, 3));
        } else if !waitlisted.is_empty() {
            kinds.push((1, 3));
        }
        if !cancelled.is_empty() {
            kinds.push((2, 4));
        }
        if !registered.is_empty() {
            kinds.push((3, 5));
            kinds.push((3, 6));
            kinds.push((2, 8));
        }
        let checked: Vec<i64> = self.people.values().filter(|p| p.checked).map(|p| p.id).collect();
        if !checked.is_empty() {
            kinds.push((1, 7));
        }
        let total: u64 = kinds.iter().map(|k| k.0).sum();
        let mut roll = rng.below(total);
        let kind = kinds
            .iter()
            .find(|(w, _)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map(|k| k.1)
            .expect("a kind of operation");
        self.serial += 1;
        let n = self.serial;
        match kind {
            0 => {
                let delegation = *rng.pick(&[
                    "Jamaica",
                    "Jamaica",
                    "Jamaica",
                    "Barbados",
                    "Trinidad and Tobago",
                    "Canada",
                    "CDEMA",
                    "Belize",
                ]);
                Op::Register {
                    given: format!("Given{n}"),
                    family: format!("Family{n}"),
                    email: format!("person{n}@example.org"),
                    delegation: delegation.to_string(),
                    position: format!("Officer {n}"),
                }
            }
            1 => Op::Edit { id: *rng.pick(&all), position: format!("Liaison {n}") },
            2 => Op::Cancel { id: *rng.pick(&active) },
            3 => Op::Promote { id: proposal.unwrap_or_else(|| *rng.pick(&waitlisted)) },
            4 => Op::Reinstate { id: *rng.pick(&cancelled) },
            6 => Op::CheckIn { id: *rng.pick(&registered) },
            7 => Op::UndoCheckIn { id: *rng.pick(&checked) },
            8 => Op::Door { id: *rng.pick(&registered) },
            9 => Op::Vetting {
                id: *rng.pick(&all),
                state: ["cleared", "cleared", "cleared", "pending", "refused"][rng.below(5) as usize],
            },
            _ => {
                let id = *rng.pick(&registered);
                let reprint = self.people[&id].prints > 0;
                Op::Badge { id, reprint, out: self.out_dir.join(format!("badge-{n}.pdf")) }
            }
        }
    }

    /// The attendee in a JSON answer; `what` names the answer for a failure report.
    fn attendee(&self, what: &dyn std::fmt::Debug, v: &Value) -> Person {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let Some(id) = v["id"].as_i64() else { self.fail(format!("{what:?}: no attendee id in {v}")) };
        let prints = self.people.get(&id).map_or(0, |p| p.prints);
        let checked = self.people.get(&id).is_some_and(|p| p.checked);
        let in_session = self.people.get(&id).is_some_and(|p| p.in_session);
        Person {
            id,
            given: s("givenName"),
            family: s("familyName"),
            email: s("email"),
            delegation: s("delegation"),
            status: s("status"),
            position: s("position"),
            prints,
            checked,
            in_session,
            vetting: v.pointer("/vetting/state").and_then(Value::as_str).unwrap_or("pending").to_string(),
        }
    }

    /// An operation ran to its end: learn its result (acknowledged) or check its refusal.
    fn acknowledge(&mut self, op: &Op, out: &Output) {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        match out.status.code() {
            Some(0) => {}
            Some(2)
                if matches!(op, Op::CheckIn { .. } | Op::Door { .. })
                    && op.target().is_some_and(|id| self.people[&id].vetting != "cleared") =>
            {
                // Not cleared: refused for security vetting, nothing written (checked at the
                // next look at the database).
                if !stderr.contains("Refused: Security vetting") {
                    self.fail(format!("{op:?} refused for another reason: {stderr}"));
                }
                self.log.push(format!("    refused: {}", stderr.trim()));
                return;
            }
            Some(2) if matches!(op, Op::Promote { .. }) => {
                // No free seat, or the delegation's allocation is full: refused, nothing
                // changed (checked at the next look at the database).
                self.log.push(format!("    refused: {}", stderr.trim()));
                if self.proposal == op.target() {
                    self.proposal = None;
                }
                return;
            }
            other => self.fail(format!("{op:?} ended with {other:?} although not killed: {stderr}")),
        }
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            self.fail(format!("{op:?} exited 0 without printing its JSON ({e}): {stderr}"))
        });
        self.log.push(match v.get("status").or(v.pointer("/attendee/status")) {
            Some(st) => format!(
                "    acknowledged: #{} {st}",
                v["id"].as_i64().or(v.pointer("/attendee/id").and_then(Value::as_i64)).unwrap_or(0)
            ),
            None => "    acknowledged".into(),
        });
        match op {
            Op::Register { given, family, email, delegation, position } => {
                let p = self.attendee(op, &v);
                let fields = (&p.given, &p.family, &p.email, &p.delegation, &p.position);
                if fields != (given, family, email, delegation, position)
                    || !(p.status == "registered" || p.status == "waitlisted")
                    || self.people.contains_key(&p.id)
                {
                    self.fail(format!("{op:?} acknowledged a wrong attendee: {v}"));
                }
                self.people.insert(p.id, p);
            }
            Op::Edit { id, position } => {
                let p = self.attendee(op, &v);
                let mut want = self.people[id].clone();
                want.position = position.clone();
                if p != want {
                    self.fail(format!("{op:?} acknowledged {p:?}, expected {want:?}"));
                }
                self.people.insert(*id, p);
            }
            Op::Cancel { id } => {
                let mut p = self.attendee(op, &v["attendee"]);
                if p.status != "cancelled" || p.id != *id {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                // A cancel undoes the person's check-ins in force, the day's and the session's.
                (p.checked, p.in_session) = (false, false);
                self.proposal = v["proposal"]["id"].as_i64();
                self.people.insert(*id, p);
            }
            Op::Promote { id } => {
                let promoted = v["promoted"].as_array().cloned().unwrap_or_default();
                if promoted.len() != 1 {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                let p = self.attendee(op, &promoted[0]);
                if p.status != "registered" || p.id != *id {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                if self.proposal == Some(*id) {
                    self.proposal = None;
                }
                self.people.insert(*id, p);
            }
            Op::Reinstate { id } => {
                let p = self.attendee(op, &v);
                if !(p.status == "registered" || p.status == "waitlisted") || p.id != *id {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                self.people.insert(*id, p);
            }
            Op::Badge { id, out: pdf, .. } => {
                if v["outcome"]["badges"].as_u64() != Some(1) {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                let bytes = std::fs::read(pdf).unwrap_or_default();
                if !bytes.starts_with(b"%PDF") {
                    self.fail(format!("{op:?} acknowledged but {} is not a PDF", pdf.display()));
                }
                self.people.get_mut(id).expect("badge for a known person").prints += 1;
                self.prints_to_show.insert(*id);
            }
            Op::CheckIn { id } | Op::Door { id } if self.people[id].vetting != "cleared" => {
                self.fail(format!("{op:?} acknowledged {v} although #{id}'s vetting is not cleared"));
            }
            Op::Vetting { id, state } => {
                let p = self.attendee(op, &v);
                if p.vetting != *state || p.id != *id {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                self.people.insert(*id, p);
            }
            Op::CheckIn { id } => {
                let was = self.people[id].checked;
                let want = if was { "alreadyCheckedIn" } else { "checkedIn" };
                if v["result"] != want || v.pointer("/card/attendee/id").and_then(Value::as_i64) != Some(*id)
                {
                    self.fail(format!("{op:?} acknowledged {v}, expected {want}"));
                }
                self.people.get_mut(id).expect("check-in of a known person").checked = true;
            }
            Op::UndoCheckIn { id } => {
                if v["result"] != "undone" {
                    self.fail(format!("{op:?} acknowledged {v}"));
                }
                let p = self.people.get_mut(id).expect("undo of a known person");
                // Out of the day is out of its sessions too.
                (p.checked, p.in_session) = (false, false);
            }
            Op::Door { id } => {
                let want = if self.people[id].in_session { "alreadyCheckedIn" } else { "admitted" };
                if v["result"] != want
                    || v.pointer("/card/attendee/id").and_then(Value::as_i64) != Some(*id)
                    || v.pointer("/card/door/checkin").is_none_or(Value::is_null)
                    || v.pointer("/card/checkin").is_none_or(Value::is_null)
                {
                    self.fail(format!(
                        "{op:?} acknowledged {v}, expected {want}, in the session and the day"
                    ));
                }
                let p = self.people.get_mut(id).expect("admission of a known person");
                (p.checked, p.in_session) = (true, true);
            }
        }
    }

    /// Look at the database after a kill (or at the end): every acknowledged change is on
    /// file, nothing is half-written, the seat rules hold. `pending` is the operation that
    /// was killed: it may or may not have committed; the model adopts what the file says.
    fn check(&mut self, pending: Option<&Op>) {
        let started = Instant::now();
        if pending.is_some() {
            self.let_go();
        }
        // The next desk to open the roster: it must open, whatever the kill left behind.
        let status = self.json(&["status", "--json"]);

        // The stored rows, as the engine itself reads them.
        let raw = self.raw_check();

        let list = self.json(&["list", "--json"]);
        let allocations = self.json(&["allocation", "show", "--json"]);
        let rows =
            list.as_array().cloned().unwrap_or_else(|| self.fail(format!("list is not an array: {list}")));

        // Seat rules, as the CLI reports them.
        let count = |s: &str| rows.iter().filter(|a| a["status"] == s).count() as u64;
        let registered = count("registered");
        if status["capacity"].as_u64() != Some(u64::from(CAPACITY)) {
            self.fail(format!("capacity changed: {status}"));
        }
        if registered > u64::from(CAPACITY) {
            self.fail(format!("{registered} registered for {CAPACITY} seats"));
        }
        for (key, want) in [
            ("registered", registered),
            ("waitlisted", count("waitlisted")),
            ("cancelled", count("cancelled")),
            ("invited", count("invited")),
            ("seatsLeft", u64::from(CAPACITY) - registered),
        ] {
            if status[key].as_u64() != Some(want) {
                self.fail(format!("status {key} is {} but the list says {want}: {status}", status[key]));
            }
        }
        if raw.registered != registered {
            self.fail(format!("SQL counts {} registered, the CLI {registered}", raw.registered));
        }
        let allocs = allocations["allocations"].as_array().cloned().unwrap_or_default();
        let mut allocated_registered = 0;
        for a in &allocs {
            let (reg, seats) = (a["registered"].as_u64(), a["seats"].as_u64());
            match (reg, seats) {
                (Some(r), Some(s)) if r <= s => allocated_registered += r,
                _ => self.fail(format!("allocation over its seats: {a}")),
            }
        }
        self.waitlist_used |= count("waitlisted") > 0;
        self.allocation_full |=
            allocs.iter().any(|a| a["delegation"] == "Jamaica" && a["registered"] == JAMAICA_SEATS);
        if !allocs.iter().any(|a| a["delegation"] == "Jamaica" && a["seats"] == JAMAICA_SEATS) {
            self.fail(format!("Jamaica's allocation of {JAMAICA_SEATS} is gone: {allocations}"));
        }
        let (un_reg, un_seats) =
            (allocations["unallocatedRegistered"].as_u64(), allocations["unallocatedSeats"].as_u64());
        match (un_reg, un_seats) {
            (Some(r), Some(s)) if r <= s && r + allocated_registered == registered => {}
            _ => self.fail(format!("the seats not allocated do not hold their people: {allocations}")),
        }

        // Every attendee is consistent: waitlisted exactly when holding a waitlist position,
        // registered exactly when holding a registration time; the line has no gap.
        let mut line = Vec::new();
        for a in &rows {
            let st = a["status"].as_str().unwrap_or_default();
            if !["invited", "registered", "waitlisted", "cancelled"].contains(&st) {
                self.fail(format!("unknown status: {a}"));
            }
            if (st == "waitlisted") != a["waitlistPosition"].is_u64() {
                self.fail(format!("waitlisted and waitlist position disagree: {a}"));
            }
            if (st == "registered") != a["registeredAt"].is_string() {
                self.fail(format!("registered and registration time disagree: {a}"));
            }
            if let Some(p) = a["waitlistPosition"].as_u64() {
                line.push(p);
            }
        }
        line.sort_unstable();
        if line != (1..=line.len() as u64).collect::<Vec<_>>() {
            self.fail(format!("the waitlist has gaps or doubles: {line:?}"));
        }

        // The model: every acknowledged change is on file; the pending operation either
        // happened completely or not at all.
        let mut on_file: HashMap<i64, Person> = HashMap::new();
        for a in &rows {
            let mut p = self.attendee(&"list --json", a);
            p.prints = raw.prints.get(&p.id).copied().unwrap_or(0);
            p.checked = raw.checked.contains(&p.id);
            p.in_session = raw.in_session.contains(&p.id);
            if p.in_session && !p.checked {
                self.fail(format!("#{} is in the session without a check-in for its day", p.id));
            }
            on_file.insert(p.id, p);
        }
        if on_file.len() != rows.len() {
            self.fail("an attendee id is listed twice");
        }
        let emails: BTreeSet<&str> = on_file.values().map(|p| p.email.as_str()).collect();
        if emails.len() != on_file.len() {
            self.fail("an e-mail address is on file twice");
        }
        for (id, want) in self.people.clone() {
            let Some(got) = on_file.remove(&id) else {
                self.fail(format!("acknowledged attendee #{id} ({}) is not on file", want.email))
            };
            let may_differ = pending.filter(|op| op.target() == Some(id));
            let ok = match may_differ {
                None => got == want,
                Some(op) => {
                    let same_but = |f: &dyn Fn(&mut Person)| {
                        let mut w = want.clone();
                        f(&mut w);
                        got == w
                    };
                    got == want
                        || match op {
                            Op::Edit { position, .. } => same_but(&|p| p.position = position.clone()),
                            Op::Cancel { .. } => same_but(&|p| {
                                p.status = "cancelled".into();
                                (p.checked, p.in_session) = (false, false);
                            }),
                            Op::Promote { .. } => same_but(&|p| p.status = "registered".into()),
                            Op::Reinstate { .. } => {
                                same_but(&|p| p.status = "registered".into())
                                    || same_but(&|p| p.status = "waitlisted".into())
                            }
                            Op::Badge { .. } => same_but(&|p| p.prints += 1),
                            // Only a cleared person may have been checked in by the killed op.
                            Op::CheckIn { .. } => {
                                want.vetting == "cleared" && same_but(&|p| p.checked = true)
                            }
                            Op::UndoCheckIn { .. } => {
                                same_but(&|p| (p.checked, p.in_session) = (false, false))
                            }
                            Op::Door { .. } => {
                                want.vetting == "cleared"
                                    && same_but(&|p| (p.checked, p.in_session) = (true, true))
                            }
                            Op::Vetting { state, .. } => same_but(&|p| p.vetting = state.to_string()),
                            Op::Register { .. } => false,
                        }
                }
            };
            if !ok {
                self.fail(format!(
                    "attendee #{id} on file is {got:?}\n  expected {want:?}\n  (killed operation: {pending:?})"
                ));
            }
            if may_differ.is_some() && got != want {
                self.committed_kills += 1;
                self.log.push(format!("    the killed operation committed: {got:?}"));
            }
            if got.prints > want.prints {
                // The killed print committed: its record must be whole.
                self.prints_to_show.insert(id);
            }
            self.people.insert(id, got);
        }
        // What is left on file was not acknowledged: only the killed registration may be.
        for (id, got) in on_file {
            match pending {
                Some(Op::Register { given, family, email, delegation, position })
                    if &got.email == email
                        && (&got.given, &got.family, &got.delegation, &got.position)
                            == (given, family, delegation, position)
                        && (got.status == "registered" || got.status == "waitlisted")
                        && got.prints == 0 =>
                {
                    self.committed_kills += 1;
                    self.log.push(format!("    the killed registration committed: #{id} {}", got.status));
                    self.people.insert(id, got);
                }
                _ => self.fail(format!(
                    "attendee #{id} on file was never registered: {got:?} (killed: {pending:?})"
                )),
            }
        }
        if let Some(Op::Badge { id, .. }) = pending {
            self.prints_to_show.insert(*id);
        }

        // Acknowledged badge prints are in the attendee's history.
        for id in std::mem::take(&mut self.prints_to_show) {
            let want = self.people[&id].prints as usize;
            let shown = self.text(&["show", &id.to_string()]);
            let printed = shown.lines().filter(|l| l.starts_with("Badge printed")).count();
            if printed != want {
                self.fail(format!("`show {id}` lists {printed} badge prints, expected {want}:\n{shown}"));
            }
        }

        // On a file: nothing but the database, its own companions and its backup folder beside
        // it. (A server roster has no file.)
        if self.engine() == Engine::Sqlite {
            let name = self.db.file_name().unwrap().to_string_lossy().into_owned();
            let backups = format!("{}-backups", self.db.file_name().unwrap().to_string_lossy());
            for e in std::fs::read_dir(self.db.parent().unwrap()).unwrap() {
                let f = e.unwrap().file_name().to_string_lossy().into_owned();
                if !f.starts_with(&name) && f != backups {
                    self.fail(format!("a stray file {f} appeared beside the database"));
                }
            }
        }
        self.slowest_check = self.slowest_check.max(started.elapsed());
    }

    /// Which engine holds the roster.
    fn engine(&self) -> Engine {
        if delegate_desk::pg::is_server(&self.db) {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// A plain connection to the roster, as another program would open it.
    fn raw(&self) -> Db {
        Db::open_raw(&self.db).unwrap_or_else(|e| self.fail(format!("cannot open the database: {e}")))
    }

    /// On a server, after a kill: wait until the server has ended every other session on the
    /// roster's database — the killed process's among them, and with it its transaction and its
    /// locks — so the check reads what the kill left, not a commit still under way. It must
    /// happen within [`LET_GO`]; and no transaction may be left prepared (it would hold its locks
    /// for ever).
    fn let_go(&mut self) {
        let Some(db) = &self.server else { return };
        let started = Instant::now();
        let others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                        AND backend_type = 'client backend'";
        loop {
            let left: i64 = db
                .value(&format!("SELECT count(*) {others}"), params![])
                .unwrap_or_else(|e| self.fail(format!("pg_stat_activity: {e}")));
            if left == 0 {
                break;
            }
            if started.elapsed() > LET_GO {
                let sessions: Vec<String> = db
                    .query_map(
                        &format!(
                            "SELECT pid || ' ' || coalesce(state, '?') || ' since ' || coalesce(xact_start::text, '-')
                                    || ' waiting on ' || coalesce(wait_event, '-') || ': ' || coalesce(query, '') {others}"
                        ),
                        params![],
                        |r| r.get(0),
                    )
                    .unwrap_or_default();
                self.fail(format!(
                    "{left} session(s) still on the roster's database {} s after the kill: {sessions:?}",
                    LET_GO.as_secs()
                ));
            }
            // Polling a condition: the server ends the session as soon as it sees the socket close.
            std::thread::sleep(Duration::from_millis(2));
        }
        let waited = started.elapsed();
        let prepared: i64 = db
            .value("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()", params![])
            .unwrap_or_else(|e| self.fail(format!("pg_prepared_xacts: {e}")));
        if prepared != 0 {
            self.fail(format!("{prepared} prepared transaction(s) left on the roster's database"));
        }
        self.slowest_let_go = self.slowest_let_go.max(waited);
    }

    /// Checks on the stored rows through a plain connection of the engine itself. The SQL is
    /// the same on both engines but where an engine spells something its own way: the storage
    /// check (SQLite's integrity and foreign key checks; PostgreSQL enforces foreign keys
    /// itself) and reading a field of an audit entry's JSON.
    fn raw_check(&self) -> Raw {
        let opened;
        let conn = match &self.server {
            Some(db) => db,
            None => {
                opened = self.raw();
                &opened
            }
        };
        let engine = conn.engine();
        let sql =
            |q: &str| -> i64 { conn.value(q, params![]).unwrap_or_else(|e| self.fail(format!("{q}: {e}"))) };
        if engine == Engine::Sqlite {
            let integrity: Vec<String> = conn
                .query_map("PRAGMA integrity_check", params![], |r| r.get(0))
                .unwrap_or_else(|e| self.fail(format!("integrity_check: {e}")));
            if integrity != ["ok"] {
                self.fail(format!("PRAGMA integrity_check: {integrity:?}"));
            }
            let fk = sql("SELECT count(*) FROM pragma_foreign_key_check");
            if fk != 0 {
                self.fail(format!("{fk} rows break a foreign key"));
            }
        }
        // The number a field of an audit entry's JSON (`after`) holds, for entries of `action`.
        let after_field = |action: &str, field: &str| match engine {
            Engine::Sqlite => {
                format!("CASE WHEN a.action = '{action}' THEN json_extract(a.after, '$.{field}') END")
            }
            Engine::Postgres => {
                format!("CASE WHEN a.action = '{action}' THEN (a.after::json ->> '{field}')::bigint END")
            }
        };
        // The text a field of an audit entry's JSON (`after`) holds.
        let after_text = |field: &str| match engine {
            Engine::Sqlite => format!("json_extract(a.after, '$.{field}')"),
            Engine::Postgres => format!("(a.after::json ->> '{field}')"),
        };
        let capacity = sql("SELECT capacity FROM event WHERE id = 1");
        let registered = sql("SELECT count(*) FROM attendee WHERE status = 'registered'");
        if capacity != i64::from(CAPACITY) || registered > capacity {
            self.fail(format!("{registered} registered for a capacity of {capacity}"));
        }
        for (what, q) in [
            (
                "waitlisted without a place in the line, or a place without being waitlisted",
                "SELECT count(*) FROM attendee WHERE (status = 'waitlisted') <> (waitlist_seq IS NOT NULL)".to_string(),
            ),
            (
                "registered without a registration time, or a time without being registered",
                "SELECT count(*) FROM attendee WHERE (status = 'registered') <> (registered_at IS NOT NULL)".into(),
            ),
            (
                "two people at one place of the line",
                "SELECT count(*) - count(DISTINCT waitlist_seq) FROM attendee WHERE waitlist_seq IS NOT NULL".into(),
            ),
            (
                "a check-in without its audit entry, or an audit entry without its check-in",
                "SELECT (SELECT count(*) FROM checkin) - (SELECT count(*) FROM audit WHERE action = 'checkin')".into(),
            ),
            (
                "an undone check-in without its audit entry, or the reverse",
                "SELECT (SELECT count(*) FROM checkin WHERE undone_at IS NOT NULL) - (SELECT count(*) FROM audit WHERE action = 'checkin.undo')".into(),
            ),
            (
                "a check-in whose own audit entry is missing or doubled",
                format!(
                    "SELECT count(*) FROM checkin c WHERE (SELECT count(*) FROM audit a WHERE a.action = 'checkin' AND {} = c.id) <> 1",
                    after_field("checkin", "checkinId")
                ),
            ),
            (
                "an undone check-in whose own undo entry is missing or doubled",
                format!(
                    "SELECT count(*) FROM checkin c WHERE c.undone_at IS NOT NULL AND (SELECT count(*) FROM audit a WHERE a.action = 'checkin.undo' AND {} = c.id) <> 1",
                    after_field("checkin.undo", "id")
                ),
            ),
            (
                "two check-ins in force for one person and day",
                "SELECT count(*) FROM (SELECT 1 FROM checkin WHERE undone_at IS NULL GROUP BY attendee_id, day HAVING count(*) > 1) AS t".into(),
            ),
            (
                "a status count kept by the triggers that differs from the list",
                "SELECT count(*) FROM status_count s WHERE n <> (SELECT count(*) FROM attendee a WHERE a.status = s.status)".into(),
            ),
            (
                "an attendee without exactly one `register` audit entry",
                "SELECT count(*) FROM attendee a WHERE (SELECT count(*) FROM audit u WHERE u.attendee_id = a.id AND u.action = 'register') <> 1".into(),
            ),
            (
                "badge versions that are not 1, 2, 3… per attendee",
                "SELECT count(*) FROM (SELECT attendee_id FROM badge_print GROUP BY attendee_id HAVING min(version) <> 1 OR max(version) <> count(*) OR count(DISTINCT version) <> count(*)) AS t".into(),
            ),
            (
                "a badge print without its audit entry, or the reverse",
                "SELECT count(*) FROM attendee a WHERE (SELECT count(*) FROM badge_print b WHERE b.attendee_id = a.id) <> (SELECT count(*) FROM audit u WHERE u.attendee_id = a.id AND u.action = 'badge.print')".into(),
            ),
            (
                "a vetting state on file that its newest `vetting` audit entry does not say",
                format!(
                    "SELECT count(*) FROM attendee v WHERE v.vetting_at IS NOT NULL AND coalesce(v.vetting <> (SELECT {} FROM audit a
                       WHERE a.attendee_id = v.id AND a.action = 'vetting' ORDER BY a.id DESC LIMIT 1), 1 = 1)",
                    after_text("state")
                ),
            ),
            (
                "a check-in in force of a person whose vetting is not cleared, with no coordinator's admission",
                "SELECT count(*) FROM checkin c JOIN attendee v ON v.id = c.attendee_id
                 WHERE c.undone_at IS NULL AND v.vetting <> 'cleared'
                   AND c.at > coalesce(v.vetting_at, '')".into(),
            ),
            (
                "an allocation holding more people than seats",
                "SELECT count(*) FROM allocation l WHERE (SELECT count(*) FROM attendee a WHERE a.status = 'registered' AND a.delegation_key = l.delegation_key) > l.seats".into(),
            ),
        ] {
            let n = sql(&q);
            if n != 0 {
                self.fail(format!("{n} × {what}"));
            }
        }
        let unallocated = sql(
            "SELECT (SELECT capacity FROM event WHERE id = 1) - (SELECT CAST(coalesce(sum(seats), 0) AS BIGINT) FROM allocation)
               - (SELECT count(*) FROM attendee WHERE status = 'registered'
                    AND delegation_key NOT IN (SELECT delegation_key FROM allocation))",
        );
        if unallocated < 0 {
            self.fail(format!("the people without an allocation hold {} seats too many", -unallocated));
        }
        let prints: HashMap<i64, u32> = conn
            .query_map("SELECT attendee_id, count(*) FROM badge_print GROUP BY attendee_id", params![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap_or_else(|e| self.fail(format!("badge prints: {e}")))
            .into_iter()
            .collect();
        let checked: BTreeSet<i64> = conn
            .query_map(
                "SELECT attendee_id FROM checkin WHERE day = 1 AND undone_at IS NULL",
                params![],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| self.fail(format!("check-ins: {e}")))
            .into_iter()
            .collect();
        let in_session: BTreeSet<i64> = conn
            .query_map(
                &format!("SELECT attendee_id FROM session_checkin WHERE session_id = {SESSION} AND undone_at IS NULL"),
                params![],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| self.fail(format!("session check-ins: {e}")))
            .into_iter()
            .collect();
        Raw { registered: registered as u64, prints, checked, in_session }
    }
}

/// What the plain look at the stored rows found.
struct Raw {
    registered: u64,
    prints: HashMap<i64, u32>,
    /// Who has a check-in in force for day 1.
    checked: BTreeSet<i64>,
    /// Who has an admission in force to the session.
    in_session: BTreeSet<i64>,
}

/// Register, edit, cancel, promote, reinstate, print badges, check in and undo check-ins,
/// SIGKILLing the running process at random moments; after every kill, every acknowledged change is on file and the
/// seat rules hold.
#[test]
fn kill_9_at_random_moments_loses_nothing_acknowledged() {
    let started = Instant::now();
    let seed = env_number("DD_CRASH_SEED")
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64);
    let rounds = env_number("DD_KILL_ROUNDS").unwrap_or(20) as usize;
    let max_ops = rounds * 25 + 200;
    let engine = if common::on_postgres() { "PostgreSQL" } else { "SQLite" };
    println!("crash test on {engine}: seed {seed} (replay with DD_CRASH_SEED={seed}), {rounds} kills wanted");
    let mut rng = Rng(seed);

    let dir = tempfile::tempdir().unwrap();
    let db_dir = dir.path().join("db");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&db_dir).unwrap();
    std::fs::create_dir(&out_dir).unwrap();
    let mut run = Crash {
        seed,
        db: common::new_db(&db_dir),
        out_dir,
        preset: String::new(),
        people: BTreeMap::new(),
        proposal: None,
        prints_to_show: BTreeSet::new(),
        log: Vec::new(),
        serial: 0,
        waitlist_used: false,
        allocation_full: false,
        committed_kills: 0,
        durations: Vec::new(),
        slowest_check: Duration::ZERO,
        slowest_let_go: Duration::ZERO,
        server: None,
        in_write_kills: 0,
    };
    if run.engine() == Engine::Postgres {
        run.server = Some(run.raw());
    }

    // Set up, with no kill: a small event, an allocation, a badge stock.
    let presets = run.json(&["presets", "--json"]);
    run.preset = presets[0]["name"].as_str().expect("a preset name").to_string();
    run.json(&["event", "set", "--capacity", &CAPACITY.to_string(), "--require-vetting", "on", "--json"]);
    run.text(&["allocation", "set", "Jamaica", &JAMAICA_SEATS.to_string()]);
    let session = run.json(&[
        "session",
        "add",
        "--day",
        "1",
        "--start",
        "08:00",
        "--end",
        "09:00",
        "--title",
        "Welcoming remarks",
        "--json",
    ]);
    assert_eq!(session["id"].to_string(), SESSION, "the first session of a new programme");
    run.check(None);

    let (mut kills, mut ops, mut acknowledged, mut refused) = (0usize, 0usize, 0usize, 0usize);
    let (mut tried, mut missed) = (0usize, 0usize);
    let mut killed_kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    // The stream goes on until the kills have landed and the event has filled (the waitlist
    // used): where most kills land (a server), few operations go through in `rounds` kills.
    while kills < rounds || !run.waitlist_used {
        if ops >= max_ops {
            run.fail(format!(
                "only {kills} of {rounds} kills landed on a running process in {ops} operations ({tried} tried); \
                 waitlist used: {}",
                run.waitlist_used
            ));
        }
        ops += 1;
        let op = run.choose(&mut rng);
        // About half the operations get a kill at a random moment of the process's life.
        // On a server, half the kills are aimed at the write transaction.
        let window = run.kill_window().as_micros() as u64;
        let kill = (rng.below(2) == 0).then(|| {
            if run.server.is_some() && rng.below(2) == 0 {
                Kill::InWrite(Duration::from_micros(rng.below(MAX_IN_WRITE_DELAY_US + 1)))
            } else {
                Kill::After(Duration::from_micros(rng.below(window + 1)))
            }
        });
        run.log.push(format!(
            "{ops}: {}{}",
            op.args(&run.preset).join(" "),
            match kill {
                None => String::new(),
                Some(Kill::After(d)) => format!("  [kill {} µs after the spawn]", d.as_micros()),
                Some(Kill::InWrite(d)) => format!("  [kill {} µs into the write transaction]", d.as_micros()),
            }
        ));
        tried += usize::from(kill.is_some());
        match run.run(&op, kill) {
            Ended::Killed => {
                kills += 1;
                let kind = match op {
                    Op::Register { .. } => "register",
                    Op::Edit { .. } => "edit",
                    Op::Cancel { .. } => "cancel",
                    Op::Promote { .. } => "promote",
                    Op::Reinstate { .. } => "reinstate",
                    Op::Badge { .. } => "badges",
                    Op::CheckIn { .. } => "checkin",
                    Op::UndoCheckIn { .. } => "undo-checkin",
                    Op::Door { .. } => "checkin --session",
                    Op::Vetting { .. } => "vetting",
                };
                *killed_kinds.entry(kind).or_default() += 1;
                run.log.push("    killed".into());
                run.check(Some(&op));
            }
            Ended::Finished(out) => {
                missed += usize::from(kill.is_some());
                if out.status.success() {
                    acknowledged += 1;
                } else {
                    refused += 1;
                }
                run.acknowledge(&op, &out);
                run.waitlist_used |= run.people.values().any(|p| p.status == "waitlisted");
            }
        }
    }
    run.check(None);

    let count = |s: &str| run.people.values().filter(|p| p.status == s).count();
    println!(
        "crash test on {engine}: {ops} operations, {kills} killed while running ({killed_kinds:?}), {missed} \
         finished before their kill, {acknowledged} acknowledged, {refused} refused; on file {} registered, {} \
         waitlisted, {} cancelled, {} badge prints, {} checked in, {} in the session; {:.1} s",
        count("registered"),
        count("waitlisted"),
        count("cancelled"),
        run.people.values().map(|p| p.prints).sum::<u32>(),
        run.people.values().filter(|p| p.checked).count(),
        run.people.values().filter(|p| p.in_session).count(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "crash test: {} killed operations had committed; waitlist used: {}, Jamaica's allocation seen full: {}",
        run.committed_kills, run.waitlist_used, run.allocation_full
    );
    let mut took = run.durations.clone();
    took.sort_unstable();
    println!(
        "crash test: an operation took {} ms (median), kills within {} ms; the slowest check took {} ms{}",
        took.get(took.len() / 2).copied().unwrap_or_default().as_millis(),
        run.kill_window().as_millis(),
        run.slowest_check.as_millis(),
        if run.engine() == Engine::Postgres {
            format!(
                "; {} kills landed in a write transaction or just after it; the server let go of a killed \
                 process within {} ms",
                run.in_write_kills,
                run.slowest_let_go.as_millis()
            )
        } else {
            String::new()
        }
    );
    assert!(kills >= rounds);
    assert!(run.waitlist_used, "seed {seed}: the event never filled; nobody was waitlisted");
}

/// A process killed while it creates a new database leaves a file (or, on a server, a
/// database) the next process opens (and finishes creating) as if nothing happened.
#[test]
fn kill_9_while_creating_the_database() {
    let seed = env_number("DD_CRASH_SEED")
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64);
    println!("seed {seed} (replay with DD_CRASH_SEED={seed})");
    let mut rng = Rng(seed ^ 0x5EED);
    let dir = tempfile::tempdir().unwrap();
    let fresh = |round: usize| {
        let sub = dir.path().join(format!("new{round}"));
        std::fs::create_dir(&sub).unwrap();
        common::new_db(&sub)
    };
    let cli = |db: &PathBuf, args: &[&str]| {
        let mut c = Command::new(CLI);
        c.arg("--db").arg(db).args(args).env_remove("DELEGATE_DESK_DB").stdin(Stdio::null());
        c
    };
    let stalled = |what: &str| -> ! {
        panic!("seed {seed}: `{what}` still ran {} s after it started", STALL.as_secs())
    };
    // How long creating a database takes here, unkilled: the kills land within it. A kill that
    // finds the process ended shows that creating took less than its delay: the window shrinks.
    let started = Instant::now();
    let child =
        cli(&fresh(99), &["status", "--json"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let out = finish_within_stall(child).unwrap_or_else(|| stalled("status"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut window = started.elapsed().max(Duration::from_millis(15));
    let mut landed = 0;
    for round in 0..12 {
        let db = fresh(round);
        let mut child =
            cli(&db, &["status", "--json"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let delay = Duration::from_micros(rng.below(window.as_micros() as u64));
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.signal() == Some(SIGKILL) {
            landed += 1;
        } else {
            window = window.min(delay).max(Duration::from_millis(15));
        }
        let child =
            cli(&db, &["status", "--json"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let out = finish_within_stall(child).unwrap_or_else(|| stalled("status"));
        assert!(
            out.status.success(),
            "seed {seed}, round {round}: after a kill during creation ({status:?}) the database does not open: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["registered"], 0, "seed {seed}, round {round}: {v}");
        let child = cli(&db, &["event", "show", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let ev = finish_within_stall(child).unwrap_or_else(|| stalled("event show"));
        assert!(ev.status.success(), "seed {seed}, round {round}: {}", String::from_utf8_lossy(&ev.stderr));
        let ev: Value = serde_json::from_slice(&ev.stdout).unwrap();
        assert!(
            ev["name"].as_str().is_some_and(|n| !n.is_empty()),
            "seed {seed}, round {round}: seeded event {ev}"
        );
    }
    println!(
        "{landed} of 12 kills landed while the database was being created (kills within {} ms at the end)",
        window.as_millis()
    );
}
