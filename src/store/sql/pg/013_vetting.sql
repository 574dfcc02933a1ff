-- Schema 13 (as file schema 13): security vetting (see sql/013_vetting.sql).
ALTER TABLE event ADD COLUMN require_vetting BIGINT NOT NULL DEFAULT 0 CHECK (require_vetting IN (0, 1));

CREATE TABLE vetting (
    attendee_id  BIGINT PRIMARY KEY REFERENCES attendee (id),
    state        TEXT NOT NULL CHECK (state IN ('pending', 'cleared', 'refused')),
    note         TEXT NOT NULL DEFAULT '',
    set_by       TEXT NOT NULL,
    desk         TEXT NOT NULL,
    set_at       TEXT NOT NULL
);
