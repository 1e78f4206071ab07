<?cs # The page of a level the member does not have (src/oidc_authz.c
  unmet_page): which level the service needs, what she has, how to get it,
  and a button back to the service (→ unmet_authentication_requirements). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="oidc-unmet-title">
  <h1 id="oidc-unmet-title"><?cs var:L.OIDC.Unmet.Title ?></h1>
  <p id="oidc-unmet-need"><strong><?cs var:OIDC.Client ?></strong> <?cs var:L.OIDC.Unmet.Needs ?> <strong><?cs var:OIDC.Need ?></strong></p>
  <p id="oidc-unmet-have"><?cs var:L.OIDC.Unmet.Have ?> <strong><?cs var:OIDC.Have ?></strong></p>
  <?cs if:OIDC.Unaffiliated ?>
  <p id="oidc-unmet-how"><?cs var:L.OIDC.Unmet.Unaffiliated ?></p>
  <?cs elif:OIDC.Locked ?>
  <p id="oidc-unmet-how"><?cs var:L.OIDC.Unmet.Locked ?></p>
  <ul class="link-list"><li><a href="/verify?again=1" id="oidc-unmet-verify"><?cs var:L.OIDC.Unmet.VerifyLink ?></a></li></ul>
  <?cs elif:OIDC.NeedLevel == 2 ?>
  <p id="oidc-unmet-how"><?cs var:L.OIDC.Unmet.HowIdentity ?></p>
  <ul class="link-list"><li><a href="/account/verify" id="oidc-unmet-identity"><?cs var:L.OIDC.Unmet.IdentityLink ?></a></li></ul>
  <?cs else ?>
  <p id="oidc-unmet-how"><?cs if:OIDC.HaveLevel < 2 ?><?cs var:L.OIDC.Unmet.HowSensitiveFirst ?><?cs else ?><?cs var:L.OIDC.Unmet.HowSensitive ?><?cs /if ?></p>
  <ul class="link-list"><?cs if:OIDC.HaveLevel < 2 ?><li><a href="/account/verify" id="oidc-unmet-identity"><?cs var:L.OIDC.Unmet.IdentityLink ?></a></li><?cs /if ?><li><a href="/verify" id="oidc-unmet-verify"><?cs var:L.OIDC.Unmet.VerifyLink ?></a></li></ul>
  <?cs /if ?>
  <ul class="link-list"><li><a href="/help/levels" id="oidc-unmet-help"><?cs var:L.Levels.HelpLink ?></a></li></ul>
  <p class="muted"><?cs var:L.OIDC.Unmet.Later ?></p>
  <form method="post" action="/oidc/consent" id="oidc-unmet-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="r" value="<?cs var:OIDC.Handle ?>">
    <div class="actions"><button class="button button--secondary" type="submit" name="decision" value="back" id="oidc-unmet-back"><?cs var:L.OIDC.Unmet.Back ?></button></div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.OIDC.Unmet.Title ?>
<?cs include:"layout.cs" ?>
