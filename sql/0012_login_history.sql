-- kenpo schema, version 12: the member's recent logins and "log out everywhere
-- else" (issue 10 item 7; src/login_history.c, src/pages/account_logins.c).
--
-- login_history: one row per login of an account — a password login (kind
--   'password'), a session restored from the remember-me cookie ('remember'),
--   or a wrong password for the account ('failed'). What a member needs to
--   recognise her own devices, and nothing more: the client address only as
--   its network (IPv4 /24, IPv6 /48; the full address is never stored here),
--   and the browser and system named from a fixed list by useragent.c (never
--   the User-Agent text itself). Rows older than Member.LoginHistoryDays are
--   deleted by the daily job (kenpoctl lifecycle run); account_erase deletes
--   the account's rows.
-- sessions.login_id: the login_history row of the login that opened the
--   session; a new session id of the same account (password change, signup
--   steps) keeps it, so the list can say which login is this browser's and
--   which are still logged in. NULL for sessions opened by signup.
CREATE TABLE login_history (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id  BIGINT UNSIGNED NOT NULL,
  kind        ENUM('password','remember','failed') NOT NULL,
  net         VARCHAR(64) NULL,                  -- "203.0.113.0/24", "2001:db8:1::/48"
  browser     VARCHAR(32) NOT NULL DEFAULT '',   -- "Chrome", "" when not recognised
  os          VARCHAR(32) NOT NULL DEFAULT '',   -- "Windows", "iPhone", ""
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY login_history_account (account_id, created_at),
  KEY login_history_time (created_at),
  CONSTRAINT login_history_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE sessions
  ADD COLUMN login_id BIGINT UNSIGNED NULL AFTER csrf_secret;
