-- Schema 10 (as file schema 10): a database made by `demo` says so (see sql/010_demo.sql).
ALTER TABLE event ADD COLUMN demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
