-- The queue counts a chat's and a person's jobs at the provider on every new job: indexes over
-- only those rows keep that a lookup, however many jobs the table holds.

CREATE INDEX jobs_chat_at_provider ON jobs(chat_id) WHERE state IN ('submitting', 'submitted', 'running');
CREATE INDEX jobs_user_at_provider ON jobs(user_id) WHERE state IN ('submitting', 'submitted', 'running');
CREATE INDEX jobs_pending ON jobs(id) WHERE state = 'pending'
