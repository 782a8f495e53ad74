-- Outgoing e-mail (issue 18 "E-mail"): a use case inserts a row in its own transaction, so a
-- state change and its mail commit together; a background worker sends it later.
-- `payload` is JSON (the template and its facts, or caller-written text); the text is rendered
-- when sent, in the recipient's language. A row is claimed by a conditional UPDATE
-- (pending -> sending) before the SMTP conversation, so one instance sends it, at most once.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_user_id BIGINT REFERENCES users (id),   -- a portal account: its e-mail and language
    to_address TEXT,                   -- or a bare address (with to_locale)
    to_locale TEXT,                    -- 'ko' | 'en' for a bare address
    kind TEXT NOT NULL,                -- the template's code, or 'text'
    payload TEXT NOT NULL,             -- JSON
    dedupe_key TEXT,                   -- the same event mails once however often it is enqueued
    status TEXT NOT NULL DEFAULT 'pending', -- 'pending' | 'sending' | 'sent' | 'failed'
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    CHECK (to_locale IS NULL OR to_locale IN ('ko', 'en')),
    CHECK (recipient_user_id IS NOT NULL OR (to_address IS NOT NULL AND to_locale IS NOT NULL))
);
CREATE UNIQUE INDEX mail_outbox_dedupe ON mail_outbox (dedupe_key);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
