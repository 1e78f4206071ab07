<?cs # The seed's table of what each verification level unlocks (seed 001 p.11;
  src/levels.c sets Levels.*): the top page (top.cs) and /help/levels
  (help_levels.cs). Levels.Own: the member's own column (marked in its header,
  so the mark is read out with every cell of it, and coloured), none when
  nobody is logged in. The wrapper scrolls sideways on a narrow screen and can
  be focused for that. ?>
<?cs def:levels_table() ?>
<?cs if:Levels.OwnName ?><p class="levels-own" id="levels-own"><?cs var:L.Levels.OwnLead ?><strong><?cs var:Levels.OwnName ?></strong><?cs var:L.Levels.OwnTail ?></p><?cs /if ?>
<div class="levels-table-wrap" role="region" aria-labelledby="levels-caption" tabindex="0">
<table class="levels-table" id="levels-table">
  <caption id="levels-caption"><?cs var:L.Levels.Caption ?><span class="levels-table__legend"><?cs var:L.Levels.Legend ?></span></caption>
  <thead>
    <tr>
      <th scope="col" class="levels-table__feature"><?cs var:L.Levels.FeatureCol ?></th>
      <?cs each:c = Levels.Cols ?><th scope="col" class="levels-table__level<?cs if:c.Own ?> levels-table__own<?cs /if ?>"<?cs if:c.Own ?> id="levels-own-col"<?cs /if ?>><?cs var:c.Name ?><?cs if:c.Own ?><?cs if:Lang == "en" ?> <?cs /if ?><span class="levels-table__you"><?cs var:L.Levels.You ?></span><?cs /if ?></th><?cs /each ?>
    </tr>
  </thead>
  <?cs each:g = Levels.Groups ?>
  <tbody>
    <tr class="levels-table__grouprow"><th scope="rowgroup" colspan="<?cs var:Levels.GroupSpan ?>" class="levels-table__group"><?cs var:g.Name ?></th></tr>
    <?cs each:w = g.Rows ?>
    <tr>
      <th scope="row" class="levels-table__feature"><?cs var:w.Name ?></th>
      <?cs each:c = w.Cells ?><td class="mark mark--<?cs var:c.Mark ?><?cs if:c.Own ?> levels-table__own<?cs /if ?>"><span class="mark__sign" aria-hidden="true"><?cs if:c.Mark == "yes" ?>○<?cs elif:c.Mark == "partial" ?>△<?cs else ?>×<?cs /if ?></span><span class="visually-hidden"><?cs var:c.MarkText ?></span><?cs if:c.Note ?><span class="mark__note"><?cs var:c.Note ?></span><?cs /if ?><?cs if:c.Fn ?><a class="mark__fn" href="#levels-fn-<?cs var:c.Fn ?>">※<?cs var:c.Fn ?><span class="visually-hidden"> <?cs var:L.Levels.FnLabel ?><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:c.Fn ?></span></a><?cs /if ?></td><?cs /each ?>
    </tr>
    <?cs /each ?>
  </tbody>
  <?cs /each ?>
</table>
</div>
<ol class="levels-notes">
  <?cs each:n = Levels.Notes ?><li id="levels-fn-<?cs name:n ?>"><span aria-hidden="true">※<?cs name:n ?>：</span><?cs var:n ?></li><?cs /each ?>
</ol>
<p class="muted levels-soon"><?cs if:Levels.NoSensitive ?><?cs var:L.Levels.SoonPlain ?><?cs else ?><?cs var:L.Levels.Soon ?><?cs /if ?></p>
<?cs /def ?>
<?cs # 未所属, a new card, a new insurer: what the table alone does not say. ?>
<?cs def:levels_explained() ?>
<h3 id="levels-unaffiliated"><?cs var:L.Levels.Unaffiliated.Title ?></h3>
<p><?cs var:Levels.UnaffiliatedText ?></p>
<ul>
  <li><?cs var:L.Levels.Unaffiliated.Rejoin ?></li>
  <li><?cs var:L.Levels.Unaffiliated.After ?></li>
  <li><?cs var:L.Levels.Unaffiliated.NewInsurer ?></li>
</ul>
<h3 id="levels-new-card"><?cs var:L.Levels.NewCard.Title ?></h3>
<p><?cs var:L.Levels.NewCard.Text ?></p>
<?cs /def ?>
