-- Schema 4: how the coordinator mapped the columns of an invite list, remembered for the next
-- file with the same header (the signature: the folded headers, in order).

CREATE TABLE import_mapping (
    signature   TEXT PRIMARY KEY,
    mapping     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
