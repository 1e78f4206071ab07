<?cs # To the contact address when an operator rejects an アカウント削除申請
  (kenpoctl deletion reject; src/deletion.c). Says the same whatever the
  reason (an objection by the old account's owner is not revealed).
  Vars: Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account deletion request

We reviewed your account deletion request and could not approve it; the old
account was not deleted. If you remember that account, please try to log in
or reset its password. Otherwise please contact us:

<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウント削除申請の審査結果

アカウント削除申請を審査しましたが、申請を承認できませんでした。
以前のアカウントは削除していません。

以前のアカウントにお心当たりがある場合は、ログインやパスワードの再設定を
お試しください。解決しない場合は、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
