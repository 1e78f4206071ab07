<?cs # To the address of the old account of an アカウント削除申請 when the request
  is filed (src/deletion.c, deletion_confirm). Never names the requester or
  her address. Vars: Mail.GraceUntil (a date), Mail.LoginURL, Mail.ForgotURL,
  Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] A request to delete your account

Someone who proved to be the insured person whose health insurance data is
registered to your <?cs var:Service.Name ?> account (this e-mail address)
has asked us to delete the account, saying they cannot log in to it.

- If you wish to keep the account, log in by <?cs var:Mail.GraceUntil ?>:
  <?cs var:Mail.LoginURL ?>
  (Forgot your password? <?cs var:Mail.ForgotURL ?>)
  A login tells us that the account is in use; the support office then
  rejects the request.
- If the request was yours, you may do nothing. After that day the support
  office may delete the account and erase its personal data.

Questions: <?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウント削除申請がありました

このメールアドレスで登録されている<?cs var:Service.Name ?>のアカウントについて、
アカウントに登録された健康保険の資格情報のご本人であることを確認した方から、
「ログインできないため削除してほしい」との申請がありました。

・アカウントを引き続きご利用になる場合は、<?cs var:Mail.GraceUntil ?>までに
　ログインしてください。ログインがあった場合、申請は認められません。
　<?cs var:Mail.LoginURL ?>
　パスワードをお忘れの場合：<?cs var:Mail.ForgotURL ?>
・ご自身による申請の場合は、このままお待ちください。期限を過ぎると、
　運営事務局の審査のうえ、アカウントを削除し個人情報を消去します。
<?cs /if ?><?cs call:mail_footer(1) ?>
