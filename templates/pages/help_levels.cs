<?cs # /help/levels — what each verification level unlocks (src/pages/help_levels.c):
  the levels, the seed's table (levels_table.cs) with a logged-in member's own
  column marked, 未所属, a new card, a new insurer. ?>
<?cs include:"levels_table.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="help-levels-title">
  <h1 id="help-levels-title"><?cs var:L.Levels.Help.Title ?></h1>
  <p><?cs var:Levels.LeadText ?></p>
  <dl class="levels-defs">
    <dt><?cs var:L.Levels.Col.Insurer ?></dt><dd><?cs var:L.Levels.Def.Insurer ?></dd>
    <dt><?cs var:L.Levels.Col.Identity ?></dt><dd><?cs var:L.Levels.Def.Identity ?></dd>
    <?cs if:!Levels.NoSensitive ?><dt><?cs var:L.Levels.Col.Sensitive ?></dt><dd><?cs var:L.Levels.Def.Sensitive ?><?cs if:Help.Sensitive ?> <a href="/verify" id="help-ekyc"><?cs var:L.Verify.Title ?></a><?cs /if ?></dd><?cs /if ?>
    <dt><?cs var:L.Levels.Col.Unaffiliated ?></dt><dd><?cs var:L.Levels.Def.Unaffiliated ?></dd>
  </dl>
  <?cs if:Help.CanVerify ?><p class="actions"><a class="button" href="/account/verify" id="help-verify"><?cs var:L.Levels.Verify.Do ?></a></p><?cs /if ?>
</section>
<section class="card" aria-labelledby="levels-table-title">
  <h2 id="levels-table-title"><?cs var:L.Levels.TableTitle ?></h2>
  <?cs call:levels_table() ?>
  <?cs call:levels_explained() ?>
  <ul class="link-list">
    <?cs if:Help.Member ?><li><a href="/top"><?cs var:L.Levels.Help.Top ?></a></li><?cs else ?><li><a href="/signup"><?cs var:L.Levels.Help.Signup ?></a></li><li><a href="/login"><?cs var:L.Levels.Help.Login ?></a></li><?cs /if ?>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Levels.Help.Title ?>
<?cs include:"layout.cs" ?>
