<?cs # The card boxes (in the insurer's input pattern P: 1-4, 0 none yet), the
  name in katakana and the birthdate: the card check of signup step 3
  (signup_eligibility.cs) and of the later 本人確認 (account_verify.cs), checked
  by src/eligibility.c. Boxes not shown are hidden AND disabled, so they are not
  sent. Values: Form.Values.*, errors: Form.Errors.*. ?>
<?cs # The picture of the card of pattern p (1-4): a fictional card with
  保険者番号 and 記号・番号 marked (htdocs/img/card-pattern-N.svg). ?>
<?cs def:eligibility_card_figure(p, lazy) ?>
      <figure class="card-figure">
        <img src="/static/img/card-pattern-<?cs var:p ?>.svg?v=<?cs var:Service.StaticVersion ?>" width="360" height="228"<?cs if:lazy ?> loading="lazy"<?cs /if ?> alt="<?cs var:L.Signup.Elig.CardAlt[p] ?>">
        <figcaption class="card-figure__caption"><?cs var:L.Signup.Elig.CardCaption[p] ?></figcaption>
      </figure>
<?cs /def ?>
<?cs # The pictures of the four patterns, only that of P shown (signup.js
  switches them with the boxes: data-patterns). ?>
<?cs def:eligibility_card_figures(P) ?>
      <div class="card-figures">
        <?cs loop:p = 1, 4, 1 ?><div data-patterns="<?cs var:p ?>"<?cs if:P != p ?> hidden<?cs /if ?>><?cs call:eligibility_card_figure(p, 1) ?></div><?cs /loop ?>
      </div>
<?cs /def ?>
<?cs # While the check is locked: what the member can do meanwhile. ?>
<?cs def:eligibility_meanwhile() ?>
    <p class="outcome-meanwhile__title"><strong><?cs var:L.Signup.Elig.Meanwhile.Title ?></strong></p>
    <ul class="outcome-list" id="lock-meanwhile">
      <li><span class="outcome-list__note"><?cs var:L.Signup.Elig.Meanwhile.Card ?> <a href="/signup/eligibility/help<?cs if:Elig.Pattern ?>?pattern=<?cs var:Elig.Pattern ?><?cs /if ?>"><?cs var:L.Signup.Elig.Meanwhile.CardLink ?></a></span></li>
      <li><span class="outcome-list__note"><?cs var:L.Signup.Elig.Meanwhile.Insurer ?></span></li>
      <li><span class="outcome-list__note"><?cs var:L.Signup.Elig.Meanwhile.Inquiry ?> <a href="<?cs var:Service.SupportURL ?>"><?cs var:L.Signup.Elig.Inquiry ?></a></span></li>
    </ul>
<?cs /def ?>
<?cs # The message of a failed check (Elig.Outcome o, src/eligibility.c): a
  title, a short lead, a list of what may be wrong with friendly notes, and
  the tries left or — locked — until when and what to do meanwhile. The
  texts (L.Signup.Elig.Outcome.<o>) have Text, or Lead + List.* + Note. The
  page adds its own links after it. ?>
<?cs def:eligibility_outcome_text(o) ?>
    <?cs if:o == "locked" && Elig.LockText ?>
    <p><?cs var:Elig.LockText ?></p>
    <?cs elif:subcount(L.Signup.Elig.Outcome[o].List) > 0 ?>
    <p><?cs var:L.Signup.Elig.Outcome[o].Lead ?></p>
    <ul class="outcome-list"><?cs each:i = L.Signup.Elig.Outcome[o].List ?>
      <li><strong class="outcome-list__what"><?cs var:i.What ?></strong><span class="outcome-list__note"><?cs var:i.Note ?></span></li><?cs /each ?>
    </ul>
    <?cs if:L.Signup.Elig.Outcome[o].Note ?><p><?cs var:L.Signup.Elig.Outcome[o].Note ?></p><?cs /if ?>
    <?cs else ?>
    <p><?cs var:L.Signup.Elig.Outcome[o].Text ?></p>
    <?cs /if ?>
    <?cs if:o != "locked" && Elig.Locked ?><p><?cs var:Elig.LockText ?></p><?cs /if ?>
    <?cs if:Elig.Locked ?><?cs call:eligibility_meanwhile() ?><?cs /if ?>
    <?cs if:Elig.TriesLeftText ?><p class="outcome-tries"><?cs var:Elig.TriesLeftText ?></p><?cs /if ?>
<?cs /def ?>
<?cs def:eligibility_card_fields(P) ?>
    <div class="card-boxes" id="card-boxes" data-pattern="<?cs var:P ?>"<?cs if:P == 0 ?> hidden<?cs /if ?>>
      <?cs call:eligibility_card_figures(P) ?>
      <p class="field__hint card-boxes__hint" id="pattern-hint" data-hint-1="<?cs var:L.Signup.Elig.Pattern.1 ?>" data-hint-2="<?cs var:L.Signup.Elig.Pattern.2 ?>" data-hint-3="<?cs var:L.Signup.Elig.Pattern.3 ?>" data-hint-4="<?cs var:L.Signup.Elig.Pattern.4 ?>"><?cs if:P > 0 ?><?cs var:L.Signup.Elig.Pattern[P] ?><?cs /if ?></p>
      <div class="field field--pair<?cs if:Form.Errors.symbol || Form.Errors.symbol2 ?> field--error<?cs /if ?>" data-patterns="34"<?cs if:P != 3 && P != 4 ?> hidden<?cs /if ?>>
        <div class="inline-fields pair">
          <div class="pair__item">
            <label class="field__label" for="symbol" data-label-3="<?cs var:L.Signup.Elig.SymbolFront ?>" data-label-4="<?cs var:L.Signup.Elig.Symbol ?>"><?cs if:P == 3 ?><?cs var:L.Signup.Elig.SymbolFront ?><?cs else ?><?cs var:L.Signup.Elig.Symbol ?><?cs /if ?></label>
            <input type="text" id="symbol" name="symbol" value="<?cs var:Form.Values.symbol ?>" autocomplete="off" maxlength="40" size="10"<?cs if:P != 3 && P != 4 ?> disabled<?cs /if ?><?cs if:Form.Errors.symbol ?> aria-describedby="symbol-error"<?cs /if ?>>
          </div>
          <span class="pair__sep" data-patterns="3"<?cs if:P != 3 ?> hidden<?cs /if ?> aria-hidden="true">-</span>
          <div class="pair__item" data-patterns="3"<?cs if:P != 3 ?> hidden<?cs /if ?>>
            <label class="field__label" for="symbol2"><?cs var:L.Signup.Elig.SymbolBack ?></label>
            <input type="text" id="symbol2" name="symbol2" value="<?cs var:Form.Values.symbol2 ?>" autocomplete="off" maxlength="40" size="10"<?cs if:P != 3 ?> disabled<?cs /if ?><?cs if:Form.Errors.symbol2 ?> aria-describedby="symbol2-error"<?cs /if ?>>
          </div>
        </div>
        <?cs if:Form.Errors.symbol ?><p class="field__error" id="symbol-error"><?cs var:Form.Errors.symbol ?></p><?cs /if ?>
        <?cs if:Form.Errors.symbol2 ?><p class="field__error" id="symbol2-error"><?cs var:Form.Errors.symbol2 ?></p><?cs /if ?>
      </div>
      <div class="field field--pair<?cs if:Form.Errors.number || Form.Errors.number2 ?> field--error<?cs /if ?>" data-patterns="1234"<?cs if:P == 0 ?> hidden<?cs /if ?>>
        <div class="inline-fields pair">
          <div class="pair__item">
            <label class="field__label" for="number" data-label-1="<?cs var:L.Signup.Elig.NumberFront ?>" data-label-2="<?cs var:L.Signup.Elig.Number ?>" data-label-3="<?cs var:L.Signup.Elig.Number ?>" data-label-4="<?cs var:L.Signup.Elig.Number ?>"><?cs if:P == 1 ?><?cs var:L.Signup.Elig.NumberFront ?><?cs else ?><?cs var:L.Signup.Elig.Number ?><?cs /if ?></label>
            <input type="text" id="number" name="number" value="<?cs var:Form.Values.number ?>" inputmode="numeric" autocomplete="off" maxlength="40" size="12"<?cs if:P == 0 ?> disabled<?cs /if ?><?cs if:Form.Errors.number ?> aria-describedby="number-error"<?cs /if ?>>
          </div>
          <span class="pair__sep" data-patterns="1"<?cs if:P != 1 ?> hidden<?cs /if ?> aria-hidden="true">-</span>
          <div class="pair__item" data-patterns="1"<?cs if:P != 1 ?> hidden<?cs /if ?>>
            <label class="field__label" for="number2"><?cs var:L.Signup.Elig.NumberBack ?></label>
            <input type="text" id="number2" name="number2" value="<?cs var:Form.Values.number2 ?>" inputmode="numeric" autocomplete="off" maxlength="40" size="12"<?cs if:P != 1 ?> disabled<?cs /if ?><?cs if:Form.Errors.number2 ?> aria-describedby="number2-error"<?cs /if ?>>
          </div>
        </div>
        <?cs if:Form.Errors.number ?><p class="field__error" id="number-error"><?cs var:Form.Errors.number ?></p><?cs /if ?>
        <?cs if:Form.Errors.number2 ?><p class="field__error" id="number2-error"><?cs var:Form.Errors.number2 ?></p><?cs /if ?>
        <p class="field__hint"><?cs var:L.Signup.Elig.NumberNote ?></p>
      </div>
      <p class="field__hint card-boxes__hint"><?cs var:L.Signup.Elig.Retiree ?></p>
    </div>
    <?cs if:P == 0 ?><p class="field__hint card-boxes__hint" id="next-hint"><?cs var:L.Signup.Elig.NextHint ?></p><?cs /if ?>

    <div class="field<?cs if:Form.Errors.name_kana ?> field--error<?cs /if ?>">
      <label class="field__label" for="name_kana"><?cs var:L.Signup.Elig.Name ?></label>
      <input type="text" id="name_kana" name="name_kana" value="<?cs var:Form.Values.name_kana ?>" autocomplete="off" maxlength="100" required aria-describedby="name_kana-hint<?cs if:Form.Errors.name_kana ?> name_kana-error<?cs /if ?>">
      <p class="field__hint" id="name_kana-hint"><?cs var:L.Signup.Elig.NameHint ?></p>
      <?cs if:Form.Errors.name_kana ?><p class="field__error" id="name_kana-error"><?cs var:Form.Errors.name_kana ?></p><?cs /if ?>
    </div>
    <fieldset class="field birth<?cs if:Form.Errors.birth_era || Form.Errors.birth_year || Form.Errors.birth_month || Form.Errors.birth_day ?> field--error<?cs /if ?>" aria-describedby="birth-hint">
      <legend class="field__label"><?cs var:L.Signup.Elig.Birth ?></legend>
      <div class="date">
        <span class="date__part date__part--year">
          <select id="birth_era" name="birth_era" aria-label="<?cs var:L.Signup.Elig.EraLabel ?>">
            <?cs each:e = L.Signup.Elig.EraOrder ?><option value="<?cs var:e ?>"<?cs if:Form.Values.birth_era == e ?> selected<?cs /if ?>><?cs var:L.Signup.Elig.Era[e] ?></option><?cs /each ?>
          </select>
          <input type="text" id="birth_year" name="birth_year" value="<?cs var:Form.Values.birth_year ?>" autocomplete="off" maxlength="12" size="5" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.YearLabel ?>"><span class="date__unit" aria-hidden="true"><?cs var:L.Signup.Elig.Year ?></span>
        </span>
        <span class="date__part">
          <input type="text" id="birth_month" name="birth_month" value="<?cs var:Form.Values.birth_month ?>" inputmode="numeric" autocomplete="off" maxlength="4" size="3" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.MonthLabel ?>"><span class="date__unit" aria-hidden="true"><?cs var:L.Signup.Elig.Month ?></span>
        </span>
        <span class="date__part">
          <input type="text" id="birth_day" name="birth_day" value="<?cs var:Form.Values.birth_day ?>" inputmode="numeric" autocomplete="off" maxlength="4" size="3" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.DayLabel ?>"><span class="date__unit" aria-hidden="true"><?cs var:L.Signup.Elig.Day ?></span>
        </span>
      </div>
      <p class="field__hint" id="birth-hint"><?cs var:L.Signup.Elig.BirthHint ?></p>
      <?cs if:Form.Errors.birth_era ?><p class="field__error"><?cs var:Form.Errors.birth_era ?></p><?cs /if ?>
      <?cs if:Form.Errors.birth_year ?><p class="field__error"><?cs var:Form.Errors.birth_year ?></p><?cs /if ?>
      <?cs if:Form.Errors.birth_month ?><p class="field__error"><?cs var:Form.Errors.birth_month ?></p><?cs /if ?>
      <?cs if:Form.Errors.birth_day ?><p class="field__error"><?cs var:Form.Errors.birth_day ?></p><?cs /if ?>
    </fieldset>
<?cs /def ?>
