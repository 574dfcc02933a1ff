-- Schema 5: how many people are in each status, kept by triggers in the same transaction as
-- every change. Claiming a seat, the capacity backstop and the seat gauge read one row instead
-- of counting the list (which grew with the list: a registration with 10,000 on file counted
-- them three times).

CREATE TABLE status_count (
    status  TEXT PRIMARY KEY CHECK (status IN ('invited', 'registered', 'waitlisted', 'cancelled')),
    n       INTEGER NOT NULL CHECK (n >= 0)
) STRICT, WITHOUT ROWID;

INSERT INTO status_count (status, n)
SELECT s.status, (SELECT count(*) FROM attendee a WHERE a.status = s.status)
FROM (SELECT 'invited' AS status UNION ALL SELECT 'registered' UNION ALL SELECT 'waitlisted'
      UNION ALL SELECT 'cancelled') s;

CREATE TRIGGER attendee_count_insert AFTER INSERT ON attendee
BEGIN
    UPDATE status_count SET n = n + 1 WHERE status = NEW.status;
END;

CREATE TRIGGER attendee_count_update AFTER UPDATE OF status ON attendee
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE status_count SET n = n - 1 WHERE status = OLD.status;
    UPDATE status_count SET n = n + 1 WHERE status = NEW.status;
END;

CREATE TRIGGER attendee_count_delete AFTER DELETE ON attendee
BEGIN
    UPDATE status_count SET n = n - 1 WHERE status = OLD.status;
END;

-- The counts are the database's own: no one writes them but the triggers above.
CREATE TRIGGER status_count_no_insert BEFORE INSERT ON status_count
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the status counts are kept by the database');
END;

DROP TRIGGER attendee_capacity_insert;
CREATE TRIGGER attendee_capacity_insert BEFORE INSERT ON attendee
WHEN NEW.status = 'registered'
 AND (SELECT n FROM status_count WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left');
END;

DROP TRIGGER attendee_capacity_update;
CREATE TRIGGER attendee_capacity_update BEFORE UPDATE OF status ON attendee
WHEN NEW.status = 'registered' AND OLD.status <> 'registered'
 AND (SELECT n FROM status_count WHERE status = 'registered') >= (SELECT capacity FROM event WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the event is full; no seat is left');
END;

DROP TRIGGER event_capacity_floor;
CREATE TRIGGER event_capacity_floor BEFORE UPDATE OF capacity ON event
WHEN NEW.capacity < (SELECT n FROM status_count WHERE status = 'registered')
BEGIN
    SELECT RAISE(ABORT, 'delegate-desk: the capacity cannot be lower than the number of people registered');
END;

-- Allocations count the people registered per delegation.
CREATE INDEX attendee_delegation_status ON attendee (delegation_key, status);
