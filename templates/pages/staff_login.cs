<?cs # Staff console /login (src/pages/staff_login.c). Login.Failed: Failed|Locked. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="login-title">
  <h1 id="login-title"><?cs var:L.Staff.Login.Title ?></h1>
  <?cs if:Login.Failed ?><div class="notice notice--error" role="alert" id="login-failed"><p><?cs var:L.Staff.Login[Login.Failed] ?></p></div><?cs /if ?>
  <p><?cs var:L.Staff.Login.Lead ?></p>
  <form method="post" action="/login" class="form" id="staff-login-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="next" value="<?cs var:Login.Next ?>">
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Staff.Login.Email ?></label>
      <input type="email" id="email" name="email" value="<?cs var:Login.Email ?>" autocomplete="username" autocapitalize="off" spellcheck="false" required>
      <?cs if:Form.Errors.email ?><p class="field__error"><?cs var:Form.Errors.email ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.Staff.Login.Password ?></label>
      <input type="password" id="password" name="password" autocomplete="current-password" required>
      <?cs if:Form.Errors.password ?><p class="field__error"><?cs var:Form.Errors.password ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Staff.Login.Code ?></label>
      <input type="text" id="code" name="code" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required>
      <?cs if:Form.Errors.code ?><p class="field__error"><?cs var:Form.Errors.code ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="login-submit"><?cs var:L.Staff.Login.Submit ?></button></div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Login.Title ?>
<?cs include:"staff_layout.cs" ?>
