//! The state the window shares: the open desk (or the reason it could not be opened), and the
//! database the window was started on, which *Leave the demo* goes back to.

use delegate_desk::demo::{self, DemoSummary};
use delegate_desk::{storage, Desk, Error, Operator, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// The desk behind the window. If the database could not be opened, every command answers
/// with that error, so the window can show it.
pub struct AppState {
    desk: Mutex<std::result::Result<Desk, Error>>,
    /// The desk being opened on a thread of its own while the window starts; the first
    /// command to need the desk waits for it (see [`AppState::open`]).
    opening: Mutex<Option<JoinHandle<Result<Desk>>>>,
    /// The database the window was started on (not the demo it may be showing).
    home: Option<PathBuf>,
}

impl AppState {
    /// Open the database at `explicit`, else `DELEGATE_DESK_DB`, else the default path. A
    /// failure to open (or a panic while opening) becomes the error every command answers.
    ///
    /// The opening (checks, migrations, the search words read ahead) runs on a thread of its
    /// own while the window and its webview start, which take longer: the window does not wait
    /// for the database before it starts, and the first command waits for the database, not
    /// for the window. Nothing answers before the desk is open: every command goes through the
    /// same lock, which takes the opened desk (or its error) first.
    pub fn open(explicit: Option<&Path>) -> AppState {
        let home = storage::resolve_db_path(explicit);
        let opening = match home.clone() {
            Ok(path) => std::thread::Builder::new()
                .name("open-desk".into())
                .spawn(move || open_desk(&path))
                .map_err(|e| Error::Internal(format!("The desk could not start opening the database: {e}"))),
            Err(e) => Err(e),
        };
        let (desk, opening) = match opening {
            Ok(handle) => (Err(Error::Internal("The database is being opened".into())), Some(handle)),
            Err(e) => (Err(e), None),
        };
        AppState { desk: Mutex::new(desk), opening: Mutex::new(opening), home: home.ok() }
    }

    /// Run `f` on the desk, one caller at a time. A panic in `f` is a bug: it is reported as
    /// an `internal` error, its transaction is rolled back, and the next command works as
    /// usual (the lock is not left poisoned).
    ///
    /// `f` runs on a thread of its own: commands are called on the async runtime's workers,
    /// and the PostgreSQL client blocks (it would refuse to start its own runtime there).
    pub fn with<T: Send>(&self, f: impl FnOnce(&mut Desk) -> Result<T> + Send) -> Result<T> {
        let mut guard = self.lock();
        let desk = guard.as_mut().map_err(|e| e.clone())?;
        on_own_thread(|| f(desk))
    }

    /// Open the database the window was started on again, after its opening failed (a server
    /// not reachable yet, a folder not mounted yet, a file another program held): the window's
    /// *Try again*. A desk already open is kept as it is. The new outcome, a desk or the reason
    /// it still cannot be opened, is what every command answers from then on.
    pub fn reopen(&self) -> Result<()> {
        let home = self.home()?;
        let mut guard = self.lock();
        if guard.is_ok() {
            return Ok(());
        }
        let slot = &mut *guard;
        on_own_thread(move || {
            *slot = open_desk(&home);
            slot.as_ref().map(|_| ()).map_err(Clone::clone)
        })
    }

    /// Make the demo database beside the one the window was started on (again, from scratch,
    /// if there was one) and show it. The real database is not touched; on failure the window
    /// stays on what it showed.
    ///
    /// All of it runs on a thread of its own, as [`AppState::with`] does: opening a desk on a
    /// server, or closing one (the desk shown before), blocks.
    pub fn start_demo(&self) -> Result<DemoSummary> {
        let home = self.home()?;
        let path = demo::demo_path_for(&home)?;
        let mut guard = self.lock();
        let slot = &mut *guard;
        on_own_thread(move || {
            let who = who(slot);
            if slot.as_ref().is_ok_and(|d| d.path() == path) {
                // The demo shown is made again: its connection is closed before its files go.
                *slot = Err(Error::Internal("The demo is being made again".into()));
            }
            let made = demo::create_demo(&path);
            let opened = made.and_then(|made| {
                let mut d = open_desk(&path)?;
                sign_in(&mut d, who.clone());
                Ok((made, d))
            });
            match opened {
                Ok((made, d)) => {
                    *slot = Ok(d);
                    Ok(made)
                }
                Err(e) => {
                    if slot.is_err() {
                        *slot = open_desk(&home).map(|mut d| {
                            sign_in(&mut d, who);
                            d
                        });
                    }
                    Err(e)
                }
            }
        })
    }

    /// Go back from the demo to the database the window was started on (on a thread of its
    /// own, as [`AppState::start_demo`]).
    pub fn leave_demo(&self) -> Result<()> {
        let home = self.home()?;
        let mut guard = self.lock();
        let slot = &mut *guard;
        on_own_thread(move || {
            let who = who(slot);
            let mut d = open_desk(&home)?;
            sign_in(&mut d, who);
            *slot = Ok(d);
            Ok(())
        })
    }

    /// The database the window was started on.
    pub fn home(&self) -> Result<PathBuf> {
        self.home
            .clone()
            .ok_or_else(|| Error::Io("No database path is known for this window; pass --db PATH".into()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::result::Result<Desk, Error>> {
        let mut guard = self.desk.lock().unwrap_or_else(|poisoned| {
            self.desk.clear_poison();
            poisoned.into_inner()
        });
        // The desk opened in the background becomes the desk under this lock, once.
        let pending = self.opening.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = pending {
            *guard = handle.join().unwrap_or_else(|_| {
                Err(Error::Internal("Opening the database failed unexpectedly (a bug); the file was not changed by the desk after the failure".into()))
            });
        }
        guard
    }
}

/// Run `f` on a thread of its own and wait for it: commands are called on the async
/// runtime's workers, where the PostgreSQL client, which blocks, refuses to run (opening a
/// connection or closing one would panic). A panic in `f` is a bug, reported as an `internal`
/// error with its message.
fn on_own_thread<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let ran = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("desk".into())
            .spawn_scoped(s, || catch_unwind(AssertUnwindSafe(f)))
            .map_err(|e| Error::Internal(format!("The desk could not start its work: {e}")))
            .map(|h| h.join().unwrap_or_else(Err))
    })?;
    ran.unwrap_or_else(|panic| {
        Err(Error::Internal(format!(
            "The desk hit a bug and did not finish this action. What it saved before the bug stays saved: look at the record before you try again. The window keeps working. ({})",
            panic_message(&*panic)
        )))
    })
}

/// The text a panic was raised with, if it was text.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Open a desk for the window: coordinator actions behind the PIN, search words read ahead.
fn open_desk(path: &Path) -> Result<Desk> {
    let opened = catch_unwind(|| Desk::open(path)).unwrap_or_else(|panic| {
        Err(Error::Internal(format!(
            "Opening the database failed unexpectedly (a bug); the file was not changed by the desk after the failure ({})",
            panic_message(&*panic)
        )))
    });
    // The window is a desk: coordinator actions need the PIN (the CLI is not asked).
    opened.map(|mut d| {
        d.guard_coordinator_actions();
        // The first keystroke at the arrival desk should not wait for the search words.
        // A failure here is not fatal: the first search reads them again and reports it.
        let _ = d.warm_search();
        d
    })
}

/// Who signed in at the window, to carry over to the database it switches to.
fn who(current: &std::result::Result<Desk, Error>) -> Option<Operator> {
    current.as_ref().ok().map(Desk::who)
}

fn sign_in(d: &mut Desk, who: Option<Operator>) {
    // Both were accepted on the desk they come from, so this cannot fail.
    if let Some(o) = who {
        let _ = d.sign_in(&o.name, &o.desk);
    }
}
