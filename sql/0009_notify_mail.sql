-- kenpo schema, version 9: notification mails (お知らせメール; SPEC §6, issue 10
-- item 4; src/notify_mail.c).
--
-- announcements.mail: the operator asked for the announcement to be mailed
--   (kenpoctl announcement add … --mail, or announcement send ID) to the
--   opted-in members of its audience.
-- announcements.mail_cursor: the highest account id the mailing has looked at.
--   The mailer (or kenpoctl announcement send) takes the next Mail.BulkBatch
--   recipients above it, in one transaction that queues their mails, records
--   them below and moves the cursor; an interrupted step rolls back whole and
--   the next one starts from the same place.
-- announcements.mail_step_at: when the last step ran (the pace: one step per
--   Mail.BulkInterval seconds). mail_done_at: every recipient has been queued.
-- announcement_mails: one row per (announcement, account) that was queued, in
--   the same transaction as its outbox row. The primary key makes "each member
--   once" hold even if a cursor were ever lost or two senders raced: a second
--   insert for the same pair finds the row and queues nothing. outbox_id lets
--   kenpoctl announcement show count queued, sent and failed mails (NULL when
--   the address could not be mailed; a row whose outbox row is gone — the
--   account's personal data was erased — counts in the total only). The rows
--   go with their announcement, and with their account if it is ever deleted.
-- outbox.list_unsubscribe: the one-click unsubscribe URL of a bulk mail; the
--   mailer adds List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) from it.
ALTER TABLE announcements
  ADD COLUMN mail TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN mail_cursor BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN mail_step_at TIMESTAMP(6) NULL,
  ADD COLUMN mail_done_at TIMESTAMP(6) NULL,
  ADD KEY announcements_mailing (mail, mail_done_at);

ALTER TABLE outbox
  ADD COLUMN list_unsubscribe VARCHAR(300) NULL AFTER template;

CREATE TABLE announcement_mails (
  announcement_id BIGINT UNSIGNED NOT NULL,
  account_id      BIGINT UNSIGNED NOT NULL,
  outbox_id       BIGINT UNSIGNED NULL,
  created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (announcement_id, account_id),
  KEY announcement_mails_outbox (outbox_id),
  CONSTRAINT announcement_mails_announcement FOREIGN KEY (announcement_id)
    REFERENCES announcements (id) ON DELETE CASCADE,
  CONSTRAINT announcement_mails_account FOREIGN KEY (account_id)
    REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
