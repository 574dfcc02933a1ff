-- Schema 15: badges printed straight to a CUPS printer. Each job sent (its CUPS id, the queue,
-- the PDF kept in the output folder, how it ended) and the badges in it (with the version and
-- the code each carries). A badge_print row is written only when its job completed, and names
-- the job; a job's badges hold their version while the job waits, so that no other print takes
-- it.
CREATE TABLE print_job (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    desk        TEXT NOT NULL,
    printer     TEXT NOT NULL CHECK (length(printer) BETWEEN 1 AND 127),
    cups_job    INTEGER,
    preset      TEXT NOT NULL,
    copies      INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 100),
    file        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    retry_of    INTEGER REFERENCES print_job (id),
    state       TEXT NOT NULL CHECK (state IN ('sending', 'waiting', 'completed', 'failed', 'cancelled')),
    words       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX print_job_state ON print_job (state, id);

CREATE TABLE print_job_badge (
    job_id       INTEGER NOT NULL REFERENCES print_job (id),
    attendee_id  INTEGER NOT NULL REFERENCES attendee (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    reason       TEXT NOT NULL CHECK (reason IN ('first', 'lost', 'damaged', 'correction', 'other')),
    token        TEXT NOT NULL CHECK (length(token) = 29),
    PRIMARY KEY (job_id, attendee_id)
) STRICT;
CREATE INDEX print_job_badge_attendee ON print_job_badge (attendee_id, version);

ALTER TABLE badge_print ADD COLUMN print_job INTEGER REFERENCES print_job (id);
