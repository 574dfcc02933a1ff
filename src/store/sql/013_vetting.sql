-- Schema 13: security vetting. The event says whether vetting is required; each person has
-- at most one vetting row (none: pending), with who set it, at which desk, when and a note.
-- The history of every change is in the audit.
ALTER TABLE event ADD COLUMN require_vetting INTEGER NOT NULL DEFAULT 0 CHECK (require_vetting IN (0, 1));

CREATE TABLE vetting (
    attendee_id  INTEGER PRIMARY KEY REFERENCES attendee (id),
    state        TEXT NOT NULL CHECK (state IN ('pending', 'cleared', 'refused')),
    note         TEXT NOT NULL DEFAULT '',
    set_by       TEXT NOT NULL,
    desk         TEXT NOT NULL,
    set_at       TEXT NOT NULL
) STRICT;
