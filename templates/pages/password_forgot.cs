<?cs # /password/forgot (src/pages/password_forgot.c): ask for the address. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Forgot.Title ?></h1>
  <p><?cs var:L.Forgot.Lead ?></p>
  <form method="post" action="/password/forgot" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Forgot.Email ?></label>
      <input type="email" id="email" name="email" value="<?cs var:Forgot.Email ?>" autocomplete="username" inputmode="email" autocapitalize="off" spellcheck="false" required<?cs if:Form.Errors.email ?> aria-describedby="email-error"<?cs /if ?>>
      <?cs if:Form.Errors.email ?><p class="field__error" id="email-error"><?cs var:Form.Errors.email ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Forgot.Submit ?></button>
    </div>
  </form>
  <ul class="link-list">
    <li><a href="/inquiry/new?category=login_id"><?cs var:L.Forgot.ForgotId ?></a></li>
    <li><a href="/login"><?cs var:L.Forgot.BackToLogin ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Forgot.Title ?>
<?cs include:"layout.cs" ?>
