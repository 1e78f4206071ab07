<?cs # /signup/cancel — confirm, then the result (src/pages/signup_cancel.c). ?>
<?cs def:content() ?>
<section class="card">
<?cs if:Cancel.Done ?>
  <h1><?cs var:L.Signup.Cancel.DoneTitle ?></h1>
  <p><?cs var:L.Signup.Cancel.DoneText ?></p>
  <p class="actions"><a class="button" href="/signup"><?cs var:L.Signup.Cancel.Restart ?></a></p>
<?cs else ?>
  <h1><?cs var:L.Signup.Cancel.Title ?></h1>
  <p><?cs var:L.Signup.Cancel.Lead ?></p>
  <p class="sent-to"><strong><?cs var:Cancel.Email ?></strong></p>
  <form method="post" action="/signup/cancel">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Signup.Cancel.Submit ?></button>
      <a class="button button--secondary" href="<?cs var:Cancel.Back ?>"><?cs var:L.Signup.Cancel.Back ?></a>
    </div>
  </form>
<?cs /if ?>
</section>
<?cs /def ?>
<?cs if:Cancel.Done ?><?cs set:Page.Title = L.Signup.Cancel.DoneTitle ?><?cs else ?><?cs set:Page.Title = L.Signup.Cancel.Title ?><?cs /if ?>
<?cs include:"layout.cs" ?>
