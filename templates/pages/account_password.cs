<?cs # /account/password — change the password (src/pages/account_password.c).
  The new password: the field of step 1 (password_field.cs) with signup.js's
  show-password toggle and live rules. ?>
<?cs include:"password_field.cs" ?>
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
      <input type="hidden" id="email" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    </div>
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Password.Current ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <label class="check js-only" hidden><input type="checkbox" id="current_password-show" data-toggle-password="current_password"><span><?cs var:L.Signup.Show ?></span></label>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <?cs call:password_new_field_as(L.Member.Password.New, L.Signup.RulesNote) ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Member.Password.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Password.Title ?>
<?cs set:Page.Script = "signup" ?>
<?cs include:"layout.cs" ?>
