-- Schema 16: the index of audit rows by time goes. No read on a file uses it: the audit page's
-- "since" and "until" are optional parameters (`?1 IS NULL OR at >= ?1`), which SQLite cannot
-- answer from an index, so it reads the audit in id order (EXPLAIN QUERY PLAN: SCAN audit);
-- every other read of the audit goes by id or by attendee. Each change of the desk wrote one
-- page more for it (docs/speed.md). A server keeps its index: PostgreSQL plans with the values.
DROP INDEX IF EXISTS audit_at;
