<?cs # /password/reset/<token> (src/pages/password_reset.c): the new password. The
  form has no action: it posts back to the address of the page. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Reset.Title ?></h1>
  <p><?cs var:L.Reset.Lead ?></p>
  <form method="post" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Reset.Account ?></span>
      <span><?cs var:Reset.Email ?></span>
      <?cs # For password managers: the account the new password belongs to. ?>
      <input type="hidden" name="username" value="<?cs var:Reset.Email ?>" autocomplete="username">
    </div>
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.Reset.Password ?></label>
      <input type="password" id="password" name="password" autocomplete="new-password" required aria-describedby="password-rule<?cs if:Form.Errors.password ?> password-error<?cs /if ?>">
      <p class="field__hint" id="password-rule"><?cs var:Reset.Rule ?></p>
      <?cs if:Form.Errors.password ?><div class="field__error" id="password-error"><?cs each:e = Form.ErrorList ?><?cs if:e.field == "password" ?><p><?cs var:e.text ?></p><?cs /if ?><?cs /each ?></div><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Reset.Submit ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Reset.Title ?>
<?cs include:"layout.cs" ?>
