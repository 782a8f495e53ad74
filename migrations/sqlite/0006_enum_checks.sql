-- Every column that holds one of a fixed set of codes refuses any other value, so a typo in
-- a manual fix or a bad migration fails loudly instead of being read as some default.
-- SQLite cannot ALTER TABLE ... ADD CONSTRAINT, so the PostgreSQL CHECKs are triggers here,
-- one before insert and one before update per table, with the same conditions.

CREATE TRIGGER users_kind_known_insert BEFORE INSERT ON users
WHEN NOT ((NEW.kind = 'customer' AND NEW.staff_role IS NULL)
        OR (NEW.kind = 'staff' AND NEW.staff_role IN ('support', 'billing', 'operations', 'admin')))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_kind_known');
END;

CREATE TRIGGER users_kind_known_update BEFORE UPDATE ON users
WHEN NOT ((NEW.kind = 'customer' AND NEW.staff_role IS NULL)
        OR (NEW.kind = 'staff' AND NEW.staff_role IN ('support', 'billing', 'operations', 'admin')))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_kind_known');
END;

CREATE TRIGGER legal_documents_kind_known_insert BEFORE INSERT ON legal_documents
WHEN NOT (NEW.kind IN ('terms', 'privacy'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: legal_documents_kind_known');
END;

CREATE TRIGGER legal_documents_kind_known_update BEFORE UPDATE ON legal_documents
WHEN NOT (NEW.kind IN ('terms', 'privacy'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: legal_documents_kind_known');
END;

CREATE TRIGGER consents_kind_known_insert BEFORE INSERT ON consents
WHEN NOT (NEW.kind IN ('terms', 'privacy'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: consents_kind_known');
END;

CREATE TRIGGER consents_kind_known_update BEFORE UPDATE ON consents
WHEN NOT (NEW.kind IN ('terms', 'privacy'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: consents_kind_known');
END;

CREATE TRIGGER projects_codes_known_insert BEFORE INSERT ON projects
WHEN NOT (NEW.plan IN ('free', 'paid')
        AND NEW.state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND NEW.extended_retention IN (0, 1)
        AND NEW.remote_support IN (0, 1)
        AND NEW.ingest_gb_per_day >= 0 AND NEW.storage_gb >= 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects_codes_known');
END;

CREATE TRIGGER projects_codes_known_update BEFORE UPDATE ON projects
WHEN NOT (NEW.plan IN ('free', 'paid')
        AND NEW.state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND NEW.extended_retention IN (0, 1)
        AND NEW.remote_support IN (0, 1)
        AND NEW.ingest_gb_per_day >= 0 AND NEW.storage_gb >= 0)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects_codes_known');
END;

CREATE TRIGGER monitoring_targets_kind_known_insert BEFORE INSERT ON monitoring_targets
WHEN NOT (NEW.kind IN ('was', 'web_server', 'system', 'url', 'kubernetes'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: monitoring_targets_kind_known');
END;

CREATE TRIGGER monitoring_targets_kind_known_update BEFORE UPDATE ON monitoring_targets
WHEN NOT (NEW.kind IN ('was', 'web_server', 'system', 'url', 'kubernetes'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: monitoring_targets_kind_known');
END;

CREATE TRIGGER plan_changes_plans_known_insert BEFORE INSERT ON plan_changes
WHEN NOT (NEW.from_plan IN ('', 'free', 'paid') AND NEW.to_plan IN ('free', 'paid'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: plan_changes_plans_known');
END;

CREATE TRIGGER plan_changes_plans_known_update BEFORE UPDATE ON plan_changes
WHEN NOT (NEW.from_plan IN ('', 'free', 'paid') AND NEW.to_plan IN ('free', 'paid'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: plan_changes_plans_known');
END;

CREATE TRIGGER capacity_changes_flags_known_insert BEFORE INSERT ON capacity_changes
WHEN NOT (NEW.from_extended_retention IN (0, 1) AND NEW.from_remote_support IN (0, 1)
        AND NEW.to_extended_retention IN (0, 1) AND NEW.to_remote_support IN (0, 1))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_changes_flags_known');
END;

CREATE TRIGGER capacity_changes_flags_known_update BEFORE UPDATE ON capacity_changes
WHEN NOT (NEW.from_extended_retention IN (0, 1) AND NEW.from_remote_support IN (0, 1)
        AND NEW.to_extended_retention IN (0, 1) AND NEW.to_remote_support IN (0, 1))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_changes_flags_known');
END;

CREATE TRIGGER lifecycle_events_states_known_insert BEFORE INSERT ON lifecycle_events
WHEN NOT (NEW.from_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND NEW.to_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: lifecycle_events_states_known');
END;

CREATE TRIGGER lifecycle_events_states_known_update BEFORE UPDATE ON lifecycle_events
WHEN NOT (NEW.from_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted')
        AND NEW.to_state IN ('active', 'access_stopped', 'collection_stopped', 'deleted'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: lifecycle_events_states_known');
END;

CREATE TRIGGER notifications_step_known_insert BEFORE INSERT ON notifications
WHEN NOT (NEW.step IN ('active', 'access_stopped', 'collection_stopped', 'deleted'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_step_known');
END;

CREATE TRIGGER notifications_step_known_update BEFORE UPDATE ON notifications
WHEN NOT (NEW.step IN ('active', 'access_stopped', 'collection_stopped', 'deleted'))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_step_known');
END;
