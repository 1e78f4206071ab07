<?cs # /oidc/reauth — the password again for a service that wants a fresh
  login (src/pages/oidc_reauth.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="oidc-reauth-title">
  <h1 id="oidc-reauth-title"><?cs var:L.OIDC.Reauth.Title ?></h1>
  <p id="oidc-reauth-lead"><strong><?cs var:OIDC.Client ?></strong> <?cs var:L.OIDC.Reauth.Lead ?></p>
  <form method="post" action="/oidc/reauth" id="oidc-reauth-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="r" value="<?cs var:OIDC.Handle ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Member.Password.Account ?></span>
      <span id="oidc-reauth-email"><?cs var:OIDC.Email ?></span>
      <input type="hidden" name="username" value="<?cs var:OIDC.Email ?>" autocomplete="username">
    </div>
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.OIDC.Reauth.Password ?></label>
      <input type="password" id="password" name="password" autocomplete="current-password" required<?cs if:Form.Errors.password ?> aria-invalid="true" aria-describedby="password-error"<?cs /if ?>>
      <?cs if:Form.Errors.password ?><p class="field__error" id="password-error" role="alert"><?cs var:Form.Errors.password ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="oidc-reauth-submit"><?cs var:L.OIDC.Reauth.Submit ?></button></div>
  </form>
  <form method="post" action="/oidc/consent" id="oidc-reauth-cancel-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="r" value="<?cs var:OIDC.Handle ?>">
    <div class="actions"><button class="button button--secondary" type="submit" name="decision" value="deny" id="oidc-reauth-cancel"><?cs var:L.OIDC.Reauth.Cancel ?></button></div>
  </form>
  <ul class="link-list"><li><a href="/password/forgot"><?cs var:L.OIDC.Reauth.Forgot ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.OIDC.Reauth.Title ?>
<?cs include:"layout.cs" ?>
