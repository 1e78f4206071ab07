<?cs # /signup/eligibility/help — where the card data is, and what to do without
  a card at hand (seed 001: 資格情報のお知らせ, マイナポータル, 資格確認書). ?>
<?cs include:"eligibility_card.cs" ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Help.Title ?></h1>
  <p><?cs var:L.Signup.Help.Lead ?></p>
  <h2><?cs var:L.Signup.Help.WhereTitle ?></h2>
  <ul>
    <li><?cs var:L.Signup.Help.Where.Insurer ?></li>
    <li><?cs var:L.Signup.Help.Where.Symbol ?></li>
    <li><?cs var:L.Signup.Help.Where.Number ?></li>
    <li><?cs var:L.Signup.Help.Where.Name ?></li>
    <li><?cs var:L.Signup.Help.Where.Birth ?></li>
  </ul>
  <h2><?cs var:L.Signup.Help.PatternTitle ?></h2>
  <p><?cs var:L.Signup.Help.PatternLead ?></p>
  <?cs if:Help.Pattern ?><p class="notice" id="help-your-pattern"><?cs var:L.Signup.Help.YourPattern ?></p><?cs /if ?>
  <ul class="pattern-list">
    <?cs loop:p = 1, 4, 1 ?>
    <li class="pattern-list__item<?cs if:Help.Pattern == p ?> pattern-list__item--yours<?cs /if ?>" id="pattern-<?cs var:p ?>">
      <p class="pattern-list__text"><?cs if:Help.Pattern == p ?><strong class="pattern-list__yours"><?cs var:L.Signup.Help.Yours ?></strong> <?cs /if ?><?cs var:L.Signup.Help.Pattern[p] ?></p>
      <?cs call:eligibility_card_figure(p, 0) ?>
    </li>
    <?cs /loop ?>
  </ul>
  <p class="field__hint"><?cs var:L.Signup.Elig.NumberNote ?></p>
</section>
<section class="card" id="no-card">
  <h2><?cs var:L.Signup.Help.NoCardTitle ?></h2>
  <p><?cs var:L.Signup.Help.NoCard ?></p>
  <h3><?cs var:L.Signup.Help.MyNumberTitle ?></h3>
  <p><?cs var:L.Signup.Help.MyNumber ?></p>
  <h3><?cs var:L.Signup.Help.NoMyNumberTitle ?></h3>
  <p><?cs var:L.Signup.Help.NoMyNumber ?></p>
  <p><?cs var:L.Signup.Help.Contact ?> <a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Contact ?></a></p>
  <p class="actions"><a class="button button--secondary" href="/signup/eligibility"><?cs var:L.Signup.Help.Back ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Help.Title ?>
<?cs include:"layout.cs" ?>
