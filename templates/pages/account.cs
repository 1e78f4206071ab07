<?cs # /account — the settings hub (src/pages/account.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="account-title">
  <h1 id="account-title"><?cs var:L.Member.Account.Title ?></h1>
  <?cs if:Account.Done ?><div class="notice" role="status" id="account-done"><p><?cs var:Account.Done ?></p></div><?cs /if ?>
  <p><?cs var:L.Member.Account.Lead ?></p>

  <h2><?cs var:L.Member.Account.EmailTitle ?></h2>
  <p id="account-email"><?cs var:Account.Email ?></p>
  <?cs if:Account.Pending ?>
  <div class="notice notice--warn" id="account-pending">
    <p><?cs var:L.Member.Account.Pending ?><br><strong><?cs var:Account.Pending ?></strong></p>
    <p><?cs var:L.Member.Account.PendingHint ?></p>
  </div>
  <?cs /if ?>
  <ul class="link-list"><li><a href="/account/email"><?cs var:L.Member.Account.ChangeEmail ?></a></li></ul>

  <h2><?cs var:L.Member.Account.PasswordTitle ?></h2>
  <p class="muted"><?cs var:L.Member.Account.PasswordText ?></p>
  <ul class="link-list"><li><a href="/account/password"><?cs var:L.Member.Account.ChangePassword ?></a></li></ul>

  <h2><?cs var:L.Mfa.Account.Title ?></h2>
  <p class="muted"><?cs var:L.Mfa.Account.Text ?></p>
  <ul class="link-list"><li><a href="/account/security" id="account-security"><?cs var:L.Mfa.Account.Link ?></a></li></ul>

  <h2><?cs var:L.Member.Account.NotifyTitle ?></h2>
  <form method="post" action="/account/notify">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <p class="muted" id="notify-state"><?cs if:Account.Notify ?><?cs var:L.Member.Account.NotifyOn ?><?cs else ?><?cs var:L.Member.Account.NotifyOff ?><?cs /if ?></p>
    <div class="check">
      <input type="checkbox" id="notify" name="notify" value="1"<?cs if:Account.Notify ?> checked<?cs /if ?> aria-describedby="notify-hint">
      <label for="notify"><?cs var:L.Member.Account.NotifyLabel ?></label>
    </div>
    <p class="field__hint" id="notify-hint"><?cs var:L.Member.Account.NotifyHint ?></p>
    <div class="actions"><button class="button button--secondary" type="submit"><?cs var:L.Member.Account.NotifySave ?></button></div>
  </form>

  <h2 id="account-level-title"><?cs var:L.Levels.Account.Title ?></h2>
  <p id="account-level"><?cs var:Account.LevelText ?></p>
  <?cs if:Account.CanVerify ?><p class="muted"><?cs var:L.Levels.Account.VerifyText ?></p>
  <ul class="link-list"><li><a href="/account/verify" id="account-verify"><?cs var:L.Levels.Verify.Do ?></a></li></ul><?cs /if ?>
  <?cs if:Account.Sensitive == "offer" ?><ul class="link-list"><li><a href="/verify" id="account-ekyc"><?cs var:L.Verify.Title ?></a></li></ul>
  <?cs elif:Account.Sensitive == "open" ?><ul class="link-list"><li><a href="/sensitive" id="account-sensitive"><?cs var:L.Verify.Approved.Link ?></a></li><li><a href="/verify" id="account-ekyc"><?cs var:L.Verify.Title ?></a></li></ul><?cs /if ?>
  <ul class="link-list"><li><a href="/help/levels"><?cs var:L.Levels.HelpLink ?></a></li></ul>

  <h2><?cs var:L.Passkey.Account.Title ?></h2>
  <p class="muted"><?cs var:L.Passkey.Account.Text ?></p>
  <ul class="link-list"><li><a href="/account/security/passkeys" id="account-passkeys"><?cs var:L.Passkey.Account.Link ?></a></li></ul>

  <h2><?cs var:L.History.Account.LoginsTitle ?></h2>
  <p class="muted"><?cs var:L.History.Account.LoginsText ?></p>
  <ul class="link-list"><li><a href="/account/logins"><?cs var:L.History.Account.LoginsLink ?></a></li></ul>

  <h2 id="account-services-title"><?cs var:L.OIDC.Services.Title ?></h2>
  <p class="muted"><?cs var:L.OIDC.Services.AccountText ?></p>
  <ul class="link-list"><li><a href="/account/services" id="account-services"><?cs var:L.OIDC.Services.Link ?></a></li></ul>

  <h2><?cs var:L.History.Account.ExportTitle ?></h2>
  <p class="muted"><?cs var:L.History.Account.ExportText ?></p>
  <ul class="link-list"><li><a href="/account/export"><?cs var:L.History.Account.ExportLink ?></a></li></ul>

  <h2><?cs var:L.Member.Account.WithdrawTitle ?></h2>
  <p class="muted"><?cs var:L.Member.Account.WithdrawText ?></p>
  <ul class="link-list"><li><a href="/account/withdraw"><?cs var:L.Member.Account.Withdraw ?></a></li></ul>

  <h2><?cs var:L.Deletion.Account.Title ?></h2>
  <p class="muted" id="account-delete-text"><?cs var:L.Deletion.Account.Text ?></p>
  <ul class="link-list"><li><a href="/account/delete"><?cs var:L.Deletion.Account.Link ?></a></li></ul>

  <ul class="link-list account__back"><li><a href="/top"><?cs var:L.Member.Account.BackTop ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Account.Title ?>
<?cs include:"layout.cs" ?>
