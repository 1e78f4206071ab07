<?cs # The page layout. Each page template defines the macro content() (and may set
  Page.Title, Page.Step for the signup progress bar) and then includes this file.
  Everything is HTML-escaped by default (Config.VarEscapeMode = html). ?><!DOCTYPE html>
<html lang="<?cs var:Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs if:Page.Title ?><?cs var:Page.Title ?> | <?cs /if ?><?cs var:Service.Name ?></title>
<link rel="icon" href="/static/img/favicon.svg?v=<?cs var:Service.StaticVersion ?>" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/kenpo.css?v=<?cs var:Service.StaticVersion ?>">
<?cs if:Page.Script ?><script src="/static/js/<?cs var:Page.Script ?>.js?v=<?cs var:Service.StaticVersion ?>" defer></script><?cs /if ?>
<?cs if:Page.Passkey ?><script src="/static/js/passkey.js?v=<?cs var:Service.StaticVersion ?>" defer></script><?cs /if ?>
</head>
<body>
<header class="site-header">
  <div class="site-header__inner">
    <a class="site-name" href="<?cs if:Page.LoggedIn ?>/top<?cs else ?>/<?cs /if ?>"><?cs var:Service.Name ?></a>
    <?cs if:Insurer.Name ?><span class="provided-by"><?cs var:L.Common.ProvidedBy ?><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:Insurer.Name ?></span><?cs /if ?>
    <nav class="lang-switch" aria-label="<?cs var:L.Common.Language ?>">
      <?cs if:Lang == "ja" ?><a href="/lang?to=en&amp;back=<?cs var:url_escape(Page.Back) ?>" lang="en" hreflang="en">English</a><?cs else ?><a href="/lang?to=ja&amp;back=<?cs var:url_escape(Page.Back) ?>" lang="ja" hreflang="ja">日本語</a><?cs /if ?>
    </nav>
  </div>
  <?cs # The member menu (issue 11): once logged in, on every page. Links and
    one logout button, no JavaScript; the current page is aria-current="page",
    a page below a menu item (e.g. /account/password) aria-current="true". ?>
  <?cs if:Page.LoggedIn ?>
  <nav class="member-nav" id="member-nav" aria-label="<?cs var:L.Nav.Label ?>">
    <ul class="member-nav__list">
      <li><a href="/top"<?cs if:Page.Path == "/top" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.Top ?></a></li>
      <li><a href="/announcements"<?cs if:Page.Path == "/announcements" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.News ?></a></li>
      <li><a href="/account"<?cs if:Page.Path == "/account" ?> aria-current="page"<?cs elif:string.slice(Page.Path, 0, 9) == "/account/" && Page.Path != "/account/logins" ?> aria-current="true"<?cs /if ?>><?cs var:L.Nav.Account ?></a></li>
      <li><a href="/account/logins"<?cs if:Page.Path == "/account/logins" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.Logins ?></a></li>
      <li><a href="/help/faq"<?cs if:Page.Path == "/help/faq" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.FAQ ?></a></li>
      <li><form class="logout-form" method="post" action="/logout"><input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>"><button type="submit" class="member-nav__logout"><?cs var:L.Login.Logout ?></button></form></li>
    </ul>
  </nav>
  <?cs /if ?>
</header>
<main class="main" id="main">
<?cs if:Page.Step ?>
<ol class="progress" aria-label="<?cs var:L.Signup.Progress ?>">
  <li class="<?cs if:Page.Step == 1 ?>current<?cs elif:Page.Step > 1 ?>done<?cs /if ?>"<?cs if:Page.Step == 1 ?> aria-current="step"<?cs /if ?>><span class="progress__num">1</span><?cs var:L.Signup.Step1 ?></li>
  <li class="<?cs if:Page.Step == 2 ?>current<?cs elif:Page.Step > 2 ?>done<?cs /if ?>"<?cs if:Page.Step == 2 ?> aria-current="step"<?cs /if ?>><span class="progress__num">2</span><?cs var:L.Signup.Step2 ?></li>
  <li class="<?cs if:Page.Step == 3 ?>current<?cs elif:Page.Step > 3 ?>done<?cs /if ?>"<?cs if:Page.Step == 3 ?> aria-current="step"<?cs /if ?>><span class="progress__num">3</span><?cs var:L.Signup.Step3 ?></li>
  <li class="<?cs if:Page.Step == 4 ?>current<?cs elif:Page.Step > 4 ?>done<?cs /if ?>"<?cs if:Page.Step == 4 ?> aria-current="step"<?cs /if ?>><span class="progress__num">4</span><?cs var:L.Signup.Step4 ?></li>
</ol>
<?cs /if ?>
<?cs if:Form.ErrorCount > 0 ?>
<div class="error-summary" role="alert" tabindex="-1">
  <p class="error-summary__title"><?cs var:L.Common.ErrorSummary ?></p>
  <ul><?cs each:e = Form.ErrorList ?><li><a href="#<?cs var:e.field ?>"><?cs var:e.text ?></a></li><?cs /each ?></ul>
</div>
<?cs /if ?>
<?cs if:Maintenance.Text ?>
<div class="notice notice--warn maintenance" id="maintenance" role="status" data-state="<?cs var:Maintenance.State ?>">
  <p class="maintenance__title"><strong><?cs if:Maintenance.State == "now" ?><?cs var:L.Maintenance.TitleNow ?><?cs else ?><?cs var:L.Maintenance.TitleUpcoming ?><?cs /if ?></strong></p>
  <p><?cs var:Maintenance.Text ?></p>
  <?cs if:Maintenance.Message ?><p class="maintenance__message"><?cs var:Maintenance.Message ?></p><?cs /if ?>
</div>
<?cs /if ?>
<?cs # On the way through a service's login (OpenID Connect: login, terms,
  step-up), which service she is logging in to (oidc_authz_next_page). ?>
<?cs if:OIDC.Via.Client ?>
<div class="notice" id="oidc-via"><p><strong><?cs var:OIDC.Via.Client ?></strong><?cs if:Lang == "ja" ?> <?cs /if ?><?cs var:L.OIDC.Via.Text ?></p></div>
<?cs /if ?>
<?cs call:content() ?>
</main>
<footer class="site-footer">
  <ul class="site-footer__links">
    <li><a href="<?cs var:Service.TermsURL ?>"><?cs var:L.Common.Terms ?></a></li>
    <li><a href="<?cs var:Service.PrivacyURL ?>"><?cs var:L.Common.Privacy ?></a></li>
    <li><a href="/help/faq" id="footer-faq"><?cs var:L.Common.FAQ ?></a></li>
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Common.Contact ?></a></li>
    <?cs if:Service.OperatorURL ?><li><a href="<?cs var:Service.OperatorURL ?>" id="footer-operator"><?cs var:L.Common.OperatorLink ?></a></li><?cs /if ?>
    <li><a href="<?cs var:Service.DisclosureURL ?>" id="footer-disclosure"><?cs var:L.Common.Disclosure ?></a></li>
  </ul>
  <p class="site-footer__operator"><?cs var:L.Common.OperatedBy ?><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:Service.Operator ?></p>
</footer>
</body>
</html>
