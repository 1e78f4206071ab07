<?cs # Sent when a passkey's signature counter went back (src/passkey.c,
  passkey_login.c, passkey_stepup.c): the authenticator may have been copied.
  With Mail.PasskeyName and Mail.PasskeysURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] A passkey was refused: it may have been copied

A login or confirmation with one of your passkeys was refused just now:

  <?cs var:Mail.PasskeyName ?>

The security key reported a signature counter lower than before, which can
mean that a copy of it exists. If you did not just use it, remove it, set a
new password and contact us. If it was you, remove the passkey and add it
again:
<?cs var:Mail.PasskeysURL ?>
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】パスキーの利用をお断りしました（複製のおそれ）

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のパスキーによるログインまたは本人確認をお断りしました。

  <?cs var:Mail.PasskeyName ?>

セキュリティキーが以前より小さい署名カウンターを示しました。パスキーが
複製されたおそれがあります。お心当たりがない場合は、このパスキーを削除し、
パスワードを再設定のうえ、運営事務局へご連絡ください。ご自身の操作だった
場合も、いったん削除してから登録し直してください。
<?cs var:Mail.PasskeysURL ?>
<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
