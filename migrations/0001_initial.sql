-- Chats, users, media versions, sessions, jobs and an append-only ledger.
-- Money is stored as integer micro-dollars (1 USD = 1,000,000): sums are exact in SQL.

CREATE TABLE chats (
    id            INTEGER PRIMARY KEY,            -- Telegram chat id (negative for groups)
    type          TEXT NOT NULL,                  -- private | group | supergroup | channel
    title         TEXT,
    default_mode  TEXT CHECK (default_mode IN ('std', 'pro')),
    default_aspect_ratio TEXT CHECK (default_aspect_ratio IN ('16:9', '1:1', '9:16')),
    default_sound INTEGER CHECK (default_sound IN (0, 1)),
    created_at    REAL NOT NULL
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,              -- Telegram user id
    username    TEXT,
    first_name  TEXT,
    created_at  REAL NOT NULL
);

CREATE TABLE jobs (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id              INTEGER NOT NULL REFERENCES chats(id),
    thread_id            INTEGER NOT NULL DEFAULT 0,
    user_id              INTEGER NOT NULL REFERENCES users(id),
    request_message_id   INTEGER,                 -- the instruction; the result replies to it
    status_message_id    INTEGER,
    source_media_id      INTEGER REFERENCES media(id),
    image_media_ids      TEXT NOT NULL DEFAULT '[]',   -- JSON list, <image1> first
    intent               TEXT NOT NULL,
    instruction          TEXT NOT NULL,           -- what the user said
    model                TEXT NOT NULL,
    args                 TEXT NOT NULL,           -- JSON, media as placeholders
    state                TEXT NOT NULL,
    provider_job_id      TEXT UNIQUE,
    callback_token_hash  TEXT NOT NULL,
    estimate_micros      INTEGER NOT NULL,
    amount_micros        INTEGER,                 -- what the provider said it charged
    polls                INTEGER NOT NULL DEFAULT 0,
    error                TEXT,                    -- user-facing reason, never a raw provider text
    provider_error       TEXT,                    -- for the operator's log and /stats
    refunded             INTEGER NOT NULL DEFAULT 0,
    result_media_id      INTEGER REFERENCES media(id),
    created_at           REAL NOT NULL,
    updated_at           REAL NOT NULL,
    submitted_at         REAL,
    finished_at          REAL
);
CREATE INDEX jobs_open ON jobs(state) WHERE state IN ('pending', 'submitting', 'submitted', 'running', 'succeeded');
CREATE INDEX jobs_chat ON jobs(chat_id, created_at);

CREATE TABLE media (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id           INTEGER NOT NULL REFERENCES chats(id),
    thread_id         INTEGER NOT NULL DEFAULT 0,
    kind              TEXT NOT NULL CHECK (kind IN ('video', 'photo')),
    tg_file_id        TEXT,
    tg_file_unique_id TEXT,
    path              TEXT NOT NULL,              -- relative to MEDIA_DIR
    duration          REAL,
    width             INTEGER NOT NULL,
    height            INTEGER NOT NULL,
    codec             TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    has_audio         INTEGER NOT NULL DEFAULT 0,
    parent_id         INTEGER REFERENCES media(id),  -- versions form a tree
    job_id            INTEGER REFERENCES jobs(id),   -- the job that produced it
    version           INTEGER NOT NULL DEFAULT 1,
    created_by        INTEGER,
    created_at        REAL NOT NULL
);

-- A reply to any message the bot knows finds its clip.
CREATE TABLE messages (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    media_id    INTEGER NOT NULL REFERENCES media(id),
    PRIMARY KEY (chat_id, message_id)
);

CREATE TABLE sessions (
    chat_id          INTEGER NOT NULL REFERENCES chats(id),
    thread_id        INTEGER NOT NULL DEFAULT 0,   -- forum topic; 0 outside topics
    current_media_id INTEGER REFERENCES media(id),
    photo_ids        TEXT NOT NULL DEFAULT '[]',   -- pending photo references, in order
    redo_ids         TEXT NOT NULL DEFAULT '[]',   -- versions undone, most recent last
    last_job_id      INTEGER REFERENCES jobs(id),
    updated_at       REAL NOT NULL,
    PRIMARY KEY (chat_id, thread_id)
);

-- Append-only. reserve/release hold an estimate while a job is open; charge/refund are what
-- the provider took and gave back. Spend is sum(charge) - sum(refund); held is
-- sum(reserve) - sum(release). Nothing is ever updated in place.
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs(id),
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    model       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('reserve', 'release', 'charge', 'refund')),
    micros      INTEGER NOT NULL CHECK (micros >= 0),
    note        TEXT,
    created_at  REAL NOT NULL
);
CREATE INDEX ledger_chat ON ledger(chat_id, created_at);
CREATE INDEX ledger_user ON ledger(user_id, created_at);
CREATE INDEX ledger_job ON ledger(job_id);
