-- kenpo schema, version 18: how and when a session was authenticated, and the
-- OpenID Connect provider (issue 15; src/oidc*.c, docs/oidc.md).
--
-- sessions.auth_time: when the member last authenticated with a primary
--   factor (a password or a passkey login); a new id of the same session
--   (session_start) keeps it. NULL for sessions opened by signup steps.
-- sessions.amr: the RFC 8176 methods this session has proved, space-separated
--   ("pwd", "pwd otp", "hwk user", "pwd kba"): the primary factor's at login,
--   the step-up's added by session_add_factor. stepup_at (0013) is the time of
--   the last step-up.
-- tokens.auth_time, tokens.amr (remember-me rows): the login a remember-me
--   pair descends from, carried through its rotations, so a session restored
--   from the cookie reports the login it really rests on, not the restore.
ALTER TABLE sessions
  ADD COLUMN auth_time TIMESTAMP(6) NULL AFTER stepup_at,
  ADD COLUMN amr VARCHAR(64) NOT NULL DEFAULT '' AFTER auth_time;

ALTER TABLE tokens
  ADD COLUMN auth_time TIMESTAMP(6) NULL AFTER data,
  ADD COLUMN amr VARCHAR(64) NULL AFTER auth_time;

-- Relying parties, registered by `kenpoctl client add`. client_id is random
-- (22 base64url characters); a confidential client's secret is shown once and
-- kept only as HMAC-SHA256(Security.Secret, "client-secret|" secret) hex. The
-- pairwise subject of a member for a client is computed (src/oidc.c
-- oidc_subject), never stored. min_acr: the lowest acr the client accepts
-- (NULL: urn:kenpo:acr:insurer). deleted_at: a deleted client keeps its row so
-- its id is never reused; its codes, tokens and consents are deleted.
CREATE TABLE oidc_clients (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_id     VARCHAR(64) NOT NULL,
  name          VARCHAR(200) NOT NULL,
  public        TINYINT(1) NOT NULL DEFAULT 0,
  secret_hash   CHAR(64) NULL,
  min_acr       VARCHAR(64) NULL,
  deleted_at    TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_clients_client_id (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Registered URIs, matched exactly (byte for byte): kind 'login' for
-- redirect_uri, 'logout' for post_logout_redirect_uri.
CREATE TABLE oidc_client_uris (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client        BIGINT UNSIGNED NOT NULL,
  kind          ENUM('login','logout') NOT NULL,
  uri           VARCHAR(2000) NOT NULL,
  uri_hash      CHAR(64) NOT NULL,                 -- SHA-256 hex of uri
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_client_uris_uri (client, kind, uri_hash),
  CONSTRAINT oidc_client_uris_client_fk FOREIGN KEY (client)
    REFERENCES oidc_clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member's consent to a client, given on first use, revoked from
-- /account (connected services): revoking deletes the row and every token of
-- the pair. scope: the space-separated scopes she agreed to.
CREATE TABLE oidc_consents (
  account_id    BIGINT UNSIGNED NOT NULL,
  client        BIGINT UNSIGNED NOT NULL,
  scope         VARCHAR(200) NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_used_at  TIMESTAMP(6) NULL,
  PRIMARY KEY (account_id, client),
  KEY oidc_consents_client (client),
  CONSTRAINT oidc_consents_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE,
  CONSTRAINT oidc_consents_client_fk FOREIGN KEY (client)
    REFERENCES oidc_clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Authorization codes: only the SHA-256 of the code; single use (used_at).
-- Everything the ID token will say is fixed here, when the member is in front
-- of the provider: acr, amr, auth_time. A code presented a second time revokes
-- every access token issued from it (RFC 6749 §4.1.2).
CREATE TABLE oidc_codes (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code_hash     CHAR(64) NOT NULL,
  client        BIGINT UNSIGNED NOT NULL,
  account_id    BIGINT UNSIGNED NOT NULL,
  redirect_uri  VARCHAR(2000) NOT NULL,
  scope         VARCHAR(200) NOT NULL,
  nonce         VARCHAR(255) NULL,
  code_challenge VARCHAR(128) NULL,                -- PKCE S256 (plain is refused)
  acr           VARCHAR(64) NOT NULL,
  amr           VARCHAR(64) NOT NULL,
  auth_time     TIMESTAMP(6) NOT NULL,
  session_hash  CHAR(64) NULL,                     -- sessions.id_hash it came from
  expires_at    TIMESTAMP(6) NOT NULL,
  used_at       TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_codes_hash (code_hash),
  KEY oidc_codes_expiry (expires_at),
  CONSTRAINT oidc_codes_client_fk FOREIGN KEY (client)
    REFERENCES oidc_clients (id) ON DELETE CASCADE,
  CONSTRAINT oidc_codes_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Access tokens (opaque, 32 random bytes; only their SHA-256), for userinfo.
CREATE TABLE oidc_tokens (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash    CHAR(64) NOT NULL,
  code_id       BIGINT UNSIGNED NULL,
  client        BIGINT UNSIGNED NOT NULL,
  account_id    BIGINT UNSIGNED NOT NULL,
  scope         VARCHAR(200) NOT NULL,
  acr           VARCHAR(64) NOT NULL,
  expires_at    TIMESTAMP(6) NOT NULL,
  revoked_at    TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_tokens_hash (token_hash),
  KEY oidc_tokens_code (code_id),
  KEY oidc_tokens_expiry (expires_at),
  KEY oidc_tokens_pair (account_id, client),
  CONSTRAINT oidc_tokens_client_fk FOREIGN KEY (client)
    REFERENCES oidc_clients (id) ON DELETE CASCADE,
  CONSTRAINT oidc_tokens_account_fk FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ID token signing keys (ES256, P-256). The private scalar is sealed by the
-- vault (context "oidc-key:<kid>"); x and y are public. state: 'next'
-- (published in the JWKS, not yet signing), 'current' (signs; exactly one),
-- 'retired' (published until retire_after, then deleted by the daily job).
CREATE TABLE oidc_keys (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kid           VARCHAR(64) NOT NULL,
  state         ENUM('next','current','retired') NOT NULL,
  x             CHAR(43) NOT NULL,                 -- base64url of the 32-byte X
  y             CHAR(43) NOT NULL,
  key_id        CHAR(16) NOT NULL,                 -- vault master key id
  wrapped       VARBINARY(128) NOT NULL,
  sealed        VARBINARY(128) NOT NULL,
  activated_at  TIMESTAMP(6) NULL,
  retire_after  TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_keys_kid (kid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
