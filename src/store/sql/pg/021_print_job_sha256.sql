-- Schema 21 (as a file's): the SHA-256 of a print job's PDF as it was written ('' for a job
-- written before); a job is sent only while its file is still that file. Written to run again
-- harmlessly.
ALTER TABLE print_job ADD COLUMN IF NOT EXISTS sha256 TEXT NOT NULL DEFAULT '';
