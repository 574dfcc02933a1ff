-- Schema 6: the words people are found by at the desk, folded (case, accents, letters that do
-- not decompose) by the core and kept in the same transaction as every write of an attendee.
-- `name`: given, family and badge names; `other`: organisation, delegation, e-mail.

CREATE VIRTUAL TABLE attendee_words USING fts5 (
    name,
    other,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);
