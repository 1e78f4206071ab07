<?cs # /account/logins — recent logins and "log out everywhere else"
  (src/pages/account_logins.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="logins-title">
  <h1 id="logins-title"><?cs var:L.History.Logins.Title ?></h1>
  <?cs if:History.Done ?><div class="notice" role="status" id="logins-done"><p><?cs var:History.Done ?></p></div><?cs /if ?>
  <p><?cs var:L.History.Logins.Lead ?></p>
  <p class="muted"><?cs var:History.Keep ?></p>
  <?cs if:History.Count > 0 ?>
  <ul class="login-list" id="login-list">
    <?cs each:item = History.Logins ?>
    <li class="login-list__item<?cs if:item.Current ?> login-list__item--current<?cs /if ?><?cs if:item.Kind == "failed" ?> login-list__item--failed<?cs /if ?>"<?cs if:item.Current ?> id="login-current"<?cs /if ?>>
      <span class="login-list__time"><?cs var:item.Time ?></span>
      <?cs if:item.Kind == "failed" ?><span class="login-list__tag login-list__tag--failed"><?cs var:L.History.Logins.KindFailed ?></span><?cs
      elif:item.Kind == "passkey" ?><span class="login-list__tag"><?cs var:L.History.Logins.KindPasskey ?></span><?cs
      elif:item.Kind == "remember" ?><span class="login-list__tag"><?cs var:L.History.Logins.KindRemember ?></span><?cs
      else ?><span class="login-list__tag"><?cs var:L.History.Logins.KindPassword ?></span><?cs /if ?>
      <?cs if:item.Current ?><span class="login-list__tag login-list__tag--current"><?cs var:L.History.Logins.ThisDevice ?></span><?cs
      elif:item.Active ?><span class="login-list__tag login-list__tag--active"><?cs var:L.History.Logins.Active ?></span><?cs /if ?>
      <p class="login-list__meta">
        <span class="login-list__browser"><?cs if:item.Browser ?><?cs var:item.Browser ?><?cs else ?><?cs var:L.History.Logins.UnknownBrowser ?><?cs /if ?></span>
        <span class="login-list__net"><?cs var:L.History.Logins.Network ?><span class="login-list__addr"><?cs if:item.Net ?><?cs var:item.Net ?><?cs else ?><?cs var:L.History.Logins.UnknownNetwork ?><?cs /if ?></span></span>
      </p>
    </li>
    <?cs /each ?>
  </ul>
  <?cs else ?>
  <p id="login-none"><?cs var:L.History.Logins.None ?></p>
  <?cs /if ?>
  <p class="muted"><?cs var:L.History.Logins.NetworkHint ?></p>

  <h2><?cs var:L.History.Logins.OthersTitle ?></h2>
  <p><?cs var:L.History.Logins.OthersText ?></p>
  <form method="post" action="/account/logins" id="logout-others" class="logout-others">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="actions"><button class="button" type="submit"><?cs var:L.History.Logins.OthersSubmit ?></button></div>
  </form>
  <p class="muted"><?cs var:L.History.Logins.Suspicious ?></p>
  <ul class="link-list"><li><a href="/account/password"><?cs var:L.Member.Account.ChangePassword ?></a></li></ul>

  <ul class="link-list account__back"><li><a href="/account"><?cs var:L.History.BackAccount ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.History.Logins.Title ?>
<?cs include:"layout.cs" ?>
