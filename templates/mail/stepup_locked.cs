<?cs # Sent when wrong answers to the secret question locked it (src/stepup.c,
  in the transaction that sets secret_questions.locked_at). Vars:
  Mail.VerifyURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your secret question is locked

The answer to your secret question was wrong too many times in a row, so
your health and medical data (health-check results, prescriptions,
medical-cost notices) on <?cs var:Service.Name ?> are closed.

To open them again, do the health data access verification again and set a
new secret question; once it is approved, they open again:
<?cs var:Mail.VerifyURL ?>

If it was not you who answered, someone may know your password: please
change it at once and contact us:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】秘密の質問がロックされました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

秘密の質問の答えが続けて間違って入力されたため、
健診・医療情報（健診結果・お薬の履歴・医療費通知）をご覧いただけない状態にしました。

再びご利用いただくには、もう一度健診・医療アクセス認証を行い、
新しい秘密の質問を設定してください。承認されると、再びご利用いただけます。

■健診・医療アクセス認証
<?cs var:Mail.VerifyURL ?>

お心当たりのない場合は、パスワードが第三者に知られている可能性があります。
すぐにパスワードを変更し、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
