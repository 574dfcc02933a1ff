//! The desk session: one open store, who is at the desk and which desk it is, the event as
//! stored, the revision it has seen; the search index ([`search`]), the roster as last read
//! from a server, the coordinator lock, and the reads every rule shares (`read.rs`: one
//! person, the list, the delegations). It follows the other desks' changes. The rules are
//! `impl Desk` blocks in their own modules above this one.

pub(crate) mod guard;
pub(crate) mod last_read;
pub(crate) mod read;
pub mod remembered;
pub mod search;

use crate::error::{Error, Result};
use crate::model::Event;
use crate::params;
use crate::store::db::{Db, Tx};
use crate::store::records::load_event;
pub use crate::store::records::Operator;
use crate::{seed, storage};
pub use read::ListFilter;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The operator recorded when nobody is named and the system knows no user name.
pub const DEFAULT_OPERATOR: &str = "desk";
/// Environment variable naming the operator recorded in the audit trail.
pub const OPERATOR_ENV: &str = "DELEGATE_DESK_OPERATOR";
/// Environment variable naming the desk recorded with every change ("Desk 2").
pub const DESK_ENV: &str = "DELEGATE_DESK_DESK";
/// The longest desk label, in characters.
pub const MAX_DESK_CHARS: usize = 40;

/// Who is at the desk when nobody said: `DELEGATE_DESK_OPERATOR`, else the login name of the
/// system user, else [`DEFAULT_OPERATOR`].
pub fn default_operator() -> String {
    [OPERATOR_ENV, "USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_OPERATOR.to_string())
}

/// The operator named by `DELEGATE_DESK_OPERATOR`, if it names one: the window then does not
/// ask who is at the desk.
pub fn operator_from_env() -> Option<String> {
    std::env::var(OPERATOR_ENV).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Which desk this is when nobody said: `DELEGATE_DESK_DESK`, else the computer's name, else
/// "Desk".
pub fn default_desk() -> String {
    let named = std::env::var(DESK_ENV).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    named
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
        })
        .map(|d| d.chars().take(MAX_DESK_CHARS).collect())
        .unwrap_or_else(|| "Desk".to_string())
}

/// Where the database is, for the footer of the window and for support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DbInfo {
    /// The database file, or the server's address with its password redacted.
    pub path: String,
    /// "sqlite" (a file on this computer) or "postgres" (a server shared by several desks).
    pub engine: String,
    /// Its schema version.
    pub schema_version: i64,
    /// Where the window writes badge PDFs and rosters (see
    /// [`crate::printing::output_dir_path`]), if a folder is known.
    pub output_dir: Option<String>,
}

/// One open database and the operator working on it.
pub struct Desk {
    pub(crate) db: Db,
    /// The database file, or the server's address with its password redacted.
    path: PathBuf,
    pub(crate) operator: Operator,
    /// The folded words of everyone, for [`Desk::search`]; refreshed from the audit trail.
    pub(crate) search_index: std::cell::RefCell<search::SearchIndex>,
    /// What each backup file held when last read, by path, for [`Desk::backup_status`] (see
    /// [`crate::store::file_copy::SeenBackups`]).
    pub(crate) backups_seen: std::cell::RefCell<crate::store::file_copy::SeenBackups>,
    /// Why this desk's last automatic backup failed, and when (UTC, RFC 3339); `None` after
    /// one that worked (see [`Desk::backup_status`]).
    pub(crate) auto_backup_failed: std::cell::RefCell<Option<(String, String)>>,
    /// This desk's lock on coordinator actions, and the check-ins it made.
    pub(crate) guard: guard::Guard,
}

impl Desk {
    /// Open the database at `path` (creating it, with the demo event, if it does not exist).
    ///
    /// `path` may also be a PostgreSQL server's address (`postgres://user@host/db`): several
    /// desks then share one roster, with the same rules (see [`crate::pg`]).
    pub fn open(path: &Path) -> Result<Desk> {
        let (db, path) = match crate::store::pg::Location::of(path, "db")? {
            crate::store::pg::Location::Server(address) => {
                (crate::store::pg::open(&address, &seed::statements()?)?, PathBuf::from(address.to_string()))
            }
            crate::store::pg::Location::File(file) => {
                (Db::sqlite(storage::open(&file, &seed::statements()?)?), file)
            }
        };
        Ok(Desk {
            db,
            path,
            operator: Operator { name: default_operator(), desk: default_desk() },
            search_index: Default::default(),
            backups_seen: Default::default(),
            auto_backup_failed: Default::default(),
            guard: Default::default(),
        })
    }

    /// The database file (for a server, its address with the password redacted).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database file, its schema version, and where the window writes files.
    pub fn info(&self) -> DbInfo {
        DbInfo {
            path: self.path.display().to_string(),
            engine: self.db.engine_name().into(),
            schema_version: self.db.schema_version(),
            output_dir: storage::output_dir_path().ok().map(|d| d.display().to_string()),
        }
    }

    /// Refuse to write `out` when it is this desk's database or one of its journal files,
    /// by any spelling (see [`storage::check_output`]), or a file that already holds something
    /// ([`storage::check_not_written_over`]).
    pub fn check_output(&self, out: &Path) -> Result<()> {
        self.db.check_output(&self.path, out)?;
        storage::check_not_written_over(out)
    }

    /// Who is recorded in the audit trail for the changes made through this desk: a name of
    /// 1 to 80 characters on one line.
    pub fn set_operator(&mut self, operator: &str) -> Result<()> {
        const OPERATOR: crate::text::TextRule = crate::text::TextRule {
            field: "operator",
            label: "Operator",
            max_chars: 80,
            why: "it is written on every audit entry",
            multiline: false,
        };
        let name = crate::text::clean(&OPERATOR, operator)?;
        if name.is_empty() {
            return Err(Error::invalid("operator", "Name the operator"));
        }
        self.operator.name = name;
        Ok(())
    }

    /// Which desk is recorded with every change made through this one: a label of 1 to
    /// [`MAX_DESK_CHARS`] characters on one line ("Desk 2").
    pub fn set_desk(&mut self, desk: &str) -> Result<()> {
        const DESK: crate::text::TextRule = crate::text::TextRule {
            field: "desk",
            label: "Desk",
            max_chars: MAX_DESK_CHARS,
            why: "it is written on every audit entry and check-in",
            multiline: false,
        };
        let label = crate::text::clean(&DESK, desk)?;
        if label.is_empty() {
            return Err(Error::invalid("desk", "Name the desk (for example \"Desk 1\")"));
        }
        self.operator.desk = label;
        Ok(())
    }

    /// Who is recorded in the audit trail for the changes made through this desk.
    pub fn operator(&self) -> &str {
        &self.operator.name
    }

    /// Who is at this desk: the operator and the desk's label.
    pub fn who(&self) -> Operator {
        self.operator.clone()
    }

    /// Name the operator and the desk at once: both are checked before either changes.
    pub fn sign_in(&mut self, name: &str, desk: &str) -> Result<Operator> {
        let before = self.operator.clone();
        let result = self.set_operator(name).and_then(|()| self.set_desk(desk));
        if result.is_err() {
            self.operator = before;
        } else if self.operator != before {
            // Someone else at the desk: what the coordinator opened here is not theirs.
            self.lock();
        }
        result.map(|()| self.operator.clone())
    }

    /// Which desk is recorded with the changes made through this one.
    pub fn desk_label(&self) -> &str {
        &self.operator.desk
    }

    pub(crate) fn begin(&mut self) -> Result<Tx<'_>> {
        self.db.begin()
    }

    /// Which engine holds this desk's roster.
    pub fn engine(&self) -> crate::store::db::Engine {
        self.db.engine()
    }

    /// The event settings.
    pub fn event(&self) -> Result<Event> {
        load_event(&self.db)
    }

    /// Run `f`, housekeeping a change does before its own work (the print log read again, a
    /// job cancelled to be sent again), with the change's request id put aside: the id is
    /// stored with the change's own transaction, not taken by the first one `f` finishes (the
    /// retry was then refused as "already used for another change" when sent again).
    pub(crate) fn aside<T>(&mut self, f: impl FnOnce(&mut Desk) -> T) -> T {
        let pending = self.db.expect_request(None);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        self.db.expect_request(pending);
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// A number that grows with every change to the database, by this or any other process:
    /// the UI polls it to know when to refresh. On a server roster it also reads what the
    /// other desks changed ([`Desk::follow`]), so that the roster kept for an outage is never
    /// more than a poll behind.
    pub fn revision(&self) -> Result<i64> {
        if self.db.is_server() {
            // Following reads the newest audit row itself: one statement per poll, not two.
            return self.follow();
        }
        self.db.value("SELECT coalesce(max(id), 0) FROM audit", params![])
    }
}
