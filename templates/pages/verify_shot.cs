<?cs # /verify/shot/<shot> — one shot (src/pages/verify_shot.c). Shot.Name,
  Shot.Title, Shot.Lead, Shot.Kind (doc|face), Shot.Facing (environment|user),
  Shot.Have (a photo is stored: its thumbnail and 「次へ」), Shot.Next. The form
  works without JavaScript (a plain file input); verify.js adds the camera. ?>
<?cs def:content() ?>
<section class="card" aria-labelledby="shot-title">
  <p class="muted"><?cs var:Verify.DocumentName ?></p>
  <h1 id="shot-title"><?cs var:Shot.Title ?></h1>
  <p id="shot-lead"><?cs var:Shot.Lead ?></p>
  <?cs if:Shot.Name == "doc_front" && Verify.Document == "mynumber" ?>
  <div class="notice" id="shot-mynumber"><p><?cs var:L.Verify.Shot.MyNumber ?></p></div>
  <?cs /if ?>
  <?cs if:Shot.Name == "face_angle" ?>
  <div class="notice notice--strong" id="face-angle" data-angle="<?cs var:Verify.Angle ?>"><p class="notice__title"><?cs var:L.Verify.Shot.face_angle.Instruction ?></p><p class="angle-text"><strong><?cs var:Verify.AngleText ?></strong></p></div>
  <?cs /if ?>
  <?cs if:Shot.Have ?>
  <figure class="shot-preview" id="shot-taken">
    <img src="/verify/preview/<?cs var:Shot.Name ?>" alt="<?cs var:L.Verify.Shot.TakenAlt ?>" width="320">
    <figcaption><?cs var:L.Verify.Shot.Taken ?></figcaption>
  </figure>
  <p class="actions"><a class="button" href="<?cs var:Shot.Next ?>" id="shot-next"><?cs var:L.Verify.Shot.Next ?></a></p>
  <h2><?cs var:L.Verify.Shot.Retake ?></h2>
  <?cs /if ?>
  <?cs if:Shot.Name == "doc_back" ?>
  <div class="notice" id="back-question"><p class="notice__title"><strong><?cs var:L.Verify.Shot.doc_back.Question ?></strong></p>
    <form method="post" action="/verify/shot/doc_back" enctype="multipart/form-data" id="back-no-form">
      <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
      <input type="hidden" name="remarks" value="0">
      <button class="button button--secondary" type="submit" id="back-no"><?cs var:L.Verify.Shot.doc_back.No ?></button>
    </form>
    <p><?cs var:L.Verify.Shot.doc_back.Yes ?></p>
  </div>
  <?cs /if ?>
  <form method="post" action="/verify/shot/<?cs var:Shot.Name ?>" enctype="multipart/form-data" id="shot-form" class="shot-form" data-facing="<?cs var:Shot.Facing ?>" data-kind="<?cs var:Shot.Kind ?>" novalidate>
    <input type="hidden" name="csrf" value="<?cs var:Page.CSRF ?>">
    <div class="camera" id="camera" hidden>
      <div class="camera__view camera__view--<?cs var:Shot.Kind ?>">
        <video id="camera-video" autoplay playsinline muted></video>
        <div class="camera__guide" aria-hidden="true"></div>
      </div>
      <p class="field__hint"><?cs var:L.Verify.Shot.CameraHint ?></p>
      <p class="actions"><button class="button" type="button" id="camera-take"><?cs var:L.Verify.Shot.CameraTake ?></button>
      <button class="button button--secondary" type="button" id="camera-cancel"><?cs var:L.Verify.Shot.CameraCancel ?></button></p>
    </div>
    <p class="actions" id="camera-open-wrap" hidden><button class="button button--secondary" type="button" id="camera-open"><?cs var:L.Verify.Shot.Camera ?></button></p>
    <div class="field<?cs if:Form.Errors.photo ?> field--error<?cs /if ?>">
      <label class="field__label" for="photo"><?cs var:L.Verify.Shot.File ?></label>
      <input type="file" id="photo" name="photo" accept="image/*" capture="<?cs var:Shot.Facing ?>" required<?cs if:Form.Errors.photo ?> aria-invalid="true"<?cs /if ?> aria-describedby="photo-hint<?cs if:Form.Errors.photo ?> photo-error<?cs /if ?>">
      <p class="field__hint" id="photo-hint"><?cs var:L.Verify.Shot.FileHint ?></p>
      <?cs if:Form.Errors.photo ?><p class="field__error" id="photo-error" role="alert"><?cs var:Form.Errors.photo ?></p><?cs /if ?>
    </div>
    <div class="actions"><button class="button" type="submit" id="shot-submit"><?cs var:L.Verify.Shot.Submit ?></button></div>
  </form>
  <h2><?cs var:L.Verify.Shot.Tips.Title ?></h2>
  <ul class="notes">
    <?cs if:Shot.Kind == "face" ?><li><?cs var:L.Verify.Shot.Tips.Face1 ?></li><li><?cs var:L.Verify.Shot.Tips.Face2 ?></li>
    <?cs else ?><li><?cs var:L.Verify.Shot.Tips.Doc1 ?></li><li><?cs var:L.Verify.Shot.Tips.Doc2 ?></li><li><?cs var:L.Verify.Shot.Tips.Doc3 ?></li><?cs /if ?>
  </ul>
  <ul class="link-list"><li><a href="/verify" id="verify-pause"><?cs var:L.Verify.Pause ?></a></li></ul>
</section>
<?cs /def ?>
<?cs set:Page.Title = Shot.Title ?>
<?cs set:Page.Script = "verify" ?>
<?cs include:"layout.cs" ?>
