<?cs # /account/services — 連携中のサービス (src/pages/account_services.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="services-title">
  <h1 id="services-title"><?cs var:L.OIDC.Services.Title ?></h1>
  <?cs if:Services.Done ?><div class="notice" role="status" id="services-done"><p><?cs var:Services.Done ?></p></div><?cs /if ?>
  <p><?cs var:L.OIDC.Services.Lead ?></p>
  <?cs if:Services.Count == 0 ?>
  <p class="muted" id="services-none"><?cs var:L.OIDC.Services.None ?></p>
  <?cs /if ?>
  <?cs each:s = Services ?><?cs if:s.ClientId ?>
  <div class="service" id="service-<?cs var:s.ClientId ?>">
    <h2 class="service__name"><?cs var:s.Name ?></h2>
    <p class="muted"><?cs var:L.OIDC.Services.Receives ?></p>
    <ul><?cs each:item = s.Items ?><li><?cs var:item ?></li><?cs /each ?></ul>
    <dl class="summary">
      <dt><?cs var:L.OIDC.Services.Since ?></dt><dd><?cs var:s.Since ?></dd>
      <dt><?cs var:L.OIDC.Services.LastUsed ?></dt><dd><?cs if:s.LastUsed ?><?cs var:s.LastUsed ?><?cs else ?>—<?cs /if ?></dd>
    </dl>
    <form method="post" action="/account/services">
      <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
      <input type="hidden" name="client" value="<?cs var:s.ClientId ?>">
      <div class="actions"><button class="button button--secondary" type="submit" aria-label="<?cs var:s.Name ?><?cs if:Lang == "ja" ?>：<?cs else ?>: <?cs /if ?><?cs var:L.OIDC.Services.Revoke ?>"><?cs var:L.OIDC.Services.Revoke ?></button></div>
    </form>
  </div>
  <?cs /if ?><?cs /each ?>
  <p class="muted"><?cs var:L.OIDC.Services.RevokeNote ?></p>
  <ul class="link-list account__back"><li><a href="/account"><?cs var:L.OIDC.Services.Back ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.OIDC.Services.Title ?>
<?cs include:"layout.cs" ?>
