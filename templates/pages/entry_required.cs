<?cs # Signup refused on a PC without a signed entry link (entry_refuse, entry.h). ?>
<?cs def:content() ?>
<section class="card">
  <h1><?cs var:L.Entry.RequiredTitle ?></h1>
  <p><?cs var:Entry.RequiredText ?></p>
  <p><?cs var:L.Entry.RequiredHow ?></p>
  <p class="muted"><?cs var:L.Entry.RequiredExpired ?></p>
  <p><a class="button button--secondary" href="/login"><?cs var:L.Entry.Login ?></a></p>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Entry.RequiredTitle ?>
<?cs include:"layout.cs" ?>
