-- The lifecycle job reads only projects with something due (issue 14). next_step_at is the
-- epoch-ms instant the job must next look at a project (a step or a 3-/1-day notice window,
-- from domain::lifecycle), NULL when nothing is scheduled (a paid project that owes nothing).
-- It is recomputed whenever plan, trial or payment facts change, and by the job after each run.
ALTER TABLE projects ADD COLUMN next_step_at BIGINT;
-- Projects that exist already are looked at on the job's first run, which stores their value.
UPDATE projects SET next_step_at = 0;
CREATE INDEX projects_next_step_at ON projects (next_step_at);
