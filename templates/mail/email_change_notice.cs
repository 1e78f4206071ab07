<?cs # To the CURRENT address when a change of the address was requested
  (src/pages/account_email.c): nothing has changed yet. Vars:
  Mail.NewEmailMasked, Mail.Hours, Mail.ForgotURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] A change of your e-mail address was requested

A change of the login ID (e-mail address) of your <?cs var:Service.Name ?> account
from this address to <?cs var:Mail.NewEmailMasked ?> was requested, with your password.

Nothing has changed yet: the change is made only when the link sent to the
new address is opened (within <?cs var:Mail.Hours ?> hours).

If this was you, there is nothing to do here.
If it was not you, someone may know your password. Set a new password at once
(this ends every session) and contact us:
<?cs var:Mail.ForgotURL ?>
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】メールアドレス変更のお申し込みを受け付けました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントのログインID（メールアドレス）を、このメールアドレスから
<?cs var:Mail.NewEmailMasked ?> に変更するお申し込みを、パスワードの入力とともに受け付けました。

まだ変更はされていません。新しいメールアドレスに送信したURLが
<?cs var:Mail.Hours ?>時間以内に開かれた場合にのみ、変更されます。

ご本人によるお申し込みの場合は、このメールへの対応は不要です。
※お心当たりがない場合は、第三者がお客様のパスワードを知っているおそれが
　あります。すぐにパスワードを再設定し（すべての端末でログアウトされます）、
　運営事務局へご連絡ください。
<?cs var:Mail.ForgotURL ?>
<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
