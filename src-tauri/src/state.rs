//! The state the window shares: the open desk, or the reason it could not be opened.

use delegate_desk::{storage, Desk, Error, Result};
use std::path::Path;
use std::sync::Mutex;

/// The desk behind the window. If the database could not be opened, every command answers
/// with that error, so the window can show it.
pub struct AppState {
    desk: std::result::Result<Mutex<Desk>, Error>,
}

impl AppState {
    /// Open the database at `explicit`, else `DELEGATE_DESK_DB`, else the default path.
    pub fn open(explicit: Option<&Path>) -> AppState {
        let desk = storage::resolve_db_path(explicit).and_then(|p| Desk::open(&p)).map(Mutex::new);
        AppState { desk }
    }

    /// Run `f` on the desk, one caller at a time.
    pub fn with<T>(&self, f: impl FnOnce(&mut Desk) -> Result<T>) -> Result<T> {
        let desk = self.desk.as_ref().map_err(Clone::clone)?;
        let mut desk = desk.lock().map_err(|_| {
            Error::Internal("The desk state was poisoned by an earlier failure; restart the app".into())
        })?;
        f(&mut desk)
    }
}
