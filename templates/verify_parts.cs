<?cs # Parts of the /verify pages (templates/pages/verify*.cs). ?>
<?cs def:verify_gate() ?>
<?cs if:Verify.Gate == "notoffered" ?>
<div class="notice notice--warn" id="verify-notoffered"><p class="notice__title"><strong><?cs var:L.Verify.NotOffered.Title ?></strong></p><p><?cs var:L.Verify.NotOffered.Text ?></p></div>
<?cs elif:Verify.Gate == "level2" ?>
<div class="notice" id="verify-level2"><p class="notice__title"><strong><?cs var:L.Verify.Level2.Title ?></strong></p><p><?cs var:L.Verify.Level2.Text ?></p>
<p class="actions"><a class="button" href="/account/verify" id="verify-level2-link"><?cs var:L.Verify.Level2.Link ?></a></p></div>
<?cs /if ?>
<?cs /def ?>
<?cs def:verify_back_links() ?>
<ul class="link-list">
  <li><a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></li>
  <li><a href="/top"><?cs var:L.Verify.BackTop ?></a></li>
</ul>
<?cs /def ?>
