<?cs # /terms/<id> — the text of a terms version (src/pages/terms.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="terms-title">
  <h1 id="terms-title"><?cs var:Terms.Label ?></h1>
  <p class="muted"><?cs var:L.Terms.Version ?> <?cs var:Terms.Version ?> · <?cs var:L.Terms.Published ?> <?cs var:Terms.Date ?></p>
  <div class="terms-text" id="terms-text"><?cs var:Terms.Text ?></div>
</section>
<?cs /def ?>
<?cs set:Page.Title = Terms.Label ?>
<?cs include:"layout.cs" ?>
