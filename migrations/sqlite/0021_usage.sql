-- Usage reported by the monitoring platform (issue 18, R2.4). The metrics are data: a new
-- one is a row here (and a price), not code. Quantities are exact decimals kept as whole
-- millionths (BIGINT), which both backends store and sum exactly.
CREATE TABLE usage_metrics (
    code TEXT PRIMARY KEY,
    position BIGINT NOT NULL,            -- order on pages and invoices
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit_ko TEXT NOT NULL,
    unit_en TEXT NOT NULL,
    max_per_hour TEXT NOT NULL           -- decimal: more in one hour is refused as absurd
);
INSERT INTO usage_metrics (code, position, name_ko, name_en, unit_ko, unit_en, max_per_hour) VALUES
    ('agent_hours', 1, '모니터링 에이전트', 'Monitored agents', '에이전트·시간', 'agent-hours', '100000'),
    ('ingest_gb', 2, '수집 데이터', 'Ingested data', 'GB', 'GB', '100000'),
    ('storage_gb_days', 3, '저장 데이터', 'Stored data', 'GB·일', 'GB-days', '1000000');

-- One value per project, metric and hour (its start, epoch ms UTC): re-sending replaces it.
CREATE TABLE usage_hourly (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    metric TEXT NOT NULL REFERENCES usage_metrics (code),
    hour_at BIGINT NOT NULL,
    quantity_micro BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, metric, hour_at)
);

-- Every value a re-send replaced, for reconciliation with the platform.
CREATE TABLE usage_replacements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    metric TEXT NOT NULL,
    hour_at BIGINT NOT NULL,
    old_quantity_micro BIGINT NOT NULL,
    new_quantity_micro BIGINT NOT NULL,
    replaced_at BIGINT NOT NULL,
    token_id BIGINT NOT NULL REFERENCES platform_tokens (id)
);
CREATE INDEX usage_replacements_key ON usage_replacements (project_id, metric, hour_at);

-- Ingestion batches take this row first: one batch at a time reads and replaces values, so
-- two concurrent re-sends of an hour cannot both miss the value they replace.
INSERT INTO job_leases (name, holder, lease_until) VALUES ('usage_ingest', '', 0);
CREATE TRIGGER usage_hourly_quantity_sane_insert BEFORE INSERT ON usage_hourly
WHEN NOT (NEW.quantity_micro >= 0 AND NEW.hour_at % 3600000 = 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: usage_hourly_quantity_sane');
END;

CREATE TRIGGER usage_hourly_quantity_sane_update BEFORE UPDATE ON usage_hourly
WHEN NOT (NEW.quantity_micro >= 0 AND NEW.hour_at % 3600000 = 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: usage_hourly_quantity_sane');
END;
