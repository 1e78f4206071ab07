<?cs # Staff console /inquiries/<id> (src/pages/staff_inquiry.c): Inq.*; the member's text escaped. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="inq-title">
  <h1 id="inq-title"><?cs var:L.Staff.Inquiries.Title ?> <?cs var:Inq.Id ?></h1>
  <?cs if:Inq.Done ?><div class="notice" role="status" id="inq-done"><p><?cs var:L.Staff.Inquiry.Done ?></p></div><?cs /if ?>
  <?cs if:Inq.AlreadyAnswered ?><div class="notice notice--warn" role="alert" id="inq-already"><p><?cs var:L.Staff.Inquiry.Already ?></p></div><?cs /if ?>
  <dl class="summary">
    <dt><?cs var:L.Staff.Inquiry.Date ?></dt><dd><?cs var:Inq.Created ?></dd>
    <dt><?cs var:L.Staff.Inquiry.Category ?></dt><dd><?cs alt:L.Inquiry.Category[Inq.Category] ?><?cs var:Inq.Category ?><?cs /alt ?></dd>
    <dt><?cs var:L.Staff.Inquiry.Lang ?></dt><dd><?cs alt:L.Staff.Inquiry.LangName[Inq.Lang] ?><?cs var:Inq.Lang ?><?cs /alt ?></dd>
    <dt><?cs var:L.Staff.Inquiry.Email ?></dt><dd id="inq-email"><?cs var:Inq.Email ?></dd>
    <dt><?cs var:L.Staff.Inquiry.Name ?></dt><dd><?cs if:Inq.Name ?><?cs var:Inq.Name ?><?cs else ?><span class="muted"><?cs var:L.Staff.Inquiry.NoName ?></span><?cs /if ?></dd>
  </dl>
  <h2><?cs var:L.Staff.Inquiry.Body ?></h2>
  <p class="pre-wrap" id="inq-body"><?cs var:Inq.Body ?></p>
  <?cs if:Inq.Answer ?><h2><?cs var:L.Staff.Inquiry.Answer ?>（<?cs var:Inq.Answered ?>）</h2><p class="pre-wrap" id="inq-answer"><?cs var:Inq.Answer ?></p><?cs /if ?>
  <?cs if:Inq.Erased ?><div class="notice notice--warn" role="alert" id="inq-erased"><p><?cs var:L.Staff.Inquiry.Erased ?></p></div><?cs else ?>
  <form method="post" action="/inquiries/<?cs var:Inq.Id ?>" class="form" id="answer-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.answer ?> field--error<?cs /if ?>">
      <label class="field__label" for="answer"><?cs var:L.Staff.Inquiry.AnswerLabel ?></label>
      <textarea id="answer" name="answer" rows="8"><?cs var:Form.Answer ?></textarea>
      <?cs if:Form.Errors.answer ?><p class="field__error"><?cs var:Form.Errors.answer ?></p><?cs /if ?>
    </div>
    <?cs if:Inq.State == "answered" ?><label><input type="checkbox" name="again" value="1"> <?cs var:L.Staff.Inquiry.Again ?></label><?cs /if ?>
    <div class="actions"><button class="button" type="submit" id="answer-submit"><?cs var:L.Staff.Inquiry.Submit ?></button></div>
  </form><?cs /if ?>
  <p><a href="/inquiries"><?cs var:L.Staff.Inquiry.Back ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Inquiries.Title ?>
<?cs include:"staff_layout.cs" ?>
