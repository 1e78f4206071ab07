<?cs # /verify/done — what happens next (src/pages/verify_done.c). ?>
<?cs include:"verify_parts.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="done-title">
  <h1 id="done-title"><?cs var:L.Verify.Done.Title ?></h1>
  <div class="notice" role="status" id="verify-done"><p><?cs var:L.Verify.Done.Lead ?></p></div>
  <h2><?cs var:L.Verify.Done.Next ?></h2>
  <ol class="steps-list" id="done-next">
    <li><?cs var:L.Verify.Done.Step1 ?></li><li><?cs var:L.Verify.Done.Step2 ?></li><li><?cs var:L.Verify.Done.Step3 ?></li><li><?cs var:L.Verify.Done.Step4 ?></li>
  </ol>
  <dl class="summary"><dt><?cs var:L.Verify.Done.Mail ?></dt><dd id="done-mail"><?cs var:Verify.Email ?></dd></dl>
  <p class="muted"><?cs var:L.Verify.Done.Photos ?></p>
  <?cs call:verify_back_links() ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Verify.Done.Title ?>
<?cs include:"layout.cs" ?>
