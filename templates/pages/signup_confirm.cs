<?cs # /signup/confirm — step 4 (src/pages/signup_confirm.c). ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Confirm.Title ?></h1>
  <p><?cs var:L.Signup.Confirm.Lead ?></p>
  <dl class="summary">
    <dt><?cs var:L.Signup.Confirm.Name ?></dt><dd id="confirm-name"><?cs var:Confirm.Name ?></dd>
    <dt><?cs var:L.Signup.Confirm.Birth ?></dt><dd id="confirm-birth"><?cs var:Confirm.BirthText ?></dd>
    <dt><?cs var:L.Signup.Confirm.Insurer ?></dt><dd id="confirm-insurer"><?cs var:Confirm.Insurer ?></dd>
    <dt><?cs var:L.Signup.Confirm.Email ?></dt><dd><?cs var:Confirm.Email ?></dd>
  </dl>
  <p class="field__hint"><?cs var:L.Signup.Confirm.Note ?></p>
  <form method="post" action="/signup/confirm">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="actions">
      <button class="button" type="submit" name="action" value="complete"><?cs var:L.Signup.Confirm.Complete ?></button>
      <button class="button button--secondary" type="submit" name="action" value="back"><?cs var:L.Signup.Confirm.Back ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Confirm.Title ?>
<?cs include:"layout.cs" ?>
