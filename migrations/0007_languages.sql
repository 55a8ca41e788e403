-- Languages: a chat's own choice in /settings (NULL: each person's Telegram language), and the
-- language Telegram last reported for a user (for the messages the bot sends by itself).

ALTER TABLE chats ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN language_code TEXT;
