<?cs # The new-password field of step 1 (signup.cs), of an activation link
  opened in another browser (users_activate_password.cs), of the password
  change and of the reset (account_password.cs, password_reset.cs): the rules, marked by
  the server (Form.Password.*) and live by signup.js, the show-password toggle
  and the strength meter. note: a hint under the rules, or "". ?>
<?cs # The same with a label of its own: the new password of /account/password and
  /password/reset/<token> (issue 11). ?>
<?cs def:password_new_field_as(label, note) ?>
    <div class="field<?cs if:Form.Errors.password ?> field--error<?cs /if ?>">
      <label class="field__label" for="password"><?cs var:label ?> <span class="field__badge"><?cs var:L.Common.Required ?></span></label>
      <input type="password" id="password" name="password" autocomplete="new-password" autocapitalize="off" spellcheck="false" required aria-describedby="password-rules<?cs if:Form.Errors.password ?> password-error<?cs /if ?>" data-min="<?cs var:Password.MinLength ?>" data-max="<?cs var:Password.MaxLength ?>" data-kinds="<?cs var:Password.MinClasses ?>">
      <label class="check js-only" hidden><input type="checkbox" id="password-show" data-toggle-password="password"><span><?cs var:L.Signup.Show ?></span></label>
      <div class="strength js-only" id="password-strength" hidden aria-live="polite">
        <span class="strength__label"><?cs var:L.Signup.Strength ?>:</span>
        <meter class="strength__meter" id="password-meter" min="0" max="4" low="2" high="3" optimum="4" value="0"></meter>
        <span class="strength__text" id="password-strength-text" data-levels="<?cs var:L.Signup.StrengthLevel.0 ?>|<?cs var:L.Signup.StrengthLevel.1 ?>|<?cs var:L.Signup.StrengthLevel.2 ?>|<?cs var:L.Signup.StrengthLevel.3 ?>|<?cs var:L.Signup.StrengthLevel.4 ?>"><?cs var:L.Signup.StrengthLevel.0 ?></span>
      </div>
      <div class="rules" id="password-rules">
        <p class="rules__title"><?cs var:L.Signup.RulesTitle ?></p>
        <ul class="rules__list">
          <li data-rule="length" class="<?cs if:Form.Password.TooShort || Form.Password.TooLong || Form.Password.Missing ?>rule--unmet<?cs /if ?>"><?cs var:Password.RuleLength ?></li>
          <li data-rule="kinds" class="<?cs if:Form.Password.FewKinds ?>rule--unmet<?cs /if ?>"><?cs var:Password.RuleKinds ?></li>
          <li data-rule="chars" class="<?cs if:Form.Password.BadChars ?>rule--unmet<?cs /if ?>"><?cs var:L.Signup.Rule.Chars ?></li>
          <li data-rule="guess" class="<?cs if:Form.Password.Sequence || Form.Password.Email || Form.Password.Common ?>rule--unmet<?cs /if ?>"><?cs var:L.Signup.Rule.Guess ?></li>
        </ul>
        <?cs if:note ?><p class="field__hint"><?cs var:note ?></p><?cs /if ?>
      </div>
      <?cs if:Form.Errors.password ?>
      <div class="field__error" id="password-error">
        <p class="field__error-title"><?cs var:L.Signup.Unmet ?></p>
        <ul><?cs each:e = Form.ErrorList ?><?cs if:e.field == "password" ?><li><?cs var:e.text ?></li><?cs /if ?><?cs /each ?></ul>
      </div>
      <?cs /if ?>
    </div>
<?cs /def ?>
<?cs def:password_new_field(note) ?><?cs call:password_new_field_as(L.Signup.Password, note) ?><?cs /def ?>
