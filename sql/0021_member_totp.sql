-- kenpo schema, version 21: TOTP and recovery codes for members (issue 15
-- item 3; src/member_totp.c, docs/mfa.md "TOTP and recovery codes").
--
-- member_totp: one row per member who has TOTP on or is enrolling.
--   key_id, wrapped, sealed: the 20-byte RFC 6238 secret sealed by the vault
--     (src/vault.h) under the context "mtotp:<account_id>", like staff.totp_*;
--     `kenpoctl verify rekey` rewraps them.
--   last_step: the last 30-second step accepted (a code is taken once: no
--     replay, across workers: the UPDATE is guarded by last_step < step).
--   failures: wrong codes (or recovery codes) in a row, at the login's second
--     step, the step-up or the settings, counted before the check; a right
--     code sets it to 0. The fifth in a row drops the pending login (at the
--     step-up or in the settings: ends the session). Each wrong code at login
--     also counts in accounts.failed_logins, so the password login's lock
--     (Login.LockAfterFailures) applies.
--   enabled_at: when TOTP was switched on; NULL while an enrolment is in
--     progress: then enrol_session is the SHA-256 of the session (sessions.
--     id_hash) that proved the password, and only that session may finish it
--     before enrol_expires_at.
-- member_recovery_codes: ten single-use codes ("abcde-fgh23"), stored only as
--   HMAC-SHA-256(Security.Secret, "member-recovery|" code) hex; used_at set
--   when one is spent. Regenerating replaces all ten.
-- login_pending: the login's second step. A right password for an account
--   with TOTP on makes a row here instead of a session: only the SHA-256 of
--   the random token in the browser's cookie "mfa", the login_history row of
--   the attempt (kind 'failed' until the code is right), whether "remember
--   me" was ticked, the local path to go on to (checked by /login), and the
--   SHA-256 of the password hash it was proven against (a password changed
--   meanwhile voids it). Five minutes, single use (deleted when the code is
--   right; every one of the account dropped after five wrong codes).
CREATE TABLE member_totp (
  account_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  key_id        CHAR(16) NOT NULL,
  wrapped       VARBINARY(128) NOT NULL,
  sealed        VARBINARY(128) NOT NULL,
  last_step     BIGINT NOT NULL DEFAULT 0,
  failures      INT NOT NULL DEFAULT 0,
  enabled_at    TIMESTAMP(6) NULL,
  enrol_session CHAR(64) NULL,
  enrol_expires_at TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY member_totp_key (key_id),
  CONSTRAINT member_totp_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE member_recovery_codes (
  account_id    BIGINT UNSIGNED NOT NULL,
  code_hash     CHAR(64) NOT NULL,
  used_at       TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (account_id, code_hash),
  CONSTRAINT member_recovery_codes_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE login_pending (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash    CHAR(64) NOT NULL,
  account_id    BIGINT UNSIGNED NOT NULL,
  login_id      BIGINT UNSIGNED NULL,
  remember      TINYINT(1) NOT NULL DEFAULT 0,
  next          VARCHAR(200) NULL,
  pw_check      CHAR(64) NOT NULL,
  expires_at    TIMESTAMP(6) NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY login_pending_token (token_hash),
  KEY login_pending_account (account_id),
  KEY login_pending_expiry (expires_at),
  CONSTRAINT login_pending_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
