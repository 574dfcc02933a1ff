//! The engines' errors in the desk's words: SQLite's and PostgreSQL's failures become the one
//! [`Error`] type (a trigger's refusal a conflict, a full disk or a lost server said as such),
//! here in the store so that the error type above it knows no driver.

use crate::error::{chain, Error};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(_, Some(msg)) = &e {
            // Messages raised by our own triggers are the database-level backstop of a rule:
            // they reach the operator as a refused action, not as a storage failure.
            if let Some(rest) = msg.strip_prefix("delegate-desk: ") {
                return Error::Conflict(rest.to_string());
            }
        }
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            use rusqlite::ErrorCode as C;
            let said = match f.code {
                C::DiskFull => Some(
                    "The disk that holds the database is full: this change was not saved, and everything saved before is intact. Free some space (or move the database to a larger disk) and try again",
                ),
                C::ReadOnly => Some(
                    "The database cannot be written (it or its folder became read-only): this change was not saved",
                ),
                C::SystemIoFailure => Some(
                    "The disk reported an error while writing the database: this change was not saved. Check the disk, and make a backup",
                ),
                C::DatabaseCorrupt => Some(
                    "The database file is damaged. Nothing more was written; restore it from a backup (delegate-desk-cli restore)",
                ),
                C::DatabaseBusy | C::DatabaseLocked => Some(
                    "Another desk kept the database busy for too long: this change was not saved. Try again",
                ),
                _ => None,
            };
            if let Some(said) = said {
                return Error::Storage(format!("{said} ({e})"));
            }
        }
        Error::Storage(format!("Database error: {e}"))
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        // The same test the connection uses to decide to connect again (a server shutting
        // down answers with an error of its own before the socket closes).
        if super::db::connection_lost(&e) {
            return Error::Unreachable(format!(
                "The database server cannot be reached: this change was not saved ({}). The desk reconnects by itself; try again in a moment",
                chain(&e)
            ));
        }
        if let Some(db) = e.as_db_error() {
            // A lock another desk held longer than LOCK_TIMEOUT (see store::pg): as on SQLite.
            if db.code().code() == "55P03" {
                return Error::Storage(format!(
                    "Another desk kept the database busy for too long: this change was not saved. Try again ({})",
                    db.message()
                ));
            }
            // The backstops raised by our own triggers, as on SQLite.
            if let Some(rest) = db.message().strip_prefix("delegate-desk: ") {
                return Error::Conflict(rest.to_string());
            }
            // Constraint failures in the same words as SQLite's, so a log or a test reads the
            // same on both engines.
            let kind = match db.code().code() {
                "23505" => "UNIQUE constraint failed",
                "23514" => "CHECK constraint failed",
                "23503" => "FOREIGN KEY constraint failed",
                "23502" => "NOT NULL constraint failed",
                _ => "",
            };
            if !kind.is_empty() {
                let on = db.constraint().or(db.column()).unwrap_or("");
                return Error::Storage(format!("Database error: {kind}: {on} ({})", db.message()));
            }
            return Error::Storage(format!("Database error: {} ({})", db.message(), db.code().code()));
        }
        Error::Storage(format!("Database error: {}", chain(&e)))
    }
}
