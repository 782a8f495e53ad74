-- Monthly usage thresholds (issue 18, R5.3) and the customer alerts that are not lifecycle
-- steps (a threshold crossed, an invoice about to fall due or overdue).

-- One threshold per project and metric, in the metric's unit, as whole millionths like usage.
CREATE TABLE usage_thresholds (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    metric TEXT NOT NULL REFERENCES usage_metrics (code),
    monthly_micro BIGINT NOT NULL CHECK (monthly_micro > 0),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, metric)
);

-- A customer's alert: `payload` holds its facts as JSON (the same facts its e-mail is made
-- from); `dedupe_key` makes each alert once however often the check runs, e.g. one per
-- threshold crossing per project, metric, month and threshold value.
CREATE TABLE customer_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    project_id BIGINT REFERENCES projects (id),
    kind TEXT NOT NULL CHECK (kind IN ('usage_threshold', 'invoice_due_soon', 'invoice_overdue')),
    dedupe_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE UNIQUE INDEX customer_alerts_dedupe ON customer_alerts (dedupe_key);
CREATE INDEX customer_alerts_user ON customer_alerts (user_id, created_at);
