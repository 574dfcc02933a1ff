-- Schema 20: which CUPS scheduler a print job was handed to ('' for a job written before). The
-- job's number is that scheduler's: a desk asks its own scheduler about its own jobs only, and
-- leaves another desk's alone (on a server, desk A asked its own CUPS about desk B's job 40,
-- heard "not known", and recorded a badge B had printed as failed).
ALTER TABLE print_job ADD COLUMN scheduler TEXT NOT NULL DEFAULT '';
