<?cs include:"mail_footer.cs" ?>Subject: 【<?cs var:Service.Name ?>】お問い合わせ #<?cs var:Inquiry.Id ?>（<?cs var:Inquiry.CategoryLabel ?>）

お問い合わせを受け付けました。kenpoctl で確認・回答してください。

受付番号　：<?cs var:Inquiry.Id ?>
種類　　　：<?cs var:Inquiry.CategoryLabel ?>（<?cs var:Inquiry.Category ?>）
連絡先　　：<?cs var:Inquiry.Email ?>
お名前　　：<?cs if:Inquiry.Name ?><?cs var:Inquiry.Name ?><?cs else ?>（未記入）<?cs /if ?>
アカウント：<?cs if:Inquiry.AccountId ?>ID <?cs var:Inquiry.AccountId ?>（ログイン中に送信）<?cs else ?>（ログインなし）<?cs /if ?>
表示言語　：<?cs var:Inquiry.Lang ?>
<?cs if:Inquiry.Category == "login_id" ?>
※ログインIDのお問い合わせです。回答の前に、必ずご本人であることを確認してください。
　ご本人確認ができるまで、登録の有無やメールアドレスを伝えないでください。
<?cs /if ?>
----- お問い合わせ内容 -----
<?cs var:Inquiry.Body ?>
----------------------------
<?cs call:mail_footer(0) ?>
