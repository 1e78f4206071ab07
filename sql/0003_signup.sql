-- Signup (issue 3): state the four steps keep on the server.
--
-- match_roster_id / match_at: the roster person that step 3 (健保資格確認) found
--   for a verified account, shown at step 4 (最終確認) and bound there. Kept on
--   the account, not in the session, so a member who closes the browser or logs
--   in elsewhere comes back to step 4. Cleared by "戻る" and by the bind.
--   Deliberately no UNIQUE key: two accounts may have found the same person;
--   accounts.roster_id (UNIQUE) decides who binds it.
-- signed_entry_insurer_id: the insurer of a valid signed entry link (SPEC §2)
--   through which step 1 was started, so that an insurer requiring signed entry
--   accepts the signup even when the activation link is opened in another
--   browser (no entry cookie there).
ALTER TABLE accounts
  ADD COLUMN match_roster_id BIGINT UNSIGNED NULL AFTER roster_id,
  ADD COLUMN match_at TIMESTAMP(6) NULL AFTER match_roster_id,
  ADD COLUMN signed_entry_insurer_id BIGINT UNSIGNED NULL AFTER match_at,
  ADD CONSTRAINT accounts_match_fk FOREIGN KEY (match_roster_id) REFERENCES roster (id)
    ON DELETE SET NULL,
  ADD CONSTRAINT accounts_entry_insurer_fk FOREIGN KEY (signed_entry_insurer_id)
    REFERENCES insurers (id) ON DELETE SET NULL;

-- Activation tokens are looked up by account and state (resend supersedes all
-- live ones); tokens_account (account_id, purpose) covers it.
