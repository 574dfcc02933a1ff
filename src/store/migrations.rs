//! The SQLite file's schema steps, in order (the SQL is in `sql/`; a server's steps are in
//! `pg/`). A file at schema N has exactly the steps 1 to N applied.

use crate::error::Result;

/// One schema step. The list only ever grows at its end: a step once released never changes.
pub(crate) struct Migration {
    /// What the step does, for the record.
    #[allow(dead_code)]
    what: &'static str,
    pub(crate) sql: &'static str,
    /// A step in Rust after the SQL, in the same transaction (filling what SQL cannot compute).
    pub(crate) then: Option<fn(&rusqlite::Transaction) -> Result<()>>,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        what: "event, days, delegations, attendees, audit; capacity and append-only triggers",
        sql: include_str!("sql/001_initial.sql"),
        then: None,
    },
    Migration {
        what: "badge prints and printer calibration",
        sql: include_str!("sql/002_badges.sql"),
        then: None,
    },
    Migration {
        what: "seat allocations per delegation",
        sql: include_str!("sql/003_allocations.sql"),
        then: None,
    },
    Migration {
        what: "remembered column mappings of imports",
        sql: include_str!("sql/004_import_mappings.sql"),
        then: None,
    },
    Migration {
        what: "status counts kept by triggers",
        sql: include_str!("sql/005_status_counts.sql"),
        then: None,
    },
    Migration {
        what: "the folded words people are found by",
        sql: include_str!("sql/006_search.sql"),
        // It filled the table with every attendee's words; schema 7 drops the table, and all
        // steps run in one transaction, so there is nothing to fill.
        then: None,
    },
    Migration {
        what: "check-in per day, badge tokens, the desk on audit rows; search words in memory",
        sql: include_str!("sql/007_checkin.sql"),
        then: None,
    },
    Migration {
        what: "the coordinator PIN, as a salted slow hash",
        sql: include_str!("sql/008_coordinator_pin.sql"),
        then: None,
    },
    Migration {
        what: "request ids with their results: a retried change is applied once",
        sql: include_str!("sql/009_request.sql"),
        then: None,
    },
    Migration { what: "a demo database says so", sql: include_str!("sql/010_demo.sql"), then: None },
    Migration {
        what: "request ids bound to their request; the PIN's wrong tries and resets kept in the database",
        sql: include_str!("sql/011_request_digest_pin_tries.sql"),
        then: None,
    },
    Migration {
        what: "the programme: sessions, who may attend them, attendance",
        sql: include_str!("sql/012_programme.sql"),
        then: None,
    },
    Migration {
        what: "security vetting: required or not, and each person's state",
        sql: include_str!("sql/013_vetting.sql"),
        then: None,
    },
    Migration {
        what: "protocol: head of delegation and notify-protocol flags, arrival notices",
        sql: include_str!("sql/014_protocol.sql"),
        then: None,
    },
    Migration {
        what: "badges printed straight to a CUPS printer: the jobs, their badges, how they ended",
        sql: include_str!("sql/015_print_jobs.sql"),
        then: None,
    },
    Migration {
        what: "no index of the audit by time: no read uses it, every change wrote to it",
        sql: include_str!("sql/016_audit_at.sql"),
        then: None,
    },
    Migration {
        what: "one index of the attendees by status then delegation, instead of two",
        sql: include_str!("sql/017_status_delegation_index.sql"),
        then: None,
    },
    Migration {
        what: "every folded key made again: invisible characters and compatibility forms fold away",
        sql: include_str!("sql/018_rekey.sql"),
        then: Some(crate::store::rekey::on_file),
    },
    Migration {
        what: "nothing on a file: the server's capacity check of a statement of many rows",
        sql: include_str!("sql/019_server_only.sql"),
        then: None,
    },
    Migration {
        what: "which CUPS scheduler a print job went to: a desk follows its own jobs only",
        sql: include_str!("sql/020_print_job_scheduler.sql"),
        then: None,
    },
    Migration {
        what: "the SHA-256 of a print job's PDF: a file replaced since is not sent",
        sql: include_str!("sql/021_print_job_sha256.sql"),
        then: None,
    },
    Migration {
        what: "an admission's number is never given again (AUTOINCREMENT)",
        sql: include_str!("sql/022_session_checkin_autoincrement.sql"),
        then: None,
    },
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
