<?cs # /oidc/logout — RP-initiated logout: the confirmation, then "logged out"
  (src/pages/oidc_logout.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="oidc-logout-title">
<?cs if:OidcLogout.Done ?>
  <h1 id="oidc-logout-title"><?cs var:L.OidcLogout.DoneTitle ?></h1>
  <p><?cs var:OidcLogout.DoneTextText ?></p>
  <p class="actions"><a class="button button--secondary" href="/login"><?cs var:L.OidcLogout.Login ?></a></p>
<?cs else ?>
  <h1 id="oidc-logout-title"><?cs var:L.OidcLogout.Title ?></h1>
  <?cs if:OidcLogout.ClientName ?>
  <p><?cs var:L.OidcLogout.FromService ?> <strong><?cs var:OidcLogout.ClientName ?></strong></p>
  <?cs /if ?>
  <p><?cs var:OidcLogout.QuestionText ?></p>
  <form method="post" action="/oidc/logout" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="confirm" value="1">
    <?cs if:OidcLogout.ClientId ?><input type="hidden" name="client_id" value="<?cs var:OidcLogout.ClientId ?>"><?cs /if ?>
    <?cs if:OidcLogout.Uri ?><input type="hidden" name="post_logout_redirect_uri" value="<?cs var:OidcLogout.Uri ?>"><?cs /if ?>
    <?cs if:OidcLogout.State ?><input type="hidden" name="state" value="<?cs var:OidcLogout.State ?>"><?cs /if ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.OidcLogout.Submit ?></button>
      <a class="button button--secondary" href="/top"><?cs var:L.OidcLogout.Cancel ?></a>
    </div>
  </form>
<?cs /if ?>
</section>
<?cs /def ?>
<?cs if:OidcLogout.Done ?><?cs set:Page.Title = L.OidcLogout.DoneTitle ?><?cs else ?><?cs set:Page.Title = L.OidcLogout.Title ?><?cs /if ?>
<?cs include:"layout.cs" ?>
