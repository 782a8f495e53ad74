-- Log-in throttling kept by the log-in ID as typed (normalised), whether or not an account
-- has it, so a made-up ID is answered exactly like a real one. `network` is the client's
-- IPv4 address or IPv6 /64 for the per-network bucket, '*' for the account-wide one.
-- users.failed_logins and users.last_failed_login_at are no longer read or written.
CREATE TABLE login_throttle (
    login_id TEXT NOT NULL,
    network TEXT NOT NULL,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,  -- epoch ms
    ready_at BIGINT NOT NULL,         -- epoch ms: no attempt before this
    PRIMARY KEY (login_id, network)
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
