<?cs # /signup/eligibility — step 3 (src/pages/signup_eligibility.c).
  Elig.Stage "insurer": only the insurer number is known to be needed (button 次へ);
  "card": Elig.Pattern (1-4) decides which card boxes are shown. Boxes not shown
  are hidden AND disabled, so they are not sent. signup.js switches the boxes at
  once from /signup/pattern; without it the server does on 次へ. ?>
<?cs include:"eligibility_card.cs" ?>
<?cs def:outcome_links(o) ?>
  <?cs if:o == "bound" ?>
  <ul class="link-list">
    <li><a href="/login"><?cs var:L.Signup.Elig.LoginLink ?></a></li>
    <li><a href="/password/forgot"><?cs var:L.Signup.Elig.ForgotPassword ?></a></li>
    <li><a href="/inquiry/new?category=login_id"><?cs var:L.Signup.Elig.ForgotId ?></a></li>
    <li><a href="/signup/deletion" id="deletion-request-link"><?cs var:L.Deletion.Request.Link ?></a></li>
    <li><a href="/signup/cancel"><?cs var:L.Signup.Elig.Cancel ?></a></li>
  </ul>
  <?cs elif:o == "free" ?>
  <ul class="link-list"><li><a href="/signup/eligibility"><?cs var:L.Deletion.Confirm.Step3 ?></a></li></ul>
  <?cs elif:o == "not_found" || o == "not_qualified" ?>
  <ul class="link-list">
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Inquiry ?></a></li>
  </ul>
  <?cs /if ?>
<?cs /def ?>
<?cs def:content() ?>
<?cs if:Elig.Stage == "card" ?><?cs set:P = Elig.Pattern ?><?cs else ?><?cs set:P = 0 ?><?cs /if ?>
<?cs if:Elig.Purpose == "deletion" ?><?cs set:Action = "/signup/deletion" ?><?cs else ?><?cs set:Action = "/signup/eligibility" ?><?cs /if ?>
<section class="card">
  <h1><?cs if:Elig.Purpose == "deletion" ?><?cs var:L.Deletion.Request.Title ?><?cs else ?><?cs var:L.Signup.Elig.Title ?><?cs /if ?></h1>
  <p class="muted registering"><?cs var:L.Signup.Elig.Registering ?>: <strong><?cs var:Elig.Email ?></strong></p>
  <?cs if:Elig.Outcome ?>
  <div class="notice<?cs if:Elig.Outcome != "free" && Elig.Outcome != "pending" ?> notice--error<?cs /if ?>" role="alert" id="outcome">
    <p class="notice__title"><strong><?cs var:L.Signup.Elig.Outcome[Elig.Outcome].Title ?></strong></p>
    <?cs call:eligibility_outcome_text(Elig.Outcome) ?>
    <?cs call:outcome_links(Elig.Outcome) ?>
  </div>
  <?cs elif:Elig.Locked ?>
  <div class="notice notice--error" role="alert" id="outcome-locked">
    <p class="notice__title"><strong><?cs var:L.Signup.Elig.Outcome.locked.Title ?></strong></p>
    <?cs call:eligibility_outcome_text("locked") ?>
  </div>
  <?cs /if ?>
  <?cs if:Elig.Switched ?><p class="notice notice--warn" role="status"><?cs var:L.Signup.Elig.Switched ?></p><?cs /if ?>
  <?cs if:Elig.Purpose == "deletion" ?>
  <div id="deletion-explain">
    <p><?cs var:L.Deletion.Request.Lead ?></p>
    <ol>
      <li><?cs var:L.Deletion.Request.How1 ?></li>
      <li><?cs var:L.Deletion.Request.How2 ?></li>
      <li><?cs var:L.Deletion.Request.How3 ?> <?cs var:Deletion.GraceDays ?><?cs var:L.Deletion.Request.Days ?></li>
      <li><?cs var:L.Deletion.Request.How4 ?></li>
    </ol>
    <p class="muted"><?cs var:L.Deletion.Request.TryFirst ?></p>
  </div>
  <?cs else ?>
  <p><?cs var:L.Signup.Elig.Lead ?></p>
  <?cs /if ?>
  <ul class="notes">
    <li><?cs var:L.Signup.Elig.Note1 ?></li>
    <li><?cs var:L.Signup.Elig.Note2 ?></li>
  </ul>
  <p><a href="/signup/eligibility/help<?cs if:P != 0 ?>?pattern=<?cs var:P ?><?cs /if ?>" id="elig-help-link"><?cs var:L.Signup.Elig.HelpLink ?></a></p>
  <p class="muted"><?cs var:L.Signup.Elig.AllRequired ?></p>

  <form method="post" action="<?cs var:Action ?>" id="elig-form" class="form" novalidate data-pattern-url="/signup/pattern" data-stage="<?cs var:Elig.Stage ?>">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="form_insurer" id="form_insurer" value="<?cs var:Elig.FormInsurer ?>">
    <div class="field<?cs if:Form.Errors.insurer_number ?> field--error<?cs /if ?>">
      <label class="field__label" for="insurer_number"><?cs var:L.Signup.Elig.Insurer ?></label>
      <input type="text" id="insurer_number" name="insurer_number" value="<?cs var:Form.Values.insurer_number ?>" inputmode="numeric" autocomplete="off" maxlength="32" size="12" required aria-describedby="insurer_number-hint<?cs if:Form.Errors.insurer_number ?> insurer_number-error<?cs /if ?>">
      <p class="field__hint" id="insurer_number-hint"><?cs var:L.Signup.Elig.InsurerHint ?></p>
      <p class="field__hint insurer-name" id="insurer-name" aria-live="polite" data-prefix="<?cs var:L.Signup.Elig.InsurerOf ?><?cs if:Lang == "en" ?> <?cs /if ?>"><?cs if:Elig.InsurerName ?><?cs var:L.Signup.Elig.InsurerOf ?><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:Elig.InsurerName ?><?cs /if ?></p>
      <?cs if:Form.Errors.insurer_number ?><p class="field__error" id="insurer_number-error"><?cs var:Form.Errors.insurer_number ?></p><?cs /if ?>
    </div>

<?cs call:eligibility_card_fields(P) ?>
    <?cs if:Elig.Purpose == "deletion" ?>
    <div class="field<?cs if:Form.Errors.contact_email ?> field--error<?cs /if ?>">
      <label class="field__label" for="contact_email"><?cs var:L.Deletion.Request.Contact ?></label>
      <input type="email" id="contact_email" name="contact_email" value="<?cs var:Form.Values.contact_email ?>" autocomplete="email" maxlength="254" required aria-describedby="contact_email-hint<?cs if:Form.Errors.contact_email ?> contact_email-error<?cs /if ?>">
      <p class="field__hint" id="contact_email-hint"><?cs var:L.Deletion.Request.ContactHint ?></p>
      <?cs if:Form.Errors.contact_email ?><p class="field__error" id="contact_email-error"><?cs var:Form.Errors.contact_email ?></p><?cs /if ?>
    </div>
    <?cs /if ?>
    <div class="actions">
      <button class="button" type="submit" id="elig-submit"<?cs if:Elig.Locked && P != 0 ?> disabled<?cs /if ?> data-label-insurer="<?cs var:L.Signup.Elig.Next ?>" data-label-card="<?cs if:Elig.Purpose == "deletion" ?><?cs var:L.Deletion.Request.Submit ?><?cs else ?><?cs var:L.Signup.Elig.Submit ?><?cs /if ?>"><?cs if:P == 0 ?><?cs var:L.Signup.Elig.Next ?><?cs elif:Elig.Purpose == "deletion" ?><?cs var:L.Deletion.Request.Submit ?><?cs else ?><?cs var:L.Signup.Elig.Submit ?><?cs /if ?></button>
    </div>
    <?cs if:Elig.Purpose != "deletion" ?>
    <div class="insurer-only" id="insurer-only"<?cs if:P == 0 || !Elig.InsurerOnly ?> hidden<?cs /if ?>>
      <h2 class="insurer-only__title"><?cs var:L.Levels.SignupOnly.Title ?></h2>
      <p><?cs var:L.Levels.SignupOnly.Text ?></p>
      <p class="field__hint"><?cs var:L.Levels.SignupOnly.Later ?> <a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></p>
      <div class="actions"><button class="button button--secondary" type="submit" name="action" value="insurer_only" id="insurer-only-submit"<?cs if:P == 0 || !Elig.InsurerOnly ?> disabled<?cs /if ?>><?cs var:L.Levels.SignupOnly.Submit ?></button></div>
    </div>
    <?cs /if ?>
  </form>
  <ul class="link-list">
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Contact ?></a></li>
  </ul>
</section>
<section class="card">
  <h2><?cs var:L.Signup.Elig.CautionTitle ?></h2>
  <ul>
    <li><a href="/signup/cancel"><?cs var:L.Signup.Elig.Cancel ?></a></li>
    <li><?cs var:L.Signup.Elig.Wait ?></li>
  </ul>
  <form method="post" action="/logout" class="inline-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <button class="button button--link" type="submit"><?cs var:L.Signup.Logout ?></button>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Elig.Title ?>
<?cs include:"layout.cs" ?>
