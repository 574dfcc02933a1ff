-- Schema 13 (as file schema 13): security vetting on the person's row (see sql/013_vetting.sql).
ALTER TABLE event ADD COLUMN require_vetting BIGINT NOT NULL DEFAULT 0 CHECK (require_vetting IN (0, 1));
ALTER TABLE attendee ADD COLUMN vetting TEXT NOT NULL DEFAULT 'pending' CHECK (vetting IN ('pending', 'cleared', 'refused'));
ALTER TABLE attendee ADD COLUMN vetting_note TEXT NOT NULL DEFAULT '';
ALTER TABLE attendee ADD COLUMN vetting_by TEXT;
ALTER TABLE attendee ADD COLUMN vetting_desk TEXT;
ALTER TABLE attendee ADD COLUMN vetting_at TEXT;
