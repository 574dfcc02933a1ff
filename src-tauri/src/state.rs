//! The state the window shares: the open desk, or the reason it could not be opened.

use delegate_desk::{storage, Desk, Error, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;

/// The desk behind the window. If the database could not be opened, every command answers
/// with that error, so the window can show it.
pub struct AppState {
    desk: std::result::Result<Mutex<Desk>, Error>,
}

impl AppState {
    /// Open the database at `explicit`, else `DELEGATE_DESK_DB`, else the default path. A
    /// failure to open (or a panic while opening) becomes the error every command answers.
    pub fn open(explicit: Option<&Path>) -> AppState {
        let opened = catch_unwind(|| storage::resolve_db_path(explicit).and_then(|p| Desk::open(&p)))
            .unwrap_or_else(|_| Err(Error::Internal("Opening the database failed unexpectedly (a bug); the file was not changed by the desk after the failure".into())));
        // The window is a desk: coordinator actions need the PIN (the CLI is not asked).
        let opened = opened.map(|mut d| {
            d.guard_coordinator_actions();
            // The first keystroke at the arrival desk should not wait for the search words.
            // A failure here is not fatal: the first search reads them again and reports it.
            let _ = d.warm_search();
            d
        });
        AppState { desk: opened.map(Mutex::new) }
    }

    /// Run `f` on the desk, one caller at a time. A panic in `f` is a bug: it is reported as
    /// an `internal` error, its transaction is rolled back, and the next command works as
    /// usual (the lock is not left poisoned).
    ///
    /// `f` runs on a thread of its own: commands are called on the async runtime's workers,
    /// and the PostgreSQL client blocks (it would refuse to start its own runtime there).
    pub fn with<T: Send>(&self, f: impl FnOnce(&mut Desk) -> Result<T> + Send) -> Result<T> {
        let desk = self.desk.as_ref().map_err(Clone::clone)?;
        let mut desk = desk.lock().unwrap_or_else(|poisoned| {
            desk.clear_poison();
            poisoned.into_inner()
        });
        let desk = &mut *desk;
        let ran = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("desk".into())
                .spawn_scoped(s, || catch_unwind(AssertUnwindSafe(|| f(desk))))
                .map_err(|e| Error::Internal(format!("The desk could not start its work: {e}")))
                .map(|h| h.join().unwrap_or_else(Err))
        })?;
        ran.unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::Internal(format!(
                "The desk hit a bug and did not finish this action; nothing of it was saved. The window keeps working. ({what})"
            )))
        })
    }
}
