<?cs # /account/password — change the password (src/pages/account_password.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="pw-title">
  <h1 id="pw-title"><?cs var:L.Member.Password.Title ?></h1>
  <p><?cs var:L.Member.Password.Lead ?></p>
  <form method="post" action="/account/password" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Member.Password.Account ?></span>
      <span><?cs var:Account.Email ?></span>
      <?cs # For password managers: the account the new password belongs to. ?>
      <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    </div>
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Password.Current ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.Member.Password.New ?></label>
      <input type="password" id="password" name="password" autocomplete="new-password" required<?cs if:Form.Errors.password ?> aria-invalid="true"<?cs /if ?> aria-describedby="password-rule<?cs if:Form.Errors.password ?> password-error<?cs /if ?>">
      <p class="field__hint" id="password-rule"><?cs var:Member.Password.RuleText ?></p>
      <?cs if:Form.Errors.password ?><div class="field__error" id="password-error"><?cs each:e = Form.ErrorList ?><?cs if:e.field == "password" ?><p><?cs var:e.text ?></p><?cs /if ?><?cs /each ?></div><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Member.Password.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Password.Title ?>
<?cs include:"layout.cs" ?>
