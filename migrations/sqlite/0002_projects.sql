-- Projects (R1.3-R1.4, R2, R5.1, R7). The lifecycle state column is what the job last
-- applied; the rule itself (domain::lifecycle) decides from the facts kept here.
CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    plan TEXT NOT NULL,                  -- 'free' | 'paid'
    created_at BIGINT NOT NULL,
    trial_extension_days BIGINT NOT NULL DEFAULT 0,
    upgraded_at BIGINT,
    missed_payment_date TEXT,            -- KST date 'YYYY-MM-DD' of the oldest unpaid due date
    state TEXT NOT NULL,                 -- 'active' | 'access_stopped' | 'collection_stopped' | 'deleted'
    state_changed_at BIGINT NOT NULL,
    ingest_gb_per_day BIGINT NOT NULL,
    storage_gb BIGINT NOT NULL,
    extended_retention BIGINT NOT NULL DEFAULT 0,
    remote_support BIGINT NOT NULL DEFAULT 0
);
-- Unique across all customers and every project ever created: a prefix is an address that
-- must never point at someone else's data while any of it may still exist.
CREATE UNIQUE INDEX projects_prefix ON projects (prefix);
CREATE INDEX projects_owner ON projects (owner_id);

CREATE TABLE monitoring_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX monitoring_targets_project ON monitoring_targets (project_id);

CREATE TABLE plan_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    at BIGINT NOT NULL,
    from_plan TEXT NOT NULL,
    to_plan TEXT NOT NULL,
    trial_extension_days BIGINT NOT NULL DEFAULT 0,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL
);
CREATE INDEX plan_changes_project ON plan_changes (project_id);

CREATE TABLE capacity_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    applied_at BIGINT,
    from_ingest_gb_per_day BIGINT NOT NULL,
    from_storage_gb BIGINT NOT NULL,
    from_extended_retention BIGINT NOT NULL,
    from_remote_support BIGINT NOT NULL,
    to_ingest_gb_per_day BIGINT NOT NULL,
    to_storage_gb BIGINT NOT NULL,
    to_extended_retention BIGINT NOT NULL,
    to_remote_support BIGINT NOT NULL
);
CREATE INDEX capacity_changes_project ON capacity_changes (project_id);

CREATE TABLE lifecycle_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    applied_at BIGINT NOT NULL,
    UNIQUE (project_id, to_state, due_at)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    project_id BIGINT REFERENCES projects (id),
    kind TEXT NOT NULL,                  -- 'lifecycle_notice' | 'lifecycle_applied'
    step TEXT NOT NULL,
    step_at BIGINT NOT NULL,
    days_before BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    UNIQUE (project_id, kind, step, step_at, days_before)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Personal API tokens: shown once, stored as SHA-256 only, revocable.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    token_hint TEXT NOT NULL,            -- first characters, so the owner can tell tokens apart
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
