<?cs # /inquiry/new (src/pages/inquiry_new.c). ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Inquiry.Title ?></h1>
  <p><?cs var:L.Inquiry.Lead ?></p>
  <?cs if:Inquiry.Chosen == "login_id" ?><p class="notice"><?cs var:L.Inquiry.LoginIdHint ?></p><?cs /if ?>
  <form method="post" action="/inquiry/new" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.category ?> field--error<?cs /if ?>">
      <label class="field__label" for="category"><?cs var:L.Inquiry.CategoryLabel ?><span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <select id="category" name="category" required>
        <?cs each:c = Inquiry.Categories ?><option value="<?cs var:c.key ?>"<?cs if:c.key == Inquiry.Chosen ?> selected<?cs /if ?>><?cs var:c.label ?></option><?cs /each ?>
      </select>
      <?cs if:Form.Errors.category ?><p class="field__error"><?cs var:Form.Errors.category ?></p><?cs /if ?>
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
      <label class="check"><input type="checkbox" name="receipt" value="1"<?cs if:Inquiry.Receipt ?> checked<?cs /if ?>><span><?cs var:L.Inquiry.Receipt ?></span></label>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Inquiry.Submit ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Inquiry.Title ?>
<?cs include:"layout.cs" ?>
