<?cs # To the contact address of an アカウント削除申請 (src/deletion.c,
  deletion_file): the link that files the request. Never names the old
  account. Vars: Mail.ConfirmURL (valid 24 hours), Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Please confirm your account deletion request

We received a request to delete an old <?cs var:Service.Name ?> account that
holds your health insurance data. To file it, open this link within 24 hours:

<?cs var:Mail.ConfirmURL ?>

Then we tell the old account's address; its owner may object by logging in
for a while. After that the support office decides and writes to you here.

If you did not ask for this, you can ignore this mail: nothing happens
without the link.

<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】アカウント削除申請の確認

健康保険の資格情報が登録されている以前のアカウントについて、
アカウント削除申請を受け付けました。申請を確定するには、
24時間以内に次のリンクを開いてください。

<?cs var:Mail.ConfirmURL ?>

リンクを開くと、以前のアカウントのメールアドレスにお知らせし、
そのアカウントの持ち主がログインして異議を示せる期間を設けます。
期間が過ぎた後、運営事務局が審査し、結果をこのメールアドレスにお知らせします。

お心当たりのない場合は、このメールを破棄してください。
リンクを開かない限り、申請は行われません。
<?cs /if ?><?cs call:mail_footer(1) ?>
