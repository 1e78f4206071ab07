<?cs # The card boxes (in the insurer's input pattern P: 1-4, 0 none yet), the
  name in katakana and the birthdate: the card check of signup step 3
  (signup_eligibility.cs) and of the later 本人確認 (account_verify.cs), checked
  by src/eligibility.c. Boxes not shown are hidden AND disabled, so they are not
  sent. Values: Form.Values.*, errors: Form.Errors.*. ?>
<?cs def:eligibility_card_fields(P) ?>
    <div class="card-boxes" id="card-boxes" data-pattern="<?cs var:P ?>"<?cs if:P == 0 ?> hidden<?cs /if ?>>
      <p class="field__hint" id="pattern-hint" data-hint-1="<?cs var:L.Signup.Elig.Pattern.1 ?>" data-hint-2="<?cs var:L.Signup.Elig.Pattern.2 ?>" data-hint-3="<?cs var:L.Signup.Elig.Pattern.3 ?>" data-hint-4="<?cs var:L.Signup.Elig.Pattern.4 ?>"><?cs if:P > 0 ?><?cs var:L.Signup.Elig.Pattern[P] ?><?cs /if ?></p>
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
      <p class="field__hint"><?cs var:L.Signup.Elig.Retiree ?></p>
    </div>
    <?cs if:P == 0 ?><p class="field__hint" id="next-hint"><?cs var:L.Signup.Elig.NextHint ?></p><?cs /if ?>

    <div class="field<?cs if:Form.Errors.name_kana ?> field--error<?cs /if ?>">
      <label class="field__label" for="name_kana"><?cs var:L.Signup.Elig.Name ?></label>
      <input type="text" id="name_kana" name="name_kana" value="<?cs var:Form.Values.name_kana ?>" autocomplete="off" maxlength="100" required aria-describedby="name_kana-hint<?cs if:Form.Errors.name_kana ?> name_kana-error<?cs /if ?>">
      <p class="field__hint" id="name_kana-hint"><?cs var:L.Signup.Elig.NameHint ?></p>
      <?cs if:Form.Errors.name_kana ?><p class="field__error" id="name_kana-error"><?cs var:Form.Errors.name_kana ?></p><?cs /if ?>
    </div>
    <fieldset class="field<?cs if:Form.Errors.birth_year || Form.Errors.birth_month || Form.Errors.birth_day ?> field--error<?cs /if ?>">
      <legend class="field__label"><?cs var:L.Signup.Elig.Birth ?></legend>
      <div class="inline-fields date">
        <input type="text" id="birth_year" name="birth_year" value="<?cs var:Form.Values.birth_year ?>" inputmode="numeric" autocomplete="off" maxlength="8" size="5" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.Year ?>"><span class="date__unit"><?cs var:L.Signup.Elig.Year ?></span>
        <input type="text" id="birth_month" name="birth_month" value="<?cs var:Form.Values.birth_month ?>" inputmode="numeric" autocomplete="off" maxlength="4" size="3" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.Month ?>"><span class="date__unit"><?cs var:L.Signup.Elig.Month ?></span>
        <input type="text" id="birth_day" name="birth_day" value="<?cs var:Form.Values.birth_day ?>" inputmode="numeric" autocomplete="off" maxlength="4" size="3" aria-label="<?cs var:L.Signup.Elig.Birth ?> <?cs var:L.Signup.Elig.Day ?>"><span class="date__unit"><?cs var:L.Signup.Elig.Day ?></span>
      </div>
      <p class="field__hint"><?cs var:L.Signup.Elig.BirthHint ?></p>
      <?cs if:Form.Errors.birth_year ?><p class="field__error"><?cs var:Form.Errors.birth_year ?></p><?cs /if ?>
      <?cs if:Form.Errors.birth_month ?><p class="field__error"><?cs var:Form.Errors.birth_month ?></p><?cs /if ?>
      <?cs if:Form.Errors.birth_day ?><p class="field__error"><?cs var:Form.Errors.birth_day ?></p><?cs /if ?>
    </fieldset>
<?cs /def ?>
