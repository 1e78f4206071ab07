<?cs # /account/export — download of the member's own data with the current
  password (src/pages/account_export.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="export-title">
  <h1 id="export-title"><?cs var:L.History.Export.Title ?></h1>
  <p><?cs var:L.History.Export.Lead ?></p>
  <ul class="withdraw-list">
    <li><?cs var:L.History.Export.What1 ?></li>
    <li><?cs var:L.History.Export.What2 ?></li>
    <li><?cs var:L.History.Export.What3 ?></li>
    <li><?cs var:L.History.Export.What4 ?></li>
  </ul>
  <p class="muted"><?cs var:L.History.Export.NotIncluded ?></p>
  <form method="post" action="/account/export" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    <fieldset class="export-formats field<?cs if:Form.Errors.format ?> field--error<?cs /if ?>">
      <legend class="field__label"><?cs var:L.History.Export.Format ?></legend>
      <div class="check">
        <input type="radio" id="format-json" name="format" value="json"<?cs if:Export.Format == "json" ?> checked<?cs /if ?>>
        <label for="format-json"><?cs var:L.History.Export.Json ?></label>
      </div>
      <div class="check">
        <input type="radio" id="format-csv" name="format" value="csv"<?cs if:Export.Format == "csv" ?> checked<?cs /if ?>>
        <label for="format-csv"><?cs var:L.History.Export.Csv ?></label>
      </div>
      <?cs if:Form.Errors.format ?><p class="field__error" id="format-error"><?cs var:Form.Errors.format ?></p><?cs /if ?>
    </fieldset>
    <div class="field<?cs if:Form.Errors.current_password ?> field--error<?cs /if ?>">
      <label class="field__label" for="current_password"><?cs var:L.History.Export.Password ?></label>
      <input type="password" id="current_password" name="current_password" autocomplete="current-password" required<?cs if:Form.Errors.current_password ?> aria-invalid="true" aria-describedby="current_password-error"<?cs /if ?>>
      <?cs if:Form.Errors.current_password ?><p class="field__error" id="current_password-error"><?cs var:Form.Errors.current_password ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.History.Export.Submit ?></button>
      <a class="button button--secondary" href="/account"><?cs var:L.History.BackAccount ?></a>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.History.Export.Title ?>
<?cs include:"layout.cs" ?>
