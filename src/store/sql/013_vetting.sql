-- Schema 13: security vetting. The event says whether vetting is required; each person has a
-- vetting state (pending until someone sets it), a note, and who set it, at which desk and
-- when (NULL while nobody has). On the person's own row: a person is read with one lookup.
-- The history of every change is in the audit.
ALTER TABLE event ADD COLUMN require_vetting INTEGER NOT NULL DEFAULT 0 CHECK (require_vetting IN (0, 1));
ALTER TABLE attendee ADD COLUMN vetting TEXT NOT NULL DEFAULT 'pending' CHECK (vetting IN ('pending', 'cleared', 'refused'));
ALTER TABLE attendee ADD COLUMN vetting_note TEXT NOT NULL DEFAULT '';
ALTER TABLE attendee ADD COLUMN vetting_by TEXT;
ALTER TABLE attendee ADD COLUMN vetting_desk TEXT;
ALTER TABLE attendee ADD COLUMN vetting_at TEXT;
