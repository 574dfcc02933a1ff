-- Schema 10: a database made by `demo` (the sample invite list, invented people) says so, so
-- that every window and roster on it can say plainly that it is showing demo data, and a demo
-- is never written over a real event.
ALTER TABLE event ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
