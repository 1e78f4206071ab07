<?cs # /verify/document — choose the identity document (src/pages/verify_document.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="doc-title">
  <h1 id="doc-title"><?cs var:L.Verify.Document.Title ?></h1>
  <p><?cs var:L.Verify.Document.Lead ?></p>
  <?cs if:Form.Errors.document ?><p class="field__error" id="document-error"><?cs var:Form.Errors.document ?></p><?cs /if ?>
  <form method="post" action="/verify/document" id="document-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <ul class="choice-list" id="document">
      <?cs each:d = L.Verify.Doc ?>
      <li class="choice-list__item"><span class="choice-list__name"><?cs var:d.Name ?></span>
        <button class="button button--secondary" type="submit" name="document" value="<?cs name:d ?>" id="doc-<?cs name:d ?>"><?cs var:L.Verify.Document.Choose ?><span class="visually-hidden"><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:d.Name ?></span></button></li>
      <?cs /each ?>
    </ul>
  </form>
  <ul class="notes">
    <li><?cs var:L.Verify.Document.Note1 ?></li>
    <li><?cs var:L.Verify.Document.Note2 ?></li>
    <li id="doc-mynumber-note"><?cs var:L.Verify.Document.Note3 ?></li>
  </ul>
  <ul class="link-list"><li><a href="/verify"><?cs var:L.Common.Back ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Verify.Document.Title ?>
<?cs include:"layout.cs" ?>
