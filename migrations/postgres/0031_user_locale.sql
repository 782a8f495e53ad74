-- The language a customer reads the portal in, so mail sent while they are away (lifecycle
-- notices, invoices, ticket replies) is in that language. Korean until they switch.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'ko';
ALTER TABLE users ADD CONSTRAINT users_locale_known CHECK (locale IN ('ko', 'en'));
