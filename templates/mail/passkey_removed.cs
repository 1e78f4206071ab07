<?cs # Sent when a passkey was removed (src/pages/account_passkeys.c; kenpoctl
  account passkey-remove), with Mail.PasskeyName and Mail.PasskeysURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] A passkey has been removed

A passkey has just been removed from your <?cs var:Service.Name ?> account:

  <?cs var:Mail.PasskeyName ?>

It can no longer be used to log in. Your passkeys:
<?cs var:Mail.PasskeysURL ?>

If you did not remove it, someone else may know your password. Set a new
password at once and contact us:
Set a new password: <?cs var:Mail.ForgotURL ?>
Contact us: <?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】パスキーを削除しました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントからパスキーが削除されました。

  <?cs var:Mail.PasskeyName ?>

このパスキーではログインできなくなりました。
登録済みのパスキーは次のページで確認できます。
<?cs var:Mail.PasskeysURL ?>

※お心当たりがない場合は、第三者がお客様のパスワードを知っている
　おそれがあります。すぐにパスワードを再設定し、運営事務局へご連絡ください。
パスワードの再設定：<?cs var:Mail.ForgotURL ?>
お問い合わせ：<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
