/*
 * login.js — progressive enhancement of /login (loaded by the layout when
 * Page.Script = "login"; no inline script: the CSP forbids it). Without it the
 * page works the same, a page load each time.
 *
 *  - "別の画像を表示する", "画像が読めない方はこちら", "画像認証に戻る": the form's
 *    captcha_action buttons are posted in the background (the same POST the
 *    button makes without JavaScript, without the password: the server never
 *    needs it for this) and only the challenge is swapped in place, so the
 *    typed address and password stay as they are. Any failure falls back to
 *    the plain submission.
 */
(function () {
	'use strict';

	var form = document.getElementById('login');

	if (!form || !window.fetch || !window.DOMParser || !window.FormData)
		return;

	function plain(btn) {
		form.setAttribute('data-plain', '1');
		if (form.requestSubmit)
			form.requestSubmit(btn);
		else
			btn.click();
	}

	form.addEventListener('click', function (ev) {
		var btn = ev.target.closest ? ev.target.closest('button[name="captcha_action"]') : null;
		var field = document.getElementById('captcha-field'), body;

		if (!btn || !field || form.getAttribute('data-plain'))
			return;
		ev.preventDefault();
		body = new URLSearchParams(new FormData(form));
		body.delete('password');
		body.delete('captcha');
		body.set('captcha_action', btn.value);
		btn.disabled = true;
		fetch(form.getAttribute('action'), {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: body.toString()
		}).then(function (res) {
			if (!res.ok)
				throw new Error('status ' + res.status);
			return res.text();
		}).then(function (html) {
			var doc = new DOMParser().parseFromString(html, 'text/html');
			var fresh = doc.getElementById('captcha-field');
			var status = document.getElementById('captcha-status'), input;

			if (!fresh)
				throw new Error('no challenge');
			fresh = document.importNode(fresh, true);
			field.parentNode.replaceChild(fresh, field);
			input = document.getElementById('captcha');
			if (input)
				input.focus();
			if (status)
				status.textContent = status.getAttribute('data-done');
		}).catch(function () {
			btn.disabled = false;
			plain(btn);
		});
	});
}());
