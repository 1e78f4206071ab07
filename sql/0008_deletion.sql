-- kenpo schema, version 8: アカウント削除申請 — a request to delete an old account
-- that holds the requester's roster identity (SPEC §6, seed 001 Q8;
-- src/deletion.c, kenpoctl deletion).
--
-- A person at signup step 3 told "already registered" (the roster person is bound
-- to another account she cannot log in to) proves the roster identity again on
-- /signup/deletion and gives a contact address. The row then lives as:
--   unconfirmed  the contact address is not proven yet: token_hash is the
--                SHA-256 of the link mailed to it (valid 24 hours);
--   filed        the link was opened (filed_at): the old account's address was
--                told, and its owner may object by logging in until grace_until
--                (a date in Japan: filed date + Deletion.GraceDays);
--   objected     the old account's owner logged in before the decision
--                (objected_at): the operator must reject it;
--   approved     the operator approved after grace_until: the old account was
--                erased by account_erase() and the roster person is free;
--   rejected     the operator rejected it (the requester was told);
--   void         superseded by a newer request of the same requester, the old
--                account let go of the person by itself before the link was
--                opened, or the link was never opened (the daily job voids
--                such requests a day after the link expired).
-- contact_email is the requester's; it is emptied at the decision (the mail that
-- tells her is queued first), when the request becomes void, and when her own
-- account is erased. The old
-- account's address is never stored here: the request pages never show it.
CREATE TABLE deletion_requests (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  state                 ENUM('unconfirmed','filed','objected','approved','rejected','void')
                          NOT NULL DEFAULT 'unconfirmed',
  requester_account_id  BIGINT UNSIGNED NULL,       -- the account at step 3
  roster_id             BIGINT UNSIGNED NOT NULL,   -- the person proven
  old_account_id        BIGINT UNSIGNED NOT NULL,   -- the account that held it
  contact_email         VARCHAR(254) NOT NULL,
  lang                  CHAR(2) NOT NULL DEFAULT 'ja',
  token_hash            CHAR(64) NULL,              -- SHA-256 hex of the contact link
  token_expires_at      TIMESTAMP(6) NULL,
  filed_at              TIMESTAMP(6) NULL,
  grace_until           DATE NULL,
  objected_at           TIMESTAMP(6) NULL,
  decided_at            TIMESTAMP(6) NULL,
  created_at            TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY deletion_token (token_hash),
  KEY deletion_state (state),
  KEY deletion_old (old_account_id, state),
  KEY deletion_requester (requester_account_id),
  CONSTRAINT deletion_roster FOREIGN KEY (roster_id) REFERENCES roster (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
