<?cs # /verify/question — the secret question (src/pages/verify_question.c).
  The answer is never written back into the page. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="q-title">
  <h1 id="q-title"><?cs var:L.Verify.Question.Title ?></h1>
  <p><?cs var:L.Verify.Question.Lead ?></p>
  <?cs if:Verify.QuestionSet ?><p class="muted" id="q-already"><?cs var:L.Verify.Question.Already ?></p><?cs /if ?>
  <form method="post" action="/verify/question" id="question-form" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <fieldset class="field<?cs if:Form.Errors.kind ?> field--error<?cs /if ?>" id="kind">
      <legend class="field__label"><?cs var:L.Verify.Question.Title ?></legend>
      <?cs if:Form.Errors.kind ?><p class="field__error" id="kind-error"><?cs var:Form.Errors.kind ?></p><?cs /if ?>
      <label class="choice"><input type="radio" name="kind" value="own" id="kind-own"<?cs if:Form.kind != "preset" ?> checked<?cs /if ?>> <?cs var:L.Verify.Question.Own ?></label>
      <div class="field<?cs if:Form.Errors.question ?> field--error<?cs /if ?>">
        <label class="field__label" for="question"><?cs var:L.Verify.Question.OwnLabel ?></label>
        <input type="text" id="question" name="question" maxlength="60" value="<?cs var:Form.question ?>" aria-describedby="question-hint<?cs if:Form.Errors.question ?> question-error<?cs /if ?>">
        <p class="field__hint" id="question-hint"><?cs var:L.Verify.Question.OwnHint ?></p>
        <?cs if:Form.Errors.question ?><p class="field__error" id="question-error"><?cs var:Form.Errors.question ?></p><?cs /if ?>
      </div>
      <label class="choice"><input type="radio" name="kind" value="preset" id="kind-preset"<?cs if:Form.kind == "preset" ?> checked<?cs /if ?>> <?cs var:L.Verify.Question.Preset ?></label>
      <div class="field<?cs if:Form.Errors.preset ?> field--error<?cs /if ?>">
        <label class="field__label" for="preset"><?cs var:L.Verify.Question.PresetLabel ?></label>
        <select id="preset" name="preset">
          <option value=""><?cs var:L.Verify.Question.PresetLabel ?></option>
          <?cs each:p = Verify.Presets ?><option value="<?cs var:p.N ?>"<?cs if:Form.preset == p.N ?> selected<?cs /if ?>><?cs var:p.Text ?></option><?cs /each ?>
        </select>
        <?cs if:Form.Errors.preset ?><p class="field__error" id="preset-error"><?cs var:Form.Errors.preset ?></p><?cs /if ?>
      </div>
    </fieldset>
    <div class="field<?cs if:Form.Errors.answer ?> field--error<?cs /if ?>">
      <label class="field__label" for="answer"><?cs var:L.Verify.Question.Answer ?></label>
      <input type="text" id="answer" name="answer" maxlength="50" autocomplete="off" required aria-describedby="answer-hint<?cs if:Form.Errors.answer ?> answer-error<?cs /if ?>">
      <p class="field__hint" id="answer-hint"><?cs var:L.Verify.Question.AnswerHint ?></p>
      <?cs if:Form.Errors.answer ?><p class="field__error" id="answer-error"><?cs var:Form.Errors.answer ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="question-submit"><?cs var:L.Verify.Question.Submit ?></button></div>
  </form>
  <ul class="link-list"><li><a href="/verify" id="verify-pause"><?cs var:L.Verify.Pause ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = L.Verify.Question.Title ?>
<?cs include:"layout.cs" ?>
