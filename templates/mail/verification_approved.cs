<?cs # Sent when a reviewer (console or kenpoctl review approve) approved the
  member's 健診・医療アクセス認証 (src/review.c, in the decision's
  transaction). Vars: Mail.URL (/top), Mail.LoginURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your verification for health data is approved

Your identity documents and face photos have been reviewed and approved.
Your account is now at the level "health and medical data", and the
features of that level are open to you. Before each use you will be asked
the secret question you set.

Your page:
<?cs var:Mail.URL ?>

If you did not apply for this, please contact us at once:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】健診・医療アクセス認証が完了しました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

お送りいただいた本人確認書類と顔写真を確認し、健診・医療アクセス認証が完了しました。
健診結果などの機能をご利用いただけます。ご利用の際は、設定した秘密の質問にお答えください。

■トップページ
<?cs var:Mail.URL ?>

お心当たりのない場合は、すぐに下記のお問い合わせページからご連絡ください。
<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
