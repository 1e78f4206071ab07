<?cs # Sent when a member at 団体ID認証 completed 本人確認 from the member area
  (src/pages/account_verify.c, in the binding's transaction). Vars:
  Mail.Insurer, Mail.TopURL, Mail.LoginURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Identity verification is complete

Your identity verification (本人確認) is complete: your health insurance
card data matched the membership data of <?cs var:Mail.Insurer ?>.
Your <?cs var:Service.Name ?> account is now at the level "identity verified",
and the features of that level are available.

Your page:
<?cs var:Mail.TopURL ?>

If you did not do this, someone may know your password: please change it
at once and contact us:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】本人確認が完了しました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

本人確認（保険証情報の確認）が完了しました。
入力された保険証情報が、<?cs var:Mail.Insurer ?>の資格情報と一致しました。
アカウントの認証状態は「本人確認済み」となり、
本人確認が必要な機能をご利用いただけるようになりました。

■トップページ
<?cs var:Mail.TopURL ?>

お心当たりのない場合は、パスワードが第三者に知られている可能性があります。
すぐにパスワードを変更し、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
