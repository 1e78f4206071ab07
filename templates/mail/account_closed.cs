<?cs # Sent when an account that stayed 未所属 for 100 days after the loss of
  qualification is closed and its personal data erased (src/lifecycle.c, the
  daily job kenpoctl lifecycle run). The last mail to this address; the daily
  job deletes it from the outbox once sent. Vars: Mail.SignupURL,
  Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your account has been closed

100 days have passed since your membership of the health insurance society
ended, so your <?cs var:Service.Name ?> account registered with this e-mail address has
been closed and its personal data deleted.

This e-mail address can now be used for a new registration. If you join a
health insurance society that offers <?cs var:Service.Name ?>, please sign up anew:
<?cs var:Mail.SignupURL ?>

Contact:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウントを閉鎖しました

<?cs var:Service.Name ?>をご利用いただき、ありがとうございました。

健康保険組合の資格を喪失されてから100日が経過したため、このメールアドレスで
登録されていたアカウントを閉鎖し、ご登録の情報を削除しました。

このメールアドレスは、新規登録に再びご利用いただけます。
<?cs var:Service.Name ?>を導入している健康保険組合にご加入の際は、あらためて
新規登録のお手続きをしてください。
<?cs var:Mail.SignupURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
