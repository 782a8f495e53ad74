-- Incidents (SPEC R6.1, R8.1): what operations staff record about a failure, the public
-- notice about it, and what the monthly MTTR report is computed from. Times are epoch-ms UTC,
-- typed to the minute in KST. `recovered_at` is NULL while the incident is open;
-- `published_at` is NULL until the notice is published on /incidents (it is never withdrawn).
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    all_projects BIGINT NOT NULL,        -- 1: every project; 0: the rows of incident_projects
    started_at BIGINT NOT NULL,
    recovered_at BIGINT,
    cause TEXT NOT NULL,                 -- for staff; the notice is what visitors read
    notice_ko TEXT NOT NULL,
    notice_en TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX incidents_started ON incidents (started_at);
CREATE INDEX incidents_published ON incidents (published_at, started_at);

CREATE TABLE incident_projects (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    project_id BIGINT NOT NULL REFERENCES projects (id),
    PRIMARY KEY (incident_id, project_id)
);

CREATE TRIGGER incidents_sane_insert BEFORE INSERT ON incidents
WHEN NOT (NEW.all_projects IN (0, 1) AND (NEW.recovered_at IS NULL OR NEW.recovered_at > NEW.started_at))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: incidents_sane');
END;

CREATE TRIGGER incidents_sane_update BEFORE UPDATE ON incidents
WHEN NOT (NEW.all_projects IN (0, 1) AND (NEW.recovered_at IS NULL OR NEW.recovered_at > NEW.started_at))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: incidents_sane');
END;
