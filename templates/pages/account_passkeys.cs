<?cs # /account/security/passkeys — her passkeys (src/pages/account_passkeys.c).
  Adding and removing need her password; the ceremony itself (the next page,
  account_passkey_add.cs) is the only part that needs JavaScript. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="passkeys-title">
  <h1 id="passkeys-title"><?cs var:L.Passkey.List.Title ?></h1>
  <?cs if:Passkeys.Done == "added" ?><p class="notice" role="status" id="passkeys-done"><?cs var:L.Passkey.List.Added ?></p><?cs
  elif:Passkeys.Done == "removed" ?><p class="notice" role="status" id="passkeys-done"><?cs var:L.Passkey.List.Removed ?></p><?cs /if ?>
  <p><?cs var:L.Passkey.List.Lead ?></p>
  <?cs if:Passkeys.Count > 0 ?>
  <ul class="passkey-list" id="passkey-list">
    <?cs each:item = PasskeyList ?><?cs if:item.Id ?>
    <li class="passkey-list__item" id="passkey-<?cs var:item.Id ?>">
      <p class="passkey-list__name"><strong><?cs var:item.Name ?></strong><?cs if:item.Synced == 1 ?> <span class="login-list__tag passkey-synced"><?cs var:L.Passkey.List.Synced ?></span><?cs /if ?></p>
      <p class="muted"><?cs var:L.Passkey.List.Created ?><?cs var:item.Created ?><br><?cs var:L.Passkey.List.LastUsed ?><?cs if:item.LastUsed ?><?cs var:item.LastUsed ?><?cs else ?><?cs var:L.Passkey.List.Never ?><?cs /if ?></p>
      <details<?cs if:Passkeys.RemoveError == item.Id ?> open<?cs /if ?>>
        <summary><?cs var:L.Passkey.List.Remove ?></summary>
        <form method="post" action="/account/security/passkeys" novalidate>
          <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
          <input type="hidden" name="action" value="remove">
          <input type="hidden" name="id" value="<?cs var:item.Id ?>">
          <div class="field<?cs if:Form.Errors.password && Passkeys.RemoveError == item.Id ?> field--error<?cs /if ?>">
            <label class="field__label" for="remove-password-<?cs var:item.Id ?>"><?cs var:L.Passkey.Password ?></label>
            <input type="password" id="remove-password-<?cs var:item.Id ?>" name="password" autocomplete="current-password" required>
            <?cs if:Form.Errors.password && Passkeys.RemoveError == item.Id ?><p class="field__error" role="alert"><?cs var:Form.Errors.password ?></p><?cs /if ?>
          </div>
          <div class="actions"><button class="button button--secondary" type="submit" id="passkey-remove-<?cs var:item.Id ?>"><?cs var:L.Passkey.List.RemoveSubmit ?></button></div>
        </form>
      </details>
    </li>
    <?cs /if ?><?cs /each ?>
  </ul>
  <?cs else ?>
  <p class="muted" id="passkeys-none"><?cs var:L.Passkey.List.None ?></p>
  <?cs /if ?>

  <h2><?cs var:L.Passkey.Add.Title ?></h2>
  <p class="muted"><?cs var:L.Passkey.Add.Lead ?></p>
  <form method="post" action="/account/security/passkeys" id="passkey-add-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <input type="hidden" name="action" value="add">
    <input type="hidden" name="username" value="<?cs var:Account.Email ?>" autocomplete="username">
    <div class="field<?cs if:Form.Errors.name ?> field--error<?cs /if ?>">
      <label class="field__label" for="passkey-name"><?cs var:L.Passkey.Add.Name ?></label>
      <input type="text" id="passkey-name" name="name" maxlength="64" value="<?cs var:Passkeys.Name ?>" autocomplete="off" aria-describedby="passkey-name-hint">
      <p class="field__hint" id="passkey-name-hint"><?cs var:L.Passkey.Add.NameHint ?></p>
      <?cs if:Form.Errors.name ?><p class="field__error" role="alert"><?cs var:Form.Errors.name ?></p><?cs /if ?>
    </div>
    <div class="field<?cs if:Form.Errors.password && !Passkeys.RemoveError ?> field--error<?cs /if ?>">
      <label class="field__label" for="passkey-password"><?cs var:L.Passkey.Password ?></label>
      <input type="password" id="passkey-password" name="password" autocomplete="current-password" required>
      <?cs if:Form.Errors.password && !Passkeys.RemoveError ?><p class="field__error" id="passkey-password-error" role="alert"><?cs var:Form.Errors.password ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="passkey-add-submit"><?cs var:L.Passkey.Add.Submit ?></button></div>
  </form>
  <ul class="link-list"><li><a href="/account"><?cs var:L.Passkey.BackAccount ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Passkey.List.Title ?>
<?cs include:"layout.cs" ?>
