-- Schema 19 is the server's alone: the capacity checked once a statement of many rows has run
-- (sql/pg/019_capacity_statement.sql). A file's row triggers keep the count row by row and need
-- no such check; the step is here so that a file and a server at the same schema have the same
-- tables.
SELECT 1;
