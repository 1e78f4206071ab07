<?cs if:Lang == "en" ?>Subject: [<?cs var:Service.Name ?>] We have received your inquiry (No. <?cs var:Inquiry.Id ?>)

Thank you for contacting <?cs var:Service.Name ?>.
We have received your inquiry:

  Reference number: <?cs var:Inquiry.Id ?>
  Subject: <?cs var:Inquiry.CategoryLabel ?>

The support office will reply to this address after checking it. Replies may
take some time. If you did not send an inquiry, please ignore this mail.

This mail is sent from an address that cannot receive replies.
-- 
<?cs var:Service.Operator ?>
<?cs else ?>Subject: 【<?cs var:Service.Name ?>】お問い合わせを受け付けました（受付番号 <?cs var:Inquiry.Id ?>）

<?cs var:Service.Name ?> へのお問い合わせありがとうございます。
次のとおりお問い合わせを受け付けました。

　受付番号：<?cs var:Inquiry.Id ?>
　種類　　：<?cs var:Inquiry.CategoryLabel ?>

内容を確認のうえ、運営事務局からこのメールアドレスへご連絡します。
回答までお時間をいただく場合があります。
お心当たりがない場合は、このメールを破棄してください。

※このメールは送信専用のアドレスから送信しています。ご返信いただいても
　お答えできません。

-- 
<?cs var:Service.Operator ?>
<?cs /if ?>
