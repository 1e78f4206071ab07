<?cs # /password/reset/<token> with a used, superseded, expired or unknown token. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Reset.InvalidTitle ?></h1>
  <p><?cs var:L.Reset.InvalidText ?></p>
  <p><a class="button" href="/password/forgot"><?cs var:L.Reset.NewRequest ?></a></p>
  <ul class="link-list">
    <li><a href="/login"><?cs var:L.Forgot.BackToLogin ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Reset.InvalidTitle ?>
<?cs include:"layout.cs" ?>
