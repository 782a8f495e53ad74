-- Support (SPEC R8): the holiday calendar of business hours, tickets, their conversation,
-- attachments, waiting-for-customer pauses (which pause the R8.3 clocks) and the customers'
-- and staff's ticket notifications. Times are epoch milliseconds (UTC); dates are KST.

-- Weekdays on which the support desk does not work. Seeded with the Korean public holidays
-- of 2026 and 2027 (the same list as src/domain/support/holidays.rs); admins edit it.
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,                -- 'YYYY-MM-DD' (KST)
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO holidays (day, name_ko, name_en, updated_at) VALUES
    ('2026-01-01', '신정', 'New Year''s Day', 0),
    ('2026-02-16', '설날 연휴', 'Seollal holiday', 0),
    ('2026-02-17', '설날', 'Seollal', 0),
    ('2026-02-18', '설날 연휴', 'Seollal holiday', 0),
    ('2026-03-01', '삼일절', 'Independence Movement Day', 0),
    ('2026-03-02', '대체공휴일(삼일절)', 'Substitute holiday (Independence Movement Day)', 0),
    ('2026-05-05', '어린이날', 'Children''s Day', 0),
    ('2026-05-24', '부처님오신날', 'Buddha''s Birthday', 0),
    ('2026-05-25', '대체공휴일(부처님오신날)', 'Substitute holiday (Buddha''s Birthday)', 0),
    ('2026-06-03', '전국동시지방선거일', 'Local elections day', 0),
    ('2026-06-06', '현충일', 'Memorial Day', 0),
    ('2026-07-17', '제헌절', 'Constitution Day', 0),
    ('2026-08-15', '광복절', 'Liberation Day', 0),
    ('2026-08-17', '대체공휴일(광복절)', 'Substitute holiday (Liberation Day)', 0),
    ('2026-09-24', '추석 연휴', 'Chuseok holiday', 0),
    ('2026-09-25', '추석', 'Chuseok', 0),
    ('2026-09-26', '추석 연휴', 'Chuseok holiday', 0),
    ('2026-10-03', '개천절', 'National Foundation Day', 0),
    ('2026-10-05', '대체공휴일(개천절)', 'Substitute holiday (National Foundation Day)', 0),
    ('2026-10-09', '한글날', 'Hangul Day', 0),
    ('2026-12-25', '성탄절', 'Christmas Day', 0),
    ('2027-01-01', '신정', 'New Year''s Day', 0),
    ('2027-02-06', '설날 연휴', 'Seollal holiday', 0),
    ('2027-02-07', '설날', 'Seollal', 0),
    ('2027-02-08', '설날 연휴', 'Seollal holiday', 0),
    ('2027-02-09', '대체공휴일(설날)', 'Substitute holiday (Seollal)', 0),
    ('2027-03-01', '삼일절', 'Independence Movement Day', 0),
    ('2027-05-05', '어린이날', 'Children''s Day', 0),
    ('2027-05-13', '부처님오신날', 'Buddha''s Birthday', 0),
    ('2027-06-06', '현충일', 'Memorial Day', 0),
    ('2027-07-17', '제헌절', 'Constitution Day', 0),
    ('2027-07-19', '대체공휴일(제헌절)', 'Substitute holiday (Constitution Day)', 0),
    ('2027-08-15', '광복절', 'Liberation Day', 0),
    ('2027-08-16', '대체공휴일(광복절)', 'Substitute holiday (Liberation Day)', 0),
    ('2027-09-14', '추석 연휴', 'Chuseok holiday', 0),
    ('2027-09-15', '추석', 'Chuseok', 0),
    ('2027-09-16', '추석 연휴', 'Chuseok holiday', 0),
    ('2027-10-03', '개천절', 'National Foundation Day', 0),
    ('2027-10-04', '대체공휴일(개천절)', 'Substitute holiday (National Foundation Day)', 0),
    ('2027-10-09', '한글날', 'Hangul Day', 0),
    ('2027-10-11', '대체공휴일(한글날)', 'Substitute holiday (Hangul Day)', 0),
    ('2027-12-25', '성탄절', 'Christmas Day', 0),
    ('2027-12-27', '대체공휴일(성탄절)', 'Substitute holiday (Christmas Day)', 0);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES users (id),
    project_id BIGINT REFERENCES projects (id),
    kind TEXT NOT NULL,
    severity TEXT,                       -- incident reports only
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_reply_at BIGINT NOT NULL,
    last_reply_by TEXT NOT NULL,         -- 'customer' | 'staff'
    first_staff_reply_at BIGINT,         -- stops the start-of-work clock
    first_progress_at BIGINT,            -- stops the progress-report clock
    resolved_at BIGINT,                  -- stops the resolution clock (the latest resolution)
    report_at BIGINT,                    -- stops the written-report clock
    closed_at BIGINT,
    next_due_at BIGINT,                  -- earliest due time of a running clock, for the queue
    rating BIGINT,
    resolution_category TEXT,
    resolution_cause TEXT,
    CHECK (kind IN ('inquiry', 'incident', 'complaint', 'remote_support', 'onsite_training', 'security_report')),
    CHECK ((kind = 'incident' AND severity IN ('critical', 'major', 'minor'))
        OR (kind <> 'incident' AND severity IS NULL)),
    CHECK (status IN ('new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed')),
    CHECK (last_reply_by IN ('customer', 'staff')),
    CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5))
);
CREATE INDEX tickets_customer ON tickets (customer_id, last_reply_at);
CREATE INDEX tickets_queue ON tickets (status, next_due_at);

CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_kind TEXT NOT NULL,           -- 'customer' | 'staff'
    purpose TEXT NOT NULL,               -- 'reply' | 'progress' | 'report' | 'internal_note'
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (author_kind IN ('customer', 'staff')),
    CHECK (purpose IN ('reply', 'progress', 'report', 'internal_note')),
    CHECK (author_kind = 'staff' OR purpose = 'reply')
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- Kept in the database so that every portal instance can serve them (one interface in
-- server::support::attachments; an object store can replace it there).
CREATE TABLE ticket_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    message_id BIGINT NOT NULL REFERENCES ticket_messages (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_attachments_message ON ticket_attachments (message_id);

CREATE TABLE ticket_pauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    from_at BIGINT NOT NULL,
    until_at BIGINT
);
CREATE INDEX ticket_pauses_ticket ON ticket_pauses (ticket_id, from_at);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    at BIGINT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,                  -- 'status' | 'assigned' | 'classified' | 'rated'
    detail TEXT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL,                  -- 'new_ticket' | 'reply' | 'status'
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    CHECK (kind IN ('new_ticket', 'reply', 'status'))
);
CREATE INDEX ticket_notifications_user ON ticket_notifications (user_id, created_at);
