-- kenpo schema, version 2: the card a roster person held before a reissue.
-- roster_import keeps the previous card_key when a person's card changes, so a
-- 特別退職被保険者 (special_retiree = 1) can pass the eligibility check with the card
-- from before or after retirement (SPEC §3: "either card works"). Like card_key, it
-- is an HMAC, never the card's symbol or number.

ALTER TABLE roster
  ADD COLUMN prev_card_key CHAR(64) NULL AFTER card_key,
  ADD KEY roster_prev_card (prev_card_key);
