<?cs # /account/withdraw — withdrawal (退会) with the current password
  (src/pages/account_withdraw.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="withdraw-title">
  <h1 id="withdraw-title"><?cs var:L.Member.Withdraw.Title ?></h1>
  <p><?cs var:L.Member.Withdraw.Lead ?></p>
  <ul class="withdraw-list">
    <li><?cs var:L.Member.Withdraw.What1 ?></li>
    <li><?cs var:L.Member.Withdraw.What2 ?></li>
    <li><?cs var:L.Member.Withdraw.What3 ?></li>
    <li><?cs var:L.Member.Withdraw.What4 ?></li>
  </ul>
  <p class="muted" id="withdraw-vs-delete"><?cs var:L.Deletion.Withdraw.Diff ?> <a href="/account/delete"><?cs var:L.Deletion.Withdraw.Link ?></a></p>
  <div class="notice notice--warn"><p><strong><?cs var:L.Member.Withdraw.Warn ?></strong></p></div>
  <form method="post" action="/account/withdraw" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Member.Withdraw.Password ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button button--danger" type="submit"><?cs var:L.Member.Withdraw.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.Member.Withdraw.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.Withdraw.Title ?>
<?cs include:"layout.cs" ?>
