<?cs # /inquiry/new after POST: the acknowledgement. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Inquiry.DoneTitle ?></h1>
  <p><?cs var:L.Inquiry.DoneText ?></p>
  <p class="notice"><?cs var:L.Inquiry.Number ?>: <strong><?cs var:Inquiry.Id ?></strong></p>
  <?cs if:Inquiry.Receipt ?><p><?cs var:L.Inquiry.DoneReceipt ?></p><?cs /if ?>
  <p><a class="button button--secondary" href="/login"><?cs var:L.Inquiry.BackToLogin ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Inquiry.DoneTitle ?>
<?cs include:"layout.cs" ?>
