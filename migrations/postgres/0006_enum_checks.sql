-- Every column that holds one of a fixed set of codes refuses any other value, so a typo in
-- a manual fix or a bad migration fails loudly instead of being read as some default.
-- The same rules are triggers in the SQLite dialect (SQLite cannot add a CHECK to a table).
ALTER TABLE users ADD CONSTRAINT users_kind_known
    CHECK ((kind = 'customer' AND staff_role IS NULL)
        OR (kind = 'staff' AND staff_role IN ('support', 'billing', 'operations', 'admin')));
ALTER TABLE legal_documents ADD CONSTRAINT legal_documents_kind_known
    CHECK (kind IN ('terms', 'privacy'));
ALTER TABLE consents ADD CONSTRAINT consents_kind_known
    CHECK (kind IN ('terms', 'privacy'));
ALTER TABLE projects ADD CONSTRAINT projects_codes_known
    CHECK (plan IN ('free', 'paid')
        AND state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND extended_retention IN (0, 1)
        AND remote_support IN (0, 1)
        AND ingest_gb_per_day >= 0 AND storage_gb >= 0);
ALTER TABLE monitoring_targets ADD CONSTRAINT monitoring_targets_kind_known
    CHECK (kind IN ('was', 'web_server', 'system', 'url', 'kubernetes'));
ALTER TABLE plan_changes ADD CONSTRAINT plan_changes_plans_known
    CHECK (from_plan IN ('', 'free', 'paid') AND to_plan IN ('free', 'paid'));
ALTER TABLE capacity_changes ADD CONSTRAINT capacity_changes_flags_known
    CHECK (from_extended_retention IN (0, 1) AND from_remote_support IN (0, 1)
        AND to_extended_retention IN (0, 1) AND to_remote_support IN (0, 1));
ALTER TABLE lifecycle_events ADD CONSTRAINT lifecycle_events_states_known
    CHECK (from_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND to_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted'));
ALTER TABLE notifications ADD CONSTRAINT notifications_step_known
    CHECK (step IN ('active', 'access_stopped', 'collection_stopped', 'deleted'));
