-- Raw probe results as the provider's external probes report them (issue 17, R3.2). Idempotent
-- on (project, location, at): a re-sent result is a duplicate, never counted twice. Kept for
-- the dispute period of the statements they feed (APM_PROBE_RAW_RETENTION_DAYS), then the
-- per-minute roll-up below is all that remains.
CREATE TABLE probe_results (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    location TEXT NOT NULL,
    at_ms BIGINT NOT NULL,               -- the probe's own time, epoch ms UTC
    ok BIGINT NOT NULL,                  -- 1 succeeded, 0 failed
    latency_ms BIGINT,
    error TEXT,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, location, at_ms),
    CONSTRAINT probe_results_sane CHECK (ok IN (0, 1) AND (latency_ms IS NULL OR latency_ms >= 0))
);
CREATE INDEX probe_results_received ON probe_results (received_at);

-- Results per project and minute (epoch minute; KST minutes are the same minutes). The
-- statements read only this.
CREATE TABLE probe_minutes (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    minute BIGINT NOT NULL,
    ok_count BIGINT NOT NULL,
    failed_count BIGINT NOT NULL,
    PRIMARY KEY (project_id, minute),
    CONSTRAINT probe_minutes_sane CHECK (ok_count >= 0 AND failed_count >= 0)
);

-- Maintenance windows operations staff publish (R3.8 "announced in advance"): a window counts
-- only when published the lead time before it starts (APM_MAINTENANCE_LEAD_HOURS).
CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    all_projects BIGINT NOT NULL,        -- 1: every project; 0: those in the table below
    notice TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    CONSTRAINT maintenance_windows_sane CHECK (ends_at > starts_at AND all_projects IN (0, 1))
);
CREATE INDEX maintenance_windows_time ON maintenance_windows (starts_at);
CREATE TABLE maintenance_window_projects (
    window_id BIGINT NOT NULL REFERENCES maintenance_windows (id),
    project_id BIGINT NOT NULL REFERENCES projects (id),
    PRIMARY KEY (window_id, project_id)
);

-- Exclusions staff record after the fact, with R3.8's category, a written reason and who.
CREATE TABLE sla_exclusions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    CONSTRAINT sla_exclusions_sane CHECK (ends_at > starts_at AND category IN ('force_majeure',
        'customer_equipment', 'customer_action', 'ignored_recommendations', 'customer_error',
        'incident_containment', 'intrusion', 'suspension', 'non_paid_period', 'other'))
);
CREATE INDEX sla_exclusions_project ON sla_exclusions (project_id, starts_at);

-- The credit policy (R3.5, R3.6), versioned by the month it takes effect from. bands is
-- [{"below": "99.9", "rate_percent": "5"}, ...], highest threshold first.
CREATE TABLE credit_policies (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    effective_from TEXT NOT NULL,        -- 'YYYY-MM' (KST)
    basis TEXT NOT NULL,
    bands TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    CONSTRAINT credit_policies_basis_known CHECK (basis IN ('this_month', 'trailing_3_months'))
);
CREATE UNIQUE INDEX credit_policies_month ON credit_policies (effective_from);
INSERT INTO credit_policies (effective_from, basis, bands, created_by, created_at) VALUES
    ('2000-01', 'this_month',
     '[{"below":"99.9","rate_percent":"5"},{"below":"99.5","rate_percent":"10"},{"below":"99.0","rate_percent":"25"},{"below":"95.0","rate_percent":"100"}]',
     NULL, 0);

-- Monthly statements, one per project, month and revision; never changed once issued. The
-- figures are columns (lists and the API read them); body holds every line behind them
-- (outages, excluded periods, no-data stretches, fee-basis months) as issued.
CREATE TABLE sla_statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    month TEXT NOT NULL,
    revision BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    policy_version BIGINT NOT NULL REFERENCES credit_policies (version),
    service_minutes BIGINT NOT NULL,
    outage_minutes BIGINT NOT NULL,
    excluded_minutes BIGINT NOT NULL,
    no_data_minutes BIGINT NOT NULL,
    availability_percent TEXT NOT NULL,  -- truncated to 3 decimals
    credit_rate_percent TEXT NOT NULL,
    fee_basis_krw BIGINT NOT NULL,
    credit_before_rounding TEXT NOT NULL,
    credit_krw BIGINT NOT NULL,
    ineligible_reason TEXT,              -- NULL: eligible
    body TEXT NOT NULL,
    revision_reason TEXT,                -- why staff issued this revision (NULL for the first)
    revised_by BIGINT REFERENCES users (id),
    credit_id BIGINT REFERENCES credits (id),
    CONSTRAINT sla_statements_sane CHECK (revision >= 1 AND credit_krw >= 0
        AND (ineligible_reason IS NULL OR ineligible_reason IN ('not_paid_all_month', 'no_invoice')))
);
CREATE UNIQUE INDEX sla_statements_revision ON sla_statements (project_id, month, revision);
CREATE INDEX sla_statements_month ON sla_statements (month);

-- Results that arrived for a month whose statement was already issued: kept, counted here for
-- staff review (a revision), never silently dropped.
CREATE TABLE sla_late_results (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    month TEXT NOT NULL,
    results BIGINT NOT NULL,
    first_received_at BIGINT NOT NULL,
    last_received_at BIGINT NOT NULL,
    reviewed_at BIGINT,
    PRIMARY KEY (project_id, month)
);

-- Months whose statements are all issued, so the job looks at each month once.
CREATE TABLE sla_closed_months (
    month TEXT PRIMARY KEY,
    closed_at BIGINT NOT NULL,
    statements BIGINT NOT NULL
);
INSERT INTO job_leases (name, holder, lease_until) VALUES ('probe_ingest', '', 0);
