<?cs # Sent when an account is withdrawn (退会), by the member on the account
  settings page or by the support office with kenpoctl account withdraw
  (src/account_withdraw.c). Vars: Mail.SignupURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account has been closed

Your <?cs var:Service.Name ?> account registered with this e-mail address
has been closed (withdrawal completed).

- You have been logged out on every device, and "Keep me logged in" has
  been ended.
- The link between the account and your health insurance data has been
  released. If you wish to use the service again, please sign up anew:
  <?cs var:Mail.SignupURL ?>

If you did not ask for this, please contact us at once:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】退会手続きが完了しました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございました。

このメールアドレスで登録されていたアカウントの退会手続きが完了しました。

・すべての端末でログアウトし、「次回から自動的にログインする」の設定も
　解除しました。
・アカウントと健康保険の資格情報との連携を解除しました。
　再度ご利用になる場合は、あらためて新規登録のお手続きをしてください。
　<?cs var:Mail.SignupURL ?>

お心当たりのない場合は、至急、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
