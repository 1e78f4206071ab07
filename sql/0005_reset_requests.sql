-- Password-reset requests (/password/forgot) wait here for the mailer, which
-- looks the address up, makes the token and queues the mail. The request itself
-- only inserts a row, the same for every address, so its answer takes as long
-- whether the address has an account or not (no enumeration by timing).
-- A row lives for seconds: the mailer deletes it in the transaction that acts on it.
CREATE TABLE reset_requests (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email       VARCHAR(254) NOT NULL,
  lang        VARCHAR(8) NOT NULL,
  ip          VARCHAR(64) NULL,
  send        TINYINT NOT NULL,              -- 0: over the address's hourly limit
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
