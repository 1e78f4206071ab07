-- kenpo schema, version 22: members' passkeys (WebAuthn Level 2; issue 15;
-- src/webauthn.c, src/passkey.c, docs/mfa.md "Passkeys").
--
-- accounts.webauthn_user: the WebAuthn user handle of the account, 32 random
--   bytes made when she registers her first passkey; never the account id or
--   her address (a discoverable credential hands it back at login, and it is
--   all the authenticator keeps about her besides the name she sees).
-- passkeys: one row per credential. cred_hash = SHA-256 of the credential id
--   (the unique key; ids may be up to 1023 bytes). public_key: the raw key
--   libfido2 takes (ES256: x||y, 64 bytes; EdDSA: 32 bytes), alg its COSE
--   number. sign_count: the last signature counter seen (0 for synced
--   passkeys, which do not count). backup_eligible / backup_state: the BE and
--   BS flags (a backed-up passkey is shown as 同期されたパスキー). name: hers.
-- passkey_challenges: only the SHA-256 of each challenge; single use (used_at),
--   5 minutes. A register or stepup challenge belongs to a session (id_hash)
--   and its account; a login challenge to the SHA-256 of a random cookie of
--   this browser (no session exists yet).
ALTER TABLE accounts
  ADD COLUMN webauthn_user BINARY(32) NULL,
  ADD UNIQUE KEY accounts_webauthn_user (webauthn_user);

CREATE TABLE passkeys (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id       BIGINT UNSIGNED NOT NULL,
  cred_id          VARBINARY(1023) NOT NULL,
  cred_hash        BINARY(32) NOT NULL,
  public_key       VARBINARY(128) NOT NULL,
  alg              SMALLINT NOT NULL,
  sign_count       INT UNSIGNED NOT NULL DEFAULT 0,
  backup_eligible  TINYINT(1) NOT NULL DEFAULT 0,
  backup_state     TINYINT(1) NOT NULL DEFAULT 0,
  aaguid           BINARY(16) NOT NULL,
  name             VARCHAR(64) NOT NULL,
  created_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_used_at     TIMESTAMP(6) NULL,
  UNIQUE KEY passkeys_cred (cred_hash),
  KEY passkeys_account (account_id),
  CONSTRAINT passkeys_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE passkey_challenges (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  challenge_hash   BINARY(32) NOT NULL,
  purpose          ENUM('register','login','stepup') NOT NULL,
  session_hash     CHAR(64) NULL,      -- sessions.id_hash (register, stepup)
  browser_hash     CHAR(64) NULL,      -- SHA-256 hex of the login cookie (login)
  account_id       BIGINT UNSIGNED NULL,
  expires_at       TIMESTAMP(6) NOT NULL,
  used_at          TIMESTAMP(6) NULL,
  created_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY passkey_challenges_hash (challenge_hash),
  KEY passkey_challenges_expiry (expires_at),
  CONSTRAINT passkey_challenges_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE login_history
  MODIFY kind ENUM('password','remember','failed','passkey') NOT NULL;
