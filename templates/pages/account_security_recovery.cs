<?cs # /account/security/recovery (src/pages/account_security_recovery.c).
  Recovery.Done: the new codes Recovery.Codes.0..9, shown once. ?>
<?cs include:"mfa_confirm.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="recovery-title">
  <h1 id="recovery-title"><?cs var:L.Mfa.Codes.RegenTitle ?></h1>
  <?cs if:Recovery.Done ?>
  <div class="notice" role="status" id="recovery-done"><p><?cs var:L.Mfa.Codes.RegenDone ?></p></div>
  <p><?cs var:L.Mfa.Codes.Keep ?></p>
  <ol class="mfa-codes" id="recovery-codes"><?cs each:c = Recovery.Codes ?><li><code><?cs var:c ?></code></li><?cs /each ?></ol>
  <p class="muted"><?cs var:L.Mfa.Codes.Once ?></p>
  <ul class="link-list"><li><a href="/account/security"><?cs var:L.Mfa.Codes.Kept ?></a></li></ul>
  <?cs else ?>
  <p><?cs var:L.Mfa.Codes.RegenLead ?></p>
  <form method="post" action="/account/security/recovery" id="recovery-form" novalidate>
    <?cs call:mfa_confirm_fields() ?>
    <div class="actions">
      <button class="button" type="submit" id="recovery-submit"><?cs var:L.Mfa.Codes.RegenSubmit ?></button>
      <a class="button button--secondary" href="/account/security"><?cs var:L.Member.Password.Cancel ?></a>
    </div>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Mfa.Codes.RegenTitle ?>
<?cs include:"layout.cs" ?>
