<?cs # To the OLD address once an e-mail address change is complete
  (src/pages/account_email_confirm.c). Vars: Mail.NewEmailMasked,
  Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your e-mail address has been changed

The login ID (e-mail address) of your <?cs var:Service.Name ?> account has been changed
from this address to <?cs var:Mail.NewEmailMasked ?>. From now on, log in with the new
address; mails from us go there. This is the last mail to this address.

If you did not make this change, contact us at once:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】メールアドレスが変更されました

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

お客様のアカウントのログインID（メールアドレス）を、このメールアドレスから
<?cs var:Mail.NewEmailMasked ?> に変更しました。次回からは新しいメールアドレスで
ログインしてください。今後のお知らせは新しいメールアドレスにお送りします。
このメールアドレスへのご連絡は、これが最後になります。

※お心当たりがない場合は、至急、運営事務局へご連絡ください。
<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
