-- Schema 7: check-in per event day, unforgeable badge tokens, the desk on every audit row.

-- One row per check-in of a person for an event day. An undo keeps the row and records who
-- undid it, when and why; at most one check-in per person and day is in force.
CREATE TABLE checkin (
    id           INTEGER PRIMARY KEY,
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
    day          INTEGER NOT NULL CHECK (day >= 1),
    at           TEXT NOT NULL,
    operator     TEXT NOT NULL,
    desk         TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('desk', 'scan')),
    undone_at    TEXT,
    undone_by    TEXT,
    undo_reason  TEXT,
    CHECK ((undone_at IS NULL) = (undone_by IS NULL) AND (undone_at IS NULL) = (undo_reason IS NULL)),
    CHECK (undo_reason IS NULL OR length(trim(undo_reason)) > 0)
) STRICT;

CREATE UNIQUE INDEX checkin_in_force ON checkin (attendee_id, day) WHERE undone_at IS NULL;
CREATE INDEX checkin_day ON checkin (day, at);

-- Only registered people check in (the backstop of the desk's rule).
CREATE TRIGGER checkin_registered BEFORE INSERT ON checkin
WHEN (SELECT status FROM attendee WHERE id = NEW.attendee_id) IS NOT 'registered'
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: only registered people check in');
END;

-- A check-in is never changed, only undone once.
CREATE TRIGGER checkin_only_undo BEFORE UPDATE ON checkin
WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL
  OR NEW.attendee_id IS NOT OLD.attendee_id OR NEW.day IS NOT OLD.day OR NEW.at IS NOT OLD.at
  OR NEW.operator IS NOT OLD.operator OR NEW.desk IS NOT OLD.desk OR NEW.method IS NOT OLD.method
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: a check-in can only be undone, once');
END;

CREATE TRIGGER checkin_no_delete BEFORE DELETE ON checkin
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the check-in record cannot be deleted');
END;

-- The random token a badge's QR code carries; the newest print of a person holds the valid
-- one. Prints made before schema 7 carry none (their codes are not accepted by the scanner).
ALTER TABLE badge_print ADD COLUMN token TEXT CHECK (token IS NULL OR length(token) = 29);
CREATE UNIQUE INDEX badge_print_token ON badge_print (token) WHERE token IS NOT NULL;

-- Which desk made each change (the operator was already there).
ALTER TABLE audit ADD COLUMN desk TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_at ON audit (at);

-- Search now keeps its folded words in memory, refreshed from the audit trail: the FTS table
-- of schema 6 is no longer written.
DROP TABLE attendee_words;
