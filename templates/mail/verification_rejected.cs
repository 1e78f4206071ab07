<?cs # Sent when a reviewer (console or kenpoctl review reject) rejected the
  member's 健診・医療アクセス認証 (src/review.c, in the decision's
  transaction). Vars: Mail.Reason (a key of L.Verify.Reason: the member's wording, as /verify shows it), Mail.Note
  (the reviewer's note, may be missing), Mail.URL (/verify, where she can try
  again), Mail.SupportURL. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Your verification for health data could not be completed

We reviewed your identity document and face photos but could not complete
the verification.

Reason: <?cs var:L.Verify.Reason[Mail.Reason] ?>
<?cs if:Mail.Note ?>Note from the reviewer: <?cs var:Mail.Note ?>
<?cs /if ?>
You can try again with new photos:
<?cs var:Mail.URL ?>

Questions:
<?cs var:Mail.SupportURL ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】健診・医療アクセス認証を完了できませんでした

<?cs var:Service.Name ?>をご利用いただき、ありがとうございます。

お送りいただいた本人確認書類と顔写真を確認しましたが、次の理由により認証を完了できませんでした。

理由：<?cs var:L.Verify.Reason[Mail.Reason] ?>
<?cs if:Mail.Note ?>担当者からのご連絡：<?cs var:Mail.Note ?>
<?cs /if ?>
お手数ですが、下記のページから写真を撮り直して、もう一度お申し込みください。
<?cs var:Mail.URL ?>

ご不明な点は、下記のお問い合わせページからご連絡ください。
<?cs var:Mail.SupportURL ?>
<?cs /if ?><?cs call:mail_footer(1) ?>
