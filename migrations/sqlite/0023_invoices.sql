-- Monthly invoices, credits, payments and credit notes (issue 18). An issued invoice never
-- changes except for what was paid of it; corrections are credit notes that reference it.
-- One invoice per project and KST month (the unique index makes the month close idempotent
-- and lets only one instance issue it). Amounts are whole KRW.
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL,                -- 'INV-YYYYMM-<project id>'
    project_id BIGINT NOT NULL REFERENCES projects (id),
    customer_id BIGINT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL,                 -- 'YYYY-MM' (KST)
    issued_at BIGINT NOT NULL,
    due_date TEXT NOT NULL,              -- KST date 'YYYY-MM-DD'
    price_version_id BIGINT NOT NULL REFERENCES price_versions (id),
    subtotal BIGINT NOT NULL,
    credited BIGINT NOT NULL,
    vat_rate TEXT NOT NULL,              -- decimal fraction, e.g. '0.1'
    vat BIGINT NOT NULL,
    total BIGINT NOT NULL,
    paid_amount BIGINT NOT NULL DEFAULT 0,
    paid_at BIGINT,                      -- when payments first covered the total
    overdue_at BIGINT                    -- when the due date passed unpaid (the job marks it)
);
CREATE UNIQUE INDEX invoices_project_month ON invoices (project_id, month);
CREATE UNIQUE INDEX invoices_number ON invoices (number);
CREATE INDEX invoices_customer ON invoices (customer_id, month);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,                  -- 'metric' | 'capacity' | 'option'
    code TEXT NOT NULL,
    usage_month TEXT NOT NULL,           -- the invoice's month, or an earlier one for late usage
    quantity TEXT NOT NULL,              -- decimal
    unit_price TEXT NOT NULL,            -- decimal KRW, copied from the version in force
    paid_days BIGINT,
    amount BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);

-- Credits waiting for a project (SLA credits, goodwill); applied to its next invoices.
CREATE TABLE credits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    amount BIGINT NOT NULL,
    remaining BIGINT NOT NULL,
    source TEXT NOT NULL,                -- 'sla' | 'staff'
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX credits_project ON credits (project_id);

CREATE TABLE invoice_credits (
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    credit_id BIGINT NOT NULL REFERENCES credits (id),
    amount BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, credit_id)
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL,
    paid_on TEXT NOT NULL,               -- KST date
    method TEXT NOT NULL,                -- 'bank_transfer' | 'card' | 'other'
    reference TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE credit_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX credit_notes_number ON credit_notes (number);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);

-- Months whose close has finished (for every project), so the job looks at each month once.
CREATE TABLE closed_months (
    month TEXT PRIMARY KEY,
    closed_at BIGINT NOT NULL,
    invoices BIGINT NOT NULL
);
CREATE TRIGGER invoice_lines_kind_known_insert BEFORE INSERT ON invoice_lines
WHEN NOT (NEW.kind IN ('metric', 'capacity', 'option'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: invoice_lines_kind_known');
END;

CREATE TRIGGER credits_sane_insert BEFORE INSERT ON credits
WHEN NOT (NEW.source IN ('sla', 'staff') AND NEW.amount > 0 AND NEW.remaining >= 0 AND NEW.remaining <= NEW.amount)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: credits_sane');
END;

CREATE TRIGGER credits_sane_update BEFORE UPDATE ON credits
WHEN NOT (NEW.source IN ('sla', 'staff') AND NEW.amount > 0 AND NEW.remaining >= 0 AND NEW.remaining <= NEW.amount)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: credits_sane');
END;

CREATE TRIGGER payments_sane_insert BEFORE INSERT ON payments
WHEN NOT (NEW.method IN ('bank_transfer', 'card', 'other') AND NEW.amount > 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: payments_sane');
END;

CREATE TRIGGER invoice_lines_kind_known_update BEFORE UPDATE ON invoice_lines
WHEN NOT (NEW.kind IN ('metric', 'capacity', 'option'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: invoice_lines_kind_known');
END;

CREATE TRIGGER payments_sane_update BEFORE UPDATE ON payments
WHEN NOT (NEW.method IN ('bank_transfer', 'card', 'other') AND NEW.amount > 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: payments_sane');
END;
