<?cs # /login (src/pages/login.c). Works without JavaScript: the CAPTCHA's "another
  image" and "cannot read it" are submit buttons of the form (captcha_action),
  so the typed address and the remember box come back (never the password);
  login.js does the same in the background and swaps the challenge in place.
  The hidden submit button ahead of the form (its form attribute makes it
  the form's first) makes Enter log in rather than reload the image. Login.Protected: the notice of a protected address (issue 11). ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Login.Title ?></h1>
  <?cs if:Login.Done ?><p class="notice" role="status"><?cs var:Login.Done ?></p><?cs elif:Login.Next && !Form.ErrorCount ?><p class="notice" role="status" id="login-required"><?cs var:L.Nav.NeedLogin ?></p><?cs /if ?>
  <?cs if:Login.Protected ?>
  <div class="notice notice--warn protected" id="login-protected" role="status" aria-labelledby="protected-title">
    <h2 class="protected__title" id="protected-title"><?cs var:L.Login.Protected.Title ?></h2>
    <p><?cs var:L.Login.Protected.Why ?></p>
    <p class="protected__lead"><?cs var:L.Login.Protected.WaysTitle ?></p>
    <ul class="protected__ways">
      <li><?cs var:L.Login.Protected.Image ?></li>
      <li><?cs var:L.Login.Protected.Reset ?> <a href="/password/forgot" id="protected-reset"><?cs var:L.Login.Protected.ResetLink ?></a></li>
      <li><?cs var:Login.ProtectedWait ?></li>
    </ul>
    <p><?cs var:L.Login.Protected.NotYou ?></p>
  </div>
  <?cs /if ?>
  <p><?cs var:L.Login.Lead ?></p>
  <button type="submit" form="login" hidden tabindex="-1"><?cs var:L.Login.Submit ?></button>
  <form method="post" action="/login" id="login" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <?cs if:Login.Next ?><input type="hidden" name="next" value="<?cs var:Login.Next ?>"><?cs /if ?>
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Login.Email ?></label>
      <input type="email" id="email" name="email" value="<?cs var:Login.Email ?>" autocomplete="username" inputmode="email" autocapitalize="off" spellcheck="false" required aria-describedby="email-hint<?cs if:Form.Errors.email ?> email-error<?cs /if ?>">
      <p class="field__hint" id="email-hint"><?cs var:L.Login.EmailHint ?></p>
      <?cs if:Form.Errors.email ?><p class="field__error" id="email-error"><?cs var:Form.Errors.email ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.password || Form.Errors.login ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:L.Login.Password ?></label>
      <input type="password" id="password" name="password" autocomplete="current-password" required<?cs if:Form.Errors.password ?> aria-describedby="password-error"<?cs /if ?>>
      <?cs if:Form.Errors.password ?><p class="field__error" id="password-error"><?cs var:Form.Errors.password ?></p><?cs /if ?>
      <?cs if:Form.Errors.login ?><p class="field__error" id="login-error"><?cs var:Form.Errors.login ?></p><?cs /if ?>
    </div>
    <?cs if:Captcha.Provider ?>
    <div class="field captcha<?cs if:Form.Errors.captcha ?> field--error<?cs /if ?>">
      <span class="field__label"><?cs var:L.Captcha.Label ?></span>
      <div class="g-recaptcha" data-sitekey="<?cs var:Captcha.SiteKey ?>"></div>
      <script src="https://www.google.com/recaptcha/api.js" async defer></script>
      <noscript><p class="field__hint"><?cs var:L.Login.ProviderNoScript ?></p></noscript>
      <?cs if:Form.Errors.captcha ?><p class="field__error" id="captcha-error"><?cs var:Form.Errors.captcha ?></p><?cs /if ?>
    </div>
    <?cs elif:Captcha.Challenge ?>
    <div class="field captcha<?cs if:Form.Errors.captcha ?> field--error<?cs /if ?>" id="captcha-field">
      <input type="hidden" name="captcha_challenge" value="<?cs var:Captcha.Challenge ?>">
      <?cs if:Captcha.TextAllowed != 1 ?><input type="hidden" name="captcha_image_only" value="1"><?cs /if ?>
      <?cs if:Captcha.Kind == "text" ?>
      <label class="field__label" for="captcha"><?cs var:L.Captcha.TextLabel ?></label>
      <p id="captcha-question"><strong><?cs var:Captcha.Question ?></strong></p>
      <input type="text" id="captcha" name="captcha" inputmode="numeric" autocomplete="off" required aria-describedby="captcha-question captcha-help<?cs if:Form.Errors.captcha ?> captcha-error<?cs /if ?>">
      <p class="field__hint" id="captcha-help"><?cs var:L.Captcha.TextHelp ?></p>
      <?cs if:Form.Errors.captcha ?><p class="field__error" id="captcha-error"><?cs var:Form.Errors.captcha ?></p><?cs /if ?>
      <p class="captcha__actions"><button class="button--link" type="submit" name="captcha_action" value="image" id="captcha-image"><?cs var:L.Captcha.ImageLink ?></button></p>
      <?cs else ?>
      <label class="field__label" for="captcha"><?cs var:L.Captcha.Label ?></label>
      <p class="field__hint" id="captcha-help"><?cs var:L.Captcha.Help ?></p>
      <p><img class="captcha__image" src="<?cs var:Captcha.Image ?>" alt="<?cs var:L.Captcha.ImageAlt ?>"></p>
      <input type="text" id="captcha" name="captcha" autocomplete="off" autocapitalize="characters" spellcheck="false" required aria-describedby="captcha-help<?cs if:Form.Errors.captcha ?> captcha-error<?cs /if ?>">
      <?cs if:Form.Errors.captcha ?><p class="field__error" id="captcha-error"><?cs var:Form.Errors.captcha ?></p><?cs /if ?>
      <p class="captcha__actions"><button class="button--link" type="submit" name="captcha_action" value="reload" id="captcha-reload"><?cs var:L.Captcha.Reload ?></button><?cs if:Captcha.TextAllowed == 1 ?><button class="button--link" type="submit" name="captcha_action" value="text" id="captcha-text"><?cs var:L.Captcha.TextLink ?></button><?cs /if ?></p>
      <?cs /if ?>
      <?cs if:Captcha.Hard == 1 && !Login.Protected ?><p class="notice notice--warn"><?cs var:L.Captcha.HardNotice ?></p><?cs /if ?>
    </div>
    <p class="visually-hidden" id="captcha-status" role="status" data-done="<?cs var:L.Captcha.Refreshed ?>"></p>
    <?cs /if ?>
    <?cs if:Login.RememberDays > 0 ?>
    <div class="field">
      <label class="check"><input type="checkbox" name="remember" value="1"<?cs if:Login.Remember ?> checked<?cs /if ?> aria-describedby="remember-hint"><span><?cs var:L.Login.Remember ?></span></label>
      <p class="field__hint" id="remember-hint"><?cs var:Login.RememberHint ?></p>
    </div>
    <?cs /if ?>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Login.Submit ?></button>
    </div>
  </form>
  <div class="passkey-login" id="passkey-login" hidden data-passkey="login" data-options="/login/passkey/options" data-finish="/login/passkey" data-csrf="<?cs var:Page.CSRF ?>"<?cs if:Login.Next ?> data-next="<?cs var:Login.Next ?>"<?cs /if ?> data-error-failed="<?cs var:L.Passkey.Error.LoginFailed ?>" data-error-cancelled="<?cs var:L.Passkey.Error.Cancelled ?>" data-error-unsupported="<?cs var:L.Passkey.Error.Unsupported ?>" data-error-throttled="<?cs var:L.Passkey.Error.Throttled ?>">
    <p class="passkey-login__or"><?cs var:L.Passkey.Login.Or ?></p>
    <p><button class="button button--secondary" type="button" id="passkey-login-button"><?cs var:L.Passkey.Login.Button ?></button></p>
    <p class="field__error" id="passkey-error" role="alert" hidden></p>
  </div>
  <ul class="link-list">
    <li><a href="/inquiry/new?category=login_id"><?cs var:L.Login.ForgotId ?></a></li>
    <li><a href="/password/forgot"><?cs var:L.Login.ForgotPassword ?></a></li>
    <li><a href="/help/login" id="login-help"><?cs var:L.Help.Login.Link ?></a></li>
  </ul>
  <?cs if:Captcha.Challenge || Captcha.Provider ?><p class="muted"><?cs var:L.Login.CaptchaNote ?></p><?cs /if ?>
</section>
<section class="card">
  <h2><?cs var:L.Login.NewTitle ?></h2>
  <p><?cs var:L.Login.NewText ?></p>
  <p><a class="button button--secondary" href="/signup"><?cs var:L.Login.Signup ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Login.Title ?>
<?cs set:Page.Script = "login" ?>
<?cs set:Page.Passkey = 1 ?>
<?cs include:"layout.cs" ?>
