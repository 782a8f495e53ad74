-- Each project's usage per metric and KST month (the month's start, epoch ms UTC), kept in the
-- transaction that stores the hours (`db::usage::store`). The dashboard showed the month so far
-- by summing up to 744 hours per metric and project on every view, a sum that grew through the
-- month (issue 15); it now reads one row per metric. Invoices, statements and the usage page
-- still read the hours: this is the dashboard's running figure, and the tests check it against
-- the hours after re-sends.
CREATE TABLE usage_monthly (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    month_start BIGINT NOT NULL,
    metric TEXT NOT NULL REFERENCES usage_metrics (code),
    quantity_micro BIGINT NOT NULL,
    PRIMARY KEY (project_id, month_start, metric)
);

-- Work a migration leaves for Rust: the KST month of an hour is a business rule
-- (`domain::billing::BillingMonth`), not SQL date arithmetic, so the hours stored before this
-- migration are rolled up by `db::usage_monthly::backfill`, which runs after the migrations
-- and deletes its row here in the same transaction.
CREATE TABLE pending_backfills (
    name TEXT PRIMARY KEY
);
INSERT INTO pending_backfills (name) VALUES ('usage_monthly');
