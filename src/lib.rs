//! Delegate Desk core: the registration desk of an invitation-only conference.
//!
//! Everything the app does is a function of this crate, callable from a unit test, the CLI
//! (`delegate-desk-cli`) and the Tauri shell alike. It never depends on Tauri.
//!
//! - [`model`]: the wire types and the parsing of typed input into validated values;
//! - [`text`]: trimming, NFC, control characters, length limits, folding for search;
//! - [`store`]: the storage layer every rule calls: the engines ([`db`], the SQLite file
//!   [`storage`], a PostgreSQL server [`pg`]), schemas and migrations, and the records every rule
//!   shares (the event, a person, counts, audit rows);
//! - [`desk`]: the operations (register, edit, cancel, promote, event settings, status) and
//!   the capacity invariant;
//! - [`backup`]: backups while desks work, automatic rotating backups, restore;
//! - [`checkin`]: arrival at the desk — check-in per day, undo, badge scans, the one key;
//! - [`dashboard`]: seats, check-ins per day, by delegation and category, arrivals in bars;
//! - [`token`]: the unguessable code a badge's QR code carries;
//! - [`search`]: finding people by the start of any word of their name, organisation,
//!   delegation or e-mail;
//! - [`request`]: request ids, so a change retried after a lost reply is applied once;
//! - [`seed`]: the demo event and known delegations of a new database;
//! - [`demo`]: a demo database of its own, filled with the sample invite list;
//! - [`about`]: the version, the licences and where things are, for the About box;
//! - [`error`]: the one error type.

#![warn(missing_docs)]

/// Finding people: the desk's search index (`delegate_desk::search::search_words`).
pub use desk::search;
/// The storage layer's modules, by their short names (`delegate_desk::db::Db`).
pub use store::{db, pg, storage};

pub mod about;
pub mod allocation;
pub mod audit;
pub mod backup;
pub mod badge;
pub mod checkin;
pub mod coordinator;
pub mod copy;
pub mod dashboard;
pub mod demo;
pub mod desk;
pub mod error;
pub mod export;
pub mod import;
pub mod model;
pub mod printing;
pub mod registration;
pub mod request;
pub mod roster_pdf;
pub mod seats;
pub mod seed;
pub mod store;
pub mod text;
pub mod token;

pub use audit::{AuditEntry, AuditFilter};
pub use desk::{DbInfo, Desk, Operator};
pub use error::{Error, FieldIssue, Result};
pub use model::{
    Attendee, AttendeeFields, AttendeeInput, Category, CategoryOption, Event, EventDay, EventInput, Status,
};
pub use registration::{
    CancelOutcome, DelegationCheck, EventUpdateOutcome, ListFilter, PromoteOutcome, RegistrationOutcome,
};
pub use seats::SeatStatus;
