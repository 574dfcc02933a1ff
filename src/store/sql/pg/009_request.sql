-- Schema 9 (as file schema 9): the changes sent with a request id, each stored with its result
-- in the change's own transaction, so a retry after a lost reply is answered from here and
-- applied only once.
CREATE TABLE request (
    id        TEXT PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 64),
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    desk      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    result    TEXT NOT NULL
);
