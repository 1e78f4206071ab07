<?cs # /announcements — every announcement the member may read, newest first,
  with the keyword search (src/pages/announcements.c). ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="ann-title">
  <h1 id="ann-title"><?cs var:L.Announcements.Title ?></h1>
  <p class="muted"><?cs var:L.Announcements.Lead ?></p>
  <form class="search" method="get" action="/announcements" role="search" aria-label="<?cs var:L.Announcements.SearchLabel ?>">
    <div class="field<?cs if:Form.Errors.q ?> field--error<?cs /if ?>">
      <label class="field__label" for="q"><?cs var:L.Announcements.SearchLabel ?></label>
      <div class="search__row">
        <input type="search" id="q" name="q" value="<?cs var:Form.Values.q ?>" autocomplete="off" aria-describedby="q-hint<?cs if:Form.Errors.q ?> q-error<?cs /if ?>">
        <button class="button button--secondary" type="submit"><?cs var:L.Announcements.SearchSubmit ?></button>
      </div>
      <p class="field__hint" id="q-hint"><?cs var:L.Announcements.SearchHint ?></p>
      <?cs if:Form.Errors.q ?><p class="field__error" id="q-error"><?cs var:Form.Errors.q ?></p><?cs /if ?>
    </div>
  </form>
  <?cs if:Announcements.Query ?>
  <p id="ann-query"><?cs var:L.Announcements.Query ?><strong><?cs var:Announcements.Query ?></strong></p>
  <?cs /if ?>
  <?cs if:!Form.Errors.q ?>
  <?cs if:subcount(Announcements.List) > 0 ?>
  <p class="muted" id="ann-count"><?cs var:Announcements.CountText ?></p>
  <div class="announcements">
    <?cs each:a = Announcements.List ?>
    <article class="announcement" id="a<?cs var:a.Id ?>" aria-labelledby="a<?cs var:a.Id ?>-title">
      <h2 class="announcement__title" id="a<?cs var:a.Id ?>-title"><?cs var:a.Title ?></h2>
      <p class="announcement__meta muted"><time datetime="<?cs var:a.Date ?>"><?cs var:a.DateText ?></time> · <?cs if:a.Operator == 1 ?><?cs var:L.Top.FromOperator ?><?cs else ?><?cs var:L.Top.FromInsurer ?><?cs /if ?></p>
      <div class="announcement__body"><?cs var:a.Body ?></div>
    </article>
    <?cs /each ?>
  </div>
  <?cs elif:Announcements.Query ?>
  <p id="ann-none"><?cs var:L.Announcements.NoHit ?></p>
  <?cs else ?>
  <p id="ann-none"><?cs var:L.Announcements.None ?></p>
  <?cs /if ?>
  <?cs if:Announcements.Prev || Announcements.Next ?>
  <nav class="pager" aria-label="<?cs var:L.Announcements.Pages ?>">
    <?cs if:Announcements.Prev ?><a class="pager__prev" rel="prev" href="/announcements?<?cs if:Announcements.Query ?>q=<?cs var:url_escape(Announcements.Query) ?>&amp;<?cs /if ?>page=<?cs var:Announcements.Prev ?>"><?cs var:L.Announcements.Prev ?></a><?cs /if ?>
    <?cs if:Announcements.Next ?><a class="pager__next" rel="next" href="/announcements?<?cs if:Announcements.Query ?>q=<?cs var:url_escape(Announcements.Query) ?>&amp;<?cs /if ?>page=<?cs var:Announcements.Next ?>"><?cs var:L.Announcements.Next ?></a><?cs /if ?>
  </nav>
  <?cs /if ?>
  <?cs /if ?>
  <ul class="link-list">
    <?cs if:Announcements.Query || Form.Errors.q ?><li><a href="/announcements"><?cs var:L.Announcements.Clear ?></a></li><?cs /if ?>
    <li><a href="/top"><?cs var:L.Announcements.BackTop ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Announcements.Title ?>
<?cs include:"layout.cs" ?>
