<?cs # /signup/deletion after a good check: the request waits for its contact
  address to be confirmed (src/pages/signup_eligibility.c, deletion_found). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="delreq-sent-title">
  <h1 id="delreq-sent-title"><?cs var:L.Deletion.Request.SentTitle ?></h1>
  <p><?cs var:L.Deletion.Request.SentTo ?><br><strong id="delreq-contact"><?cs var:Deletion.Contact ?></strong></p>
  <p><?cs var:L.Deletion.Request.SentText ?></p>
  <ol id="delreq-next">
    <li><?cs var:L.Deletion.Request.Next1 ?></li>
    <li><?cs var:L.Deletion.Request.Next2 ?></li>
    <li><?cs var:L.Deletion.Request.Next3 ?></li>
  </ol>
  <p class="muted"><?cs var:L.Deletion.Request.GraceNote ?> <?cs var:Deletion.GraceDays ?><?cs var:L.Deletion.Request.Days ?></p>
  <ul class="link-list"><li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Contact ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Deletion.Request.SentTitle ?>
<?cs include:"layout.cs" ?>
