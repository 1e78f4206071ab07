<?cs # /account/security/totp/off (src/pages/account_security_totp_off.c). ?>
<?cs include:"mfa_confirm.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="off-title">
  <h1 id="off-title"><?cs var:L.Mfa.Off.Title ?></h1>
  <p><?cs var:L.Mfa.Off.Lead ?></p>
  <form method="post" action="/account/security/totp/off" id="totp-off-form" novalidate>
    <?cs call:mfa_confirm_fields() ?>
    <div class="actions">
      <button class="button" type="submit" id="totp-off-submit"><?cs var:L.Mfa.Off.Submit ?></button>
      <a class="button button--secondary" href="/account/security"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Mfa.Off.Title ?>
<?cs include:"layout.cs" ?>
