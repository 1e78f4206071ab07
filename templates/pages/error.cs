<?cs def:content() ?>
<section class="card error-page">
  <h1><?cs var:Error.Title ?></h1>
  <p><?cs var:Error.Message ?></p>
  <p class="muted"><?cs var:L.Error.Code ?> <?cs var:Error.Status ?> / <?cs var:L.Error.RequestId ?> <?cs var:Page.RequestId ?></p>
  <p><a class="button button--secondary" href="/"><?cs var:L.Error.Home ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = Error.Title ?>
<?cs include:"layout.cs" ?>
