<?cs # Sent when a passkey was added to the account (src/pages/passkey_register.c),
  with Mail.PasskeyName and Mail.PasskeysURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] A passkey has been added

A passkey has just been added to your <?cs var:Service.Name ?> account:

  <?cs var:Mail.PasskeyName ?>

With it, your account can be logged in to without the password. Your
passkeys:
<?cs var:Mail.PasskeysURL ?>

If you did not add it, someone else may know your password. Remove the
passkey, set a new password at once and contact us:
Set a new password: <?cs var:Mail.ForgotURL ?>
Contact us: <?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】パスキーを登録しました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントにパスキーが登録されました。

  <?cs var:Mail.PasskeyName ?>

このパスキーを使うと、パスワードを入力せずにログインできます。
登録済みのパスキーは次のページで確認・削除できます。
<?cs var:Mail.PasskeysURL ?>

※お心当たりがない場合は、第三者がお客様のパスワードを知っている
　おそれがあります。パスキーを削除し、すぐにパスワードを再設定のうえ、
　運営事務局へご連絡ください。
パスワードの再設定：<?cs var:Mail.ForgotURL ?>
お問い合わせ：<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
