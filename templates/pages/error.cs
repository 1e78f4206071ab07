<?cs def:content() ?>
<section class="card error-page">
  <h1><?cs var:Error.Title ?></h1>
  <p><?cs var:Error.Message ?><?cs if:Staff.Need ?> <strong id="staff-need"><?cs var:L.Staff.Role[Staff.Need] ?></strong><?cs /if ?></p>
  <p class="muted error-page__ref"><?cs var:L.Error.Code ?>: <?cs var:Error.Status ?><br><?cs var:L.Error.RequestId ?>: <span id="error-ref"><?cs var:Page.RequestId ?></span><br><?cs var:L.Error.RefHint ?></p>
  <?cs if:Error.Back ?><p><a class="button" href="<?cs var:Error.Back ?>"><?cs var:L.Error.Back ?></a></p><?cs /if ?>
  <p><a class="button button--secondary" href="/"><?cs var:L.Error.Home ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = Error.Title ?>
<?cs # The staff console's errors in its own layout (Page.Console: request.c). ?>
<?cs if:Page.Console ?><?cs include:"staff_layout.cs" ?><?cs else ?><?cs include:"layout.cs" ?><?cs /if ?>
