-- Schema 22: an admission's number is never given again (AUTOINCREMENT), as a session's is.
-- Without it SQLite gave the highest number in the table plus one: a session removed with its
-- admissions (forced) handed their numbers to the next admissions, and the audit trail's
-- "admission 1" then meant two people at two sessions. The table is made again with its rows,
-- and its indexes and triggers as schema 12 made them.
CREATE TABLE session_checkin_autoincrement (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES session (id),
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
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
INSERT INTO session_checkin_autoincrement (id, session_id, attendee_id, at, operator, desk, method, undone_at, undone_by, undo_reason)
    SELECT id, session_id, attendee_id, at, operator, desk, method, undone_at, undone_by, undo_reason FROM session_checkin;
DROP TABLE session_checkin;
ALTER TABLE session_checkin_autoincrement RENAME TO session_checkin;
CREATE UNIQUE INDEX session_checkin_in_force ON session_checkin (session_id, attendee_id) WHERE undone_at IS NULL;
CREATE INDEX session_checkin_attendee ON session_checkin (attendee_id);

-- Only registered people are admitted, and only with the day's check-in in force (a session
-- check-in counts as the day's: the desk writes that one first).
CREATE TRIGGER session_checkin_registered BEFORE INSERT ON session_checkin
WHEN (SELECT status FROM attendee WHERE id = NEW.attendee_id) IS NOT 'registered'
  OR NOT EXISTS (SELECT 1 FROM checkin WHERE attendee_id = NEW.attendee_id AND undone_at IS NULL
                 AND day = (SELECT day FROM session WHERE id = NEW.session_id))
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: only registered people checked in for the day enter a session');
END;

-- An admission is never changed, only undone once. (It is deleted only with its session, by
-- a forced removal that writes the attendance in the audit row first.)
CREATE TRIGGER session_checkin_only_undo BEFORE UPDATE ON session_checkin
WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL
  OR NEW.session_id IS NOT OLD.session_id OR NEW.attendee_id IS NOT OLD.attendee_id
  OR NEW.at IS NOT OLD.at OR NEW.operator IS NOT OLD.operator OR NEW.desk IS NOT OLD.desk
  OR NEW.method IS NOT OLD.method
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: a session check-in can only be undone, once');
END;
