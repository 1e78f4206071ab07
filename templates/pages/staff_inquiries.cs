<?cs # Staff console /inquiries (src/pages/staff_inquiries.c): Inq.Status, Inq.Items.N.{Id,Created,Category}. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="inq-title">
  <h1 id="inq-title"><?cs var:L.Staff.Inquiries.Title ?></h1>
  <nav class="tabs"><a href="/inquiries"<?cs if:Inq.Status == "open" ?> aria-current="page"<?cs /if ?>><?cs var:L.Staff.Inquiries.Open ?></a> · <a href="/inquiries?status=answered"<?cs if:Inq.Status == "answered" ?> aria-current="page"<?cs /if ?>><?cs var:L.Staff.Inquiries.Answered ?></a></nav>
  <?cs if:Inq.Count == 0 ?><p id="inq-empty"><?cs var:L.Staff.Inquiries.Empty ?></p><?cs else ?>
  <div class="table-wrap"><table class="table" id="inquiries">
    <thead><tr><th><?cs var:L.Staff.Inquiries.Id ?></th><th><?cs var:L.Staff.Inquiries.Date ?></th><th><?cs var:L.Staff.Inquiries.Category ?></th><th><span class="visually-hidden"><?cs var:L.Staff.Inquiries.Action ?></span></th></tr></thead>
    <tbody><?cs each:i = Inq.Items ?><tr data-id="<?cs var:i.Id ?>"><td><?cs var:i.Id ?></td><td><?cs var:i.Created ?></td><td><?cs alt:L.Inquiry.Category[i.Category] ?><?cs var:i.Category ?><?cs /alt ?></td><td><a href="/inquiries/<?cs var:i.Id ?>"><?cs var:L.Staff.Inquiries.Show ?></a></td></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Inquiries.Title ?>
<?cs include:"staff_layout.cs" ?>
