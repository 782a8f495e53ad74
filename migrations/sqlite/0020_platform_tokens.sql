-- Platform tokens (issue 18): the monitoring platform's machine-to-machine credentials,
-- separate from customers' personal API tokens. Each works only on the endpoints of its
-- scope. Shown once; only the SHA-256 of the secret is kept. created_by is NULL when the
-- token was made with the command line (`apm-portal create-platform-token`).
CREATE TABLE platform_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,                 -- 'usage' | 'probes'
    token_hash TEXT NOT NULL,
    token_hint TEXT NOT NULL,            -- first characters, so staff can tell tokens apart
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    revoked_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX platform_tokens_hash ON platform_tokens (token_hash);
CREATE TRIGGER platform_tokens_scope_known_insert BEFORE INSERT ON platform_tokens
WHEN NOT (NEW.scope IN ('usage', 'probes'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: platform_tokens_scope_known');
END;

CREATE TRIGGER platform_tokens_scope_known_update BEFORE UPDATE ON platform_tokens
WHEN NOT (NEW.scope IN ('usage', 'probes'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: platform_tokens_scope_known');
END;
