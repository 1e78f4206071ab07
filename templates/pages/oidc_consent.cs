<?cs # The consent page of an OpenID Connect client (src/oidc_authz.c
  consent_page): the service's name, what it will receive, 許可する /
  許可しない. Posts to /oidc/consent (src/pages/oidc_consent.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="oidc-consent-title">
  <h1 id="oidc-consent-title"><?cs var:L.OIDC.Consent.Title ?></h1>
  <p id="oidc-consent-service"><strong><?cs var:OIDC.Client ?></strong> <?cs var:L.OIDC.Consent.Asks ?></p>
  <ul id="oidc-consent-items">
  <?cs each:item = OIDC.Items ?><li><?cs var:item ?></li><?cs /each ?>
  </ul>
  <p class="muted"><?cs var:L.OIDC.Consent.Note ?></p>
  <form method="post" action="/oidc/consent" id="oidc-consent-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="r" value="<?cs var:OIDC.Handle ?>">
    <div class="actions">
      <button class="button" type="submit" name="decision" value="allow" id="oidc-allow"><?cs var:L.OIDC.Consent.Allow ?></button>
      <button class="button button--secondary" type="submit" name="decision" value="deny" id="oidc-deny"><?cs var:L.OIDC.Consent.Deny ?></button>
    </div>
  </form>
  <ul class="link-list"><li><a href="/account/services"><?cs var:L.OIDC.Services.Link ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.OIDC.Consent.Title ?>
<?cs include:"layout.cs" ?>
