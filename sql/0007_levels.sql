-- kenpo schema, version 7: 団体ID認証 as a level of its own (SPEC §5, seed 001
-- p.11; src/pages/signup_eligibility.c, src/pages/account_verify.c).
--
-- insurers.insurer_id_only: the insurer lets its members finish signup at step 3
--   with the insurer number alone (`kenpoctl insurer update NUMBER
--   --insurer-id-only on|off`, off by default). Such an account is active at
--   level 1 (団体ID認証) with insurer_id set and roster_id NULL; the member does
--   本人確認 later from the member area (/account/verify), which runs the step-3
--   card check and binds the roster person (level 2). Turning the setting off
--   later changes no account: it only stops new signups without the card check.
-- accounts.match_insurer_only: step 3 chose to finish with the insurer number
--   alone (accounts.insurer_id); step 4 (最終確認: the insurer, its terms, the
--   mail opt-in) completes it. The counterpart of match_roster_id for that
--   path; cleared by "戻る" and by the completion.
ALTER TABLE insurers
  ADD COLUMN insurer_id_only TINYINT(1) NOT NULL DEFAULT 0 AFTER signed_entry_required;
ALTER TABLE accounts
  ADD COLUMN match_insurer_only TINYINT(1) NOT NULL DEFAULT 0 AFTER match_at;
