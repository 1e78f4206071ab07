<?cs # /inquiry/new, 入力内容の確認 (src/pages/inquiry_new.c): the values as they
  will be sent, escaped, and carried in hidden fields; 送信する stores them,
  戻る shows the form with everything as typed. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="inquiry-confirm-title">
  <h1 id="inquiry-confirm-title"><?cs var:L.Inquiry.ConfirmTitle ?></h1>
  <ol class="inquiry-steps" aria-label="<?cs var:L.Inquiry.StepsLabel ?>">
    <li class="done"><?cs var:L.Inquiry.StepInput ?></li>
    <li class="current" aria-current="step"><?cs var:L.Inquiry.StepConfirm ?></li>
    <li><?cs var:L.Inquiry.StepDone ?></li>
  </ol>
  <p><?cs var:L.Inquiry.ConfirmLead ?></p>
  <dl class="summary inquiry-confirm" id="inquiry-confirm">
    <dt><?cs var:L.Inquiry.CategoryLabel ?></dt><dd id="confirm-category"><?cs var:Inquiry.ChosenLabel ?></dd>
    <dt><?cs var:L.Inquiry.Email ?></dt><dd id="confirm-email"><?cs var:Inquiry.Email ?></dd>
    <dt><?cs var:L.Inquiry.Name ?></dt><dd id="confirm-name"><?cs if:Inquiry.Name ?><?cs var:Inquiry.Name ?><?cs else ?><span class="muted"><?cs var:L.Inquiry.NoName ?></span><?cs /if ?></dd>
    <dt><?cs var:L.Inquiry.Body ?></dt><dd id="confirm-body" class="inquiry-confirm__body"><?cs var:Inquiry.Body ?></dd>
    <dt><?cs var:L.Inquiry.ReceiptShort ?></dt><dd id="confirm-receipt"><?cs if:Inquiry.Receipt ?><?cs var:L.Inquiry.ReceiptYes ?><?cs else ?><?cs var:L.Inquiry.ReceiptNo ?><?cs /if ?></dd>
  </dl>
  <form method="post" action="/inquiry/new" class="inquiry-confirm__form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="category" value="<?cs var:Inquiry.Chosen ?>">
    <input type="hidden" name="email" value="<?cs var:Inquiry.Email ?>">
    <input type="hidden" name="name" value="<?cs var:Inquiry.Name ?>">
    <input type="hidden" name="body" value="<?cs var:Inquiry.Body ?>">
    <?cs if:Inquiry.Receipt ?><input type="hidden" name="receipt" value="1"><?cs /if ?>
    <div class="actions">
      <button class="button" type="submit" name="action" value="send" id="inquiry-send"><?cs var:L.Inquiry.Submit ?></button>
      <button class="button button--secondary" type="submit" name="action" value="back" id="inquiry-back"><?cs var:L.Common.Back ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Inquiry.ConfirmTitle ?>
<?cs include:"layout.cs" ?>
