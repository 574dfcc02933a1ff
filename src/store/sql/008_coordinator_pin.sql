-- Schema 8: the coordinator PIN, kept only as a salted argon2id hash (PHC string). One row at
-- most; no row means no PIN has been set yet (the window asks for one on first use).
CREATE TABLE coordinator_pin (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    hash    TEXT NOT NULL CHECK (hash LIKE '$argon2id$%'),
    set_at  TEXT NOT NULL,
    set_by  TEXT NOT NULL
) STRICT;
