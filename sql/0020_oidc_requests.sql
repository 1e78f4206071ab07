-- kenpo schema, version 20: OpenID Connect authorization requests waiting for
-- the member (issue 15; src/oidc_authz.c, docs/oidc.md "Authorization, acr
-- and consent").
--
-- /oidc/authorize checks a request, stores it here and continues it at
-- /oidc/authorize/resume/<handle> after whatever the member must do first
-- (log in, agree to new terms, re-enter her password, the step-up, consent):
-- the resume path is short and plain enough for login's and the terms page's
-- next=, whatever the request carried. handle: 32 random bytes as 64 hex
-- digits; only its SHA-256 (hex) is kept. params: the validated request as
-- JSON (client_id, redirect_uri, scope, state, nonce, code_challenge, prompt,
-- max_age, the essential acr level). A request is finished (used_at) when
-- its answer went to the client (a code or an error); it lives
-- OIDC.RequestSeconds and is deleted an hour after it expired.
CREATE TABLE oidc_requests (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  handle_hash   CHAR(64) NOT NULL,
  client        BIGINT UNSIGNED NOT NULL,
  params        TEXT NOT NULL,
  expires_at    TIMESTAMP(6) NOT NULL,
  used_at       TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oidc_requests_handle (handle_hash),
  KEY oidc_requests_expiry (expires_at),
  CONSTRAINT oidc_requests_client_fk FOREIGN KEY (client)
    REFERENCES oidc_clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
