<?cs # /help/faq — よくある質問 (src/pages/help_faq.c). The content comes from the
  FAQ file (src/faq.h), escaped like everything else. ?>
<?cs def:content() ?>
<section class="card faq" aria-labelledby="faq-title">
  <h1 id="faq-title"><?cs var:L.Help.Faq.Title ?></h1>
  <?cs if:Faq.Unavailable ?>
  <p id="faq-unavailable"><?cs var:L.Help.Faq.Unavailable ?></p>
  <p><a class="button button--secondary" href="<?cs var:Service.SupportURL ?>"><?cs var:L.Common.Contact ?></a></p>
  <?cs else ?>
  <p class="muted"><?cs var:L.Help.Faq.Lead ?></p>
  <nav class="faq__toc" aria-label="<?cs var:L.Help.Faq.Contents ?>">
    <?cs each:s = Faq.Sections ?>
    <h2 class="faq__toc-title"><?cs var:s.Title ?></h2>
    <ul class="link-list">
      <?cs each:q = s.Items ?><li><a href="#q-<?cs var:q.Id ?>"><?cs var:q.Question ?></a></li><?cs /each ?>
    </ul>
    <?cs /each ?>
  </nav>
  <?cs /if ?>
</section>
<?cs each:s = Faq.Sections ?>
<section class="card faq__section" id="s-<?cs var:s.Id ?>" aria-labelledby="s-<?cs var:s.Id ?>-title">
  <h2 id="s-<?cs var:s.Id ?>-title"><?cs var:s.Title ?></h2>
  <?cs each:q = s.Items ?>
  <article class="faq__item" id="q-<?cs var:q.Id ?>">
    <h3 class="faq__q"><span class="faq__mark" aria-hidden="true">Q</span><?cs var:q.Question ?></h3>
    <div class="faq__a">
      <span class="faq__mark faq__mark--a" aria-hidden="true">A</span>
      <?cs each:p = q.Answer ?><p class="faq__para"><?cs var:p ?></p><?cs /each ?>
      <?cs if:subcount(q.Links) > 0 ?>
      <ul class="link-list">
        <?cs each:l = q.Links ?><li><a href="<?cs var:l.URL ?>"><?cs var:l.Text ?></a></li><?cs /each ?>
      </ul>
      <?cs /if ?>
    </div>
  </article>
  <?cs /each ?>
</section>
<?cs /each ?>
<section class="card">
  <p><?cs var:L.Help.Faq.More ?></p>
  <ul class="link-list">
    <li><a href="/help/login"><?cs var:L.Help.Login.Link ?></a></li>
    <li><a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Common.Contact ?></a></li>
  </ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Help.Faq.Title ?>
<?cs include:"layout.cs" ?>
