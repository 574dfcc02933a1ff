-- The capacity invariant for one statement that seats many people at once (an UPDATE of many
-- rows' status, an INSERT of many rows): the row trigger reads the count of seats taken as it
-- was before the statement (the counts are kept by row triggers that run at its end), so it
-- would let every row of such a statement through. These checks run after them, on the counts
-- as the statement left them, and refuse the whole statement if it seated anyone beyond the
-- capacity. A statement that seats nobody more (a cancel, an edit) is never refused, even on a
-- database already over its capacity: the cancel that mends it must go through. (A file's row
-- triggers keep the count at once, row by row: the file needs no such step.) Transition tables
-- allow one event per trigger, hence two. Written to run again harmlessly.
CREATE OR REPLACE FUNCTION dd_capacity_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seated bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO seated FROM dd_new WHERE status = 'registered';
    ELSE
        SELECT (SELECT count(*) FROM dd_new WHERE status = 'registered')
             - (SELECT count(*) FROM dd_old WHERE status = 'registered') INTO seated;
    END IF;
    IF seated > 0
       AND (SELECT n FROM status_count WHERE status = 'registered') > (SELECT capacity FROM event WHERE id = 1) THEN
        RAISE EXCEPTION 'delegate-desk: the event is full; no seat is left';
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS attendee_capacity_statement ON attendee;
DROP TRIGGER IF EXISTS attendee_capacity_insert_statement ON attendee;
DROP TRIGGER IF EXISTS attendee_capacity_update_statement ON attendee;
CREATE TRIGGER attendee_capacity_insert_statement AFTER INSERT ON attendee
REFERENCING NEW TABLE AS dd_new
FOR EACH STATEMENT EXECUTE FUNCTION dd_capacity_statement();
CREATE TRIGGER attendee_capacity_update_statement AFTER UPDATE ON attendee
REFERENCING OLD TABLE AS dd_old NEW TABLE AS dd_new
FOR EACH STATEMENT EXECUTE FUNCTION dd_capacity_statement();
