<?cs # /signup/sent — step 2 (src/pages/signup_sent.c): the address, the code
  form, what to check, the resend button and the way to start over; when the
  address was confirmed elsewhere (Sent.ConfirmedElsewhere), that alone. ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs if:Sent.ConfirmedElsewhere ?><?cs var:L.Signup.Sent.ConfirmedTitle ?><?cs else ?><?cs var:L.Signup.Sent.Title ?><?cs /if ?></h1>
  <?cs if:Sent.Notice ?><p class="notice<?cs if:Sent.Notice == "limited" ?> notice--warn<?cs /if ?>" role="status"><?cs var:L.Signup.Sent.Notice[Sent.Notice] ?></p><?cs /if ?>
  <?cs if:Sent.ConfirmedElsewhere ?>
  <div class="notice" role="status">
    <p><?cs var:L.Signup.Sent.ConfirmedElsewhere ?></p>
    <p><a class="button" href="/login"><?cs var:L.Signup.Activate.Login ?></a></p>
  </div>
  <?cs else ?>
  <p class="sent-to"><?cs var:Sent.ToText ?></p>
  <p><?cs var:Sent.NextText ?></p>
  <form method="post" action="/signup/sent" class="form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="field<?cs if:Form.Errors.code ?> field--error<?cs /if ?>">
      <label class="field__label" for="code"><?cs var:L.Signup.Sent.Code ?></label>
      <input type="text" id="code" name="code" value="<?cs var:Form.Values.code ?>" inputmode="numeric" autocomplete="one-time-code" maxlength="16" size="8" class="input--code" required aria-describedby="code-hint<?cs if:Form.Errors.code ?> code-error<?cs /if ?>">
      <p class="field__hint" id="code-hint"><?cs var:L.Signup.Sent.CodeHint ?></p>
      <?cs if:Form.Errors.code ?><p class="field__error" id="code-error"><?cs var:Form.Errors.code ?></p><?cs /if ?>
      <?cs if:Sent.CodeDead ?><p class="field__hint"><?cs var:L.Signup.Sent.CodeDeadHelp ?></p><?cs /if ?>
    </div>
    <div class="actions">
      <button class="button" type="submit"><?cs var:L.Signup.Sent.CodeSubmit ?></button>
    </div>
  </form>
  <?cs /if ?>
</section>
<?cs if:!Sent.ConfirmedElsewhere ?>
<section class="card">
  <h2><?cs var:L.Signup.Sent.CheckTitle ?></h2>
  <ol class="checklist">
    <li><?cs var:L.Signup.Sent.Check1 ?></li>
    <li><?cs var:L.Signup.Sent.Check2 ?></li>
    <li><?cs var:Sent.Check3Text ?></li>
  </ol>
  <p><?cs var:L.Signup.Sent.ResendLead ?></p>
  <form method="post" action="/signup/resend">
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <button class="button button--secondary" type="submit"><?cs var:L.Signup.Sent.Resend ?></button>
  </form>
  <p class="field__hint"><?cs var:L.Signup.Sent.ResendNote ?></p>
  <ul class="link-list">
    <li><a href="/signup/cancel"><?cs var:L.Signup.Sent.Cancel ?></a></li>
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Contact ?></a></li>
  </ul>
</section>
<?cs /if ?>
<?cs /def ?>
<?cs if:Sent.ConfirmedElsewhere ?><?cs set:Page.Title = L.Signup.Sent.ConfirmedTitle ?><?cs else ?><?cs set:Page.Title = L.Signup.Sent.Title ?><?cs /if ?>
<?cs include:"layout.cs" ?>
