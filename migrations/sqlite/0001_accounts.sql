-- Portable types only (BIGINT, TEXT) so one sqlx::Any data layer reads both backends:
-- times are epoch milliseconds UTC, booleans 0/1, enums their stable codes.
CREATE TABLE legal_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,            -- 'terms' | 'privacy'
    version TEXT NOT NULL,
    effective_at BIGINT NOT NULL,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_ko TEXT NOT NULL,
    body_en TEXT NOT NULL,
    UNIQUE (kind, version)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,            -- 'customer' | 'staff'
    staff_role TEXT,               -- 'support' | 'billing' | 'operations' | 'admin' for staff
    login_id TEXT NOT NULL,        -- stored lowercase: unique regardless of case
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    company TEXT,
    email TEXT NOT NULL,
    phone TEXT,                    -- E.164
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    last_failed_login_at BIGINT
);
CREATE UNIQUE INDEX users_login_id ON users (login_id);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    document_id BIGINT NOT NULL REFERENCES legal_documents (id),
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    accepted_at BIGINT NOT NULL,
    client_ip TEXT NOT NULL
);
CREATE INDEX consents_user ON consents (user_id);

-- The token itself is never stored: only its SHA-256, so a database leak reveals no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    client_ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    customer_user_id BIGINT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL           -- JSON: before/after
);
CREATE INDEX audit_log_at ON audit_log (at);

-- A background job runs once across instances: whoever moves lease_until forward owns it.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);
