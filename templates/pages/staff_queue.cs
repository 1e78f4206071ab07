<?cs # Staff console /review (src/pages/staff_queue.c): Queue.Status, Queue.Items.N.{Id,Submitted,Document,Name,Decided}. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="queue-title">
  <h1 id="queue-title"><?cs var:L.Staff.Queue.Title ?></h1>
  <?cs if:Queue.DoneText ?><div class="notice" role="status" id="queue-done"><p><?cs var:Queue.DoneText ?></p></div><?cs /if ?>
  <nav class="tabs"><a href="/review"<?cs if:Queue.Status == "submitted" ?> aria-current="page"<?cs /if ?>><?cs var:L.Staff.Queue.Submitted ?></a> · <a href="/review?status=approved"<?cs if:Queue.Status == "approved" ?> aria-current="page"<?cs /if ?>><?cs var:L.Staff.Queue.Approved ?></a> · <a href="/review?status=rejected"<?cs if:Queue.Status == "rejected" ?> aria-current="page"<?cs /if ?>><?cs var:L.Staff.Queue.Rejected ?></a></nav>
  <?cs if:Queue.Count == 0 ?><p id="queue-empty"><?cs var:L.Staff.Queue.Empty ?></p><?cs else ?>
  <div class="table-wrap"><table class="table" id="queue">
    <thead><tr><th><?cs var:L.Staff.Queue.Id ?></th><th><?cs var:L.Staff.Queue.Date ?></th><th><?cs var:L.Staff.Queue.Document ?></th><th><?cs var:L.Staff.Queue.Name ?></th><th><span class="visually-hidden"><?cs var:L.Staff.Queue.Action ?></span></th></tr></thead>
    <tbody><?cs each:i = Queue.Items ?><tr data-id="<?cs var:i.Id ?>"><td><?cs var:i.Id ?></td><td><?cs var:i.Submitted ?></td><td><?cs var:L.Staff.Document[i.Document] ?></td><td><?cs var:i.Name ?></td><td><a href="/review/<?cs var:i.Id ?>"><?cs var:L.Staff.Queue.Open ?></a></td></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Queue.Title ?>
<?cs include:"staff_layout.cs" ?>
