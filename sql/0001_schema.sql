-- kenpo schema, version 1: the whole data model of DESIGN.md.
-- InnoDB, utf8mb4. Every table has created_at. Times are UTC (the connection sets
-- time_zone = '+00:00'). Secrets are never stored: tokens and session ids as SHA-256
-- hex, card symbol/number only as card_key = HMAC-SHA256(pepper, insurer|symbol|number).

CREATE TABLE insurers (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  number        CHAR(8) NOT NULL,
  name          VARCHAR(100) NOT NULL,
  adopted       TINYINT(1) NOT NULL DEFAULT 1,
  card_pattern  TINYINT NOT NULL DEFAULT 4,          -- 1..4, see SPEC §3 step 3
  points_name   VARCHAR(100) NULL,
  terms_url     VARCHAR(300) NULL,
  entry_secret  CHAR(64) NULL,                       -- hex; HMAC key of signed entry links
  signed_entry_required TINYINT(1) NOT NULL DEFAULT 0,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY insurers_number (number),
  CONSTRAINT insurers_pattern CHECK (card_pattern BETWEEN 1 AND 4)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE insurer_allowlist (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  insurer_id  BIGINT UNSIGNED NOT NULL,
  cidr        VARCHAR(64) NOT NULL,                  -- canonical text form, v4 or v6
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY allowlist_cidr (insurer_id, cidr),
  CONSTRAINT allowlist_insurer FOREIGN KEY (insurer_id) REFERENCES insurers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE roster (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  insurer_id      BIGINT UNSIGNED NOT NULL,
  personal_id     VARCHAR(64) NOT NULL,
  card_key        CHAR(64) NOT NULL,                 -- hex HMAC of normalised insurer|symbol|number
  branch          VARCHAR(8) NULL,                   -- 枝番
  name_kana       VARCHAR(100) NOT NULL,             -- normalised katakana
  birthdate       DATE NOT NULL,
  qualified_from  DATE NOT NULL,
  qualified_until DATE NULL,                         -- NULL while insured
  special_retiree TINYINT(1) NOT NULL DEFAULT 0,     -- 特別退職被保険者
  created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY roster_person (insurer_id, personal_id),
  KEY roster_card (card_key),
  CONSTRAINT roster_insurer FOREIGN KEY (insurer_id) REFERENCES insurers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE accounts (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email           VARCHAR(254) NOT NULL,             -- unique case-insensitively (collation)
  password_hash   VARCHAR(255) NOT NULL,             -- PHC string ($argon2id$…)
  state           ENUM('pending','verified','active','withdrawn') NOT NULL DEFAULT 'pending',
  level           TINYINT NOT NULL DEFAULT 0,        -- 0 none, 1 insurer-ID, 2 identity, 3 sensitive; see SPEC §5
  unaffiliated    TINYINT(1) NOT NULL DEFAULT 0,     -- 未所属: lost qualification
  insurer_id      BIGINT UNSIGNED NULL,
  roster_id       BIGINT UNSIGNED NULL,
  invite_code     VARCHAR(64) NULL,
  lang            CHAR(2) NOT NULL DEFAULT 'ja',
  failed_logins   INT NOT NULL DEFAULT 0,
  locked_until    TIMESTAMP(6) NULL,
  eligibility_failures INT NOT NULL DEFAULT 0,
  eligibility_window_start TIMESTAMP(6) NULL,
  notify          TINYINT(1) NOT NULL DEFAULT 1,
  activated_at    TIMESTAMP(6) NULL,
  withdrawn_at    TIMESTAMP(6) NULL,
  created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY accounts_email (email),
  UNIQUE KEY accounts_roster (roster_id),            -- a roster person is bound at most once
  KEY accounts_state (state),
  CONSTRAINT accounts_insurer FOREIGN KEY (insurer_id) REFERENCES insurers (id),
  CONSTRAINT accounts_roster_fk FOREIGN KEY (roster_id) REFERENCES roster (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tokens (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id    BIGINT UNSIGNED NOT NULL,
  purpose       ENUM('activate','reset','email_change','remember') NOT NULL,
  token_hash    CHAR(64) NOT NULL,                 -- SHA-256 hex of the token (or remember validator)
  selector      CHAR(24) NULL,                     -- remember-me selector (public half)
  code_hash     CHAR(64) NULL,                     -- SHA-256 hex of the 6-digit code, if any
  code_expires_at TIMESTAMP(6) NULL,
  code_tries    INT NOT NULL DEFAULT 0,
  data          VARCHAR(300) NULL,                 -- e.g. the new address of an email_change
  expires_at    TIMESTAMP(6) NOT NULL,
  used_at       TIMESTAMP(6) NULL,
  superseded_at TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY tokens_hash (token_hash),
  UNIQUE KEY tokens_selector (selector),
  KEY tokens_account (account_id, purpose),
  CONSTRAINT tokens_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sessions (
  id_hash       CHAR(64) NOT NULL PRIMARY KEY,     -- SHA-256 hex of the session id
  account_id    BIGINT UNSIGNED NOT NULL,
  csrf_secret   CHAR(43) NOT NULL,
  ip            VARCHAR(64) NULL,
  idle_expires_at     TIMESTAMP(6) NOT NULL,
  absolute_expires_at TIMESTAMP(6) NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY sessions_account (account_id),
  KEY sessions_expiry (absolute_expires_at),
  CONSTRAINT sessions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Rate counters: key (e.g. "ip:203.0.113.7", "net:203.0.113.0/24", "acct:42"),
-- a fixed window start, and a count. Rows of old windows are pruned.
CREATE TABLE throttle (
  k             VARCHAR(120) NOT NULL,
  window_start  TIMESTAMP NOT NULL,
  count         INT NOT NULL DEFAULT 0,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (k, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE captcha_used (
  challenge_id  CHAR(32) NOT NULL PRIMARY KEY,     -- hex id inside the sealed challenge
  expires_at    TIMESTAMP(6) NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY captcha_used_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE outbox (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  to_addr         VARCHAR(254) NOT NULL,
  subject         VARCHAR(500) NOT NULL,            -- UTF-8, encoded at send time
  body            MEDIUMTEXT NOT NULL,
  template        VARCHAR(64) NOT NULL,
  attempts        INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  sent_at         TIMESTAMP(6) NULL,
  failed_at       TIMESTAMP(6) NULL,                -- given up
  last_error      VARCHAR(500) NULL,
  created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY outbox_due (sent_at, failed_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE announcements (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  insurer_id  BIGINT UNSIGNED NULL,                 -- NULL: operator-wide
  title       VARCHAR(200) NOT NULL,
  body        TEXT NOT NULL,
  published_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY announcements_pub (published_at),
  CONSTRAINT announcements_insurer FOREIGN KEY (insurer_id) REFERENCES insurers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inquiries (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  category    VARCHAR(32) NOT NULL,                 -- login_id, signup, eligibility, other
  email       VARCHAR(254) NOT NULL,                -- the reply address the member gave
  name        VARCHAR(100) NULL,
  body        TEXT NOT NULL,
  account_id  BIGINT UNSIGNED NULL,
  status      ENUM('open','answered') NOT NULL DEFAULT 'open',
  answer      TEXT NULL,
  answered_at TIMESTAMP(6) NULL,
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY inquiries_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Authentication decisions. No e-mail address, card data, password or token here.
CREATE TABLE audit (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event       VARCHAR(48) NOT NULL,
  account_id  BIGINT UNSIGNED NULL,
  ip          VARCHAR(64) NULL,
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY audit_account (account_id),
  KEY audit_time (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
