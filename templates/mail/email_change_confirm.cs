<?cs # To the NEW address of an e-mail address change (src/pages/account_email.c):
  the link that makes the change. Vars: Mail.Link, Mail.Hours, Mail.NewEmail,
  Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Confirm your new e-mail address

A change of the login ID (e-mail address) of a <?cs var:Service.Name ?> account
to this address (<?cs var:Mail.NewEmail ?>) was requested.

To complete the change, open the link below within <?cs var:Mail.Hours ?> hours. If you
are not logged in, log in with your current address first; the change is
made when the link opens while you are logged in.

<?cs var:Mail.Link ?>

The link works once. Until it is opened, your login ID stays as it is.
If you did not ask for this, ignore this mail: nothing will change.
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】メールアドレス変更の確認

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

<?cs var:Service.Name ?> のアカウントのログインID（メールアドレス）を、
このメールアドレス（<?cs var:Mail.NewEmail ?>）に変更するお申し込みを受け付けました。

変更を完了するには、<?cs var:Mail.Hours ?>時間以内に次のURLを開いてください。
ログインしていない場合は、現在のメールアドレスでログインすると変更が完了します。

<?cs var:Mail.Link ?>

※URLは一度だけ使用できます。URLを開くまで、ログインIDは変更されません。
※お心当たりがない場合は、このメールを破棄してください。何も変更されません。
<?cs /if ?><?cs call:mail_footer(1) ?>
