<?cs # /password/forgot after POST: the same page whether or not the address has an
  account (no enumeration). ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Forgot.SentTitle ?></h1>
  <p><?cs var:Forgot.SentText ?></p>
  <p><?cs var:Forgot.SentMinutes ?></p>
  <div class="notice">
    <p><?cs var:L.Forgot.SentCheckTitle ?></p>
    <ul>
      <li><?cs var:L.Forgot.SentCheck1 ?></li>
      <li><?cs var:L.Forgot.SentCheck2 ?></li>
      <li><?cs var:L.Forgot.SentCheck3 ?></li>
    </ul>
  </div>
  <ul class="link-list">
    <li><a href="/inquiry/new?category=login_id"><?cs var:L.Forgot.ForgotId ?></a></li>
    <li><a href="/login"><?cs var:L.Forgot.BackToLogin ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Forgot.SentTitle ?>
<?cs include:"layout.cs" ?>
