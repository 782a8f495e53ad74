-- Every read of usage asks for a project's hours in a range (a month so far, a paid
-- stretch, an SLA month), but the primary key leads with the metric, so such a read walked all
-- of a project's history: about 10,000 rows per dashboard view for a project with three months
-- of hourly usage (issue 15). This index leads with the hour and carries the columns the sums
-- read, so the range is read from the index alone.
CREATE INDEX usage_hourly_by_hour ON usage_hourly (project_id, hour_at, metric, quantity_micro);
