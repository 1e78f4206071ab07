<?cs # The ceremony of adding a passkey, after her password
  (src/pages/account_passkeys.c): the creation options are in data-options
  (JSON, escaped as an attribute); passkey.js calls navigator.credentials.
  create and posts the result to /account/security/passkeys/register. Without
  JavaScript the page says so: a passkey cannot be made without it. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="passkey-add-title">
  <h1 id="passkey-add-title"><?cs var:L.Passkey.Add.Title ?></h1>
  <div id="passkey-register" data-passkey="register" data-options-json="<?cs var:Passkeys.Options ?>" data-finish="/account/security/passkeys/register" data-csrf="<?cs var:Page.CSRF ?>" data-error-failed="<?cs var:L.Passkey.Error.RegisterFailed ?>" data-error-cancelled="<?cs var:L.Passkey.Error.Cancelled ?>" data-error-unsupported="<?cs var:L.Passkey.Error.Unsupported ?>" data-error-exists="<?cs var:L.Passkey.Error.Exists ?>" data-error-throttled="<?cs var:L.Passkey.Error.Throttled ?>">
    <p><?cs var:L.Passkey.Add.Ceremony ?></p>
    <div class="field">
      <label class="field__label" for="passkey-name"><?cs var:L.Passkey.Add.Name ?></label>
      <input type="text" id="passkey-name" name="name" maxlength="64" value="<?cs var:Passkeys.Name ?>" autocomplete="off">
    </div>
    <div class="actions js-only" hidden><button class="button" type="button" id="passkey-register-button"><?cs var:L.Passkey.Add.Create ?></button></div>
    <p class="field__error" id="passkey-error" role="alert" hidden></p>
    <noscript><p class="notice notice--warn"><?cs var:L.Passkey.NoScript ?></p></noscript>
  </div>
  <ul class="link-list"><li><a href="/account/security/passkeys"><?cs var:L.Passkey.Add.Cancel ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Passkey.Add.Title ?>
<?cs set:Page.Passkey = 1 ?>
<?cs include:"layout.cs" ?>
