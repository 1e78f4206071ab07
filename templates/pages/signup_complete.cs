<?cs # /signup/complete — the end of signup; 次へ goes to the top page. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Complete.Title ?></h1>
  <p><?cs var:L.Signup.Complete.Text ?></p>
  <p class="muted"><?cs var:L.Signup.Complete.Contact ?></p>
  <p class="actions"><a class="button" href="/top"><?cs var:L.Signup.Complete.Next ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Complete.Title ?>
<?cs include:"layout.cs" ?>
