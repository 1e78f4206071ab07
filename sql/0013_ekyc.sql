-- kenpo schema, version 13: 健診・医療アクセス認証 (eKYC, level 3; issue 12,
-- seed 001 pp.17-33): identity-document and face photos reviewed by staff in a
-- console of their own, a secret question guarding the sensitive features.
--
-- insurers.health_data: the insurer links health data (健診結果を連携). Only then
--   do its members see anything of level 3 (seed p.17 note); `kenpoctl insurer
--   update NUMBER --health-data on|off`. health_service: the insurer's
--   health-data service the sensitive features open (a URL, or NULL).
-- verifications: one attempt at a proofing method for an account.
--   method: how the identity was proven — 'photo_review' (document + face
--   photos reviewed by staff) now; an IC-chip / JPKI method later (docs/ekyc.md).
--   Level 3 is granted by an approved row; its method and decided_at say how
--   and when, so the level can be re-graded or required again by method.
--   document: 'license' 運転免許証, 'mynumber' マイナンバーカード (front only:
--   the back carries the individual number, never collected), 'history'
--   運転経歴証明書, 'residence' 在留カード. remarks: the 備考欄 has an entry,
--   so the back was photographed. face_angle: the angle the server picked
--   for the second face shot (src/verification.c names them).
--   status: 'draft' while the member takes the shots, 'submitted' in the
--   review queue, 'approved' / 'rejected' when decided (reason from the fixed
--   list, note free text for the member), 'cancelled' when she starts again.
--   q_preset, q_text, q_answer_hash: the secret question set in this attempt
--   (a preset index or her own text; the Argon2id hash of the normalised
--   answer), pending until approval, when they replace secret_questions' row.
--   purge_after: when the lifecycle job deletes the images (Verify.RetentionDays
--   after the decision; drafts after Verify.DraftHours); purged_at when it did.
-- verification_images: each shot, re-encoded (kenpo-image) and sealed
--   (src/vault.c): AES-256-GCM under a fresh data key; the data key wrapped by
--   the master key whose fingerprint is key_id. Never stored in clear.
-- secret_questions: the member's secret question (a preset or her own) and
--   the Argon2id hash of the normalised answer. failures counts wrong answers
--   in a row; locked_at is set at Verify.StepUpTries and clears only when she
--   completes level 3 again (a new approved verification sets a new question).
-- sessions.stepup_at: when the secret question (or, later, another step-up
--   factor) was last answered in this session; fresh for Verify.StepUpMinutes.
-- staff, staff_recovery_codes, staff_sessions: the review console's accounts
--   (`kenpoctl staff add EMAIL --role reviewer|support|admin` → a one-time
--   enrolment link; password and TOTP set there; TOTP secret sealed by the vault).
-- image_views: every view of a verification image in the console (who, which
--   image, when). Kept after the images are purged: it holds no image.
ALTER TABLE insurers
  ADD COLUMN health_data TINYINT(1) NOT NULL DEFAULT 0 AFTER insurer_id_only,
  ADD COLUMN health_service VARCHAR(300) NULL AFTER health_data;

CREATE TABLE verifications (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id    BIGINT UNSIGNED NOT NULL,
  method        VARCHAR(32) NOT NULL DEFAULT 'photo_review',
  document      ENUM('license','mynumber','history','residence') NULL,
  remarks       TINYINT(1) NOT NULL DEFAULT 0,
  face_angle    VARCHAR(32) NULL,
  q_preset      TINYINT NULL,
  q_text        VARCHAR(200) NULL,
  q_answer_hash VARCHAR(255) NULL,
  status        ENUM('draft','submitted','approved','rejected','cancelled') NOT NULL DEFAULT 'draft',
  reason        VARCHAR(32) NULL,
  note          VARCHAR(1000) NULL,
  decided_by    BIGINT UNSIGNED NULL,              -- staff.id; NULL with decided_at: kenpoctl
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  submitted_at  TIMESTAMP(6) NULL,
  decided_at    TIMESTAMP(6) NULL,
  purge_after   TIMESTAMP(6) NULL,
  purged_at     TIMESTAMP(6) NULL,
  KEY verifications_account (account_id, status),
  KEY verifications_queue (status, submitted_at),
  KEY verifications_purge (purge_after),
  CONSTRAINT verifications_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE verification_images (
  verification_id BIGINT UNSIGNED NOT NULL,
  shot          ENUM('doc_front','doc_back','doc_angle','face_front','face_angle') NOT NULL,
  key_id        CHAR(16) NOT NULL,                 -- hex fingerprint of the master key
  wrapped_key   VARBINARY(128) NOT NULL,           -- the data key, sealed by the master key
  sealed        LONGBLOB NOT NULL,                 -- nonce || AES-256-GCM(JPEG) || tag
  width         INT UNSIGNED NOT NULL,
  height        INT UNSIGNED NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (verification_id, shot),
  KEY verification_images_key (key_id),
  CONSTRAINT verification_images_fk FOREIGN KEY (verification_id) REFERENCES verifications (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE secret_questions (
  account_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  verification_id BIGINT UNSIGNED NULL,
  preset        TINYINT NULL,                      -- index of a preset question, NULL: her own
  question      VARCHAR(200) NOT NULL,             -- her own question (or the preset's text)
  answer_hash   VARCHAR(255) NOT NULL,             -- Argon2id PHC string of the normalised answer
  failures      INT NOT NULL DEFAULT 0,
  locked_at     TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT secret_questions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE sessions
  ADD COLUMN stepup_at TIMESTAMP(6) NULL AFTER login_id;

CREATE TABLE staff (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email         VARCHAR(254) NOT NULL,
  role          ENUM('reviewer','support','admin') NOT NULL,
  password_hash VARCHAR(255) NULL,                 -- set at enrolment
  totp_key_id   CHAR(16) NULL,                     -- vault-sealed TOTP secret
  totp_wrapped  VARBINARY(128) NULL,
  totp_sealed   VARBINARY(128) NULL,
  totp_last_step BIGINT NOT NULL DEFAULT 0,        -- last accepted time step (no replay)
  enrol_token_hash CHAR(64) NULL,                  -- SHA-256 hex of the one-time enrolment token
  enrol_expires_at TIMESTAMP(6) NULL,
  enrolled_at   TIMESTAMP(6) NULL,
  failures      INT NOT NULL DEFAULT 0,
  locked_until  TIMESTAMP(6) NULL,
  disabled_at   TIMESTAMP(6) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY staff_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE staff_recovery_codes (
  staff_id      BIGINT UNSIGNED NOT NULL,
  code_hash     CHAR(64) NOT NULL,                 -- HMAC-SHA-256 hex (Security.Secret) of the code
  used_at       TIMESTAMP(6) NULL,
  PRIMARY KEY (staff_id, code_hash),
  CONSTRAINT staff_recovery_codes_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE staff_sessions (
  id_hash       CHAR(64) NOT NULL PRIMARY KEY,     -- SHA-256 hex of the session id
  staff_id      BIGINT UNSIGNED NOT NULL,
  csrf_secret   CHAR(43) NOT NULL,
  ip            VARCHAR(64) NULL,
  idle_expires_at     TIMESTAMP(6) NOT NULL,
  absolute_expires_at TIMESTAMP(6) NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY staff_sessions_staff (staff_id),
  CONSTRAINT staff_sessions_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE image_views (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  staff_id      BIGINT UNSIGNED NULL,              -- NULL: kenpoctl review show --image
  verification_id BIGINT UNSIGNED NOT NULL,
  shot          VARCHAR(16) NOT NULL,
  ip            VARCHAR(64) NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY image_views_verification (verification_id),
  KEY image_views_staff (staff_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
