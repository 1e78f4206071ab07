<?cs # /sensitive/open/<feature> — which service would open (src/pages/sensitive_open.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="open-title">
  <h1 id="open-title"><?cs var:Sensitive.FeatureName ?></h1>
  <p><?cs var:L.Sensitive.OpenPage.Lead ?></p>
  <?cs if:Sensitive.Service ?>
  <dl class="summary"><dt><?cs var:L.Sensitive.OpenPage.Service ?></dt><dd id="open-service"><?cs var:Sensitive.Service ?></dd></dl>
  <?cs else ?>
  <p id="open-noservice"><?cs var:L.Sensitive.OpenPage.NoService ?></p>
  <?cs /if ?>
  <div class="notice notice--warn" id="open-notyet"><p><?cs var:L.Sensitive.OpenPage.NotYet ?></p></div>
  <ul class="link-list"><li><a href="/sensitive"><?cs var:L.Sensitive.OpenPage.Back ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = Sensitive.FeatureName ?>
<?cs include:"layout.cs" ?>
