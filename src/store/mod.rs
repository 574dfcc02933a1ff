//! The storage layer every rule of the desk calls, and nothing but storage: the engines
//! ([`db`] over an SQLite file ([`storage`]) or a PostgreSQL server ([`pg`])), their schemas and
//! migrations (`sql/`), the files written beside the database ([`output`]), and the records every rule reads and writes the same way
//! (`records`: the event, a person, the counts, the audit row). The rules above it (seats,
//! waitlist, allocations, check-in, prints, imports) never call each other for these.

mod convert;
pub mod db;
pub(crate) mod file_copy;
pub(crate) mod migrations;
pub mod output;
pub mod pg;
pub(crate) mod records;
pub(crate) mod rekey;
pub mod restoring;
pub mod storage;
pub mod value;
