-- API tokens expire: the customer picks 1 to 365 days (90 by default). Tokens made before
-- expiry existed get the default from their creation, so none is left valid for ever.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
UPDATE api_tokens SET expires_at = created_at + 7776000000 WHERE expires_at IS NULL;

-- A contact e-mail is not a log-in name, and a uniqueness check on a contact change told
-- anyone whether an address had an account; the index stays for look-ups, not as a rule.
DROP INDEX IF EXISTS users_email;
CREATE INDEX users_email ON users (email);

-- Results of no-JavaScript form posts, kept until the next page shows them (at most 60 s):
-- the cookie carries only a random key (its SHA-256 is stored), so results that hold a
-- secret (a new API token) or personal data never travel in a cookie.
CREATE TABLE form_flashes (
    key_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL,             -- 0 for a visitor; read back only by the same account
    body TEXT NOT NULL,                  -- "{form}:{json}"
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_flashes_expires ON form_flashes (expires_at);
