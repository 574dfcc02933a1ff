-- Schema 2: badge prints and printer calibration.

-- Every badge printed: version 1 the first time, +1 on every reprint, with the reason.
CREATE TABLE badge_print (
    id           INTEGER PRIMARY KEY,
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    at           TEXT NOT NULL,
    operator     TEXT NOT NULL,
    preset       TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('first', 'lost', 'damaged', 'correction', 'other')),
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (attendee_id, version),
    CHECK ((version = 1) = (reason = 'first'))
) STRICT;

CREATE TRIGGER badge_print_no_update BEFORE UPDATE ON badge_print
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the badge print record cannot be changed');
END;

CREATE TRIGGER badge_print_no_delete BEFORE DELETE ON badge_print
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the badge print record cannot be changed');
END;

-- Where each printer puts a stock: the shift to apply, in millimetres.
CREATE TABLE calibration (
    preset  TEXT PRIMARY KEY,
    dx_mm   REAL NOT NULL CHECK (dx_mm BETWEEN -20 AND 20),
    dy_mm   REAL NOT NULL CHECK (dy_mm BETWEEN -20 AND 20)
) STRICT;
