//! Helpers shared by the integration tests: a desk on its own temporary database, and
//! attendee input built from a few fields.
#![allow(dead_code)]

use delegate_desk::{AttendeeInput, Desk, EventInput};
use std::path::PathBuf;
use tempfile::TempDir;

/// A desk on a fresh temporary database; keep the `TempDir` alive while using it.
pub fn desk() -> (TempDir, PathBuf, Desk) {
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
