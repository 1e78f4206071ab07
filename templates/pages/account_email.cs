<?cs # /account/email — ask to change the address (src/pages/account_email.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="email-title">
  <h1 id="email-title"><?cs var:L.Member.Email.Title ?></h1>
  <p><?cs var:L.Member.Email.Lead ?></p>
  <?cs if:Account.Pending ?>
  <div class="notice notice--warn" id="email-pending">
    <p><?cs var:L.Member.Email.Pending ?><br><strong><?cs var:Account.Pending ?></strong></p>
    <p><?cs var:Account.PendingHint ?></p>
    <p class="field__error-title"><?cs var:L.Member.Email.CheckTitle ?></p>
    <ul>
      <li><?cs var:L.Member.Email.Check1 ?></li>
      <li><?cs var:L.Member.Email.Check2 ?></li>
      <li><?cs var:L.Member.Email.Check3 ?></li>
    </ul>
  </div>
  <?cs /if ?>
  <form method="post" action="/account/email" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Member.Email.Current ?></span>
      <span id="email-current"><?cs var:Account.Email ?></span>
    </div>
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Member.Email.New ?></label>
      <input type="email" id="email" name="email" value="<?cs var:Form.Values.email ?>" autocomplete="email" inputmode="email" maxlength="254" required<?cs if:Form.Errors.email ?> aria-invalid="true"<?cs /if ?> aria-describedby="email-hint<?cs if:Form.Errors.email ?> email-error<?cs /if ?>">
      <p class="field__hint" id="email-hint"><?cs var:L.Member.Email.NewHint ?></p>
      <?cs if:Form.Errors.email ?><p class="field__error" id="email-error"><?cs var:Form.Errors.email ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Email.Password ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true"<?cs /if ?> aria-describedby="current_password-hint<?cs if:Form.Errors.current_password ?> current_password-error<?cs /if ?>">
      <p class="field__hint" id="current_password-hint"><?cs var:L.Member.Email.PasswordHint ?></p>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Member.Email.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.Member.Email.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Email.Title ?>
<?cs include:"layout.cs" ?>
