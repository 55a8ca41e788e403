-- MAX_JOBS_PER_USER_PER_HOUR counts a user's jobs of the last hour at every submission.
CREATE INDEX IF NOT EXISTS jobs_user ON jobs(user_id, created_at);
