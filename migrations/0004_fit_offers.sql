-- A clip outside Kling's 3-10 s window: the instruction waits here while the user picks which
-- part to use (first, last, liveliest 10 s; a loop or a slow-down of a short clip). One row
-- per offer, decided once, so a button means the same after a restart.

CREATE TABLE fit_offers (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id),
    thread_id           INTEGER NOT NULL DEFAULT 0,
    user_id             INTEGER NOT NULL REFERENCES users(id),
    request_message_id  INTEGER,
    prompt_message_id   INTEGER,
    instruction         TEXT NOT NULL,
    language            TEXT,
    source_media_id     INTEGER NOT NULL REFERENCES media(id),
    offers              TEXT NOT NULL,  -- JSON list: ["first", "last", "liveliest"]
    state               TEXT NOT NULL CHECK (state IN ('waiting', 'chosen', 'replaced')),
    choice              TEXT,           -- the offer taken, or "range" for a part said in words
    result_media_id     INTEGER REFERENCES media(id),
    created_at          REAL NOT NULL
);
CREATE INDEX fit_offers_waiting ON fit_offers(chat_id, thread_id, user_id) WHERE state = 'waiting';
