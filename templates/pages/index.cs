<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Index.Title ?></h1>
  <p><?cs var:L.Index.Lead ?></p>
  <div class="index-actions">
    <div class="index-actions__item">
      <h2><?cs var:L.Index.NewTitle ?></h2>
      <p><?cs var:L.Index.NewText ?></p>
      <a class="button" href="/signup"><?cs var:L.Index.Signup ?></a>
    </div>
    <div class="index-actions__item">
      <h2><?cs var:L.Index.MemberTitle ?></h2>
      <p><?cs var:L.Index.MemberText ?></p>
      <a class="button button--secondary" href="/login"><?cs var:L.Index.Login ?></a>
    </div>
  </div>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Index.Title ?>
<?cs include:"layout.cs" ?>
