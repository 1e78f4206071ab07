<?cs # A change of the member's two-step verification (src/member_totp.c):
  Mail.Change = totp_on (she set it up), totp_off (she turned it off),
  totp_off_support (the support office turned it off: kenpoctl account
  totp-off), recovery (new recovery codes). Mail.SecurityURL: the settings; Mail.ForgotURL and Mail.SupportURL
  (member_mail) for "if it was not you".
  Never a secret, a code or a recovery code. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] <?cs
if:Mail.Change == "totp_on" ?>Two-step verification was turned on<?cs
elif:Mail.Change == "recovery" ?>New recovery codes were made<?cs
else ?>Two-step verification was turned off<?cs /if ?>

<?cs if:Mail.Change == "totp_on" ?>Two-step verification by an authenticator app has just been turned on for
your <?cs var:Service.Name ?> account. From now on we ask for a code from the app
when you log in. For your security, you have been logged out on every other
device, and "Keep me logged in" has been ended. Keep your recovery codes
somewhere safe.
<?cs elif:Mail.Change == "recovery" ?>New recovery codes have just been made for your <?cs var:Service.Name ?>
account. The recovery codes you had before no longer work.
<?cs elif:Mail.Change == "totp_off_support" ?>At your request, the support office has turned off two-step verification
for your <?cs var:Service.Name ?> account. Your password alone logs you in now.
We recommend setting it up again with your new phone:
<?cs else ?>Two-step verification has just been turned off for your <?cs var:Service.Name ?>
account. Your password alone logs you in now.
<?cs /if ?>
<?cs var:Mail.SecurityURL ?>

If you did not do this, someone else may know your password. Change your
password at once and contact us:
Set a new password: <?cs var:Mail.ForgotURL ?>
Contact us: <?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】<?cs
if:Mail.Change == "totp_on" ?>二段階認証を設定しました<?cs
elif:Mail.Change == "recovery" ?>回復コードを作り直しました<?cs
else ?>二段階認証を解除しました<?cs /if ?>

<?cs var:Service.Name ?> をご利用いただきありがとうございます。

<?cs if:Mail.Change == "totp_on" ?>お客様のアカウントに、認証アプリによる二段階認証が設定されました。
これからはログインの際に、認証アプリのコードをお尋ねします。
安全のため、設定を行った端末以外のすべての端末でログアウトし、
「次回から自動的にログインする」の設定も解除しました。
回復コードは、他人に見られない安全な場所に保管してください。
<?cs elif:Mail.Change == "recovery" ?>お客様のアカウントの回復コードが作り直されました。
以前の回復コードは使えなくなりました。
<?cs elif:Mail.Change == "totp_off_support" ?>お申し出により、運営事務局でお客様のアカウントの二段階認証を解除しました。
現在は、パスワードだけでログインできます。新しいスマートフォンで、
あらためて二段階認証を設定することをおすすめします。
<?cs else ?>お客様のアカウントの二段階認証が解除されました。
現在は、パスワードだけでログインできます。
<?cs /if ?>
<?cs var:Mail.SecurityURL ?>

※お心当たりがない場合は、第三者がお客様のパスワードを知っているおそれが
　あります。すぐにパスワードを再設定し、運営事務局へご連絡ください。
パスワードの再設定：<?cs var:Mail.ForgotURL ?>
お問い合わせ：<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
