<?cs include:"mail_footer.cs" ?><?cs if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Reset your password

We received a request to reset the password of your <?cs var:Service.Name ?> account.
Open the link below within <?cs var:Mail.ResetMinutes ?> minutes and set a new password:

<?cs var:Mail.ResetURL ?>

The link works once. If you did not ask for this, ignore this mail: your
password stays as it is.
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】パスワード再設定のご案内

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

パスワードの再設定のお申し込みを受け付けました。
<?cs var:Mail.ResetMinutes ?>分以内に次のURLを開き、新しいパスワードを設定してください。

<?cs var:Mail.ResetURL ?>

※URLは一度だけ使用できます。
※お心当たりがない場合は、このメールを破棄してください。パスワードは
　変更されません。
<?cs /if ?><?cs call:mail_footer(1) ?>
