<?cs # /account/security/totp — switching the authenticator app on
  (src/pages/account_security_totp.c). Totp.Step: "" (the password), "code"
  (Totp.QR: an <svg> made by src/totp.c from our own data, printed
  unescaped; Totp.Secret: base32 in groups of four), "done" (Totp.Codes.0..9,
  shown once). Totp.Restart: the enrolment of this session is gone. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="totp-title">
  <?cs if:Totp.Step == "done" ?>
  <h1 id="totp-title"><?cs var:L.Mfa.Enrol.DoneTitle ?></h1>
  <div class="notice" role="status" id="totp-done"><p><?cs var:L.Mfa.Enrol.DoneLead ?></p></div>
  <h2><?cs var:L.Mfa.Codes.Title ?></h2>
  <p><?cs var:L.Mfa.Codes.Keep ?></p>
  <ol class="mfa-codes" id="recovery-codes"><?cs each:c = Totp.Codes ?><li><code><?cs var:c ?></code></li><?cs /each ?></ol>
  <p class="muted"><?cs var:L.Mfa.Codes.Once ?></p>
  <ul class="link-list"><li><a href="/account/security" id="totp-back"><?cs var:L.Mfa.Codes.Kept ?></a></li></ul>
  <?cs elif:Totp.Step == "code" ?>
  <h1 id="totp-title"><?cs var:L.Mfa.Enrol.Title ?></h1>
  <p><?cs var:L.Mfa.Enrol.Step1 ?></p>
  <div class="mfa-qr" id="totp-qr"><?cs escape: "none" ?><?cs var:Totp.QR ?><?cs /escape ?></div>
  <p><?cs var:L.Mfa.Enrol.Manual ?></p>
  <dl class="summary"><dt><?cs var:L.Mfa.Enrol.Account ?></dt><dd><?cs var:Account.Email ?></dd><dt><?cs var:L.Mfa.Enrol.Key ?></dt><dd><code class="mfa-secret" id="totp-secret"><?cs var:Totp.Secret ?></code></dd></dl>
  <p><?cs var:L.Mfa.Enrol.Step2 ?></p>
  <form method="post" action="/account/security/totp" id="totp-code-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="step" value="code">
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Mfa.Enrol.Code ?></label>
      <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required<?cs if:Form.Errors.code ?> aria-invalid="true" aria-describedby="code-error"<?cs /if ?>>
      <?cs if:Form.Errors.code ?><p class="field__error" id="code-error" role="alert"><?cs var:Form.Errors.code ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit" id="totp-code-submit"><?cs var:L.Mfa.Enrol.Submit ?></button>
      <a class="button button--secondary" href="/account/security"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
  <?cs else ?>
  <h1 id="totp-title"><?cs var:L.Mfa.Enrol.Title ?></h1>
  <?cs if:Totp.Restart ?><div class="notice notice--warn" role="status" id="totp-restart"><p><?cs var:L.Mfa.Enrol.Restart ?></p></div><?cs /if ?>
  <p><?cs var:L.Mfa.Enrol.Lead ?></p>
  <p class="muted"><?cs var:L.Mfa.Enrol.Apps ?></p>
  <form method="post" action="/account/security/totp" id="totp-password-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="step" value="password">
    <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Password.Current ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error" role="alert"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit" id="totp-password-submit"><?cs var:L.Mfa.Enrol.Next ?></button>
      <a class="button button--secondary" href="/account/security"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Mfa.Enrol.Title ?>
<?cs include:"layout.cs" ?>
