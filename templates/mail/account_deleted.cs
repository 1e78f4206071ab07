<?cs # Sent when an account is deleted (削除), by the member on /account/delete or
  by the support office with kenpoctl account delete (src/account_delete.c),
  to the address the account had. Purged from the outbox once sent by the
  daily job. Vars: Mail.SupportURL (and the other member_mail URLs). ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account has been deleted

Your <?cs var:Service.Name ?> account registered with this e-mail address
has been deleted, and the personal data tied to it has been erased:
the address, the password, the link to your health insurance data, your
logins, your mails and the text of your inquiries.

If you wish to use the service again, please sign up anew.

If you did not ask for this, please contact us at once:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウントを削除しました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございました。

このメールアドレスで登録されていたアカウントを削除し、アカウントに
結びついた個人情報（メールアドレス、パスワード、健康保険の資格情報との
連携、ログイン状態、メール、お問い合わせの内容）を消去しました。

再度ご利用になる場合は、あらためて新規登録のお手続きをしてください。

お心当たりのない場合は、至急、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
