<?cs # Sent by the password reset (src/pages/password_reset.c) and by the
  password change of the settings (src/pages/account_password.c, with
  Mail.KeepThis = 1: the device that changed it stays logged in). ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your password has been changed

The password of your <?cs var:Service.Name ?> account has just been changed.
<?cs if:Mail.KeepThis ?>For your security, you have been logged out on every other device, and
"Keep me logged in" has been ended; the device where you changed it stays
logged in. Log in elsewhere with the new password:
<?cs else ?>For your security, you have been logged out on every device, and "Keep me
logged in" has been ended. Log in with the new password:
<?cs /if ?>
<?cs var:Mail.LoginURL ?>

<?cs if:Mail.KeepThis ?>If you did not change it, someone else may know your password and have
used it to log in. Set a new password at once and contact us:
<?cs else ?>If you did not change it, someone else may be able to read your mail (the
password was reset with a link mailed to this address). Change the password
of your mailbox, then set a new password here at once and contact us:
<?cs /if ?><?cs var:Mail.ForgotURL ?>
<?cs if:string.slice(Service.SupportURL, 0, 1) == "/" ?><?cs var:Service.BaseURL ?><?cs /if ?><?cs var:Service.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】パスワードを変更しました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントのパスワードが変更されました。
<?cs if:Mail.KeepThis ?>安全のため、変更を行った端末以外のすべての端末でログアウトし、
「次回から自動的にログインする」の設定も解除しました。ほかの端末では、
新しいパスワードでログインしてください。
<?cs else ?>安全のため、すべての端末でログアウトし、「次回から自動的にログインする」
の設定も解除しました。新しいパスワードでログインしてください。
<?cs /if ?>
<?cs var:Mail.LoginURL ?>

<?cs if:Mail.KeepThis ?>※お心当たりがない場合は、第三者がお客様のパスワードを知っていて、
　ログインしたおそれがあります。すぐにパスワードを再設定し、運営事務局へ
　ご連絡ください。
<?cs else ?>※お心当たりがない場合は、第三者がお客様のメールを読める状態にある
　おそれがあります（このメールアドレスに届いた再設定用のURLで変更されました）。
　メールアカウントのパスワードを変更したうえで、すぐにパスワードを再設定し、
　運営事務局へご連絡ください。
<?cs /if ?><?cs var:Mail.ForgotURL ?>
<?cs if:string.slice(Service.SupportURL, 0, 1) == "/" ?><?cs var:Service.BaseURL ?><?cs /if ?><?cs var:Service.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
