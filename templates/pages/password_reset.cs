<?cs # /password/reset/<token> (src/pages/password_reset.c): the new password. The
  form has no action: it posts back to the address of the page. The new
  password: the field of step 1 (password_field.cs) with signup.js's
  show-password toggle and live rules. ?>
<?cs include:"password_field.cs" ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Reset.Title ?></h1>
  <p><?cs var:L.Reset.Lead ?></p>
  <form method="post" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field">
      <span class="field__label"><?cs var:L.Reset.Account ?></span>
      <span><?cs var:Reset.Email ?></span>
      <?cs # For password managers: the account the new password belongs to. ?>
      <input type="hidden" id="email" name="username" value="<?cs var:Reset.Email ?>" autocomplete="username">
    </div>
    <?cs call:password_new_field_as(L.Reset.Password, L.Signup.RulesNote) ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Reset.Submit ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Reset.Title ?>
<?cs set:Page.Script = "signup" ?>
<?cs include:"layout.cs" ?>
