-- kenpo schema, version 4: the language an inquiry was written in.
-- /inquiry/new stores the page language of the member (ja or en), so that the
-- support office's answer (kenpoctl inquiry answer, templates/mail/
-- inquiry_answer.cs) goes out in the language the member used. Inquiries made
-- before this migration count as Japanese.
ALTER TABLE inquiries
  ADD COLUMN lang CHAR(2) NOT NULL DEFAULT 'ja' AFTER account_id;
