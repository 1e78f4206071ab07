/*
 * passkey.js — the WebAuthn ceremonies of members' passkeys (loaded when
 * Page.Passkey is set; no inline script: the CSP forbids it). Each page has
 * one element with data-passkey:
 *   "login"    /login: 「パスキーでログイン」 (discoverable credentials);
 *   "stepup"   /sensitive/stepup: 「パスキーで確認」;
 *   "register" the second page of adding a passkey: the creation options
 *              are in data-options-json (issued after her password).
 * data-options (login, stepup): where to POST for the options; data-finish:
 * where to POST the credential; data-csrf: the page's CSRF token (sent as
 * X-CSRF-Token); data-next: where to go on; data-error-*: the messages, in
 * the page's language. Without WebAuthn in the browser the element stays
 * hidden and the page's form (password, secret question) is all there is.
 */
(function () {
	'use strict';

	var box = document.querySelector('[data-passkey]');
	var mode, btn, err;

	if (!box)
		return;
	mode = box.getAttribute('data-passkey');
	btn = document.getElementById('passkey-' + mode + '-button');
	err = document.getElementById('passkey-error');
	if (!btn || !window.PublicKeyCredential || !navigator.credentials ||
	    !window.fetch || !window.JSON)
		return;
	box.hidden = false;
	if (btn.parentNode && btn.parentNode.hidden)
		btn.parentNode.hidden = false;

	function b64ToBuf(s) {
		var bin, buf, i;

		s = s.replace(/-/g, '+').replace(/_/g, '/');
		while (s.length % 4)
			s += '=';
		bin = atob(s);
		buf = new Uint8Array(bin.length);
		for (i = 0; i < bin.length; i++)
			buf[i] = bin.charCodeAt(i);
		return buf.buffer;
	}

	function bufToB64(b) {
		var bytes = new Uint8Array(b), s = '', i;

		for (i = 0; i < bytes.length; i++)
			s += String.fromCharCode(bytes[i]);
		return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	function show(key) {
		var msg = box.getAttribute('data-error-' + key) ||
		    box.getAttribute('data-error-failed');

		if (!err)
			return;
		err.textContent = msg;
		err.hidden = false;
	}

	function post(url, body) {
		return fetch(url, {
			method: 'POST',
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/json',
				'X-CSRF-Token': box.getAttribute('data-csrf') || ''
			},
			body: JSON.stringify(body)
		}).then(function (res) {
			return res.json().catch(function () { return {}; })
			    .then(function (j) { return { status: res.status, json: j }; });
		});
	}

	function failed(e) {
		btn.disabled = false;
		if (e && e.name === 'NotAllowedError' || e && e.name === 'AbortError')
			show('cancelled');
		else if (e && e.name === 'InvalidStateError')
			show('exists');
		else if (e && e.status === 429)
			show('throttled');
		else if (e && e.status === 409)
			show('exists');
		else
			show('failed');
	}

	function finish(body) {
		return post(box.getAttribute('data-finish'), body).then(function (r) {
			if (r.status === 200 && r.json.location) {
				window.location.assign(r.json.location);
				return;
			}
			throw { status: r.status };
		});
	}

	function assertion(cred) {
		var resp = cred.response;

		return {
			id: cred.id,
			rawId: bufToB64(cred.rawId),
			type: cred.type,
			response: {
				clientDataJSON: bufToB64(resp.clientDataJSON),
				authenticatorData: bufToB64(resp.authenticatorData),
				signature: bufToB64(resp.signature),
				userHandle: resp.userHandle ? bufToB64(resp.userHandle) : null
			},
			next: box.getAttribute('data-next') || ''
		};
	}

	function get() {
		return post(box.getAttribute('data-options'), {}).then(function (r) {
			var pk;

			if (r.status !== 200 || !r.json.publicKey)
				throw { status: r.status };
			pk = r.json.publicKey;
			pk.challenge = b64ToBuf(pk.challenge);
			(pk.allowCredentials || []).forEach(function (c) {
				c.id = b64ToBuf(c.id);
			});
			return navigator.credentials.get({ publicKey: pk });
		}).then(function (cred) {
			return finish(assertion(cred));
		});
	}

	function create() {
		var pk = JSON.parse(box.getAttribute('data-options-json'));
		var name = document.getElementById('passkey-name');

		pk.challenge = b64ToBuf(pk.challenge);
		pk.user.id = b64ToBuf(pk.user.id);
		(pk.excludeCredentials || []).forEach(function (c) {
			c.id = b64ToBuf(c.id);
		});
		return navigator.credentials.create({ publicKey: pk }).then(function (cred) {
			var resp = cred.response;

			return finish({
				id: cred.id,
				rawId: bufToB64(cred.rawId),
				type: cred.type,
				response: {
					clientDataJSON: bufToB64(resp.clientDataJSON),
					attestationObject: bufToB64(resp.attestationObject)
				},
				name: name ? name.value : ''
			});
		});
	}

	btn.addEventListener('click', function () {
		if (err)
			err.hidden = true;
		btn.disabled = true;
		(mode === 'register' ? create() : get()).catch(failed);
	});
}());
