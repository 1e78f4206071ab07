<?cs # /sensitive/open/<feature> — which service would open (src/pages/sensitive_open.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="open-title">
  <h1 id="open-title"><?cs var:Sensitive.FeatureName ?></h1>
  <p><?cs var:L.Sensitive.OpenPage.Lead ?></p>
  <?cs if:Sensitive.Service ?>
  <dl class="summary"><dt><?cs var:L.Sensitive.OpenPage.Service ?></dt><dd id="open-service"><a href="<?cs var:Sensitive.Service ?>" rel="noopener noreferrer"><?cs var:Sensitive.Service ?></a></dd></dl>
  <div class="notice notice--warn" id="open-notyet"><p><?cs var:L.Sensitive.OpenPage.NotYet ?></p><p><?cs var:L.Sensitive.OpenPage.Direct ?></p></div>
  <?cs else ?>
  <p id="open-noservice"><?cs var:L.Sensitive.OpenPage.NoService ?></p>
  <div class="notice notice--warn" id="open-notyet"><p><?cs var:L.Sensitive.OpenPage.NotYet ?></p><p><?cs var:L.Sensitive.OpenPage.AskInsurer ?></p></div>
  <?cs /if ?>
  <ul class="link-list"><li><a href="/sensitive"><?cs var:L.Sensitive.OpenPage.Back ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = Sensitive.FeatureName ?>
<?cs include:"layout.cs" ?>
