-- The capacity invariant for one statement that seats many people at once (an UPDATE of many
-- rows' status, an INSERT of many rows): the row trigger reads the count of seats taken as it
-- was before the statement (the counts are kept by row triggers that run at its end), so it
-- would let every row of such a statement through. This check runs after them, on the counts
-- as the statement left them, and refuses the whole statement. (A file's row triggers keep the
-- count at once, row by row: the file needs no such step.) Written to run again harmlessly.
CREATE OR REPLACE FUNCTION dd_capacity_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT n FROM status_count WHERE status = 'registered') > (SELECT capacity FROM event WHERE id = 1) THEN
        RAISE EXCEPTION 'delegate-desk: the event is full; no seat is left';
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS attendee_capacity_statement ON attendee;
CREATE TRIGGER attendee_capacity_statement AFTER INSERT OR UPDATE OF status ON attendee
FOR EACH STATEMENT EXECUTE FUNCTION dd_capacity_statement();
