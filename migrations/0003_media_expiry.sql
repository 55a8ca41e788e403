-- Media retention: a file older than MEDIA_RETENTION_DAYS is deleted and its row kept, marked
-- with the time it expired, so a reply to an old clip can say the file is gone.

ALTER TABLE media ADD COLUMN expired_at REAL;
CREATE INDEX media_live_by_age ON media(created_at) WHERE expired_at IS NULL;
