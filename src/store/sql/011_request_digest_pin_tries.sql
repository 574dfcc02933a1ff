-- Schema 11: a request id answers only the request it was first used for, so it is stored with
-- the command and a digest of the command and its arguments (NULL for ids stored before); the
-- coordinator PIN's wrong tries are counted in the database, across windows, CLI processes and
-- restarts, with the time until which tries wait; a PIN replaced with `pin reset` (forgotten)
-- says so in every window until a coordinator acknowledges it.
ALTER TABLE request ADD COLUMN command TEXT;
ALTER TABLE request ADD COLUMN digest TEXT CHECK (digest IS NULL OR length(digest) = 64);
ALTER TABLE coordinator_pin ADD COLUMN failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0);
ALTER TABLE coordinator_pin ADD COLUMN wait_until TEXT;
ALTER TABLE coordinator_pin ADD COLUMN reset_at TEXT;
ALTER TABLE coordinator_pin ADD COLUMN reset_by TEXT;
