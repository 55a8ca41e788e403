-- Prepaid credits bought with Telegram Stars (PAYMENTS=stars). Amounts are whole Stars.

-- One row per Telegram payment; the charge id is Telegram's, so a payment is recorded once
-- however often its update arrives.
CREATE TABLE payments (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_payment_charge_id  TEXT NOT NULL UNIQUE,
    user_id                     INTEGER NOT NULL,
    chat_id                     INTEGER,
    stars                       INTEGER NOT NULL CHECK (stars > 0),
    pack                        INTEGER NOT NULL,
    payload                     TEXT NOT NULL,
    created_at                  REAL NOT NULL
);
CREATE INDEX payments_user ON payments(user_id, created_at);

-- Append-only, like the ledger: a balance is a sum, never a counter updated in place.
-- purchase / purchase_refund carry a payment's charge id; hold / release / charge / refund a
-- job's id.
CREATE TABLE credits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    job_id      INTEGER REFERENCES jobs(id),
    charge_id   TEXT REFERENCES payments(telegram_payment_charge_id),
    kind        TEXT NOT NULL CHECK (kind IN ('purchase', 'purchase_refund', 'hold', 'release',
                                              'charge', 'refund')),
    stars       INTEGER NOT NULL CHECK (stars >= 0),
    note        TEXT,
    created_at  REAL NOT NULL
);
CREATE INDEX credits_user ON credits(user_id, created_at);
CREATE INDEX credits_job ON credits(job_id);
-- A payment is credited once and refunded once, whatever arrives twice.
CREATE UNIQUE INDEX credits_purchase_once ON credits(charge_id) WHERE kind = 'purchase';
CREATE UNIQUE INDEX credits_refund_once ON credits(charge_id) WHERE kind = 'purchase_refund';
