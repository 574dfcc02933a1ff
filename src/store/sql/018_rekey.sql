-- Schema 18: the fold changed (NFKD instead of NFD, characters that draw nothing dropped, every
-- apostrophe one), so every key stored beside an attendee (name, delegation, e-mail, search)
-- and an allocation (delegation) is made again, in Rust after this step, in the same
-- transaction (src/store/rekey.rs). Nothing else changes.
SELECT 1;
