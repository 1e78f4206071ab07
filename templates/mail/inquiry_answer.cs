<?cs # The support office's answer to an inquiry (kenpoctl inquiry answer,
  src/kenpoctl/inquiry.c), in the language the inquiry was written in.
  Vars: Inquiry.Id, Inquiry.Category, Inquiry.CategoryLabel, Inquiry.Created
  (YYYY-MM-DD, Japan time), Inquiry.Answer. The member's own text is never
  quoted: the form lets anyone choose the reply address. ?><?cs
include:"mail_footer.cs" ?><?cs
if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] Answer to your inquiry (No. <?cs var:Inquiry.Id ?>)

Thank you for contacting <?cs var:Service.Name ?>.
This is our answer to your inquiry:

  Reference number: <?cs var:Inquiry.Id ?>
  Subject: <?cs var:Inquiry.CategoryLabel ?>
  Received: <?cs var:Inquiry.Created ?>

----------------------------------------------------------------
<?cs var:Inquiry.Answer ?>
----------------------------------------------------------------

If you have further questions, please send a new inquiry and mention the
reference number above:
<?cs if:string.slice(Service.SupportURL, 0, 1) == "/" ?><?cs var:Service.BaseURL ?><?cs /if ?><?cs var:Service.SupportURL ?>

If you did not send an inquiry, please ignore this mail.
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】お問い合わせへの回答（受付番号 <?cs var:Inquiry.Id ?>）

<?cs var:Service.Name ?> へのお問い合わせありがとうございます。
お問い合わせについて、次のとおり回答いたします。

　受付番号：<?cs var:Inquiry.Id ?>
　種類　　：<?cs var:Inquiry.CategoryLabel ?>
　受付日　：<?cs var:Inquiry.Created ?>

────────────────────────────────
<?cs var:Inquiry.Answer ?>
────────────────────────────────

ご不明な点がございましたら、上記の受付番号を添えて、お問い合わせページから
あらためてご連絡ください。
<?cs if:string.slice(Service.SupportURL, 0, 1) == "/" ?><?cs var:Service.BaseURL ?><?cs /if ?><?cs var:Service.SupportURL ?>

お心当たりがない場合は、このメールを破棄してください。
<?cs /if ?><?cs call:mail_footer(1) ?>
