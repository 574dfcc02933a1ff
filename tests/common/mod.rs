//! Helpers shared by the integration tests: a desk on its own temporary database, and
//! attendee input built from a few fields.
#![allow(dead_code)]

use delegate_desk::{AttendeeInput, Desk, EventInput};
use std::path::PathBuf;
use tempfile::TempDir;

/// Set (to anything) to run the tests that use [`desk`] on a PostgreSQL server instead of an
/// SQLite file: each test gets a new database on the server the `PG*` variables name (the test
/// script runs them under `pg_virtualenv`).
pub const PG_ENV: &str = "DELEGATE_DESK_TEST_PG";

/// Whether the tests run on PostgreSQL (see [`PG_ENV`]).
pub fn on_postgres() -> bool {
    std::env::var_os(PG_ENV).is_some_and(|v| !v.is_empty())
}

/// Where a new test database lives: a file in `dir`, or (on PostgreSQL) the address of a new,
/// empty database on the server.
pub fn new_db(dir: &std::path::Path) -> PathBuf {
    if !on_postgres() {
        return dir.join("desk.sqlite3");
    }
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "dd_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    let mut admin = delegate_desk::pg::Server::at("postgres:///postgres")
        .and_then(|s| s.connect())
        .expect("connect to the test server (run under pg_virtualenv)");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the test database");
    PathBuf::from(format!("postgres:///{name}"))
}

/// A desk on a fresh temporary database; keep the `TempDir` alive while using it.
pub fn desk() -> (TempDir, PathBuf, Desk) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = new_db(dir.path());
    let desk = Desk::open(&path).expect("open desk");
    (dir, path, desk)
}

/// A desk on a fresh temporary SQLite file whatever the engine under test: for what only a
/// file has (backups, journal files, paths that must never be written).
pub fn file_desk() -> (TempDir, PathBuf, Desk) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("desk.sqlite3");
    let desk = Desk::open(&path).expect("open desk");
    (dir, path, desk)
}

/// A desk whose event has `capacity` seats.
pub fn desk_with_capacity(capacity: u32) -> (TempDir, PathBuf, Desk) {
    let (dir, path, mut desk) = desk();
    desk.update_event(&EventInput { capacity: Some(capacity.to_string()), ..Default::default() })
        .expect("set capacity");
    (dir, path, desk)
}

/// A delegate of `delegation` named `given family`, with an e-mail derived from the name.
pub fn person(given: &str, family: &str, delegation: &str) -> AttendeeInput {
    AttendeeInput {
        rank: Some("Col.".into()),
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some(delegation.into()),
        category: Some("Delegate".into()),
        email: Some(format!("{}.{}@example.org", ascii(given), ascii(family))),
        ..Default::default()
    }
}

/// Letters and digits of `s`, folded to lower-case ASCII where the fold allows.
fn ascii(s: &str) -> String {
    delegate_desk::text::fold(s).chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// The n-th of a series of distinct delegates.
pub fn nth(n: usize) -> AttendeeInput {
    person(&format!("Given{n}"), &format!("Family{n}"), "Jamaica")
}

mod cluster;
pub mod cups;
mod process_folder;
#[allow(unused_imports)]
pub use cluster::cluster;
#[allow(unused_imports)]
pub use process_folder::process_folder;
