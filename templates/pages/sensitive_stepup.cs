<?cs # /sensitive/stepup — the secret question (src/pages/sensitive_stepup.c).
  The answer is never written back into the page. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="stepup-title">
  <h1 id="stepup-title"><?cs var:L.Sensitive.Stepup.Title ?></h1>
  <p id="stepup-lead"><?cs if:OIDC.Via.Client ?><?cs var:L.Sensitive.Stepup.LeadService ?><?cs else ?><?cs var:L.Sensitive.Stepup.Lead ?><?cs /if ?>
  <?cs if:Sensitive.Totp || Sensitive.Passkeys > 0 ?><?cs var:L.Sensitive.Stepup.LeadChoose ?><?cs else ?><?cs var:L.Sensitive.Stepup.LeadOne ?><?cs /if ?></p>
  <?cs if:Sensitive.Totp || Sensitive.Passkeys > 0 ?><h2 id="stepup-question-title"><?cs var:L.Sensitive.Stepup.QuestionTitle ?></h2><?cs /if ?>
  <form method="post" action="/sensitive/stepup" id="stepup-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <?cs if:Sensitive.Next ?><input type="hidden" name="next" value="<?cs var:Sensitive.Next ?>"><?cs /if ?>
    <dl class="summary"><dt><?cs var:L.Sensitive.Stepup.Question ?></dt><dd id="stepup-question"><?cs var:Sensitive.Question ?></dd></dl>
    <div class="field<?cs if:Form.Errors.answer ?> field--error<?cs /if ?>">
      <label class="field__label" for="answer"><?cs var:L.Sensitive.Stepup.Answer ?></label>
      <input type="text" id="answer" name="answer" maxlength="50" autocomplete="off" required aria-describedby="answer-hint<?cs if:Form.Errors.answer ?> answer-error<?cs /if ?>">
      <p class="field__hint" id="answer-hint"><?cs var:L.Sensitive.Stepup.AnswerHint ?></p>
      <?cs if:Form.Errors.answer ?><p class="field__error" id="answer-error" role="alert"><?cs var:Form.Errors.answer ?></p><?cs /if ?>
      <p class="field__hint" id="stepup-tries"><?cs var:Sensitive.TriesText ?></p>
    </div>
    <div class="actions"><button class="button" type="submit" id="stepup-submit"><?cs var:L.Sensitive.Stepup.Submit ?></button></div>
  </form>
  <?cs if:Sensitive.Totp ?>
  <h2 id="stepup-totp-title"><?cs var:L.Mfa.Stepup.Title ?></h2>
  <p><?cs var:L.Mfa.Stepup.Lead ?></p>
  <form method="post" action="/sensitive/stepup" id="stepup-totp-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <?cs if:Sensitive.Next ?><input type="hidden" name="next" value="<?cs var:Sensitive.Next ?>"><?cs /if ?>
    <div class="field<?cs if:Form.Errors.totp_code ?> field--error<?cs /if ?>">
      <label class="field__label" for="totp_code"><?cs var:L.Mfa.Stepup.Code ?></label>
      <input type="text" id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"<?cs if:Form.Errors.totp_code ?> aria-invalid="true" aria-describedby="totp_code-error"<?cs /if ?>>
      <?cs if:Form.Errors.totp_code ?><p class="field__error" id="totp_code-error" role="alert"><?cs var:Form.Errors.totp_code ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button button--secondary" type="submit" id="stepup-totp-submit"><?cs var:L.Mfa.Stepup.Submit ?></button></div>
  </form>
  <?cs /if ?>
  <?cs if:Sensitive.Passkeys > 0 ?>
  <div class="passkey-stepup" id="passkey-stepup" hidden data-passkey="stepup" data-options="/sensitive/stepup/passkey/options" data-finish="/sensitive/stepup/passkey" data-csrf="<?cs var:Page.CSRF ?>"<?cs if:Sensitive.Next ?> data-next="<?cs var:Sensitive.Next ?>"<?cs /if ?> data-error-failed="<?cs var:L.Passkey.Error.StepupFailed ?>" data-error-cancelled="<?cs var:L.Passkey.Error.Cancelled ?>" data-error-unsupported="<?cs var:L.Passkey.Error.Unsupported ?>" data-error-throttled="<?cs var:L.Passkey.Error.Throttled ?>">
    <h2><?cs var:L.Passkey.Stepup.Title ?></h2>
    <p><?cs var:L.Passkey.Stepup.Lead ?></p>
    <p><button class="button button--secondary" type="button" id="passkey-stepup-button"><?cs var:L.Passkey.Stepup.Button ?></button></p>
    <p class="field__error" id="passkey-error" role="alert" hidden></p>
  </div>
  <?cs /if ?>
  <ul class="link-list"><li><a href="/verify?again=1" id="stepup-forgot"><?cs var:L.Sensitive.Forgot ?></a></li></ul>
  <?cs if:OIDC.Via.Handle ?>
  <form method="post" action="/oidc/consent" id="stepup-cancel-form">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="r" value="<?cs var:OIDC.Via.Handle ?>">
    <div class="actions"><button class="button button--secondary" type="submit" name="decision" value="deny" id="stepup-cancel"><?cs var:L.Sensitive.Stepup.Cancel ?></button></div>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Sensitive.Stepup.Title ?>
<?cs if:Sensitive.Passkeys > 0 ?><?cs set:Page.Passkey = 1 ?><?cs /if ?>
<?cs include:"layout.cs" ?>
