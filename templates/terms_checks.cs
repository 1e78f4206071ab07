<?cs # The terms a member agrees to, one checkbox each (src/terms.h: terms_list
  sets <list>.<n>.Id, .Label, .Version, .Date, .URL; terms_form_check reads
  agree_<Id> and marks .Checked). Used by /consent and signup step 4. ?>
<?cs def:terms_checks(list) ?>
<ul class="terms-list">
<?cs each:t = list ?>
  <?cs set:f = "agree_" + t.Id ?>
  <li class="field<?cs if:Form.Errors[f] ?> field--error<?cs /if ?>" id="terms-<?cs var:t.Kind ?>">
    <p class="terms-list__what"><?cs if:t.URL ?><a href="<?cs var:t.URL ?>" target="_blank" rel="noopener noreferrer"><?cs var:t.Label ?></a><?cs if:Lang == "en" ?> <?cs /if ?><span class="muted"><?cs var:L.Signup.NewWindow ?></span><?cs else ?><?cs var:t.Label ?><?cs /if ?></p>
    <p class="muted terms-list__version"><?cs var:L.Terms.Version ?> <?cs var:t.Version ?> · <?cs var:L.Terms.Published ?> <?cs var:t.Date ?></p>
    <label class="check"><input type="checkbox" id="<?cs var:f ?>" name="<?cs var:f ?>" value="1"<?cs if:t.Checked ?> checked<?cs /if ?> required><span><?cs var:L.Terms.AgreeTo ?></span></label>
    <?cs if:Form.Errors[f] ?><p class="field__error" id="<?cs var:f ?>-error"><?cs var:Form.Errors[f] ?></p><?cs /if ?>
  </li>
<?cs /each ?>
</ul>
<?cs /def ?>
