-- kenpo schema, version 6: loss of qualification and the 100-day rules (SPEC §6,
-- seed 001 Q4–Q5; src/lifecycle.c).
--
-- lost_on: the day the bound roster person's qualification ended (roster
--   qualified_until, or the date of the snapshot import that left the person
--   out), set together with unaffiliated = 1 (未所属) by the import that says so
--   or by the daily job (kenpoctl lifecycle run) on the day a loss date given in
--   advance arrives. NULL while affiliated. A roster import that lists the same
--   personal ID as qualified again before lost_on + 100 days clears both: the
--   account is back at its level. From lost_on + 100 days the daily job closes
--   the account (state 'closed', closed_at) and erases its personal data
--   (account_erase): the address is free for a new signup, the roster person for
--   a new binding.
-- 'closed': an account closed by the operator's side (the 100-day rule; later,
--   deletion on request). Its row stays as a tombstone without personal data:
--   email "closed+<id>@invalid" (an address nobody can type, so the UNIQUE key
--   never blocks a real one), an unusable password hash, no roster binding.
ALTER TABLE accounts
  MODIFY COLUMN state ENUM('pending','verified','active','withdrawn','closed')
    NOT NULL DEFAULT 'pending',
  ADD COLUMN lost_on DATE NULL AFTER unaffiliated,
  ADD COLUMN closed_at TIMESTAMP(6) NULL AFTER withdrawn_at,
  ADD KEY accounts_lost (unaffiliated, lost_on);
