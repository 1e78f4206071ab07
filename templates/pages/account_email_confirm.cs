<?cs # /account/email/<token> when the link changes nothing: the reason
  (Confirm.Outcome: unknown, used, superseded, expired, other, taken) and the
  way forward (src/pages/account_email_confirm.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="link-title">
  <h1 id="link-title"><?cs var:L.Member.EmailLink[Confirm.Outcome].Title ?></h1>
  <div class="notice notice--error" id="link-outcome" data-outcome="<?cs var:Confirm.Outcome ?>">
    <p><?cs var:L.Member.EmailLink[Confirm.Outcome].Text ?></p>
    <?cs if:Confirm.Email ?><p><strong><?cs var:Confirm.Email ?></strong></p><?cs /if ?>
  </div>
  <ul class="link-list">
    <?cs if:Confirm.Outcome != "used" && Confirm.Outcome != "other" ?><li><a href="/account/email"><?cs var:L.Member.EmailLink.Again ?></a></li><?cs /if ?>
    <li><a href="/account"><?cs var:L.Member.EmailLink.Account ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Member.EmailLink[Confirm.Outcome].Title ?>
<?cs include:"layout.cs" ?>
