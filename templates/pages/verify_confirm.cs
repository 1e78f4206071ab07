<?cs # /verify/confirm — check and apply (src/pages/verify_confirm.c). The
  question is shown, never the answer. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="confirm-title">
  <h1 id="confirm-title"><?cs var:L.Verify.Confirm.Title ?></h1>
  <p><?cs var:L.Verify.Confirm.Lead ?></p>
  <dl class="summary" id="confirm-summary">
    <dt><?cs var:L.Verify.Confirm.Name ?></dt><dd id="confirm-name"><?cs var:Verify.Name ?><br><small class="muted"><?cs var:L.Verify.Confirm.NameNote ?></small></dd>
    <dt><?cs var:L.Verify.Confirm.Birth ?></dt><dd id="confirm-birth"><?cs var:Verify.Birth ?></dd>
    <dt><?cs var:L.Verify.Confirm.Document ?></dt><dd id="confirm-document"><?cs var:Verify.DocumentName ?></dd>
    <dt><?cs var:L.Verify.Confirm.Question ?></dt><dd id="confirm-question"><?cs var:Verify.Question ?><br><small class="muted"><?cs var:L.Verify.Confirm.AnswerNote ?></small> <a href="/verify/question"><?cs var:L.Verify.Confirm.Change ?></a></dd>
  </dl>
  <h2><?cs var:L.Verify.Confirm.Photos ?></h2>
  <ul class="shot-grid" id="confirm-photos">
    <?cs each:s = Verify.Shots ?>
    <li class="shot-grid__item"><figure><img src="/verify/preview/<?cs var:s.Name ?>" alt="<?cs var:s.Title ?>" width="150"><figcaption><?cs var:s.Title ?><?cs if:s.Name == "face_angle" ?>（<?cs var:Verify.AngleText ?>）<?cs /if ?> <a href="/verify/shot/<?cs var:s.Name ?>"><?cs var:L.Verify.Confirm.Change ?></a></figcaption></figure></li>
    <?cs /each ?>
  </ul>
  <form method="post" action="/verify/confirm" id="confirm-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="actions"><button class="button" type="submit" id="confirm-submit"><?cs var:L.Verify.Confirm.Submit ?></button></div>
  </form>
  <ul class="link-list"><li><a href="/verify" id="verify-pause"><?cs var:L.Verify.Pause ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Verify.Confirm.Title ?>
<?cs include:"layout.cs" ?>
