<?cs include:"mail_footer.cs" ?>Subject: テスト送信<?cs if:Tag ?> <?cs var:Tag ?><?cs /if ?>

これは <?cs var:Service.Name ?> の送信テストです。このメールに返信はできません。
.この行はドットで始まります（ドット・スタッフィングの確認）。
<?cs if:Note ?><?cs var:Note ?>
<?cs /if ?><?cs call:mail_footer(0) ?>
