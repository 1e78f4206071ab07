<?cs # /account/delete — deletion (削除) with the current password
  (src/pages/account_delete.c). What goes, what stays, and how it differs from
  退会 (/account/withdraw). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="delete-title">
  <h1 id="delete-title"><?cs var:L.Deletion.Delete.Title ?></h1>
  <p><?cs var:L.Deletion.Delete.Lead ?></p>
  <h2><?cs var:L.Deletion.Delete.GoneTitle ?></h2>
  <ul class="withdraw-list" id="delete-gone">
    <li><?cs var:L.Deletion.Delete.Gone1 ?></li>
    <li><?cs var:L.Deletion.Delete.Gone2 ?></li>
    <li><?cs var:L.Deletion.Delete.Gone3 ?></li>
    <li><?cs var:L.Deletion.Delete.Gone4 ?></li>
    <li><?cs var:L.Deletion.Delete.Gone5 ?></li>
    <li><?cs var:L.Deletion.Delete.Gone6 ?></li>
  </ul>
  <h2><?cs var:L.Deletion.Delete.KeptTitle ?></h2>
  <ul class="withdraw-list" id="delete-kept">
    <li><?cs var:L.Deletion.Delete.Kept1 ?></li>
    <li><?cs var:L.Deletion.Delete.Kept2 ?></li>
  </ul>
  <h2><?cs var:L.Deletion.Delete.DiffTitle ?></h2>
  <p id="delete-diff"><?cs var:L.Deletion.Delete.Diff ?></p>
  <ul class="link-list"><li><a href="/account/withdraw"><?cs var:L.Deletion.Delete.WithdrawLink ?></a></li></ul>
  <div class="notice notice--warn"><p><strong><?cs var:L.Deletion.Delete.Warn ?></strong></p></div>
  <form method="post" action="/account/delete" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.Deletion.Delete.Password ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button button--danger" type="submit"><?cs var:L.Deletion.Delete.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.Deletion.Delete.Cancel ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Deletion.Delete.Title ?>
<?cs include:"layout.cs" ?>
