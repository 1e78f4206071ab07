<?cs # /account/deleted — after a deletion (src/pages/account_deleted.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="deleted-title">
  <h1 id="deleted-title"><?cs var:L.Deletion.Deleted.Title ?></h1>
  <p><?cs var:L.Deletion.Deleted.Text ?></p>
  <p><?cs var:L.Deletion.Deleted.Again ?></p>
  <p class="actions"><a class="button button--secondary" href="/"><?cs var:L.Deletion.Deleted.Home ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Deletion.Deleted.Title ?>
<?cs include:"layout.cs" ?>
