<?cs # The confirmation of a change of a factor (account_security_totp_off.cs,
  account_security_recovery.cs): the current password OR a current code of
  the authenticator app, either one (src/member_totp.c mtotp_confirm). ?>
<?cs def:mfa_confirm_fields() ?>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <p><?cs var:L.Mfa.Confirm.Lead ?></p>
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Password.Current ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password"<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error" role="alert"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <p class="muted"><?cs var:L.Mfa.Confirm.Or ?></p>
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Mfa.Confirm.Code ?></label>
      <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"<?cs if:Form.Errors.code ?> aria-invalid="true" aria-describedby="code-error"<?cs /if ?>>
      <?cs if:Form.Errors.code ?><p class="field__error" id="code-error" role="alert"><?cs var:Form.Errors.code ?></p><?cs /if ?>
    </div>
<?cs /def ?>
