<?cs # Staff console / (src/pages/staff_home.c): Home.Review/Queue, Home.Support/Open, Home.Admin. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="home-title">
  <h1 id="home-title"><?cs var:L.Staff.Home.Title ?></h1>
  <ul class="link-list">
    <?cs if:Home.Review ?><li><a href="/review" id="home-review"><?cs var:L.Staff.Nav.Review ?></a> — <span id="home-queue"><?cs var:Home.Queue ?></span></li><?cs /if ?>
    <?cs if:Home.Support ?><li><a href="/inquiries" id="home-inquiries"><?cs var:L.Staff.Nav.Inquiries ?></a> — <span id="home-open"><?cs var:Home.Open ?></span></li><?cs /if ?>
    <?cs if:Home.Admin ?><li><a href="/staff" id="home-staff"><?cs var:L.Staff.Nav.Staff ?></a></li><?cs /if ?>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Staff.Home.Title ?>
<?cs include:"staff_layout.cs" ?>
