-- Per-chat budget overrides set with /budget, and jobs waiting for a Confirm press.

CREATE TABLE chat_budgets (
    chat_id        INTEGER PRIMARY KEY REFERENCES chats(id),
    -- micro-dollars; NULL: the operator's default from the environment; -1: no limit
    user_daily     INTEGER,
    user_monthly   INTEGER,
    chat_daily     INTEGER,
    chat_monthly   INTEGER,
    confirm_above  INTEGER,
    updated_by     INTEGER,
    updated_at     REAL NOT NULL
);

CREATE TABLE confirmations (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id),
    thread_id           INTEGER NOT NULL DEFAULT 0,
    user_id             INTEGER NOT NULL REFERENCES users(id),
    request_message_id  INTEGER,
    prompt_message_id   INTEGER,
    instruction         TEXT NOT NULL,
    intent              TEXT NOT NULL,
    model               TEXT NOT NULL,
    args                TEXT NOT NULL,
    estimate_micros     INTEGER NOT NULL,
    source_media_id     INTEGER REFERENCES media(id),
    image_media_ids     TEXT NOT NULL DEFAULT '[]',
    state               TEXT NOT NULL CHECK (state IN ('waiting', 'confirmed', 'cancelled')),
    job_id              INTEGER REFERENCES jobs(id),
    created_at          REAL NOT NULL
);
CREATE INDEX ledger_created ON ledger(created_at);
