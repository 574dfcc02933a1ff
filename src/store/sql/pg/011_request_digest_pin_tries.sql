-- Schema 11 (as file schema 11): request ids bound to their request, the PIN's wrong tries
-- counted in the database, a PIN reset shown until acknowledged (see
-- sql/011_request_digest_pin_tries.sql).
ALTER TABLE request ADD COLUMN command TEXT;
ALTER TABLE request ADD COLUMN digest TEXT CHECK (digest IS NULL OR length(digest) = 64);
ALTER TABLE coordinator_pin ADD COLUMN failures BIGINT NOT NULL DEFAULT 0 CHECK (failures >= 0);
ALTER TABLE coordinator_pin ADD COLUMN wait_until TEXT;
ALTER TABLE coordinator_pin ADD COLUMN reset_at TEXT;
ALTER TABLE coordinator_pin ADD COLUMN reset_by TEXT;
