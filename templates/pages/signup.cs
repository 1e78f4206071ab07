<?cs # /signup — step 1 (src/pages/signup.c). Works without JavaScript; signup.js
  adds the show-password toggle and the strength meter (elements with the
  hidden attribute below) and marks the rules live. ?>
<?cs def:field_error(name) ?><?cs if:Form.Errors[name] ?><p class="field__error" id="<?cs var:name ?>-error"><?cs var:Form.Errors[name] ?></p><?cs /if ?><?cs /def ?>
<?cs include:"password_field.cs" ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Title ?></h1>
  <div class="notice notice--warn">
    <p><?cs var:L.Signup.Warning ?></p>
  </div>
  <div class="prepare" id="prepare">
    <h2 class="prepare__title"><?cs var:L.Help.Prepare.Title ?></h2>
    <ol class="prepare__list">
      <li><?cs var:L.Help.Prepare.Device ?></li>
      <li><?cs var:L.Help.Prepare.Email ?></li>
      <li><?cs var:L.Help.Prepare.Card ?> <a href="/signup/eligibility/help#no-card"><?cs var:L.Help.Prepare.NoCard ?></a></li>
    </ol>
    <p class="prepare__sender" id="sender"><?cs var:L.Help.Prepare.SenderLead ?> <strong class="prepare__address"><?cs var:Service.MailFrom ?></strong><?cs if:Lang == "ja" ?> <?cs /if ?><?cs var:L.Help.Prepare.SenderTail ?></p>
  </div>
  <form method="post" action="/signup" id="signup-form" class="form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.email ?> field--error<?cs /if ?>">
      <label class="field__label" for="email"><?cs var:L.Signup.Email ?> <span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <input type="email" id="email" name="email" value="<?cs var:Form.Values.email ?>" autocomplete="email" inputmode="email" autocapitalize="off" spellcheck="false" maxlength="254" required aria-describedby="email-hint<?cs if:Form.Errors.email ?> email-error<?cs /if ?>">
      <p class="field__hint" id="email-hint"><?cs var:L.Signup.EmailHint ?></p>
      <?cs call:field_error("email") ?>
    </div>
    <?cs call:password_new_field(L.Signup.RulesNote) ?>
    <div class="field<?cs if:Form.Errors.invite_code ?> field--error<?cs /if ?>">
      <label class="field__label" for="invite_code"><?cs var:L.Signup.Invite ?> <span class="field__badge field__badge--optional"><?cs var:L.Common.Optional ?></span></label>
      <input type="text" id="invite_code" name="invite_code" value="<?cs var:Form.Values.invite_code ?>" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="64" aria-describedby="invite_code-hint<?cs if:Form.Errors.invite_code ?> invite_code-error<?cs /if ?>">
      <p class="field__hint" id="invite_code-hint"><?cs var:L.Signup.InviteHint ?></p>
      <?cs call:field_error("invite_code") ?>
    </div>
    <fieldset class="field consent<?cs if:Form.Errors.agree_terms || Form.Errors.agree_privacy ?> field--error<?cs /if ?>">
      <legend class="field__label"><?cs var:L.Signup.ConsentLead ?></legend>
      <?cs # The current published versions (src/terms.h), else the configured links. ?>
      <?cs set:Signup.TermsHref = Service.TermsURL ?><?cs set:Signup.PrivacyHref = Service.PrivacyURL ?>
      <?cs each:t = Signup.Terms ?><?cs if:t.Kind == "service" ?><?cs set:Signup.TermsHref = t.URL ?><?cs set:Signup.TermsVersion = t.Version ?><?cs set:Signup.TermsId = t.Id ?><?cs elif:t.Kind == "privacy" ?><?cs set:Signup.PrivacyHref = t.URL ?><?cs set:Signup.PrivacyVersion = t.Version ?><?cs set:Signup.PrivacyId = t.Id ?><?cs /if ?><?cs /each ?>
      <?cs if:Signup.TermsId ?><input type="hidden" name="terms_service" value="<?cs var:Signup.TermsId ?>"><?cs /if ?>
      <?cs if:Signup.PrivacyId ?><input type="hidden" name="terms_privacy" value="<?cs var:Signup.PrivacyId ?>"><?cs /if ?>
      <ul class="link-list">
        <li><a href="<?cs var:Signup.TermsHref ?>" target="_blank" rel="noopener" id="terms-link"><?cs var:L.Signup.TermsLink ?></a><?cs if:Signup.TermsVersion ?> <span class="muted"><?cs var:L.Terms.Version ?> <?cs var:Signup.TermsVersion ?></span><?cs /if ?><?cs if:Lang == "en" ?> <?cs /if ?><span class="muted"><?cs var:L.Signup.NewWindow ?></span></li>
        <li><a href="<?cs var:Signup.PrivacyHref ?>" target="_blank" rel="noopener" id="privacy-link"><?cs var:L.Signup.PrivacyLink ?></a><?cs if:Signup.PrivacyVersion ?> <span class="muted"><?cs var:L.Terms.Version ?> <?cs var:Signup.PrivacyVersion ?></span><?cs /if ?><?cs if:Lang == "en" ?> <?cs /if ?><span class="muted"><?cs var:L.Signup.NewWindow ?></span></li>
      </ul>
      <label class="check"><input type="checkbox" id="agree_terms" name="agree_terms" value="1"<?cs if:Form.Values.agree_terms ?> checked<?cs /if ?> required><span><?cs var:L.Signup.AgreeTerms ?></span></label>
      <?cs call:field_error("agree_terms") ?>
      <label class="check"><input type="checkbox" id="agree_privacy" name="agree_privacy" value="1"<?cs if:Form.Values.agree_privacy ?> checked<?cs /if ?> required><span><?cs var:L.Signup.AgreePrivacy ?></span></label>
      <?cs call:field_error("agree_privacy") ?>
      <p class="field__hint"><?cs var:L.Signup.ConsentUse ?></p>
    </fieldset>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Signup.Submit ?></button>
    </div>
  </form>
  <ul class="link-list">
    <li><a href="/login"><?cs var:L.Signup.HaveAccount ?></a></li>
    <li><a href="/help/faq"><?cs var:L.Common.FAQ ?></a></li>
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Contact ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Title ?>
<?cs include:"layout.cs" ?>
