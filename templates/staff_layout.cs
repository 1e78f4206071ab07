<?cs # The staff console's layout (templates/pages/staff_*.cs): its own header
  and menu (by role: Staff.Role), no member footer. Escaped by default. ?><!DOCTYPE html>
<html lang="<?cs var:Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title><?cs if:Page.Title ?><?cs var:Page.Title ?> | <?cs /if ?><?cs var:L.Staff.Console ?></title>
<link rel="stylesheet" href="/static/css/kenpo.css?v=<?cs var:Service.StaticVersion ?>">
<link rel="stylesheet" href="/static/css/staff.css?v=<?cs var:Service.StaticVersion ?>">
</head>
<body class="staff">
<header class="site-header staff-header">
  <div class="site-header__inner">
    <a class="site-name" href="/"><?cs var:Service.Name ?> <?cs var:L.Staff.Console ?></a>
    <nav class="lang-switch" aria-label="<?cs var:L.Common.Language ?>">
      <?cs if:Lang == "ja" ?><a href="/lang?to=en&amp;back=<?cs var:url_escape(Page.Back) ?>" lang="en" hreflang="en">English</a><?cs else ?><a href="/lang?to=ja&amp;back=<?cs var:url_escape(Page.Back) ?>" lang="ja" hreflang="ja">日本語</a><?cs /if ?>
    </nav>
  </div>
  <?cs if:Staff.Role ?>
  <nav class="member-nav" id="staff-nav" aria-label="<?cs var:L.Staff.Nav.Label ?>">
    <ul class="member-nav__list">
      <li><a href="/"><?cs var:L.Staff.Nav.Home ?></a></li>
      <?cs if:Staff.Role == "reviewer" || Staff.Role == "admin" ?><li><a href="/review" id="nav-review"><?cs var:L.Staff.Nav.Review ?></a></li><?cs /if ?>
      <?cs if:Staff.Role == "support" || Staff.Role == "admin" ?><li><a href="/inquiries" id="nav-inquiries"><?cs var:L.Staff.Nav.Inquiries ?></a></li><?cs /if ?>
      <?cs if:Staff.Role == "admin" ?><li><a href="/staff" id="nav-staff"><?cs var:L.Staff.Nav.Staff ?></a></li><?cs /if ?>
      <li><form class="logout-form" method="post" action="/logout"><input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>"><button type="submit" class="member-nav__logout"><?cs var:L.Staff.Nav.Logout ?></button></form></li>
    </ul>
    <p class="staff-who"><?cs var:L.Staff.LoggedInAs ?> <span id="staff-email"><?cs var:Staff.Email ?></span>（<?cs var:L.Staff.Role[Staff.Role] ?>）</p>
  </nav>
  <?cs /if ?>
</header>
<main class="main" id="main">
<?cs if:Form.ErrorCount > 0 ?>
<div class="error-summary" role="alert" tabindex="-1">
  <p class="error-summary__title"><?cs var:L.Common.ErrorSummary ?></p>
  <ul><?cs each:e = Form.ErrorList ?><li><a href="#<?cs var:e.field ?>"><?cs var:e.text ?></a></li><?cs /each ?></ul>
</div>
<?cs /if ?>
<?cs call:content() ?>
</main>
</body>
</html>
