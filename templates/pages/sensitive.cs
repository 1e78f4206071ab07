<?cs # /sensitive — the sensitive features (src/pages/sensitive.c).
  Sensitive.State: level (not level 3), locked, open. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="sensitive-title">
  <h1 id="sensitive-title"><?cs var:L.Sensitive.Title ?></h1>
  <?cs if:Sensitive.State == "level" && Sensitive.Pending == "submitted" ?>
  <div class="notice" id="sensitive-level" data-pending="submitted"><p class="notice__title"><strong><?cs var:L.Verify.Submitted.Title ?></strong></p><p><?cs var:L.Sensitive.Level.Waiting ?></p>
  <p class="actions"><a class="button button--secondary" href="/verify"><?cs var:L.Sensitive.Level.Status ?></a></p></div>
  <?cs elif:Sensitive.State == "level" && Sensitive.Pending == "draft" ?>
  <div class="notice" id="sensitive-level" data-pending="draft"><p class="notice__title"><strong><?cs var:L.Verify.Draft.Title ?></strong></p><p><?cs var:L.Sensitive.Level.Text ?></p>
  <p class="actions"><a class="button" href="/verify"><?cs var:L.Sensitive.Level.Continue ?></a></p></div>
  <?cs elif:Sensitive.State == "level" ?>
  <div class="notice" id="sensitive-level"><p class="notice__title"><strong><?cs var:L.Sensitive.Level.Title ?></strong></p><p><?cs var:L.Sensitive.Level.Text ?></p>
  <p class="actions"><a class="button" href="/verify"><?cs var:L.Sensitive.Level.Link ?></a></p></div>
  <?cs elif:Sensitive.State == "locked" ?>
  <div class="notice notice--error" role="alert" id="sensitive-locked"><p class="notice__title"><strong><?cs var:L.Sensitive.Locked.Title ?></strong></p><p><?cs var:L.Sensitive.Locked.Text ?></p></div>
  <ul class="link-list"><li><a href="/verify?again=1" id="sensitive-forgot"><?cs var:L.Sensitive.Forgot ?></a></li></ul>
  <?cs elif:Sensitive.State == "noquestion" ?>
  <div class="notice notice--warn" id="sensitive-noquestion"><p class="notice__title"><strong><?cs var:L.Sensitive.NoQuestion.Title ?></strong></p><p><?cs var:L.Sensitive.NoQuestion.Text ?></p></div>
  <ul class="link-list"><li><a href="/verify?again=1" id="sensitive-redo"><?cs var:L.Verify.Again ?></a></li></ul>
  <?cs else ?>
  <p><?cs var:L.Sensitive.Lead ?></p>
  <p class="muted" id="sensitive-open"><?cs var:Sensitive.OpenText ?></p>
  <ul class="feature-list" id="sensitive-features">
    <?cs each:f = Sensitive.Features ?>
    <li class="feature feature--ok"><span class="feature__name"><a href="/sensitive/open/<?cs var:f.Key ?>" id="feature-<?cs var:f.Key ?>"><?cs var:f.Name ?></a></span><span class="feature__status"><?cs var:f.Text ?></span></li>
    <?cs /each ?>
  </ul>
  <?cs /if ?>
  <ul class="link-list"><li><a href="/top"><?cs var:L.Verify.BackTop ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Sensitive.Title ?>
<?cs include:"layout.cs" ?>
