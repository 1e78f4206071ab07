<?cs # /signup/confirm — step 4 (src/pages/signup_confirm.c): the person found,
  the insurer's terms (where it has them) and the notification-mail opt-in. ?>
<?cs include:"terms_checks.cs" ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Signup.Confirm.Title ?></h1>
  <p><?cs var:L.Signup.Confirm.Lead ?></p>
  <dl class="summary">
    <?cs if:!Confirm.InsurerOnly ?>
    <dt><?cs var:L.Signup.Confirm.Name ?></dt><dd id="confirm-name"><?cs var:Confirm.Name ?></dd>
    <dt><?cs var:L.Signup.Confirm.Birth ?></dt><dd id="confirm-birth"><?cs var:Confirm.BirthText ?></dd>
    <?cs /if ?>
    <dt><?cs var:L.Signup.Confirm.Insurer ?></dt><dd id="confirm-insurer"><?cs var:Confirm.Insurer ?></dd>
    <?cs if:Confirm.InsurerNumber ?><dt><?cs var:L.Signup.Confirm.InsurerNumber ?></dt><dd id="confirm-insurer-number" class="summary__number"><?cs var:Confirm.InsurerNumber ?></dd><?cs /if ?>
    <?cs if:Confirm.Number ?>
    <dt><?cs var:L.Signup.Confirm.Card ?></dt>
    <dd id="confirm-card" class="summary__number"><?cs if:Confirm.Symbol ?><span class="summary__pair"><?cs var:L.Signup.Confirm.Symbol ?> <span id="confirm-symbol"><?cs var:Confirm.Symbol ?></span></span> <?cs /if ?><span class="summary__pair"><?cs var:L.Signup.Confirm.Number ?> <span id="confirm-number"><?cs var:Confirm.Number ?></span></span></dd>
    <?cs /if ?>
    <dt><?cs var:L.Signup.Confirm.Email ?></dt><dd class="summary__email"><?cs var:Confirm.Email ?></dd>
  </dl>
  <?cs if:Confirm.InsurerOnly ?>
  <div class="notice" id="confirm-insurer-only"><p><?cs var:L.Levels.Confirm.Text ?></p><p class="field__hint"><?cs var:L.Levels.Confirm.Note ?></p></div>
  <?cs else ?>
  <ul class="notes">
    <li><?cs var:L.Signup.Confirm.Note ?></li>
    <?cs if:Confirm.Number ?><li id="confirm-card-note"><?cs var:L.Signup.Confirm.CardNote ?></li><?cs /if ?>
  </ul>
  <?cs /if ?>
  <form method="post" action="/signup/confirm">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <?cs if:subcount(Confirm.Terms) > 0 ?>
    <fieldset class="field consent" id="confirm-terms">
      <legend class="field__label"><?cs var:L.Signup.Confirm.TermsTitle ?></legend>
      <p class="field__hint"><?cs var:L.Signup.Confirm.TermsLead ?></p>
      <?cs call:terms_checks(Confirm.Terms) ?>
    </fieldset>
    <?cs /if ?>
    <fieldset class="field">
      <legend class="field__label"><?cs var:L.Signup.Confirm.NotifyTitle ?></legend>
      <div class="check">
        <input type="checkbox" id="notify" name="notify" value="1"<?cs if:Confirm.Notify ?> checked<?cs /if ?> aria-describedby="notify-hint">
        <label for="notify"><?cs var:L.Signup.Confirm.Notify ?></label>
      </div>
      <p class="field__hint" id="notify-hint"><?cs var:L.Signup.Confirm.NotifyHint ?></p>
    </fieldset>
    <div class="actions">
      <button class="button" type="submit" name="action" value="complete"><?cs var:L.Signup.Confirm.Complete ?></button>
      <button class="button button--secondary" type="submit" name="action" value="back" formnovalidate><?cs var:L.Signup.Confirm.Back ?></button>
    </div>
  </form>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Signup.Confirm.Title ?>
<?cs include:"layout.cs" ?>
