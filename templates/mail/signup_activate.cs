<?cs # The activation mail (signup step 1 and resend; src/signup.c). Plain text.
  Vars: Mail.Code, Mail.Link, Mail.Hours, Mail.Minutes, Mail.Again (1: the
  address had an unfinished signup already), Mail.SupportURL. The code comes
  before the link: a reader (and a test) finds the six digits first. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Thank you for your provisional registration (not complete yet)

Thank you for signing up for <?cs var:Service.Name ?>.

Your provisional registration is done. To continue, open the link below,
or enter this code on the registration screen:

  Code: <?cs var:Mail.Code ?>

<?cs var:Mail.Link ?>

* The link is valid for <?cs var:Mail.Hours ?> hours, the code for <?cs var:Mail.Minutes ?> minutes.
  After that, please send the mail again or register your address again.
* You will need your health insurance card in the next step.
<?cs if:Mail.Again == 1 ?>* This address was registered provisionally before. If you continue with
  this mail, the password set with this registration takes effect. If you did
  not register, do not open the link; just delete this mail.
<?cs /if ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】仮登録ありがとうございます(※まだ本登録は完了していません)

<?cs var:Service.Name ?>への新規登録ありがとうございます。

仮登録が完了いたしました。
引き続き、下記のリンクを開くか、登録画面に確認コードを入力して、
会員登録をすすめてください。

  確認コード：<?cs var:Mail.Code ?>

<?cs var:Mail.Link ?>

※ 本URLの有効期間は<?cs var:Mail.Hours ?>時間、確認コードの有効期間は<?cs var:Mail.Minutes ?>分となります。
  有効期間を過ぎた場合はお手数ですが、仮登録メールの再送信、または
  メールアドレスの登録からやり直しをお願いします。

※ 登録には保険証が必要となりますので、お手元に準備をお願いします。
<?cs if:Mail.Again == 1 ?>
※ このメールアドレスでは、以前にも仮登録のお手続きがありました。
  このメールのリンクまたは確認コードで登録を進めると、今回の仮登録で
  設定したパスワードが有効になります。お心当たりのない場合は、
  リンクを開かずに、このメールを削除してください。
<?cs /if ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
