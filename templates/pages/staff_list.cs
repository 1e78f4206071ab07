<?cs # Staff console /staff (src/pages/staff_list.c, admin): List.N.{Email,Role,State}. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="list-title">
  <h1 id="list-title"><?cs var:L.Staff.List.Title ?></h1>
  <p><?cs var:L.Staff.List.Lead ?></p>
  <div class="table-wrap"><table class="table" id="staff-list">
    <thead><tr><th><?cs var:L.Staff.List.Email ?></th><th><?cs var:L.Staff.List.Role ?></th><th><?cs var:L.Staff.List.State ?></th></tr></thead>
    <tbody><?cs each:s = List ?><tr><td><?cs var:s.Email ?></td><td><?cs var:L.Staff.Role[s.Role] ?></td><td><?cs var:L.Staff.List.States[s.State] ?></td></tr><?cs /each ?></tbody>
  </table></div>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.List.Title ?>
<?cs include:"staff_layout.cs" ?>
