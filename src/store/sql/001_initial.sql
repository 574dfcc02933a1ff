-- Schema 1 of Delegate Desk. Released migrations never change; new ones are appended.

CREATE TABLE event (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    venue       TEXT NOT NULL,
    start_date  TEXT NOT NULL CHECK (date(start_date) = start_date),
    end_date    TEXT NOT NULL CHECK (date(end_date) = end_date AND end_date >= start_date),
    timezone    TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100000)
) STRICT;

CREATE TABLE event_day (
    day    INTEGER PRIMARY KEY CHECK (day >= 1),
    theme  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Known delegations, for the type-ahead (seeded from src/data/delegations.csv).
CREATE TABLE delegation (
    name       TEXT PRIMARY KEY,
    full_name  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    iso3166    TEXT NOT NULL DEFAULT '',
    sovereign  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE attendee (
    id               INTEGER PRIMARY KEY,
    rank             TEXT NOT NULL DEFAULT '',
    given_name       TEXT NOT NULL DEFAULT '',
    family_name      TEXT NOT NULL DEFAULT '',
    badge_name       TEXT,
    position         TEXT NOT NULL DEFAULT '',
    organization     TEXT NOT NULL DEFAULT '',
    delegation       TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL CHECK (category IN ('delegate', 'coHost', 'regionalInstitution',
                         'observer', 'speaker', 'vip', 'press', 'staff')),
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    days             TEXT NOT NULL,
    dietary          TEXT NOT NULL DEFAULT '',
    accessibility    TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('invited', 'registered', 'waitlisted', 'cancelled')),
    registered_at    TEXT,
    -- Order of the waitlist: smaller is older. Set exactly while waitlisted.
    waitlist_seq     INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- Folded keys (case and accents removed) for duplicates and search.
    name_key         TEXT NOT NULL,
    delegation_key   TEXT NOT NULL,
    email_key        TEXT NOT NULL,
    search_key       TEXT NOT NULL,
    CHECK (given_name <> '' OR family_name <> ''),
    CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL)),
    CHECK ((status = 'registered') = (registered_at IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX attendee_email_unique ON attendee (email_key) WHERE email_key <> '';
CREATE UNIQUE INDEX attendee_name_unique ON attendee (name_key, delegation_key);
CREATE UNIQUE INDEX attendee_waitlist_unique ON attendee (waitlist_seq) WHERE waitlist_seq IS NOT NULL;
CREATE INDEX attendee_status ON attendee (status);

-- The capacity invariant, as a backstop of the IMMEDIATE transaction that claims a seat:
-- count(status = 'registered') <= capacity, always.
CREATE TRIGGER attendee_capacity_insert BEFORE INSERT ON attendee
WHEN NEW.status = 'registered'
 AND (SELECT count(*) FROM attendee WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left');
END;

CREATE TRIGGER attendee_capacity_update BEFORE UPDATE OF status ON attendee
WHEN NEW.status = 'registered' AND OLD.status <> 'registered'
 AND (SELECT count(*) FROM attendee WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left');
END;

CREATE TRIGGER event_capacity_floor BEFORE UPDATE OF capacity ON event
WHEN NEW.capacity < (SELECT count(*) FROM attendee WHERE status = 'registered')
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the capacity cannot be lower than the number of people registered');
END;

-- Every change, written in the same transaction as the change. Append-only.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    operator     TEXT NOT NULL,
    action       TEXT NOT NULL,
    attendee_id  INTEGER REFERENCES attendee (id),
    before       TEXT,
    after        TEXT
) STRICT;

CREATE INDEX audit_attendee ON audit (attendee_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the audit trail cannot be changed');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the audit trail cannot be changed');
END;
