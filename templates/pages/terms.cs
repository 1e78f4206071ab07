<?cs # /terms/<id>, /terms/service, /terms/privacy (src/pages/terms.c): a
  published version's text (the operator's, escaped, with its line breaks),
  the link to one published elsewhere, or the sample text of
  lang/<lang>/terms_sample.hdf while none is published. ?>
<?cs def:content() ?>
<?cs if:Terms.Sample ?>
<section class="card terms-page" aria-labelledby="terms-title">
  <h1 id="terms-title"><?cs var:L.TermsSample[Terms.Sample].Title ?></h1>
  <?cs if:Terms.URL ?><p id="terms-url"><a href="<?cs var:Terms.URL ?>" rel="noopener noreferrer"><?cs var:L.TermsSample.Elsewhere ?></a></p><?cs else ?>
  <p><?cs var:L.TermsSample[Terms.Sample].Lead ?></p>
  <div class="terms-sample" id="terms-text">
  <?cs each:sec = L.TermsSample[Terms.Sample].S ?>
    <h2><?cs var:sec.H ?></h2>
    <p><?cs var:sec.P ?></p>
  <?cs /each ?>
  </div>
  <?cs /if ?>
</section>
<?cs else ?>
<section class="card terms-page" aria-labelledby="terms-title">
  <h1 id="terms-title"><?cs var:Terms.Label ?></h1>
  <p class="muted"><?cs var:L.Terms.Version ?> <?cs var:Terms.Version ?> · <?cs var:L.Terms.Published ?> <?cs var:Terms.Date ?></p>
  <?cs if:Lang == "en" ?><p class="notice" id="terms-ja-only" lang="en"><?cs var:L.TermsSample.JapaneseOnly ?></p><?cs /if ?>
  <div class="terms-text" id="terms-text" lang="ja"><?cs var:Terms.Text ?></div>
</section>
<?cs /if ?>
<?cs /def ?>
<?cs if:Terms.Sample ?><?cs set:Page.Title = L.TermsSample[Terms.Sample].Title ?><?cs else ?><?cs set:Page.Title = Terms.Label ?><?cs /if ?>
<?cs include:"layout.cs" ?>
