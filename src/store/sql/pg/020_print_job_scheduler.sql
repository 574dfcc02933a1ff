-- Schema 20 (as a file's): which CUPS scheduler a print job was handed to ('' for a job written
-- before); a desk follows its own jobs only. Written to run again harmlessly.
ALTER TABLE print_job ADD COLUMN IF NOT EXISTS scheduler TEXT NOT NULL DEFAULT '';
