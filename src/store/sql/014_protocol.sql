-- Schema 14: protocol. Two flags per person (head of delegation: first in the order of
-- precedence; notify protocol: protocol is told when they arrive, as for every VIP), and the
-- notices of such arrivals (the session's title when it was at a door: no reference, a session
-- may be removed), open until someone acknowledges them or the check-in is undone.
ALTER TABLE attendee ADD COLUMN head_of_delegation INTEGER NOT NULL DEFAULT 0 CHECK (head_of_delegation IN (0, 1));
ALTER TABLE attendee ADD COLUMN notify_protocol INTEGER NOT NULL DEFAULT 0 CHECK (notify_protocol IN (0, 1));

CREATE TABLE protocol_notice (
    id           INTEGER PRIMARY KEY,
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
    checkin_id   INTEGER NOT NULL UNIQUE REFERENCES checkin (id),
    session      TEXT,
    at           TEXT NOT NULL,
    operator     TEXT NOT NULL,
    desk         TEXT NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT,
    closed_desk  TEXT,
    closed_how   TEXT CHECK (closed_how IN ('acknowledged', 'undone')),
    CHECK ((closed_at IS NULL) = (closed_how IS NULL))
) STRICT;
CREATE INDEX protocol_notice_open ON protocol_notice (closed_at, id);
