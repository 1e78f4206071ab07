<?cs # /account/security — ログインと二段階認証 (src/pages/account_security.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="security-title">
  <h1 id="security-title"><?cs var:L.Mfa.Security.Title ?></h1>
  <?cs if:Security.Done ?><div class="notice" role="status" id="security-done"><p><?cs var:Security.Done ?></p></div><?cs /if ?>
  <p><?cs var:L.Mfa.Security.Lead ?></p>

  <h2><?cs var:L.Mfa.Security.TotpTitle ?></h2>
  <?cs if:Security.Totp ?>
  <p id="security-totp" data-state="on"><strong><?cs var:L.Mfa.Security.On ?></strong></p>
  <p id="security-codes"><?cs var:Security.CodesText ?></p>
  <?cs if:Security.CodesNone ?><div class="notice notice--warn" id="security-codes-none"><p><?cs var:L.Mfa.Security.CodesNone ?></p></div>
  <?cs elif:Security.CodesFew ?><div class="notice notice--warn" id="security-codes-few"><p><?cs var:L.Mfa.Security.CodesFew ?></p></div><?cs /if ?>
  <ul class="link-list">
    <li><a href="/account/security/recovery" id="security-regenerate"><?cs var:L.Mfa.Security.Regenerate ?></a></li>
    <li><a href="/account/security/totp/off" id="security-disable"><?cs var:L.Mfa.Security.Disable ?></a></li>
  </ul>
  <?cs else ?>
  <p id="security-totp" data-state="off"><?cs var:L.Mfa.Security.Off ?></p>
  <p class="muted"><?cs var:L.Mfa.Security.OffText ?></p>
  <?cs if:Security.NoVault ?><p class="muted" id="security-novault"><?cs var:L.Error.MfaVault ?></p>
  <?cs else ?><ul class="link-list"><li><a href="/account/security/totp" id="security-enable"><?cs var:L.Mfa.Security.Enable ?></a></li></ul><?cs /if ?>
  <?cs /if ?>

  <h2><?cs var:L.Mfa.Security.PasskeyTitle ?></h2>
  <p class="muted"><?cs var:L.Mfa.Security.PasskeyText ?></p>
  <ul class="link-list"><li><a href="/account/security/passkeys" id="security-passkeys"><?cs var:L.Mfa.Security.Passkeys ?></a></li></ul>

  <h2><?cs var:L.Member.Account.PasswordTitle ?></h2>
  <ul class="link-list"><li><a href="/account/password"><?cs var:L.Member.Account.ChangePassword ?></a></li><li><a href="/account/logins"><?cs var:L.History.Account.LoginsLink ?></a></li></ul>

  <ul class="link-list account__back"><li><a href="/account"><?cs var:L.Mfa.Security.Back ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Mfa.Security.Title ?>
<?cs include:"layout.cs" ?>
