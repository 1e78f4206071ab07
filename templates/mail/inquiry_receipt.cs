<?cs # The receipt of an inquiry (src/pages/inquiry_new.c), when the member asked
  for it: the number, the category and her text repeated as Inquiry.Quoted
  (each line after "> ", "://" written "[:]//": a quotation without links). ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] We have received your inquiry (No. <?cs var:Inquiry.Id ?>)

Thank you for contacting <?cs var:Service.Name ?>.
We have received your inquiry:

  Reference number: <?cs var:Inquiry.Id ?>
  Subject: <?cs var:Inquiry.CategoryLabel ?>

Your message:
<?cs var:Inquiry.Quoted ?>

The support office will reply to this address after checking it. Replies may
take some time. If you did not send an inquiry, please ignore this mail.
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】お問い合わせを受け付けました（受付番号 <?cs var:Inquiry.Id ?>）

<?cs var:Service.Name ?> へのお問い合わせありがとうございます。
次のとおりお問い合わせを受け付けました。

　受付番号：<?cs var:Inquiry.Id ?>
　種類　　：<?cs var:Inquiry.CategoryLabel ?>

お問い合わせ内容：
<?cs var:Inquiry.Quoted ?>

内容を確認のうえ、運営事務局からこのメールアドレスへご連絡します。
回答までお時間をいただく場合があります。
お心当たりがない場合は、このメールを破棄してください。
<?cs /if ?><?cs call:mail_footer(1) ?>
