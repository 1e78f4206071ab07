<?cs # /top — the member top page (src/pages/top.c). A later issue adds
  announcements, the insurer's links, features by level and search. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs if:Top.HelloText ?><?cs var:Top.HelloText ?><?cs else ?><?cs var:L.Top.Title ?><?cs /if ?></h1>
  <dl class="summary">
    <?cs if:Top.Insurer ?><dt><?cs var:L.Top.Insurer ?></dt><dd id="top-insurer"><?cs var:Top.Insurer ?></dd><?cs /if ?>
    <dt><?cs var:L.Top.Email ?></dt><dd><?cs var:Top.Email ?></dd>
    <dt><?cs var:L.Top.Level ?></dt><dd><?cs var:L.Top.Levels[Top.Level] ?></dd>
  </dl>
  <p class="muted"><?cs var:L.Top.Coming ?></p>
  <form method="post" action="/logout">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <button class="button button--secondary" type="submit"><?cs var:L.Top.Logout ?></button>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Top.Title ?>
<?cs include:"layout.cs" ?>
