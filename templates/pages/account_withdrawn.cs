<?cs # /account/withdrawn — after a withdrawal (src/pages/account_withdrawn.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="withdrawn-title">
  <h1 id="withdrawn-title"><?cs var:L.Member.Withdrawn.Title ?></h1>
  <p><?cs var:L.Member.Withdrawn.Text ?></p>
  <p><?cs var:L.Member.Withdrawn.Again ?></p>
  <p class="actions"><a class="button button--secondary" href="/"><?cs var:L.Member.Withdrawn.Home ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Withdrawn.Title ?>
<?cs include:"layout.cs" ?>
