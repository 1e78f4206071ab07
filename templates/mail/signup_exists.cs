<?cs # Sent when the signup form is used with an address that already has an
  account (src/signup.c): the page looks the same as for a new address, and
  the owner learns what happened here. Vars: Mail.State (verified, active,
  withdrawn), Mail.ReuseOn (set for a 未所属 account: the day this address
  can be used for a new signup, loss date + 100 days), Mail.LoginURL,
  Mail.ForgotURL, Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] About your sign-up (this address is already registered)

Someone entered this e-mail address on the sign-up page of <?cs var:Service.Name ?>.

<?cs if:Mail.ReuseOn ?>This address belongs to an account that is "unaffiliated" because the
membership of the health insurance society ended. It can be used for a new
registration from <?cs var:Mail.ReuseOn ?> (100 days after the membership ended).
Until then, please register with another address, or log in to the account
below. If you rejoin the same health insurance society before then, the
account comes back as it was once the society links your data again.
<?cs elif:Mail.State == "withdrawn" ?>This address belonged to an account that was closed, so it cannot be used
for a new registration at present. Please register with another address, or
contact us.
<?cs elif:Mail.State == "verified" ?>This address is already registered, but the registration is not finished.
Log in to continue where you left off (the insurance card check).
<?cs else ?>This address is already registered; there is no need to sign up again.
Please log in.
<?cs /if ?>
Log in:
<?cs var:Mail.LoginURL ?>

Forgot your password?
<?cs var:Mail.ForgotURL ?>

If it was not you, please ignore this mail: someone may have mistyped their
address. Nothing about your account has changed.
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】新規登録のお手続きについて(このメールアドレスは登録済みです)

<?cs var:Service.Name ?>の新規登録画面で、このメールアドレスが入力されました。

<?cs if:Mail.ReuseOn ?>このメールアドレスは、健康保険組合の資格喪失により「未所属」となった
アカウントで使われています。資格喪失から100日が経過する<?cs var:Mail.ReuseOn ?>から、
このメールアドレスで新規登録ができます。それまでは、別のメールアドレスで
ご登録いただくか、下記からこのアカウントにログインしてご利用ください。
なお、それまでに同じ健康保険組合に再加入され、健康保険組合から再連携が
あった場合は、このアカウントを以前と同じようにご利用いただけます。
<?cs elif:Mail.State == "withdrawn" ?>このメールアドレスは、退会済みのアカウントで使われていたため、
現在は新規登録にご利用いただけません。お手数ですが、別のメールアドレスで
ご登録いただくか、下記のお問い合わせページからご連絡ください。
<?cs elif:Mail.State == "verified" ?>このメールアドレスは、すでに登録されています（登録のお手続きが途中です）。
下記からログインすると、続き（保険証情報の照会）から登録を進められます。
<?cs else ?>このメールアドレスは、すでに登録されています。新たに登録する必要はありません。
下記からログインしてご利用ください。
<?cs /if ?>
■ログイン
<?cs var:Mail.LoginURL ?>

■パスワードを忘れた方
<?cs var:Mail.ForgotURL ?>

お心当たりのない場合は、このメールを破棄してください。どなたかがメールアドレスを
誤って入力した可能性があります。ご登録の内容やパスワードは変更されていません。
<?cs /if ?><?cs call:mail_footer(1) ?>
