<?cs # Sent when a 未所属 account comes back because the insurer linked the same
  personal ID as qualified again within 100 days of the loss (src/lifecycle.c,
  in the roster import's transaction). Vars: Mail.LoginURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account is available again

Your health insurance society has linked your membership data again. Your
<?cs var:Service.Name ?> account registered with this e-mail address is no longer
"unaffiliated": every feature you used before is available again, with
your settings and history as they were.

Log in:
<?cs var:Mail.LoginURL ?>

If you think this is a mistake, please contact us:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウントが再びご利用いただけるようになりました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

ご加入の健康保険組合から、資格情報の再連携がありました。
このメールアドレスで登録されているアカウントの「未所属」の状態は解除され、
以前と同じ機能を、これまでの設定のままご利用いただけます。

■ログイン
<?cs var:Mail.LoginURL ?>

お心当たりのない場合は、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
