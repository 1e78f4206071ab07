<?cs # /signup/complete — the end of signup; 次へ goes to the top page. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Complete.Title ?></h1>
  <p><?cs var:L.Signup.Complete.Text ?></p>
  <?cs if:Complete.InsurerOnly ?><div class="notice" id="complete-insurer-only"><p><?cs var:L.Levels.Complete.Text ?></p><ul class="link-list"><li><a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></li></ul></div><?cs /if ?>
  <p class="muted"><?cs var:L.Signup.Complete.Contact ?></p>
  <p class="actions"><a class="button" href="/top"><?cs var:L.Signup.Complete.Next ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Complete.Title ?>
<?cs include:"layout.cs" ?>
