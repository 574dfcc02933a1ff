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
