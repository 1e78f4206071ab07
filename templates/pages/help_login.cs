<?cs # /help/login — ログインでお困りの場合 (src/pages/help_login.c). ?>
<?cs def:content() ?>
<section class="card help" aria-labelledby="help-title">
  <h1 id="help-title"><?cs var:L.Help.Login.Title ?></h1>
  <p><?cs var:L.Help.Login.Lead ?></p>
  <ul class="link-list">
    <li><a href="#password"><?cs var:L.Help.Login.Password.Title ?></a></li>
    <li><a href="#login-id"><?cs var:L.Help.Login.Id.Title ?></a></li>
    <li><a href="#locked"><?cs var:L.Help.Login.Locked.Title ?></a></li>
    <li><a href="#captcha"><?cs var:L.Help.Login.Captcha.Title ?></a></li>
    <li><a href="#browsers"><?cs var:L.Help.Login.Browsers.Title ?></a></li>
  </ul>
</section>
<section class="card" id="check">
  <h2><?cs var:L.Help.Login.Check.Title ?></h2>
  <ul>
    <li><?cs var:L.Help.Login.Check.Address ?></li>
    <li><?cs var:L.Help.Login.Check.Width ?></li>
    <li><?cs var:L.Help.Login.Check.Caps ?></li>
  </ul>
</section>
<section class="card" id="password">
  <h2><?cs var:L.Help.Login.Password.Title ?></h2>
  <p><?cs var:Help.Login.PasswordText ?></p>
  <p><a class="button button--secondary" href="/password/forgot" id="help-forgot-password"><?cs var:L.Login.ForgotPassword ?></a></p>
</section>
<section class="card" id="login-id">
  <h2><?cs var:L.Help.Login.Id.Title ?></h2>
  <p><?cs var:L.Help.Login.Id.Text ?></p>
  <p><a class="button button--secondary" href="/inquiry/new?category=login_id" id="help-forgot-id"><?cs var:L.Login.ForgotId ?></a></p>
</section>
<section class="card" id="locked">
  <h2><?cs var:L.Help.Login.Locked.Title ?></h2>
  <p><?cs var:Help.Login.LockedText ?></p>
  <p><?cs var:L.Help.Login.Locked.Mail ?></p>
</section>
<section class="card" id="captcha">
  <h2><?cs var:L.Help.Login.Captcha.Title ?></h2>
  <p><?cs var:L.Help.Login.Captcha.Why ?></p>
  <ul>
    <li><?cs var:L.Help.Login.Captcha.Harder ?></li>
    <li><?cs var:L.Help.Login.Captcha.Unreadable ?></li>
    <li><?cs var:L.Help.Login.Captcha.Text ?></li>
  </ul>
</section>
<section class="card" id="remember">
  <h2><?cs var:L.Help.Login.Remember.Title ?></h2>
  <?cs if:Help.Login.RememberText ?><p><?cs var:Help.Login.RememberText ?></p><?cs /if ?>
  <p><?cs var:L.Help.Login.Remember.Shared ?></p>
</section>
<section class="card" id="signup">
  <h2><?cs var:L.Help.Login.Unfinished.Title ?></h2>
  <p><?cs var:L.Help.Login.Unfinished.Text ?></p>
  <h3><?cs var:L.Help.Login.Before.Title ?></h3>
  <p><?cs var:L.Help.Login.Before.Text ?></p>
</section>
<section class="card" id="browsers">
  <h2><?cs var:L.Help.Login.Browsers.Title ?></h2>
  <p><?cs var:L.Help.Login.Browsers.Lead ?></p>
  <ul>
    <li><?cs var:L.Help.Login.Browsers.PC ?></li>
    <li><?cs var:L.Help.Login.Browsers.Phone ?></li>
  </ul>
  <p><?cs var:L.Help.Login.Browsers.Cookies ?></p>
</section>
<section class="card" id="still">
  <h2><?cs var:L.Help.Login.Still.Title ?></h2>
  <p><?cs var:L.Help.Login.Still.Text ?></p>
  <ul class="link-list">
    <li><a href="/help/faq"><?cs var:L.Common.FAQ ?></a></li>
    <li><a href="<?cs var:Service.SupportURL ?>" id="help-contact"><?cs var:L.Common.Contact ?></a></li>
    <li><a href="/login"><?cs var:L.Help.Login.BackToLogin ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Help.Login.Title ?>
<?cs include:"layout.cs" ?>
