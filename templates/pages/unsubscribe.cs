<?cs # /unsubscribe/<token> — the unsubscribe link of a notification mail
  (src/pages/unsubscribe.c). Unsub.Outcome: confirm (a button; a GET changes
  nothing), done, already, invalid. Unsub.Action: the form's own path. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="unsub-title">
  <h1 id="unsub-title"><?cs var:L.Notify.Unsub[Unsub.Outcome].Title ?></h1>
  <div class="notice<?cs if:Unsub.Outcome == "invalid" ?> notice--error<?cs /if ?>" id="unsub-outcome" data-outcome="<?cs var:Unsub.Outcome ?>">
    <p><?cs var:L.Notify.Unsub[Unsub.Outcome].Text ?></p>
  </div>
  <?cs if:Unsub.Outcome == "confirm" ?>
  <form method="post" action="<?cs var:Unsub.Action ?>">
    <input type="hidden" name="List-Unsubscribe" value="One-Click">
    <div class="actions"><button class="button" type="submit"><?cs var:L.Notify.Unsub.Button ?></button></div>
  </form>
  <?cs /if ?>
  <p class="muted"><?cs var:L.Notify.Unsub.Settings ?></p>
  <ul class="link-list">
    <li><a href="/account"><?cs var:L.Notify.Unsub.Account ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Notify.Unsub[Unsub.Outcome].Title ?>
<?cs include:"layout.cs" ?>
