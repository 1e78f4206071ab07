-- kenpo schema, version 10: versioned terms and the consents given to them
-- (issue 10 item 5; SPEC §6; seed 001 p.7: プライバシーポリシー, 会員個別規約,
-- 独自ポイント特約; src/terms.h).
--
-- terms_versions: one row per published version of one set of terms.
--   kind     'service' (利用規約, the service's member terms) and 'privacy'
--            (プライバシーポリシー) are the operator's own: insurer_id NULL;
--            'insurer' (会員個別規約) and 'points' (独自ポイント特約) belong to
--            one insurer: insurer_id set. An insurer "has" such terms when a
--            version of them is published.
--   scope    insurer_id or 0: lets the UNIQUE key see the operator's rows as
--            one scope (a UNIQUE key treats every NULL as distinct).
--   version  the operator's label ("2026-04", "3"), unique per kind and scope.
--   url      where the text is read (http(s) URL or a local path); body, the
--            text itself (kept as what was agreed to); at least one of them.
--   published_at  from then on the version is the current one of its kind
--            and scope (the newest published wins; ties by id), and every
--            member to whom it applies agrees to it before using the member
--            area again.
-- consents: who agreed to which version, when, and where: 'signup' (step 1
--   for the operator's terms, step 4 for the insurer's) or 'renewal' (the
--   /consent page after a new version). Kept for the life of the row; an
--   erased account's rows name a tombstone (account_erase.c), no person.
CREATE TABLE terms_versions (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind          ENUM('service','privacy','insurer','points') NOT NULL,
  insurer_id    BIGINT UNSIGNED NULL,
  scope         BIGINT UNSIGNED AS (IFNULL(insurer_id, 0)) PERSISTENT,
  version       VARCHAR(32) NOT NULL,
  url           VARCHAR(300) NULL,
  body          MEDIUMTEXT NULL,
  published_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY terms_versions_label (kind, scope, version),
  KEY terms_versions_current (kind, scope, published_at),
  CONSTRAINT terms_versions_insurer FOREIGN KEY (insurer_id) REFERENCES insurers (id),
  CONSTRAINT terms_versions_scope CHECK ((kind IN ('service','privacy')) = (insurer_id IS NULL)),
  CONSTRAINT terms_versions_text CHECK (url IS NOT NULL OR body IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE consents (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id        BIGINT UNSIGNED NOT NULL,
  terms_version_id  BIGINT UNSIGNED NOT NULL,
  via               ENUM('signup','renewal') NOT NULL,
  agreed_at         TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  created_at        TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY consents_once (account_id, terms_version_id),
  KEY consents_version (terms_version_id),
  CONSTRAINT consents_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT consents_version_fk FOREIGN KEY (terms_version_id) REFERENCES terms_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An insurer that already names its member terms (insurers.terms_url, set by
-- kenpoctl insurer update --terms-url) has them as version "1": its members,
-- who were never asked for them, agree at their next login.
INSERT INTO terms_versions (kind, insurer_id, version, url)
  SELECT 'insurer', id, '1', terms_url FROM insurers
  WHERE terms_url IS NOT NULL AND terms_url <> '';
