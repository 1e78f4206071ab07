<?cs # Sent when an account becomes 未所属 because the insurer's roster says the
  member's qualification ended (src/lifecycle.c: a roster import, the daily
  job kenpoctl lifecycle run, or a page view on the day). Vars: Mail.LostOn
  (the loss date), Mail.RejoinUntil (the last day a rejoin with the same
  personal ID restores the account: loss date + 99 days), Mail.ClosesOn (the
  day the account is closed and the address free: loss date + 100 days),
  Mail.LoginURL, Mail.SignupURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account is now "unaffiliated"

Your health insurance society has informed us that your membership ended on
<?cs var:Mail.LostOn ?>. Your <?cs var:Service.Name ?> account registered with this e-mail
address is therefore "unaffiliated" from now on, and only some features are
available. You can still log in:
<?cs var:Mail.LoginURL ?>

- If you rejoin the same health insurance society by <?cs var:Mail.RejoinUntil ?> and it
  links your data again, this account comes back as it was, by itself. There
  is nothing you need to do.
- Otherwise the account will be closed on <?cs var:Mail.ClosesOn ?> and its personal
  data deleted. From that day this e-mail address can be used for a new
  registration:
  <?cs var:Mail.SignupURL ?>
- If you have joined another health insurance society (for example after a
  job change, with a new personal ID), this account cannot be carried over:
  please register anew with your new society, with another e-mail address
  until the day above.

If you think this is a mistake, please contact us:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】健康保険組合の資格喪失に伴い「未所属」となりました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

ご加入の健康保険組合から、<?cs var:Mail.LostOn ?>に資格を喪失されたとの連携がありました。
このため、このメールアドレスで登録されているアカウントは「未所属」となり、
ご利用いただける機能が限られます。ログインは引き続き可能です。
<?cs var:Mail.LoginURL ?>

・<?cs var:Mail.RejoinUntil ?>までに同じ健康保険組合に再加入され、健康保険組合から
　同じ個人IDで再連携があった場合は、このアカウントを以前と同じように
　ご利用いただけます。お手続きは不要です。
・再連携がない場合は、<?cs var:Mail.ClosesOn ?>にアカウントを閉鎖し、ご登録の情報を
　削除します。同日から、このメールアドレスで新規登録ができます。
　<?cs var:Mail.SignupURL ?>
・転職などで別の健康保険組合に加入された場合（個人IDが変わる場合）は、
　このアカウントは引き継げません。新しい健康保険組合で新規登録をしてください。
　上記の日までは、別のメールアドレスでご登録ください。

お心当たりのない場合は、下記のお問い合わせページからご連絡ください。
<?cs /if ?><?cs call:mail_footer(1) ?>
