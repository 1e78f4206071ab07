<?cs # Staff console / (src/pages/staff_home.c): Home.Review/Queue/QueueText, Home.Support/Open/OpenText, Home.Admin. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="home-title">
  <h1 id="home-title"><?cs var:L.Staff.Home.Title ?></h1>
  <ul class="link-list">
    <?cs if:Home.Review ?><li><a href="/review" id="home-review"><?cs var:L.Staff.Nav.Review ?></a> — <span id="home-queue" data-count="<?cs var:Home.Queue ?>"><?cs var:Home.QueueText ?></span></li><?cs /if ?>
    <?cs if:Home.Support ?><li><a href="/inquiries" id="home-inquiries"><?cs var:L.Staff.Nav.Inquiries ?></a> — <span id="home-open" data-count="<?cs var:Home.Open ?>"><?cs var:Home.OpenText ?></span></li><?cs /if ?>
    <?cs if:Home.Admin ?><li><a href="/staff" id="home-staff"><?cs var:L.Staff.Nav.Staff ?></a></li><?cs /if ?>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Home.Title ?>
<?cs include:"staff_layout.cs" ?>
