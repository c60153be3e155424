-- Growth: what the host keeps for referral, channels and distribution
-- (docs/rules.md §10–§13). The engine decides; these rows are the
-- host's side of its decisions.

-- One inviter per invitee, for good: the engine refuses a second binding
-- (REFERRAL_ALREADY_BOUND) and the key refuses it again.
CREATE TABLE referral_bindings (
    invitee  TEXT   PRIMARY KEY REFERENCES members (id),
    inviter  TEXT   NOT NULL REFERENCES members (id),
    scene    TEXT   NOT NULL,
    bound_at BIGINT NOT NULL
);

-- When a member first scanned a referral code (`first_scan_at`).
CREATE TABLE first_scans (
    member_id TEXT   PRIMARY KEY REFERENCES members (id),
    at        BIGINT NOT NULL
);

-- Device and phone hashes, each on the first member it was seen on
-- (`seen` on a later binding).
CREATE TABLE device_fingerprints (
    fingerprint TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members (id)
);

-- Who was assigned to whom from which channel (channel statistics).
CREATE TABLE channel_contacts (
    member_id TEXT   NOT NULL REFERENCES members (id),
    channel   TEXT   NOT NULL,
    guide     TEXT,
    at        BIGINT NOT NULL,
    PRIMARY KEY (member_id, channel)
);

-- Withdrawals of commission: the host pays `amount − fee`.
CREATE TABLE withdrawals (
    id           TEXT   PRIMARY KEY,
    member_id    TEXT   NOT NULL REFERENCES members (id),
    amount       BIGINT NOT NULL,
    status       TEXT   NOT NULL,
    requested_at BIGINT NOT NULL
);
