-- Schema 21: the SHA-256 of a print job's PDF as it was written ('' for a job written before).
-- A job is sent (and sent again) only while its file is still that file: one replaced in the
-- output folder since would print another badge than the one the job records.
ALTER TABLE print_job ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
