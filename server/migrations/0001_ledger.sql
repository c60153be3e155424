-- The ledger: rule versions, members and their append-only event logs,
-- the counters the engine asks the host to keep, orders, and the answers
-- kept for idempotency keys. Written in the SQL both SQLite and
-- PostgreSQL read: BIGINT and TEXT only, no AUTOINCREMENT/SERIAL (ids
-- come from `counters`).

-- Every rule set ever uploaded; the highest version is in force. An old
-- version stays readable, and each event records the version it was
-- booked under.
CREATE TABLE rules (
    version     BIGINT PRIMARY KEY,
    fingerprint TEXT   NOT NULL,
    json        TEXT   NOT NULL,
    uploaded_at BIGINT NOT NULL
);

-- A member: their sign-in, and their state as the engine last answered
-- it (the fold of their events; `seq` events so far, the last at `last_at`).
CREATE TABLE members (
    id            TEXT   PRIMARY KEY,
    nickname      TEXT   NOT NULL,
    password_salt TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    state         TEXT   NOT NULL,
    seq           BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Each member's log, append-only: replaying it under the rules gives
-- `members.state`. An event id is booked once per member.
CREATE TABLE events (
    member_id     TEXT   NOT NULL REFERENCES members (id),
    seq           BIGINT NOT NULL,
    event_id      TEXT   NOT NULL,
    at            BIGINT NOT NULL,
    rules_version BIGINT NOT NULL REFERENCES rules (version),
    json          TEXT   NOT NULL,
    PRIMARY KEY (member_id, seq),
    UNIQUE (member_id, event_id)
);

-- Numbers the host keeps: `stock:<template>` (coupons left; no row means
-- no limit), `next:member`, `next:order`, `channel:<id>` (round-robin).
CREATE TABLE counters (
    name  TEXT   PRIMARY KEY,
    value BIGINT NOT NULL
);

-- The host's side of an order: payment is simulated, so `status` moves
-- placed → paid → completed, or to refunded; the engine's side (lines,
-- coupons, points) is in the member's state.
CREATE TABLE orders (
    id           TEXT   PRIMARY KEY,
    member_id    TEXT   NOT NULL REFERENCES members (id),
    status       TEXT   NOT NULL,
    payable      BIGINT NOT NULL,
    fingerprint  TEXT   NOT NULL,
    placed_at    BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX orders_by_member ON orders (member_id, placed_at);

-- The first answer to each idempotency key, per member: a retry gets it
-- back; the same key with another body is refused.
CREATE TABLE idempotency (
    member_id      TEXT   NOT NULL,
    key            TEXT   NOT NULL,
    route          TEXT   NOT NULL,
    request_sha256 TEXT   NOT NULL,
    status         BIGINT NOT NULL,
    response       TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (member_id, key)
);

-- The server's own secrets, shared by every process on one database: the
-- key that signs session tokens and the admin token.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
