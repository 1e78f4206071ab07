<?cs # /login/otp — the login's second step (src/pages/login_otp.c).
  Otp.Gone: "expired" or "dropped" (no pending login: a link to /login).
  The recovery code field sits in a <details> (works without JavaScript),
  open when its own answer was wrong (Otp.RecoveryOpen). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="otp-title">
  <h1 id="otp-title"><?cs var:L.Mfa.Login.Title ?></h1>
  <?cs if:Otp.Gone ?>
  <div class="notice notice--warn" role="status" id="otp-gone">
    <p><?cs if:Otp.Gone == "dropped" ?><?cs var:L.Mfa.Login.Dropped ?><?cs else ?><?cs var:L.Mfa.Login.Expired ?><?cs /if ?></p>
  </div>
  <ul class="link-list"><li><a href="/login" id="otp-login"><?cs var:L.Mfa.Login.Again ?></a></li></ul>
  <?cs else ?>
  <p><?cs var:L.Mfa.Login.Lead ?></p>
  <form method="post" action="/login/otp" id="otp-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Mfa.Login.Code ?></label>
      <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]*" required aria-describedby="code-hint<?cs if:Form.Errors.code ?> code-error<?cs /if ?>">
      <p class="field__hint" id="code-hint"><?cs var:L.Mfa.Login.CodeHint ?></p>
      <?cs if:Form.Errors.code ?><p class="field__error" id="code-error" role="alert"><?cs var:Form.Errors.code ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="otp-submit"><?cs var:L.Mfa.Login.Submit ?></button></div>
  </form>
  <details class="mfa-alt" id="otp-alt"<?cs if:Otp.RecoveryOpen ?> open<?cs /if ?>>
    <summary><?cs var:L.Mfa.Login.Alt ?></summary>
    <form method="post" action="/login/otp" id="recovery-form" novalidate>
      <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
      <div class="field<?cs if:Form.Errors.recovery_code ?> field--error<?cs /if ?>">
        <label class="field__label" for="recovery_code"><?cs var:L.Mfa.Login.Recovery ?></label>
        <input type="text" id="recovery_code" name="recovery_code" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="32" aria-describedby="recovery-hint<?cs if:Form.Errors.recovery_code ?> recovery-error<?cs /if ?>">
        <p class="field__hint" id="recovery-hint"><?cs var:L.Mfa.Login.RecoveryHint ?></p>
        <?cs if:Form.Errors.recovery_code ?><p class="field__error" id="recovery-error" role="alert"><?cs var:Form.Errors.recovery_code ?></p><?cs /if ?>
      </div>
      <div class="actions"><button class="button button--secondary" type="submit" id="recovery-submit"><?cs var:L.Mfa.Login.RecoverySubmit ?></button></div>
    </form>
    <p class="muted" id="otp-lost"><?cs var:L.Mfa.Login.Lost ?> <a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Common.Contact ?></a></p>
  </details>
  <ul class="link-list"><li><a href="/login"><?cs var:L.Mfa.Login.Cancel ?></a></li></ul>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Mfa.Login.Title ?>
<?cs include:"layout.cs" ?>
