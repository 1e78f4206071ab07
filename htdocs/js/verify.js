/*
 * verify.js — in-page camera capture for the shot pages of 健診・医療アクセス
 * 認証 (/verify/shot/*; loaded when Page.Script = "verify"; no inline script:
 * the CSP forbids it). Progressive enhancement: without it, or where the
 * browser has no getUserMedia or no camera, the page's plain file input
 * (accept="image/*" capture) does everything, also from a PC with a scanned
 * image.
 *
 * Where getUserMedia exists, a 「カメラで撮影する」 button appears. It opens the
 * camera (the back one for documents, the front one for the face) with a
 * guide frame over the picture; 「撮影する」 draws the frame into a canvas,
 * makes a JPEG and puts it into the file input (DataTransfer), then sends the
 * form as the button would. Any failure (permission refused, no camera, no
 * DataTransfer) closes the camera and leaves the file input as it was.
 */
(function () {
	'use strict';

	var form = document.getElementById('shot-form');
	var input = document.getElementById('photo');
	var wrap = document.getElementById('camera-open-wrap');
	var openBtn = document.getElementById('camera-open');
	var cam = document.getElementById('camera');
	var video = document.getElementById('camera-video');
	var take = document.getElementById('camera-take');
	var cancel = document.getElementById('camera-cancel');
	var stream = null;

	if (!form || !input || !wrap || !cam || !video || !navigator.mediaDevices ||
	    !navigator.mediaDevices.getUserMedia || !window.DataTransfer ||
	    !HTMLCanvasElement.prototype.toBlob)
		return;

	function stop() {
		if (stream) {
			stream.getTracks().forEach(function (t) { t.stop(); });
			stream = null;
		}
		video.srcObject = null;
		cam.hidden = true;
		wrap.hidden = false;
	}

	function start() {
		var facing = form.getAttribute('data-facing') || 'environment';

		navigator.mediaDevices.getUserMedia({
			video: { facingMode: facing, width: { ideal: 1920 }, height: { ideal: 1080 } },
			audio: false
		}).then(function (s) {
			stream = s;
			video.srcObject = s;
			cam.hidden = false;
			wrap.hidden = true;
		}).catch(function () {
			stop();
			wrap.hidden = true;	/* no camera here: the file input stays */
		});
	}

	function shoot() {
		var w = video.videoWidth, h = video.videoHeight, canvas, ctx;

		if (!w || !h)
			return;
		canvas = document.createElement('canvas');
		canvas.width = w;
		canvas.height = h;
		ctx = canvas.getContext('2d');
		ctx.drawImage(video, 0, 0, w, h);
		canvas.toBlob(function (blob) {
			var dt, file;

			if (!blob)
				return;
			try {
				dt = new DataTransfer();
				file = new File([blob], 'camera.jpg', { type: 'image/jpeg' });
				dt.items.add(file);
				input.files = dt.files;
			} catch (e) {
				stop();
				return;
			}
			stop();
			if (form.requestSubmit)
				form.requestSubmit();
			else
				form.submit();
		}, 'image/jpeg', 0.92);
	}

	wrap.hidden = false;
	openBtn.addEventListener('click', start);
	take.addEventListener('click', shoot);
	cancel.addEventListener('click', stop);
	window.addEventListener('pagehide', stop);
}());
