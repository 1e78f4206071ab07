<?cs # To the contact address when an operator approves an アカウント削除申請
  (kenpoctl deletion approve; src/deletion.c). Vars: Mail.ContinueURL (step
  3), Mail.LoginURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account deletion request was approved

The old account that held your health insurance data has been deleted.
Log in with the account you were signing up with and continue with the
insurance check:

<?cs var:Mail.ContinueURL ?>

<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウント削除申請の審査結果（削除しました）

アカウント削除申請を審査し、健康保険の資格情報が登録されていた
以前のアカウントを削除しました。

登録中のアカウントでログインし、健保資格確認から登録を続けてください。
<?cs var:Mail.ContinueURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
