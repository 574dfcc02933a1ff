-- Schema 12: the programme. Sessions per event day, at the venue's time, in a room, with who
-- may attend: the categories admitted, and people admitted or excluded by name. A removed
-- session's id is never given again (AUTOINCREMENT): a door steward's "session 5" cannot
-- silently become another session. Attendance at a session is kept like the day's check-in:
-- a row per admission, undone but never changed or deleted, at most one in force per person.
CREATE TABLE session (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    day         INTEGER NOT NULL CHECK (day >= 1),
    starts_at   TEXT NOT NULL CHECK (starts_at GLOB '[0-2][0-9]:[0-5][0-9]' AND starts_at < '24:00'),
    ends_at     TEXT NOT NULL CHECK (ends_at GLOB '[0-2][0-9]:[0-5][0-9]' AND ends_at <= '24:00'
                                     AND ends_at > starts_at),
    title       TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    room        TEXT NOT NULL DEFAULT '' CHECK (length(room) <= 100),
    categories  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX session_day ON session (day, starts_at);

-- A person admitted (admitted = 1) or excluded (0) by name, whatever their category.
CREATE TABLE session_access (
    session_id   INTEGER NOT NULL REFERENCES session (id),
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
    admitted     INTEGER NOT NULL CHECK (admitted IN (0, 1)),
    PRIMARY KEY (session_id, attendee_id)
) STRICT;

CREATE TABLE session_checkin (
    id           INTEGER PRIMARY KEY,
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
