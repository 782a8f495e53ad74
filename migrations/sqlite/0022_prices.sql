-- Versioned price table (R2.3, issue 18). A version is in force from its month (KST,
-- 'YYYY-MM') until the next version's month; versions are only ever added, for months that
-- have not begun, so issued invoices and shown estimates never change. Unit prices are
-- decimal KRW kept as text (exact; sqlx::Any has no NUMERIC).
CREATE TABLE price_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    effective_from TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX price_versions_month ON price_versions (effective_from);

CREATE TABLE price_items (
    version_id BIGINT NOT NULL REFERENCES price_versions (id),
    kind TEXT NOT NULL,                  -- 'metric' | 'capacity' | 'option'
    code TEXT NOT NULL,                  -- a usage_metrics code, or a capacity/option item
    unit_price TEXT NOT NULL,            -- KRW per unit (metric), per unit-month (capacity), per month (option)
    PRIMARY KEY (version_id, kind, code)
);

-- The launch prices, in force from before the portal's first month.
INSERT INTO price_versions (effective_from, created_at) VALUES ('2020-01', 0);
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'metric', 'agent_hours', '40' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'metric', 'ingest_gb', '200' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'metric', 'storage_gb_days', '3' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'capacity', 'ingest_gb_per_day', '3000' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'capacity', 'storage_gb', '100' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'option', 'extended_retention', '50000' FROM price_versions WHERE effective_from = '2020-01';
INSERT INTO price_items (version_id, kind, code, unit_price)
    SELECT id, 'option', 'remote_support', '100000' FROM price_versions WHERE effective_from = '2020-01';
CREATE TRIGGER price_items_kind_known_insert BEFORE INSERT ON price_items
WHEN NOT (NEW.kind IN ('metric', 'capacity', 'option'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: price_items_kind_known');
END;

CREATE TRIGGER price_items_kind_known_update BEFORE UPDATE ON price_items
WHEN NOT (NEW.kind IN ('metric', 'capacity', 'option'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: price_items_kind_known');
END;
