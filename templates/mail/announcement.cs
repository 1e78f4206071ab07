<?cs # A notification mail (お知らせメール): an announcement published with
  --mail, to each opted-in member of its audience (src/notify_mail.c). The
  mailer adds List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) with the
  same URL as the visible link below. Vars: Mail.Title, Mail.Body (plain text,
  as the operator wrote it), Mail.Insurer (the insurer's name, empty for the
  operator's own), Mail.Published (YYYY-MM-DD, Japan time), Mail.PublishedJa (YYYY年M月D日), Mail.TopURL,
  Mail.AccountURL, Mail.UnsubscribeURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] <?cs var:Mail.Title ?>

A new announcement from <?cs if:Mail.Insurer ?><?cs var:Mail.Insurer ?><?cs else ?><?cs var:Service.Operator ?><?cs /if ?> (<?cs var:Mail.Published ?>):

■ <?cs var:Mail.Title ?>

<?cs var:Mail.Body ?>

Read it and the other announcements after logging in:
<?cs var:Mail.TopURL ?>

----------------------------------------------------------------
You receive this mail because notification mails are turned on for your
<?cs var:Service.Name ?> account.
To stop them, open this link (no login needed):
<?cs var:Mail.UnsubscribeURL ?>
You can also change this in your account settings:
<?cs var:Mail.AccountURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】<?cs var:Mail.Title ?>

<?cs if:Mail.Insurer ?><?cs var:Mail.Insurer ?><?cs else ?><?cs var:Service.Operator ?><?cs /if ?>からのお知らせです（<?cs var:Mail.PublishedJa ?>）。

■<?cs var:Mail.Title ?>

<?cs var:Mail.Body ?>

ほかのお知らせは、ログイン後のトップページでご覧いただけます。
<?cs var:Mail.TopURL ?>

────────────────────────────────
このメールは、<?cs var:Service.Name ?>でお知らせメールを「受け取る」に設定
されている方にお送りしています。
配信を停止するには、次のURLを開いてください（ログインは不要です）。
<?cs var:Mail.UnsubscribeURL ?>
アカウント設定からも変更できます。
<?cs var:Mail.AccountURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
