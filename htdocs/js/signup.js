/*
 * signup.js — progressive enhancement of the signup pages (loaded by the layout
 * when Page.Script = "signup"; no inline script: the CSP forbids it). Every page
 * works without it; the server decides everything.
 *
 *  - step 1 (and every new-password field: password_field.cs): the "show
 *    what I typed" toggle, the strength meter, and the password rules marked
 *    met/unmet as the member types (the same rules as src/password.c, except
 *    its list of common passwords); the server's list of unmet rules, which
 *    speaks of the password posted before, goes once another one is typed;
 *  - step 3: the card-pattern switch: once 8 digits of insurer number are typed,
 *    /signup/pattern is asked for that one insurer and the symbol/number boxes
 *    of its card pattern (①–④) are shown at once, with the picture of that
 *    pattern's card and the help link pointing at it;
 *  - step 3 and /account/verify: an era typed in the year box ("昭和35", "S35")
 *    moves to the birth_era select beside it (the server reads both ways).
 */
(function () {
	'use strict';

	function byId(id) {
		return document.getElementById(id);
	}

	function each(list, fn) {
		Array.prototype.forEach.call(list, fn);
	}

	/* Full-width ASCII (０-９, Ａ-Ｚ, ＠ …) to ASCII, as the server does. */
	function halfWidth(s) {
		return s.replace(/[\uff01-\uff5e]/g, function (c) {
			return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
		}).replace(/\u3000/g, ' ');
	}

	each(document.querySelectorAll('.js-only'), function (el) {
		el.hidden = false;
	});

	/* ---- show password ---- */
	each(document.querySelectorAll('[data-toggle-password]'), function (box) {
		var field = byId(box.getAttribute('data-toggle-password'));

		if (!field)
			return;
		box.addEventListener('change', function () {
			field.type = box.checked ? 'text' : 'password';
		});
	});

	/* ---- password rules and strength ---- */
	var KEYBOARD = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./',
	    '!@#$%^&*()_+', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
	    'zaq1xsw2cde3vfr4bgt5nhy6mju7', 'qazwsxedcrfvtgbyhnujmikolp', 'qweasdzxc',
	    'qwertzuiop', 'azertyuiop'];

	function hasRun(s) {
		var i, a, b, c, alpha = /[a-z]/, digit = /[0-9]/;

		for (i = 0; i + 2 < s.length; i++) {
			a = s.charCodeAt(i);
			b = s.charCodeAt(i + 1);
			c = s.charCodeAt(i + 2);
			if (a === b && b === c)
				return true;
			if (!((alpha.test(s[i]) && alpha.test(s[i + 1]) && alpha.test(s[i + 2])) ||
			    (digit.test(s[i]) && digit.test(s[i + 1]) && digit.test(s[i + 2]))))
				continue;
			if ((b === a + 1 && c === b + 1) || (b === a - 1 && c === b - 1))
				return true;
		}
		return false;
	}

	function hasKeyboardRun(s) {
		var k, i, w;

		for (k = 0; k < KEYBOARD.length; k++) {
			for (i = 0; i + 4 <= KEYBOARD[k].length; i++) {
				w = KEYBOARD[k].substr(i, 4);
				if (s.indexOf(w) >= 0 ||
				    s.indexOf(w.split('').reverse().join('')) >= 0)
					return true;
			}
		}
		return false;
	}

	function hasLocalPart(s, email) {
		var at = email.indexOf('@'), local, words, i;

		if (at <= 0)
			return false;
		local = email.substr(0, at).toLowerCase();
		if (local.length >= 3 && s.indexOf(local) >= 0)
			return true;
		words = local.split(/[^a-z]+/);
		for (i = 0; i < words.length; i++)
			if (words[i].length >= 4 && s.indexOf(words[i]) >= 0)
				return true;
		return false;
	}

	function checkPassword(pw, email, min, max, kinds) {
		var n = Array.from(pw).length, k = 0, low = pw.toLowerCase();

		if (/[A-Z]/.test(pw)) k++;
		if (/[a-z]/.test(pw)) k++;
		if (/[0-9]/.test(pw)) k++;
		if (/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(pw)) k++;
		return {
			length: n >= min && n <= max,
			kinds: k >= kinds,
			chars: /^[\x21-\x7e]*$/.test(pw),
			guess: pw.length > 0 && !hasRun(low) && !hasKeyboardRun(low) &&
			    !hasLocalPart(low, email),
			count: n,
			nkinds: k
		};
	}

	var pw = byId('password'), meter = byId('password-meter');

	if (pw && meter) {
		var emailField = byId('email'), text = byId('password-strength-text');
		var levels = text ? text.getAttribute('data-levels').split('|') : [];
		var min = parseInt(pw.getAttribute('data-min'), 10) || 8;
		var max = parseInt(pw.getAttribute('data-max'), 10) || 20;
		var kinds = parseInt(pw.getAttribute('data-kinds'), 10) || 2;

		var update = function () {
			var email = emailField ? halfWidth(emailField.value.trim()) : '';
			var r = checkPassword(pw.value, email, min, max, kinds);
			var all = r.length && r.kinds && r.chars && r.guess, score;

			each(document.querySelectorAll('[data-rule]'), function (li) {
				var ok = r[li.getAttribute('data-rule')];

				if (pw.value === '') {
					li.classList.remove('rule--met', 'rule--unmet');
					return;
				}
				li.classList.toggle('rule--met', ok);
				li.classList.toggle('rule--unmet', !ok);
			});
			if (pw.value === '')
				score = 0;
			else if (!all)
				score = 1;
			else
				score = Math.min(4, 2 + (r.count >= 12 ? 1 : 0) +
				    (r.nkinds >= 3 ? 1 : 0));
			meter.value = score;
			if (text && levels[score] !== undefined)
				text.textContent = levels[score];
		};
		/*
		 * The server's list of unmet rules (and their lines in the error
		 * summary) speaks of the password posted before; once the member
		 * types another one, the live rules above take over (issue 11).
		 */
		var stale = byId('password-error');
		var dropStale = function () {
			var field = pw.closest ? pw.closest('.field') : null;
			var summary = document.querySelector('.error-summary');

			if (!stale)
				return;
			stale.hidden = true;
			stale = null;
			if (field)
				field.classList.remove('field--error');
			pw.setAttribute('aria-describedby', (pw.getAttribute('aria-describedby') || '')
			    .replace(/\s*password-error/, ''));
			if (!summary)
				return;
			each(summary.querySelectorAll('a[href="#password"]'), function (a) {
				var li = a.parentNode;

				li.parentNode.removeChild(li);
			});
			if (!summary.querySelector('li'))
				summary.style.display = 'none';
		};
		pw.addEventListener('input', dropStale);
		pw.addEventListener('input', update);
		if (emailField)
			emailField.addEventListener('input', update);
		update();
	}

	/* ---- birthdate: an era typed in the year box goes to the select ---- */
	var ERAS = [['meiji', /^(明治|明|M)\.?/i], ['taisho', /^(大正|大|T)\.?/i],
	    ['showa', /^(昭和|昭|S|\u337c)\.?/i], ['heisei', /^(平成|平|H|\u337b)\.?/i],
	    ['reiwa', /^(令和|令|R|\u32ff)\.?/i]];
	var birthYear = byId('birth_year'), birthEra = byId('birth_era');

	if (birthYear && birthEra) {
		birthYear.addEventListener('change', function () {
			var v = halfWidth(birthYear.value).replace(/\s+/g, ''), i, m;

			for (i = 0; i < ERAS.length; i++) {
				m = ERAS[i][1].exec(v);
				if (m && /^(\d{1,2}|元)年?$/.test(v.slice(m[0].length))) {
					birthEra.value = ERAS[i][0];
					birthYear.value = v.slice(m[0].length).replace(/年$/, '');
					return;
				}
			}
		});
	}

	/* ---- step 3: card pattern switch ---- */
	var form = byId('elig-form'), insurer = byId('insurer_number');

	if (!form || !insurer || !window.fetch)
		return;

	var boxes = byId('card-boxes'), formInsurer = byId('form_insurer');
	var submit = byId('elig-submit'), nextHint = byId('next-hint');
	var insurerName = byId('insurer-name'), hint = byId('pattern-hint');
	var url = form.getAttribute('data-pattern-url'), asked = '';
	var insurerOnly = byId('insurer-only'), helpLink = byId('elig-help-link');

	function apply(p, number, name, idOnly) {
		if (insurerOnly) {
			insurerOnly.hidden = !(p > 0 && idOnly);
			each(insurerOnly.querySelectorAll('button'), function (b) {
				b.disabled = insurerOnly.hidden;
			});
		}
		boxes.hidden = p === 0;
		boxes.setAttribute('data-pattern', String(p));
		each(boxes.querySelectorAll('[data-patterns]'), function (el) {
			var show = p > 0 && el.getAttribute('data-patterns').indexOf(String(p)) >= 0;

			el.hidden = !show;
			each(el.querySelectorAll('input'), function (input) {
				input.disabled = !show;
			});
		});
		each(boxes.querySelectorAll('label[data-label-' + p + ']'), function (l) {
			l.textContent = l.getAttribute('data-label-' + p);
		});
		if (hint)
			hint.textContent = p > 0 ? hint.getAttribute('data-hint-' + p) : '';
		if (helpLink)
			helpLink.href = '/signup/eligibility/help' + (p > 0 ? '?pattern=' + p : '');
		formInsurer.value = p > 0 ? number : '';
		if (submit)
			submit.textContent = submit.getAttribute(p > 0 ? 'data-label-card' :
			    'data-label-insurer');
		if (nextHint)
			nextHint.hidden = p > 0;
		if (insurerName && p > 0 && name)
			insurerName.textContent =
			    (insurerName.getAttribute('data-prefix') || '') + name;
		else if (insurerName && p === 0)
			insurerName.textContent = '';
	}

	function lookup() {
		var digits = halfWidth(insurer.value).replace(/[^0-9]/g, '');

		if (digits.length !== 8 || digits === asked)
			return;
		asked = digits;
		if (digits === formInsurer.value)
			return;	/* the boxes on the page are this insurer's */
		fetch(url + '?insurer_number=' + encodeURIComponent(digits), {
			credentials: 'same-origin',
			headers: { 'Accept': 'application/json' }
		}).then(function (res) {
			return res.ok ? res.json() : null;
		}).then(function (j) {
			if (digits !== asked)
				return;	/* typed on meanwhile */
			if (j && j.ok)
				apply(j.pattern, j.number, j.name, j.insurer_id_only);
			else
				apply(0, '', '', false);
		}).catch(function () {
			/* No answer: the server redraws the form on 次へ. */
		});
	}

	insurer.addEventListener('input', lookup);
	insurer.addEventListener('change', lookup);
	lookup();
}());
