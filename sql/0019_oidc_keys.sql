-- kenpo schema, version 19: at most one 'current' and one 'next' signing key
-- (src/oidc_keys.c). Workers on several hosts may each find a key missing and
-- create one at the same moment; the unique key on live_state lets exactly one
-- INSERT win (the others get a duplicate-key error and load the winner's key).
-- Retired keys have live_state NULL, and any number of NULLs may coexist.
ALTER TABLE oidc_keys
  ADD COLUMN live_state VARCHAR(8) AS (IF(state = 'retired', NULL, state)) PERSISTENT,
  ADD UNIQUE KEY oidc_keys_live (live_state);
