<?cs # /users/<token>/activate when the link cannot be used
  (src/pages/users_activate.c): Activate.Result is used, superseded or expired. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Activate[Activate.Result].Title ?></h1>
  <?cs if:Activate.Result == "expired" ?>
  <p><?cs var:Activate.ExpiredText ?></p>
  <p class="actions"><a class="button" href="/signup"><?cs var:L.Signup.Activate.Restart ?></a></p>
  <?cs elif:Activate.Result == "superseded" ?>
  <p><?cs var:L.Signup.Activate.superseded.Text ?></p>
  <p class="actions"><a class="button" href="/login"><?cs var:L.Signup.Activate.Login ?></a>
    <a class="button button--secondary" href="/signup"><?cs var:L.Signup.Activate.Restart ?></a></p>
  <?cs else ?>
  <p><?cs var:L.Signup.Activate.used.Text ?></p>
  <p class="actions"><a class="button" href="/login"><?cs var:L.Signup.Activate.Login ?></a></p>
  <?cs /if ?>
  <ul class="link-list">
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Contact ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Activate[Activate.Result].Title ?>
<?cs include:"layout.cs" ?>
