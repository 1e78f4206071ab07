<?cs # Staff console /review/<id> (src/pages/staff_review.c): Review.*; the shots
  as <img> of /review/<id>/image?shot=… (each view audited there). ?>
<?cs def:shot(name) ?><figure class="shot"><?cs if:Review.Shots[name] ?><img src="/review/<?cs var:Review.Id ?>/image?shot=<?cs var:name ?>" alt="<?cs var:L.Staff.Review.Shot[name] ?>" id="shot-<?cs var:name ?>" loading="lazy"><?cs elif:name == "doc_back" && Review.Document == "mynumber" ?><p class="muted"><?cs var:L.Staff.Review.NoBackMyNumber ?></p><?cs elif:name == "doc_back" ?><p class="muted"><?cs var:L.Staff.Review.NoBack ?></p><?cs else ?><p class="muted"><?cs var:L.Staff.Review.NoShot ?></p><?cs /if ?><figcaption><?cs var:L.Staff.Review.Shot[name] ?><?cs if:name == "face_angle" ?><span class="shot__angle">（<?cs var:L.Staff.Review.AngleAsked ?><?cs var:L.Staff.Angle[Review.FaceAngle] ?>）</span><?cs /if ?></figcaption></figure><?cs /def ?>
<?cs def:content() ?>
<section class="card card--wide" aria-labelledby="review-title">
  <h1 id="review-title"><?cs var:L.Staff.Review.Title ?> <span id="review-id"><?cs var:Review.Id ?></span></h1>
  <?cs if:Review.Already ?><div class="notice notice--warn" role="alert" id="review-already"><p><?cs var:L.Staff.Review.Already ?></p></div><?cs /if ?>
  <?cs if:Review.Ineligible ?><div class="notice notice--warn" role="alert" id="review-ineligible"><p><?cs var:L.Staff.Review.Ineligible ?></p></div><?cs /if ?>
  <dl class="summary">
    <dt><?cs var:L.Staff.Review.Status ?></dt><dd id="review-status" data-status="<?cs var:Review.Status ?>"><?cs var:L.Staff.StatusName[Review.Status] ?></dd>
    <dt><?cs var:L.Staff.Review.Submitted ?></dt><dd><?cs var:Review.Submitted ?></dd>
    <dt><?cs var:L.Staff.Review.Method ?></dt><dd id="review-method"><?cs alt:L.Staff.Method[Review.Method] ?><?cs var:Review.Method ?><?cs /alt ?></dd>
    <dt><?cs var:L.Staff.Review.Insurer ?></dt><dd><?cs var:Review.Insurer ?></dd>
    <dt><?cs var:L.Staff.Review.Name ?></dt><dd id="review-name"><?cs if:Review.Name ?><?cs var:Review.Name ?><?cs else ?><?cs var:L.Staff.Review.Unbound ?><?cs /if ?></dd>
    <dt><?cs var:L.Staff.Review.Birthdate ?></dt><dd id="review-birthdate"><?cs var:Review.Birthdate ?></dd>
    <dt><?cs var:L.Staff.Review.Document ?></dt><dd id="review-document"><?cs var:L.Staff.Document[Review.Document] ?><?cs if:Review.Remarks == 1 ?>（<?cs var:L.Staff.Review.Remarks ?>）<?cs /if ?></dd>
    <dt><?cs var:L.Staff.Review.Angle ?></dt><dd id="review-angle"><?cs var:L.Staff.Angle[Review.FaceAngle] ?></dd>
    <?cs if:Review.Decided ?><dt><?cs var:L.Staff.Review.Decided ?></dt><dd><?cs var:Review.Decided ?><?cs if:Review.Reason ?> — <?cs var:L.Staff.Review.Reason[Review.Reason] ?><?cs /if ?></dd><?cs /if ?>
  </dl>
  <?cs if:Review.Purged == 1 ?><p class="notice" id="review-purged"><?cs var:L.Staff.Review.Purged ?></p><?cs /if ?>
  <div class="shots">
    <div class="shots__col" id="doc-shots"><h2><?cs var:L.Staff.Review.DocShots ?></h2><?cs call:shot("doc_front") ?><?cs call:shot("doc_back") ?><?cs call:shot("doc_angle") ?></div>
    <div class="shots__col" id="face-shots"><h2><?cs var:L.Staff.Review.FaceShots ?></h2><?cs call:shot("face_front") ?><?cs call:shot("face_angle") ?></div>
  </div>
  <?cs if:Review.Status == "submitted" ?>
  <form method="post" action="/review/<?cs var:Review.Id ?>" class="form" id="decide-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <fieldset class="field<?cs if:Form.Errors.decision ?> field--error<?cs /if ?>" id="decision"><legend class="field__label"><?cs var:L.Staff.Review.Decision ?></legend>
      <label><input type="radio" name="decision" value="approve"> <?cs var:L.Staff.Review.Approve ?></label>
      <label><input type="radio" name="decision" value="reject"> <?cs var:L.Staff.Review.Reject ?></label>
      <?cs if:Form.Errors.decision ?><p class="field__error"><?cs var:Form.Errors.decision ?></p><?cs /if ?>
    </fieldset>
    <div class="field<?cs if:Form.Errors.reason ?> field--error<?cs /if ?>">
      <label class="field__label" for="reason"><?cs var:L.Staff.Review.Reason ?></label>
      <select id="reason" name="reason"><option value=""><?cs var:L.Staff.Review.Choose ?></option><?cs each:k = Review.Reasons ?><option value="<?cs var:k ?>"><?cs var:L.Staff.Review.Reason[k] ?></option><?cs /each ?></select>
      <?cs if:Form.Errors.reason ?><p class="field__error"><?cs var:Form.Errors.reason ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.note ?> field--error<?cs /if ?>">
      <label class="field__label" for="note"><?cs var:L.Staff.Review.Note ?></label>
      <textarea id="note" name="note" rows="3" maxlength="1000"><?cs var:Form.Note ?></textarea>
      <?cs if:Form.Errors.note ?><p class="field__error"><?cs var:Form.Errors.note ?></p><?cs /if ?>
    </div>
    <p class="field__hint" id="decide-hint"><?cs var:L.Staff.Review.SubmitHint ?></p>
    <div class="actions"><button class="button" type="submit" id="decide-submit" aria-describedby="decide-hint"><?cs var:L.Staff.Review.Submit ?></button></div>
  </form>
  <?cs /if ?>
  <p><a href="/review"><?cs var:L.Staff.Review.Back ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Review.Title ?>
<?cs include:"staff_layout.cs" ?>
