<?cs # /inquiry/new after 送信する: the acknowledgement. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Inquiry.DoneTitle ?></h1>
  <ol class="inquiry-steps" aria-label="<?cs var:L.Inquiry.StepsLabel ?>">
    <li class="done"><?cs var:L.Inquiry.StepInput ?></li>
    <li class="done"><?cs var:L.Inquiry.StepConfirm ?></li>
    <li class="current" aria-current="step"><?cs var:L.Inquiry.StepDone ?></li>
  </ol>
  <p><?cs var:L.Inquiry.DoneText ?></p>
  <p class="notice"><?cs var:L.Inquiry.Number ?>: <strong><?cs var:Inquiry.Id ?></strong></p>
  <?cs if:Inquiry.Receipt ?><p><?cs var:L.Inquiry.DoneReceipt ?></p><?cs /if ?>
  <?cs if:Page.LoggedIn ?><p><a class="button button--secondary" href="/top"><?cs var:L.Inquiry.BackToTop ?></a></p><?cs else ?><p><a class="button button--secondary" href="/login"><?cs var:L.Inquiry.BackToLogin ?></a></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Inquiry.DoneTitle ?>
<?cs include:"layout.cs" ?>
