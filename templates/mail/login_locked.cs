<?cs include:"mail_footer.cs" ?><?cs if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account has been locked for a while

Logins to your <?cs var:Service.Name ?> account failed many times in a row, so
we have locked it for <?cs var:Mail.LockMinutes ?> minutes to protect it.
It unlocks by itself at <?cs var:Mail.UnlockAt ?> (Japan time).

- If it was you: wait until then, or log in now by solving the harder image
  check together with your correct password:
  <?cs var:Mail.LoginURL ?>
  If you cannot read the image or have forgotten your password, set a new
  one here (no image check); it also ends the lock:
  <?cs var:Mail.ForgotURL ?>
- If it was not you: someone may be trying to guess your password. Your
  account stays safe as long as the password is not known. To be sure, set a
  new password that you use nowhere else:
  <?cs var:Mail.ForgotURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウントを一時的にロックしました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントへのログインが続けて失敗したため、安全のため
<?cs var:Mail.LockMinutes ?>分間アカウントをロックしました。
<?cs var:Mail.UnlockAt ?>（日本時間）に自動的に解除されます。

■ご自身の操作による場合
解除までお待ちいただくか、ログイン画面で表示される難しい画像認証と
正しいパスワードを入力すると、すぐにログインできます。
<?cs var:Mail.LoginURL ?>
画像が読めない場合やパスワードをお忘れの場合は、こちらからパスワードを
再設定してください（画像認証はありません）。再設定するとロックも解除されます。
<?cs var:Mail.ForgotURL ?>

■お心当たりがない場合
第三者がパスワードを推測しようとしている可能性があります。パスワードが
知られていなければアカウントは安全ですが、念のため、ほかのサイトでは
使っていない新しいパスワードに変更することをおすすめします。
<?cs var:Mail.ForgotURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
