<?cs # /account/verify — 本人確認 of a 団体ID認証 account (src/pages/account_verify.c).
  Verify.State: form (the card check of step 3 for the account's insurer),
  done (already 本人確認済み; Verify.JustDone right after), unaffiliated,
  unavailable (the insurer does not offer the service). Elig.*: the outcome of
  the check (src/eligibility.c), texts shared with step 3 but "bound". ?>
<?cs include:"eligibility_card.cs" ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="verify-title">
  <h1 id="verify-title"><?cs var:L.Levels.Verify.Title ?></h1>
  <?cs if:Verify.State == "done" ?>
  <?cs if:Verify.JustDone ?><div class="notice" role="status" id="verify-done"><p class="notice__title"><strong><?cs var:L.Levels.Verify.JustDone ?></strong></p><p><?cs var:L.Levels.Verify.JustDoneText ?></p></div>
  <?cs else ?><p id="verify-already"><?cs var:L.Levels.Verify.Already ?></p><?cs /if ?>
  <?cs elif:Verify.State == "unaffiliated" ?>
  <div class="notice notice--warn" id="verify-unaffiliated"><p><?cs var:L.Levels.Verify.Unaffiliated ?></p></div>
  <?cs elif:Verify.State == "unavailable" ?>
  <div class="notice notice--warn" id="verify-unavailable"><p><?cs var:L.Levels.Verify.Unavailable ?></p></div>
  <?cs else ?>
  <?cs if:Elig.Outcome ?>
  <div class="notice notice--error" role="alert" id="outcome">
    <?cs if:Elig.Outcome == "bound" ?>
    <p class="notice__title"><strong><?cs var:L.Levels.Verify.Bound.Title ?></strong></p>
    <p><?cs var:L.Levels.Verify.Bound.Text ?></p>
    <?cs if:Elig.Locked ?><p><?cs var:Elig.LockText ?></p><?cs call:eligibility_meanwhile() ?><?cs /if ?>
    <?cs if:Elig.TriesLeftText ?><p class="outcome-tries"><?cs var:Elig.TriesLeftText ?></p><?cs /if ?>
    <?cs else ?>
    <p class="notice__title"><strong><?cs var:L.Signup.Elig.Outcome[Elig.Outcome].Title ?></strong></p>
    <?cs call:eligibility_outcome_text(Elig.Outcome) ?>
    <?cs /if ?>
    <?cs if:!Elig.Locked ?>
    <ul class="link-list">
      <?cs if:Elig.Outcome == "bound" ?><li><a href="/password/forgot"><?cs var:L.Signup.Elig.ForgotPassword ?></a></li><li><a href="/inquiry/new?category=login_id"><?cs var:L.Signup.Elig.ForgotId ?></a></li><?cs /if ?>
      <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Inquiry ?></a></li>
    </ul>
    <?cs /if ?>
  </div>
  <?cs elif:Elig.Locked ?>
  <div class="notice notice--error" role="alert" id="outcome-locked">
    <p class="notice__title"><strong><?cs var:L.Signup.Elig.Outcome.locked.Title ?></strong></p>
    <?cs call:eligibility_outcome_text("locked") ?>
  </div>
  <?cs /if ?>
  <p><?cs var:L.Levels.Verify.Lead ?></p>
  <ul class="notes"><li><?cs var:L.Signup.Elig.Note2 ?></li></ul>
  <p><a href="/signup/eligibility/help<?cs if:Elig.Pattern ?>?pattern=<?cs var:Elig.Pattern ?><?cs /if ?>"><?cs var:L.Signup.Elig.HelpLink ?></a></p>
  <form method="post" action="/account/verify" id="verify-form" class="form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <dl class="summary">
      <dt><?cs var:L.Signup.Elig.Insurer ?></dt><dd id="verify-insurer-number"><?cs var:Verify.InsurerNumber ?></dd>
      <dt><?cs var:L.Levels.Verify.Insurer ?></dt><dd id="verify-insurer"><?cs var:Verify.Insurer ?></dd>
    </dl>
    <p class="field__hint"><?cs var:L.Levels.Verify.WrongInsurer ?> <a href="/account/withdraw"><?cs var:L.Levels.Verify.Withdraw ?></a></p>
    <?cs set:P = Elig.Pattern ?>
    <?cs call:eligibility_card_fields(P) ?>
    <div class="actions">
      <button class="button" type="submit" id="verify-submit"<?cs if:Elig.Locked ?> disabled<?cs /if ?>><?cs var:L.Levels.Verify.Submit ?></button>
    </div>
  </form>
  <?cs /if ?>
  <ul class="link-list">
    <li><a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></li>
    <li><a href="/top"><?cs var:L.Member.Account.BackTop ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Levels.Verify.Title ?>
<?cs include:"layout.cs" ?>
