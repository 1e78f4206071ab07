<?cs # /consent — agree to new versions of terms before the member area
  (src/pages/consent.c). ?>
<?cs include:"terms_checks.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="consent-title">
  <h1 id="consent-title"><?cs var:L.Consent.Title ?></h1>
  <p><?cs var:L.Consent.Lead ?></p>
  <form method="post" action="/consent" novalidate id="consent-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <?cs if:Consent.Next ?><input type="hidden" name="next" value="<?cs var:Consent.Next ?>"><?cs /if ?>
    <?cs call:terms_checks(Consent.Terms) ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Consent.Submit ?></button>
    </div>
  </form>
  <p class="muted"><?cs var:L.Consent.Refuse ?></p>
  <ul class="link-list"><li><a href="/account/withdraw"><?cs var:L.Consent.Withdraw ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Consent.Title ?>
<?cs include:"layout.cs" ?>
