<?cs # /inquiry/new (src/pages/inquiry_new.c): the form. The category's guidance
  list works without JavaScript (all shown, the chosen one marked); inquiry.js
  shows only the chosen one as the select changes. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Inquiry.Title ?></h1>
  <ol class="inquiry-steps" aria-label="<?cs var:L.Inquiry.StepsLabel ?>">
    <li class="current" aria-current="step"><?cs var:L.Inquiry.StepInput ?></li>
    <li><?cs var:L.Inquiry.StepConfirm ?></li>
    <li><?cs var:L.Inquiry.StepDone ?></li>
  </ol>
  <p><?cs var:L.Inquiry.Lead ?></p>
  <form method="post" action="/inquiry/new" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.category ?> field--error<?cs /if ?>">
      <label class="field__label" for="category"><?cs var:L.Inquiry.CategoryLabel ?><span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <select id="category" name="category" required aria-describedby="inquiry-guides-title">
        <option value=""<?cs if:!Inquiry.Chosen ?> selected<?cs /if ?>><?cs var:L.Inquiry.Choose ?></option>
        <?cs each:c = Inquiry.Categories ?><option value="<?cs var:c.key ?>"<?cs if:c.key == Inquiry.Chosen ?> selected<?cs /if ?>><?cs var:c.label ?></option><?cs /each ?>
      </select>
      <?cs if:Form.Errors.category ?><p class="field__error"><?cs var:Form.Errors.category ?></p><?cs /if ?>
      <div class="inquiry-guides" id="inquiry-guides">
        <p class="inquiry-guides__title" id="inquiry-guides-title"><?cs var:L.Inquiry.GuideTitle ?></p>
        <ul class="inquiry-guides__list">
          <?cs each:c = Inquiry.Categories ?>
          <li class="inquiry-guide<?cs if:c.key == Inquiry.Chosen ?> inquiry-guide--chosen<?cs /if ?>" id="guide-<?cs var:c.key ?>" data-category="<?cs var:c.key ?>"><strong class="inquiry-guide__name"><?cs var:c.label ?></strong><span class="inquiry-guide__text"><?cs var:L.Inquiry.Guide[c.key] ?></span></li>
          <?cs /each ?>
        </ul>
      </div>
    </div>
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Inquiry.Email ?><span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <input type="email" id="email" name="email" value="<?cs var:Inquiry.Email ?>" autocomplete="email" inputmode="email" autocapitalize="off" spellcheck="false" required aria-describedby="email-hint">
      <p class="field__hint" id="email-hint"><?cs var:L.Inquiry.EmailHint ?></p>
      <?cs if:Form.Errors.email ?><p class="field__error"><?cs var:Form.Errors.email ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.name ?> field--error<?cs /if ?>">
      <label class="field__label" for="name"><?cs var:L.Inquiry.Name ?><span class="field__badge field__badge--optional"><?cs var:L.Common.Optional ?></span></label>
      <input type="text" id="name" name="name" value="<?cs var:Inquiry.Name ?>" autocomplete="name" aria-describedby="name-hint">
      <p class="field__hint" id="name-hint"><?cs var:L.Inquiry.NameHint ?></p>
      <?cs if:Form.Errors.name ?><p class="field__error"><?cs var:Form.Errors.name ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.body ?> field--error<?cs /if ?>">
      <label class="field__label" for="body"><?cs var:L.Inquiry.Body ?><span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <textarea id="body" name="body" rows="8" maxlength="<?cs var:Inquiry.BodyMax ?>" required aria-describedby="body-hint"><?cs var:Inquiry.Body ?></textarea>
      <p class="field__hint" id="body-hint"><?cs var:Inquiry.BodyHint ?> <?cs var:L.Inquiry.NoCard ?></p>
      <?cs if:Form.Errors.body ?><p class="field__error"><?cs var:Form.Errors.body ?></p><?cs /if ?>
    </div>
    <div class="field">
      <label class="check"><input type="checkbox" id="receipt" name="receipt" value="1"<?cs if:Inquiry.Receipt ?> checked<?cs /if ?>><span><?cs var:L.Inquiry.Receipt ?></span></label>
    </div>
    <div class="actions">
      <button class="button" type="submit" name="action" value="confirm"><?cs var:L.Inquiry.ToConfirm ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Inquiry.Title ?>
<?cs include:"layout.cs" ?>
