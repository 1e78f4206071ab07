<?cs # /deletion/confirm/<token> — the contact link of an アカウント削除申請
  (src/pages/deletion_confirm.c). Deletion.Confirm.Outcome: done, again,
  expired, free, void, unknown. ?>
<?cs def:content() ?>
<?cs set:o = Deletion.Confirm.Outcome ?>
<section class="card" aria-labelledby="delconf-title">
  <h1 id="delconf-title"><?cs var:L.Deletion.Confirm[o].Title ?></h1>
  <p id="delconf-outcome" data-outcome="<?cs var:o ?>"><?cs var:L.Deletion.Confirm[o].Text ?></p>
  <?cs if:o == "done" ?>
  <p><?cs var:L.Deletion.Confirm.GraceUntil ?> <strong id="delconf-grace"><?cs var:Deletion.GraceUntil ?></strong></p>
  <p><?cs var:L.Deletion.Confirm.After ?></p>
  <?cs elif:o == "expired" || o == "free" ?>
  <ul class="link-list"><li><a href="/signup/eligibility"><?cs var:L.Deletion.Confirm.Step3 ?></a></li></ul>
  <?cs /if ?>
  <ul class="link-list"><li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Contact ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Deletion.Confirm[Deletion.Confirm.Outcome].Title ?>
<?cs include:"layout.cs" ?>
