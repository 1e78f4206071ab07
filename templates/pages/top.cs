<?cs # /top — the member top page (src/pages/top.c): greeting, announcements with
  search, the insurer's links, and the features of each verification level. ?>
<?cs include:"levels_table.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="top-title">
  <h1 id="top-title"><?cs if:Top.HelloText ?><?cs var:Top.HelloText ?><?cs else ?><?cs var:L.Top.Title ?><?cs /if ?></h1>
  <dl class="summary">
    <?cs if:Top.Insurer ?><dt><?cs var:L.Top.Insurer ?></dt><dd id="top-insurer"><?cs var:Top.Insurer ?></dd><?cs /if ?>
    <dt><?cs var:L.Top.Email ?></dt><dd id="top-email"><?cs var:Top.Email ?></dd>
    <dt><?cs var:L.Top.Level ?></dt><dd id="top-level"><?cs var:Top.LevelText ?><?cs if:Top.Unaffiliated ?><?cs if:Lang == "en" ?> <?cs /if ?><?cs var:L.Top.UnaffiliatedMark ?><?cs /if ?></dd>
  </dl>
  <?cs if:Top.Unaffiliated ?><div class="notice notice--warn" id="top-unaffiliated"><p><?cs var:L.Top.UnaffiliatedText ?></p><?cs if:Top.UnaffiliatedDates ?><p id="top-unaffiliated-dates"><?cs var:Top.UnaffiliatedDates ?></p><?cs /if ?></div><?cs /if ?>
  <?cs if:Top.Verify ?><div class="notice" id="top-verify"><p class="notice__title"><strong><?cs var:L.Levels.Verify.TopTitle ?></strong></p><p><?cs var:L.Levels.Verify.TopText ?></p><p class="actions"><a class="button" href="/account/verify"><?cs var:L.Levels.Verify.Do ?></a></p></div><?cs /if ?>
  <p class="actions"><a class="button button--secondary" href="/account"><?cs var:L.Top.Settings ?></a></p>
</section>

<section class="card" id="news" aria-labelledby="news-title">
  <h2 id="news-title"><?cs var:L.Top.News ?></h2>
  <form class="search" method="get" action="/announcements" role="search" aria-label="<?cs var:L.Top.Search ?>">
    <label class="field__label" for="q"><?cs var:L.Top.Search ?></label>
    <div class="search__row">
      <input type="search" id="q" name="q" maxlength="50" autocomplete="off">
      <button class="button button--secondary" type="submit"><?cs var:L.Top.SearchSubmit ?></button>
    </div>
  </form>
  <?cs if:subcount(Top.News) > 0 ?>
  <ul class="news-list">
    <?cs each:a = Top.News ?>
    <li class="news-list__item">
      <details>
        <summary><time class="news-list__date" datetime="<?cs var:a.Date ?>"><?cs var:a.DateText ?></time> <span class="news-list__from"><?cs if:a.Operator == 1 ?><?cs var:L.Top.FromOperator ?><?cs else ?><?cs var:L.Top.FromInsurer ?><?cs /if ?></span> <span class="news-list__title"><?cs var:a.Title ?></span></summary>
        <div class="news-list__body"><?cs var:a.Body ?></div>
      </details>
    </li>
    <?cs /each ?>
  </ul>
  <?cs else ?>
  <p class="muted" id="news-none"><?cs var:L.Top.NewsNone ?></p>
  <?cs /if ?>
  <?cs if:Top.NewsMore ?><ul class="link-list"><li><a href="/announcements" id="news-more"><?cs var:L.Top.NewsMore ?></a></li></ul><?cs /if ?>
</section>

<?cs if:Top.InsurerBox ?>
<section class="card" id="insurer" aria-labelledby="insurer-title">
  <h2 id="insurer-title"><?cs var:L.Top.InsurerTitle ?></h2>
  <p><?cs var:Top.Insurer ?></p>
  <?cs if:Top.TermsURL ?><ul class="link-list"><li><a href="<?cs var:Top.TermsURL ?>" id="insurer-terms" rel="noopener noreferrer"><?cs var:Top.TermsText ?></a></li></ul><?cs /if ?>
  <?cs if:Top.PointsText ?><p id="insurer-points"><?cs var:Top.PointsText ?></p><?cs /if ?>
  <?cs if:Top.InsurerNewsText ?><p id="insurer-news"><?cs var:Top.InsurerNewsText ?> <a href="#news"><?cs var:L.Top.InsurerNewsLink ?></a></p><?cs else ?><p class="muted" id="insurer-none"><?cs var:Top.InsurerNoneText ?></p><?cs /if ?>
</section>
<?cs /if ?>

<section class="card" id="features" aria-labelledby="features-title">
  <h2 id="features-title"><?cs var:L.Top.FeaturesTitle ?></h2>
  <p class="muted"><?cs var:L.Top.FeaturesLead ?></p>
  <ul class="feature-list">
    <?cs each:f = Top.Features ?>
    <li class="feature feature--<?cs var:f.State ?>">
      <span class="feature__name"><?cs if:f.Href ?><a href="<?cs var:f.Href ?>"><?cs var:f.Name ?></a><?cs else ?><?cs var:f.Name ?><?cs /if ?></span>
      <span class="feature__status"><?cs var:f.Text ?></span>
    </li>
    <?cs /each ?>
  </ul>
  <?cs if:Top.More ?>
  <div class="feature-more" id="features-more">
    <h3><?cs var:L.Top.More.Title ?></h3>
    <p><?cs var:L.Top.More.Lead ?></p>
    <ul class="feature-more__list">
      <li><?cs var:L.Top.Feature.Checkup.Name ?></li>
      <li><?cs var:L.Top.Feature.Medicine.Name ?></li>
      <li><?cs var:L.Top.Feature.MedicalCost.Name ?></li>
    </ul>
    <?cs if:Top.VerifyLink ?><p class="actions"><a class="button" href="/verify" id="top-ekyc"><?cs var:L.Verify.Title ?></a></p><?cs /if ?>
  </div>
  <?cs /if ?>
  <?cs if:Top.SensitiveLink ?>
  <div class="feature-more" id="features-sensitive">
    <h3><?cs var:L.Sensitive.Title ?></h3>
    <p><?cs var:L.Sensitive.Lead ?></p>
    <p class="actions"><a class="button" href="/sensitive" id="top-sensitive"><?cs var:L.Verify.Approved.Link ?></a></p>
  </div>
  <?cs /if ?>
</section>

<section class="card" id="levels" aria-labelledby="levels-title">
  <h2 id="levels-title"><?cs var:L.Levels.TableTitle ?></h2>
  <?cs call:levels_table() ?>
  <?cs call:levels_explained() ?>
  <ul class="link-list"><li><a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Top.Title ?>
<?cs include:"layout.cs" ?>
