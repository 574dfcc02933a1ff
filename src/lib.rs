//! Delegate Desk core: the registration desk of an invitation-only conference.
//!
//! Everything the app does is a function of this crate, callable from a unit test, the CLI
//! (`delegate-desk-cli`) and the Tauri shell alike. It never depends on Tauri.
//!
//! The core is in layers; a module uses only what is below it (`tests/layers.rs` checks that
//! no circle forms, and `docs/architecture.md` draws the graph):
//!
//! 1. **Domain values**, no I/O: [`error`] (the one error type), [`text`] (trimming, folding,
//!    limits), [`model`] (the event, a person's fields, categories, days, times at the venue),
//!    [`token`] (a badge's unguessable code), [`badge`] (drawing a badge, no storage),
//!    [`sheet`] (spreadsheet cells and CSV documents); beside them [`cups`], the system's
//!    print service (its queues, a job sent and followed), which knows nothing of the desk.
//! 2. **Store**: [`store`] — the one [`db::Db`] interface over an SQLite file ([`storage`]) or
//!    a PostgreSQL server ([`pg`]): connection, transactions, migrations, a file's online
//!    copy, the records every rule shares (event, person, check-in, badge print, audit row),
//!    request ids. The only place that knows which engine is in use.
//! 3. **The desk session**: [`desk`] — a store, who is at the desk, the search index
//!    ([`search`]), the roster as last read, the coordinator lock; it follows changes.
//! 4. **The rules**, each over the session: [`seats`] (capacity, waitlist, the
//!    [`allocation`]s, the claim), [`registration`], [`coordinator`] (the PIN), [`request`]
//!    (a change applied once), [`checkin`] (arrival), [`printing`] (badges to PDF and to
//!    the desk's printer, the print log),
//!    [`export`] (rosters, the PDF in [`roster_pdf`]), [`import`], [`audit`], [`backup`],
//!    [`copy`], [`seed`], [`dashboard`], [`about`], [`programme`] (sessions and who may
//!    attend), [`vetting`] (security's state of each person), [`protocol`] (notices of the
//!    arrivals protocol must meet). No rule calls a `Desk` method
//!    defined in another rule's file; a lower rule's
//!    `pub(crate)` entry point may be called (arrival registers through [`registration`],
//!    registration claims through [`seats`]).
//! 5. **Front ends**: [`demo`] (a scripted operator over the rules' public methods, in the
//!    core so that the CLI and the window share it), and outside this crate's modules the CLI
//!    (`src/bin/`) and the Tauri commands (`src-tauri/`), thin adapters over the rules.

#![warn(missing_docs)]

/// Finding people: the desk's search index (`delegate_desk::search::search_words`).
pub use desk::search;
pub use export::pdf as roster_pdf;
pub use seats::allocation;
/// The storage layer's modules, by their short names (`delegate_desk::db::Db`).
pub use store::{db, pg, storage};

pub mod about;
pub mod audit;
pub mod backup;
pub mod badge;
pub mod checkin;
pub mod coordinator;
pub mod copy;
pub mod cups;
pub mod dashboard;
pub mod demo;
pub mod desk;
pub mod error;
pub mod export;
pub mod import;
pub mod model;
pub mod printing;
pub mod programme;
pub mod protocol;
pub mod registration;
pub mod request;
pub mod seats;
pub mod seed;
pub mod sheet;
pub mod store;
pub mod text;
pub mod token;
pub mod vetting;

pub use audit::{AuditEntry, AuditFilter};
pub use desk::{DbInfo, Desk, ListFilter, Operator};
pub use error::{Error, FieldIssue, Result};
pub use model::{
    Attendee, AttendeeFields, AttendeeInput, Category, CategoryOption, Event, EventDay, EventInput, Status,
};
pub use registration::{
    CancelOutcome, DelegationCheck, EventUpdateOutcome, PromoteOutcome, RegistrationOutcome,
};
pub use seats::SeatStatus;
