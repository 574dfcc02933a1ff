-- Schema 17: one index of the attendees by status then delegation, instead of one by status and
-- one by delegation then status. Every read that used either names the status (`status = ?`,
-- with or without `delegation_key = ?`), which the new index answers as well as they did, and
-- the seats beyond the allocations (registered, grouped by delegation) now read it in order
-- without a temporary table (EXPLAIN QUERY PLAN in docs/speed.md). Each registration, cancel
-- or move to the waitlist wrote one index page fewer: 9.3 → 8.2 WAL frames a registration.
-- A server keeps its two indexes: its schema steps are its own (sql/pg/).
DROP INDEX IF EXISTS attendee_status;
DROP INDEX IF EXISTS attendee_delegation_status;
CREATE INDEX attendee_status_delegation ON attendee (status, delegation_key);
