-- Schema 3: seat allocations per delegation, inside the capacity.

CREATE TABLE allocation (
    delegation_key  TEXT PRIMARY KEY,
    delegation      TEXT NOT NULL,
    seats           INTEGER NOT NULL CHECK (seats >= 0)
) STRICT;

-- What happens to someone whose delegation's allocation is full: waitlisted, or refused.
ALTER TABLE event ADD COLUMN allocation_policy TEXT NOT NULL DEFAULT 'waitlist'
    CHECK (allocation_policy IN ('waitlist', 'refuse'));
