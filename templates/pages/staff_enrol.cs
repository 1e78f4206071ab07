<?cs # Staff console /enrol/<token> (src/pages/staff_enrol.c). Enrol.Email,
  Enrol.QR (an <svg> made by src/totp.c from our own data: printed unescaped),
  Enrol.Secret (base32 in groups of four); after success Enrol.Done and
  Enrol.Codes.0..9, shown once. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="enrol-title">
  <?cs if:Enrol.Done ?>
  <h1 id="enrol-title"><?cs var:L.Staff.Enrol.DoneTitle ?></h1>
  <p><?cs var:L.Staff.Enrol.DoneLead ?></p>
  <ol class="recovery-codes" id="recovery-codes"><?cs each:c = Enrol.Codes ?><li><code><?cs var:c ?></code></li><?cs /each ?></ol>
  <p><a class="button" href="/login"><?cs var:L.Staff.Enrol.Login ?></a></p>
  <?cs else ?>
  <h1 id="enrol-title"><?cs var:L.Staff.Enrol.Title ?></h1>
  <p><?cs var:L.Staff.Enrol.Lead ?></p>
  <dl class="summary"><dt><?cs var:L.Staff.Enrol.Account ?></dt><dd id="enrol-email"><?cs var:Enrol.Email ?></dd></dl>
  <p><?cs var:L.Staff.Enrol.Step1 ?></p>
  <div class="qr" id="enrol-qr"><?cs escape: "none" ?><?cs var:Enrol.QR ?><?cs /escape ?></div>
  <p><?cs var:L.Staff.Enrol.Manual ?></p>
  <p><code class="totp-secret" id="enrol-secret"><?cs var:Enrol.Secret ?></code></p>
  <p><?cs var:L.Staff.Enrol.Step2 ?></p>
  <form method="post" class="form" id="enrol-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.Staff.Enrol.Password ?></label>
      <input type="password" id="password" name="password" autocomplete="new-password" required>
      <p class="field__hint"><?cs var:Password.RuleLength ?> <?cs var:Password.RuleKinds ?></p>
      <?cs if:Form.Errors.password ?><p class="field__error"><?cs var:Form.Errors.password ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.password2 ?> field--error<?cs /if ?>">
      <label class="field__label" for="password2"><?cs var:L.Staff.Enrol.Password2 ?></label>
      <input type="password" id="password2" name="password2" autocomplete="new-password" required>
      <?cs if:Form.Errors.password2 ?><p class="field__error"><?cs var:Form.Errors.password2 ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Staff.Enrol.Code ?></label>
      <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
      <?cs if:Form.Errors.code ?><p class="field__error"><?cs var:Form.Errors.code ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="enrol-submit"><?cs var:L.Staff.Enrol.Submit ?></button></div>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Enrol.Title ?>
<?cs include:"staff_layout.cs" ?>
