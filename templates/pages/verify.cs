<?cs # /verify — the start of 健診・医療アクセス認証 (src/pages/verify.c); also the
  page of every /verify/* route when level 3 is not offered to the member or
  she is below 本人確認 (Verify.Gate). Verify.State: start, draft, submitted,
  approved, rejected. ?>
<?cs include:"verify_parts.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="verify-title">
  <h1 id="verify-title"><?cs var:L.Verify.Title ?></h1>
  <?cs if:Verify.Gate != "ok" ?>
  <?cs call:verify_gate() ?>
  <?cs elif:Verify.State == "draft" ?>
  <div class="notice" id="verify-draft"><p class="notice__title"><strong><?cs var:L.Verify.Draft.Title ?></strong></p><p><?cs var:L.Verify.Draft.Text ?></p></div>
  <p class="actions"><a class="button" id="verify-resume" href="<?cs var:Verify.Resume ?>"><?cs var:L.Verify.Draft.Resume ?></a>
  <a class="button button--secondary" id="verify-restart" href="/verify/document"><?cs var:L.Verify.Draft.Restart ?></a></p>
  <?cs elif:Verify.State == "submitted" ?>
  <div class="notice" id="verify-submitted"><p class="notice__title"><strong><?cs var:L.Verify.Submitted.Title ?></strong></p><p><?cs var:L.Verify.Submitted.Text ?></p></div>
  <?cs elif:Verify.State == "approved" ?>
  <div class="notice" id="verify-approved"><p class="notice__title"><strong><?cs var:L.Verify.Approved.Title ?></strong></p><p><?cs var:L.Verify.Approved.Text ?></p></div>
  <p class="actions"><a class="button" href="/sensitive" id="verify-sensitive"><?cs var:L.Verify.Approved.Link ?></a></p>
  <p><?cs var:L.Verify.Approved.Forgot ?></p>
  <p class="actions"><a class="button button--secondary" href="/verify?again=1" id="verify-again"><?cs var:L.Verify.Again ?></a></p>
  <?cs else ?>
  <?cs if:Verify.State == "rejected" ?>
  <div class="notice notice--error" role="alert" id="verify-rejected"><p class="notice__title"><strong><?cs var:L.Verify.Rejected.Title ?></strong></p><p><?cs var:L.Verify.Rejected.Text ?></p>
    <dl class="summary"><dt><?cs var:L.Verify.Rejected.Reason ?></dt><dd id="verify-reason"><?cs var:Verify.ReasonText ?></dd>
    <?cs if:Verify.Note ?><dt><?cs var:L.Verify.Rejected.Note ?></dt><dd id="verify-note"><?cs var:Verify.Note ?></dd><?cs /if ?></dl>
  </div>
  <?cs /if ?>
  <p id="verify-lead"><?cs var:L.Verify.Lead ?></p>
  <h2><?cs var:L.Verify.Ready.Title ?></h2>
  <ul id="verify-ready">
    <li><?cs var:L.Verify.Ready.Doc ?>
      <ul id="verify-documents">
        <li><?cs var:L.Verify.Doc.license.Name ?></li>
        <li><?cs var:L.Verify.Doc.mynumber.Name ?></li>
        <li><?cs var:L.Verify.Doc.history.Name ?></li>
        <li><?cs var:L.Verify.Doc.residence.Name ?></li>
      </ul>
    </li>
    <li><?cs var:L.Verify.Ready.Device ?></li>
    <li><?cs var:L.Verify.Ready.Place ?></li>
    <li><?cs var:L.Verify.Ready.Time ?></li>
  </ul>
  <h2><?cs var:L.Verify.Steps.Title ?></h2>
  <ol class="steps-list">
    <li><?cs var:L.Verify.Steps.1 ?></li><li><?cs var:L.Verify.Steps.2 ?></li><li><?cs var:L.Verify.Steps.3 ?></li><li><?cs var:L.Verify.Steps.4 ?></li><li><?cs var:L.Verify.Steps.5 ?></li>
  </ol>
  <p class="actions"><a class="button" href="/verify/document" id="verify-start"><?cs if:Verify.State == "rejected" ?><?cs var:L.Verify.Retry ?><?cs else ?><?cs var:L.Verify.Start ?><?cs /if ?></a></p>
  <?cs /if ?>
  <?cs call:verify_back_links() ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Verify.Title ?>
<?cs include:"layout.cs" ?>
