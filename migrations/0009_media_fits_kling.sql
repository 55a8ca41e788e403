-- Whether a stored video fits Kling's input limits as it is, from the probe that stored it
-- (1 fits, 0 needs converting, NULL not known: a photo, or a row from before this column).
-- An order reads it with the row it loads anyway, so no order probes a known clip again,
-- even after a restart.

ALTER TABLE media ADD COLUMN fits_kling INTEGER
