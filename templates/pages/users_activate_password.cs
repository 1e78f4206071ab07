<?cs # /users/<token>/activate opened in a browser other than the one of step 1
  (src/pages/users_activate.c): the opener sets the password before the address
  is confirmed. The form has no action: it posts back to the page's address.
  signup.js adds the show-password toggle and the strength meter. ?>
<?cs include:"password_field.cs" ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.ActivatePw.Title ?></h1>
  <p><?cs var:L.Signup.ActivatePw.Lead ?></p>
  <p class="field__hint"><?cs var:L.Signup.ActivatePw.Why ?></p>
  <form method="post" class="form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Signup.ActivatePw.Account ?></span>
      <span><?cs var:Activate.Email ?></span>
      <?cs # For password managers and the strength meter: the account. ?>
      <input type="hidden" id="email" name="username" value="<?cs var:Activate.Email ?>" autocomplete="username">
    </div>
    <?cs call:password_new_field("") ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Signup.ActivatePw.Submit ?></button>
    </div>
  </form>
  <ul class="link-list">
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Contact ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.ActivatePw.Title ?>
<?cs include:"layout.cs" ?>
