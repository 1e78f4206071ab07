// The whole site as a member meets it (issue 11): every page and state she can
// reach — public pages, each signup step with its error states, login with the
// CAPTCHA's states (image, text question, wrong answer, locked), password
// forgot/reset, the inquiry form, the help pages, the member area and its
// account pages, /consent, the error pages, 健診・医療アクセス認証 (issue 12:
// /verify and each of its steps with a refused file and the question's errors,
// /sensitive below the level, the step-up with a wrong answer, the features
// and a feature's page) and the staff console on its own listener (enrolment
// with errors, login failed, home, the review queue, a review with its errors,
// the approved list, inquiries and one inquiry, the staff list, as an
// administrator made with kenpoctl staff add), and issue 15's pages (8x: a
// service's consent, the page of a level she does not have, the password
// again, the authorize error pages, the logout confirmation and its done page,
// 連携中のサービス before and after a disconnection; ログインと二段階認証,
// each step of the authenticator app's enrolment with its errors, the recovery
// codes made again, the page that turns it off, the passkeys before and after
// the ceremony page, the step-up with its three options as a service asks for
// it, and /login/otp with a wrong code) — in Japanese and in English, at
// 1280, 375 and 320 px (JavaScript on; the other test files cover it off).
//
// On every state: no horizontal overflow (document scrollWidth <= viewport, and
// no element with text sticking out past the right edge outside a sideways
// scroller), no clipped text (an element with overflow hidden/clip or an
// ellipsis whose content is bigger than its box), no placeholder wording
// (TODO, 準備中, lorem, XXX, developer notes, a {placeholder} of a text left
// unfilled), the language switch on the line
// of the site name. At 1280 px every element a keyboard reaches shows a focus
// ring. At 1280 and 375 px also axe-core
// (no serious or critical violation) and a screenshot
// artifacts/site-<NN-state>-<ja|en>-<width>-js.png: gallery.py shows them as one
// row per state, ja/en × 1280/375 side by side (artifacts/index.html).
//
// Every finding of a state is collected; a test fails with all of them at once.
// KNOWN lists findings that belong to pages other helpers of issue 11 are fixing
// in their own branches: such a finding is reported as a diagnostic, and a KNOWN
// entry that no longer occurs fails the test (delete it once the fix is merged).
//
// Accounts: test members T0045–T0050 sign up here (one per language and width),
// T0051–T0056 are the logged-in members; the /consent member belongs to an
// insurer of its own with terms of its own (so no other test is asked to agree);
// the eKYC members E0001–E0006 belong to an insurer that links health data.
import { test, before, after } from 'node:test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	launch, withSession, assert, makeActiveAccount, newEmail, waitMail, mailLink, sql, q, ctl,
	solveCaptcha, stack, ARTIFACTS, PASSWORD, DEMO, totp, totpStep,
} from './lib.mjs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';

const SITE_TEST = { timeout: 300_000 };

// Findings expected until another helper's branch is merged: [state, lang|'*',
// width|0, kind, who]. kind is overflow, clipped, placeholder, lang, header, focus or axe.
const KNOWN = [
	// (none since issue 11's helpers were merged; e.g.
	// ['24-signup-3-card', 'en', 375, 'overflow', 'who fixes it'],)
];

const ALL_WIDTHS = [
	{ width: 1280, height: 900, isMobile: false },
	{ width: 375, height: 812, isMobile: true },
	{ width: 320, height: 640, isMobile: true },
];
// KENPO_BROWSER_VARIANTS="1280-js,375-nojs" narrows the widths as elsewhere
// ("320-js" names the narrowest one).
function widths() {
	const want = (process.env.KENPO_BROWSER_VARIANTS || '').split(',').filter(Boolean)
		.map((l) => Number(l.split('-')[0]));
	return want.length ? ALL_WIDTHS.filter((w) => want.includes(w.width)) : ALL_WIDTHS;
}
const LANGS = ['ja', 'en'];
const PLACEHOLDER = /\bTODO\b|\bFIXME\b|\bXXX\b|\bTBD\b|lorem|ipsum|準備中|in preparation|coming soon|開発環境|開発者|developer note|for developers|Service\.[A-Za-z]+URL|\{[a-z_]+\}/i;

let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kenpo-site-'));
let photo;	// a JPEG of imagegen.py for the /verify shots
let rp, RP;	// the relying party of the 8x states and its redirect_uri
before(async () => {
	browser = await launch();
	rp = http.createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end('<!doctype html><html lang="ja"><title>RP</title><main><p>service</p></main></html>');
	});
	await new Promise((ok) => rp.listen(0, '127.0.0.1', ok));
	RP = `http://127.0.0.1:${rp.address().port}/cb`;
	photo = path.join(tmp, 'photo.jpg');
	execFileSync('/usr/bin/python3', ['-c',
		'import sys; sys.path.insert(0, sys.argv[1]); from imagegen import make_jpeg;'
		+ ' open(sys.argv[2], "wb").write(make_jpeg(1200, 800))',
		path.join(process.env.KENPO_SRC, 'tests', 'integration'), photo]);
});
after(async () => {
	await browser?.close();
	await new Promise((ok) => (rp ? rp.close(ok) : ok()));
	fs.rmSync(tmp, { recursive: true, force: true });
});

function pathOf(page) {
	return new URL(page.url()).pathname;
}

/** Overflow, clipping and placeholder findings of the page as it is now. */
async function layoutFindings(page) {
	return page.evaluate((placeholderSrc) => {
		const out = [];
		const de = document.documentElement;
		const vw = de.clientWidth;
		const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
			(e.classList.length ? `.${[...e.classList].join('.')}` : '');
		if (de.scrollWidth > vw)
			out.push(['overflow', `document scrollWidth ${de.scrollWidth} > viewport ${vw}`]);
		const scroller = (e) => {
			for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
				const ox = getComputedStyle(p).overflowX;
				if (ox === 'auto' || ox === 'scroll')
					return true;
			}
			return false;
		};
		const hidden = (e) => e.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)');
		for (const e of document.body.querySelectorAll('*')) {
			const cs = getComputedStyle(e);
			if (cs.display === 'none' || cs.visibility === 'hidden' || hidden(e))
				continue;
			const b = e.getBoundingClientRect();
			const ownText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
			if ((ownText || /^(INPUT|SELECT|TEXTAREA|BUTTON|IMG|SVG)$/i.test(e.tagName)) && b.width > 0 &&
			    b.right > vw + 1 && !scroller(e))
				out.push(['overflow', `${name(e)} reaches ${Math.round(b.right)} px`]);
			const clipX = cs.overflowX === 'hidden' || cs.overflowX === 'clip' || cs.textOverflow === 'ellipsis';
			const clipY = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
			if (clipX && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim())
				out.push(['clipped', `${name(e)}: content ${e.scrollWidth} px in a ${e.clientWidth} px box`]);
			if (clipY && e.clientHeight > 1 && e.scrollHeight > e.clientHeight + 1 && e.innerText.trim())
				out.push(['clipped', `${name(e)}: content ${e.scrollHeight} px high in a ${e.clientHeight} px box`]);
		}
		// The header keeps the language switch on the line of the site name
		// (issue 11 item 9: logged in at 375 px, "English" wrapped under the logo).
		const logo = document.querySelector('.site-header .site-name');
		const lang = document.querySelector('.site-header .lang-switch');
		if (logo && lang && lang.getBoundingClientRect().top >= logo.getBoundingClientRect().bottom - 1)
			out.push(['header', `the language switch wraps under the site name (${Math.round(lang.getBoundingClientRect().top)} px ` +
				`below ${Math.round(logo.getBoundingClientRect().bottom)} px)`]);
		const re = new RegExp(placeholderSrc, 'i');
		const texts = [document.title, document.body.innerText];
		for (const e of document.querySelectorAll('[placeholder], [alt], [title], [aria-label]'))
			texts.push(e.getAttribute('placeholder') || '', e.getAttribute('alt') || '',
				e.getAttribute('title') || '', e.getAttribute('aria-label') || '');
		for (const t of texts) {
			const m = re.exec(t);
			if (m) {
				const i = Math.max(0, m.index - 30);
				out.push(['placeholder', `"${t.slice(i, m.index + m[0].length + 30).replace(/\s+/g, ' ')}"`]);
			}
		}
		return out;
	}, PLACEHOLDER.source);
}

/**
 * Every element a keyboard user can reach must show the focus (an outline of
 * 2 px or more, or a box shadow) — WCAG 2.4.7. One Tab puts the browser in
 * keyboard mode; then each visible focusable element is focused in turn (a
 * focus from script after a keyboard focus matches :focus-visible, as Tab
 * would) and its computed style read. Returns findings like layoutFindings.
 */
async function focusFindings(page) {
	await page.keyboard.press('Tab');
	return page.evaluate(() => {
		const out = [];
		const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
		for (const e of document.querySelectorAll(sel)) {
			if (e.disabled || !e.getClientRects().length || getComputedStyle(e).visibility === 'hidden')
				continue;
			e.focus();
			if (document.activeElement !== e)
				continue;
			const cs = getComputedStyle(e);
			const ring = e.matches(':focus-visible') &&
				((cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none');
			if (!ring) {
				const name = e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
					(e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : '') +
					(e.classList.length ? `.${[...e.classList].join('.')}` : '') +
					(e.getAttribute('href') ? `[href=${e.getAttribute('href')}]` : '');
				out.push(['focus', `${name} shows no focus ring`]);
			}
		}
		document.activeElement?.blur?.();
		return out;
	});
}

/**
 * One sweep of a language and width: s is the Session, v its variant. state()
 * checks the current page and records findings in findings[].
 */
class Sweep {
	constructor(s, v, lang) {
		this.s = s;
		this.v = v;
		this.lang = lang;
		this.findings = [];	// {state, kind, text}
		this.seen = [];
	}

	async state(name, { axe = true } = {}) {
		const { s, v, lang } = this;
		const page = s.page;
		this.seen.push(name);
		const htmlLang = await page.locator('html').getAttribute('lang');
		if (htmlLang !== lang)
			this.findings.push({ state: name, kind: 'lang', text: `the page is in ${htmlLang}, not ${lang} (${pathOf(page)})` });
		if (v.width !== 320) {
			fs.mkdirSync(ARTIFACTS, { recursive: true });
			await page.screenshot({ path: path.join(ARTIFACTS, `site-${name}-${lang}-${v.width}-js.png`), fullPage: true });
		}
		for (const [kind, text] of await layoutFindings(page))
			this.findings.push({ state: name, kind, text: `${text} (${pathOf(page)})` });
		if (v.width === 1280) {
			for (const [kind, text] of await focusFindings(page))
				this.findings.push({ state: name, kind, text: `${text} (${pathOf(page)})` });
		}
		if (axe && v.width !== 320) {
			await s.axe(`${name}-${lang}`).catch((e) => {
				this.findings.push({ state: name, kind: 'axe', text: e.message });
			});
		}
	}

	/** Fail with every finding that KNOWN does not list, and for every KNOWN
	 *  entry of this language and width that did not occur. */
	finish(t) {
		const known = (f) => KNOWN.find(([st, l, w, k]) => st === f.state && k === f.kind &&
			(l === '*' || l === this.lang) && (w === 0 || w === this.v.width));
		const bad = [];
		const hit = new Set();
		for (const f of this.findings) {
			const k = known(f);
			if (k) {
				hit.add(k);
				t.diagnostic(`known (${k[4]}): ${f.state} ${f.kind}: ${f.text}`);
			} else {
				bad.push(`${f.state} [${f.kind}] ${f.text}`);
			}
		}
		for (const k of KNOWN) {
			const [st, l, w] = k;
			if (this.seen.includes(st) && (l === '*' || l === this.lang) && (w === 0 || w === this.v.width) &&
			    !hit.has(k))
				bad.push(`${st}: the KNOWN ${k[3]} finding (${k[4]}) no longer occurs: delete it from KNOWN`);
		}
		assert.ok(bad.length === 0,
			`${bad.length} finding(s) in ${this.lang} at ${this.v.width} px:\n  ${bad.join('\n  ')}`);
	}
}

/** Run fn(sweep) in a fresh session switched to lang; base: the origin. */
async function sweep(t, v, lang, part, fn, { base } = {}) {
	await withSession(browser, v, `site-${part}`, async (s) => {
		// The language switch, as a member uses it (a cookie for the session).
		await s.goto(`/lang?to=${lang}&back=/`);
		const sw = new Sweep(s, v, lang);
		await fn(sw, s, s.page);
		sw.finish(t);
	}, base ? { base } : {});
}

// A test member of stack.py (pattern ④ of the demo insurer).
function member(n) {
	return { pid: `T${String(n).padStart(4, '0')}`, symbol: '900', number: String(1000000 + n),
		kana: 'テスト タロウ', birth: { year: '1970', month: '1', day: String((n - 1) % 28 + 1) } };
}

/** An insurer number with a valid check digit (as test_consents.py makes them). */
function insurerNumber(prefix = '0694') {
	let body = prefix;
	while (body.length < 7)
		body += String(crypto.randomInt(10));
	let total = 0;
	[...body].reverse().forEach((ch, i) => {
		const p = Number(ch) * (i % 2 === 0 ? 2 : 1);
		total += Math.floor(p / 10) + (p % 10);
	});
	return body + String((10 - (total % 10)) % 10);
}

async function login(s, acct) {
	await s.goto('/login');
	await s.fill({ email: acct.email, password: acct.password });
	await s.submit({ status: 200 });
}

const combos = [];
for (const w of widths())
	for (const lang of LANGS)
		combos.push({ v: { ...w, js: true, label: `${w.width}-js` }, lang });

combos.forEach(({ v, lang }, i) => {
	const at = `${lang} at ${v.width} px`;

	test(`site: public pages, login, password and inquiry, ${at}`, SITE_TEST, async (t) => {
		const acct = makeActiveAccount();
		await sweep(t, v, lang, 'public', async (sw, s, page) => {
			await s.goto('/');
			await sw.state('01-index');
			await s.goto('/login');
			await sw.state('02-login');
			await s.fill({ email: acct.email, password: `${acct.password}x` });
			await s.submit({ status: 200 });
			await sw.state('03-login-failed');
			await s.goto('/password/forgot');
			await sw.state('04-password-forgot');
			await s.submit({ status: 200 });
			await sw.state('05-password-forgot-errors');
			await s.fill({ email: acct.email });
			await s.submit({ status: 200 });
			await sw.state('06-password-forgot-sent');
			const mail = await waitMail(acct.email);
			await s.goto(mailLink(mail, /^\/password\/reset\//));
			await sw.state('07-password-reset');
			await s.submit({ status: 200 });
			await sw.state('08-password-reset-errors');
			await s.goto('/password/reset/not-a-token', { status: await probe(s, '/password/reset/not-a-token') });
			await sw.state('09-password-reset-invalid');
			await s.goto('/inquiry/new');
			await sw.state('10-inquiry');
			await s.submit({ status: 200 });
			await sw.state('11-inquiry-errors');
			await page.locator('#category').selectOption({ index: 1 });
			await s.fill({ email: newEmail('inq'), body: 'ログインできません。\n確認をお願いします。' });
			await s.submit({ status: 200 });
			await sw.state('12-inquiry-submitted');
			for (const [p, n] of [['/help/faq', '13-help-faq'], ['/help/login', '14-help-login'],
				['/help/levels', '15-help-levels'], ['/signup/eligibility/help', '16-signup-eligibility-help'],
				['/entry', '17-entry']]) {
				await s.goto(p);
				await sw.state(n);
			}
			// The member terms and the privacy notice, as the footer links them.
			await s.goto('/');
			await s.clickAndWait(page.locator('.site-footer a').nth(0));
			await sw.state('18-terms');
			await s.goto('/');
			await s.clickAndWait(page.locator('.site-footer a').nth(1));
			await sw.state('19-privacy');
			await s.goto('/no-such-page', { status: 404 });
			await sw.state('90-error-404');
			await s.goto('/lang?to=xx', { status: 400 });
			await sw.state('91-error-400');
			await s.goto('/users/not-a-token/activate', { status: 400 });
			await sw.state('92-error-400-activation-link');
			// 403: a form sent with a spoilt CSRF token.
			await s.goto('/password/forgot');
			await page.locator('input[name="csrf"]').evaluate((e) => { e.value = 'spoilt'; });
			await s.fill({ email: acct.email });
			s.expectedFailures.add(s.url('/password/forgot'));
			await s.submit({ status: 403 });
			await sw.state('93-error-403');
		});
	});

	test(`site: login with the CAPTCHA, ${at}`, SITE_TEST, async (t) => {
		const acct = makeActiveAccount();
		await sweep(t, v, lang, 'captcha', async (sw, s, page) => {
			await s.goto('/login');
			await sw.state('30-captcha-login');
			await s.fill({ email: acct.email, password: acct.password, captcha: 'ZZZZZZ' });
			await s.submit({ status: 200 });
			await sw.state('31-captcha-wrong');
			await s.goto('/login?captcha=text');
			await sw.state('32-captcha-text');
			// Locked (as after 10 failures; the lock itself is login.test's and the
			// login helper's): the right password and the right answer to the text
			// question, the state issue 11 item 1 found.
			sql(`UPDATE accounts SET locked_until = NOW(6) + INTERVAL 30 MINUTE WHERE email = ${q(acct.email)}`);
			await s.goto('/login?captcha=text');
			const { answer } = solveCaptcha(await page.locator('input[name="captcha_challenge"]').inputValue());
			await s.fill({ email: acct.email, password: acct.password, captcha: answer });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login', 'a locked account is not logged in with the text question');
			await sw.state('33-captcha-locked');
		}, { base: stack.base_url_captcha });
	});

	test(`site: every signup step, ${at}`, SITE_TEST, async (t) => {
		const m = member(45 + i);
		const email = newEmail('site');
		await sweep(t, v, lang, 'signup', async (sw, s, page) => {
			await s.goto('/signup');
			await sw.state('20-signup-1');
			await s.submit({ status: 200 });
			await sw.state('21-signup-1-errors');
			await s.fill({ email, password: PASSWORD });
			for (const c of await page.locator('main input[type="checkbox"][name^="agree"]').all())
				await c.check();
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup/sent');
			await sw.state('22-signup-2-sent');
			const mail = await waitMail(email);
			await s.fill({ code: '000000' === mail.code ? '111111' : '000000' });
			await s.submit({ status: 200 });
			await sw.state('22b-signup-2-wrong-code');
			await s.fill({ code: mail.code });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup/eligibility');
			await sw.state('23-signup-3-insurer');
			await s.fill({ insurer_number: DEMO.insurer });
			await page.locator('#symbol').waitFor({ state: 'visible' });
			await s.fill({ symbol: m.symbol, number: m.number, name_kana: m.kana,
				birth_year: m.birth.year, birth_month: m.birth.month, birth_day: m.birth.day });
			await sw.state('24-signup-3-card');
			await s.fill({ name_kana: 'チガウ ナマエ' });
			await s.submit({ status: 200 });
			await sw.state('25-signup-3-mismatch');
			await page.locator('#symbol').waitFor({ state: 'visible' });
			await s.fill({ symbol: m.symbol, number: m.number, name_kana: m.kana,
				birth_year: m.birth.year, birth_month: m.birth.month, birth_day: m.birth.day });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup/confirm', `step 4 (${(await page.locator('main').innerText()).slice(0, 300)})`);
			await sw.state('26-signup-4-confirm');
			await s.submit({ button: page.locator('button[name="action"][value="complete"]'), status: 200 });
			assert.equal(pathOf(page), '/signup/complete');
			await sw.state('27-signup-complete');
		});
	});

	test(`site: the member area, ${at}`, SITE_TEST, async (t) => {
		const acct = makeActiveAccount({ personalId: member(51 + i).pid });
		await sweep(t, v, lang, 'member', async (sw, s, page) => {
			await login(s, acct);
			assert.equal(pathOf(page), '/top');
			await sw.state('40-top');
			for (const [p, n] of [['/announcements', '41-announcements'], ['/account', '42-account'],
				['/account/logins', '43-account-logins'], ['/account/export', '44-account-export'],
				['/account/password', '45-account-password'], ['/account/email', '46-account-email'],
				['/account/withdraw', '47-account-withdraw'], ['/help/faq', '48-help-faq-member'],
				['/help/levels', '49-help-levels-member']]) {
				await s.goto(p);
				await sw.state(n);
			}
			await s.goto('/account/password');
			await s.submit({ status: 200 });
			await sw.state('45b-account-password-errors');
		});
	});

	test(`site: /consent and /account/verify (level 1), ${at}`, SITE_TEST, async (t) => {
		const ins = insurerNumber();
		ctl('insurer', 'add', ins, 'サイト健康保険組合', '--pattern', '4');
		const acct = makeActiveAccount({ insurer: ins });
		ctl('terms', 'publish', 'insurer', '--insurer', ins, '--version', '2026-12',
			'--url', 'https://example.org/site-terms');
		await sweep(t, v, lang, 'consent', async (sw, s, page) => {
			await login(s, acct);
			assert.equal(pathOf(page), '/consent', 'new terms of the insurer are due');
			await sw.state('50-consent');
			for (const c of await page.locator('main input[type="checkbox"]').all())
				await c.check();
			await s.submit({ status: 200 });
			await s.goto('/account/verify');
			await sw.state('51-account-verify');
			await s.submit({ status: 200 });
			await sw.state('52-account-verify-errors');
		});
	});

	test(`site: 健診・医療アクセス認証 and the staff console, ${at}`, SITE_TEST, async (t) => {
		const ins = ekycInsurer();
		const acct = makeActiveAccount({ insurer: ins, personalId: `E${String(i + 1).padStart(4, '0')}` });
		const answer = 'ミケ';
		await sweep(t, v, lang, 'ekyc', async (sw, s, page) => {
			await login(s, acct);
			await s.goto('/verify');
			await sw.state('60-verify');
			await s.clickAndWait(page.locator('#verify-start'));
			await sw.state('61-verify-document');
			await s.clickAndWait(page.locator('#doc-license'));
			assert.equal(pathOf(page), '/verify/shot/doc_front');
			await sw.state('62-verify-shot-doc_front');
			// A file that is no image: the message the member has to act on.
			await page.locator('#photo').setInputFiles({ name: 'memo.txt', mimeType: 'text/plain',
				buffer: Buffer.from('not a photo\n') });
			await s.clickAndWait(page.locator('#shot-submit'));
			await sw.state('62b-verify-shot-not-an-image');
			for (const shot of ['doc_front', 'doc_back', 'doc_angle', 'face_front', 'face_angle']) {
				assert.equal(pathOf(page), `/verify/shot/${shot}`);
				if (shot === 'doc_back') {
					await sw.state('63-verify-shot-doc_back');
					await s.clickAndWait(page.locator('#back-no'));
					continue;
				}
				if (shot !== 'doc_front')
					await sw.state(`64-verify-shot-${shot}`);
				await page.locator('#photo').setInputFiles(photo);
				await s.clickAndWait(page.locator('#shot-submit'));
				if (shot === 'doc_front')
					await sw.state('62c-verify-shot-taken');
				await s.clickAndWait(page.locator('#shot-next'));
			}
			assert.equal(pathOf(page), '/verify/question');
			await sw.state('65-verify-question');
			await s.clickAndWait(page.locator('#question-submit'));
			await sw.state('65b-verify-question-errors');
			await s.fill({ question: '初めて飼った猫の名前は？', answer });
			await s.clickAndWait(page.locator('#question-submit'));
			assert.equal(pathOf(page), '/verify/confirm');
			await sw.state('66-verify-confirm');
			await s.clickAndWait(page.locator('#confirm-submit'));
			assert.equal(pathOf(page), '/verify/done');
			await sw.state('67-verify-done');
			await s.goto('/verify');
			await sw.state('67b-verify-submitted');
			await s.goto('/sensitive');
			await sw.state('67c-sensitive-below-level');
			// A question to support, for the console's inquiry pages.
			await s.goto('/inquiry/new');
			await page.locator('#category').selectOption({ index: 1 });
			await s.fill({ email: acct.email, body: '顔写真の撮影がうまくいきません。' });
			await s.submit({ status: 200 });
			await s.submit({ button: page.locator('main form button[value="send"]'), status: 200 });
		});

		// The console, as an administrator on her first day (every menu).
		const staffEmail = newEmail('staff');
		await sweep(t, v, lang, 'console', async (sw, s, page) => {
			const out = ctl('staff', 'add', staffEmail, '--role', 'admin');
			const url = out.match(/https?:\/\/\S+\/enrol\/\S+/)[0];
			await s.goto(url);
			await sw.state('70-console-enrol');
			const secret = (await page.locator('#enrol-secret').innerText()).replace(/\s+/g, '');
			await s.fill({ password: 'short', password2: 'other', code: '000000' });
			await s.clickAndWait(page.locator('#enrol-submit'));
			await sw.state('70b-console-enrol-errors');
			const step = totpStep();
			await s.fill({ password: PASSWORD, password2: PASSWORD, code: totp(secret, step) });
			await s.clickAndWait(page.locator('#enrol-submit'));
			assert.ok(await page.locator('#recovery-codes').isVisible(), 'enrolled');
			await sw.state('71-console-enrol-done');
			await s.goto('/login');
			await sw.state('72-console-login');
			await s.fill({ email: staffEmail, password: `${PASSWORD}x`, code: '000000' });
			await s.clickAndWait(page.locator('#login-submit'));
			await sw.state('72b-console-login-failed');
			await s.fill({ email: staffEmail, password: PASSWORD, code: totp(secret, step + 1) });
			await s.clickAndWait(page.locator('#login-submit'));
			assert.equal(pathOf(page), '/');
			await sw.state('73-console-home');
			await s.goto('/review');
			await sw.state('74-console-queue');
			const [[vid]] = sql(`SELECT v.id FROM verifications v JOIN accounts a ON a.id = v.account_id
			    WHERE a.email = ${q(acct.email)} AND v.status = 'submitted'`);
			await s.goto(`/review/${vid}`);
			await sw.state('75-console-review');
			await s.clickAndWait(page.locator('#decide-submit'));
			await sw.state('75b-console-review-errors');
			await page.locator('input[name="decision"][value="approve"]').check();
			await s.clickAndWait(page.locator('#decide-submit'));
			assert.equal(pathOf(page), '/review');
			await sw.state('76-console-queue-done');
			await s.goto('/review?status=approved');
			await sw.state('76b-console-queue-approved');
			await s.goto('/inquiries');
			await sw.state('77-console-inquiries');
			await s.clickAndWait(page.locator('#inquiries a').first());
			await sw.state('78-console-inquiry');
			await s.goto('/staff');
			await sw.state('79-console-staff');
		}, { base: stack.staff_url });

		await sweep(t, v, lang, 'ekyc', async (sw, s, page) => {
			await login(s, acct);
			await s.goto('/sensitive/stepup');
			await sw.state('68-sensitive-stepup');
			await s.fill({ answer: 'ちがう' });
			await s.clickAndWait(page.locator('#stepup-submit'));
			await sw.state('68b-sensitive-stepup-wrong');
			await s.fill({ answer });
			await s.clickAndWait(page.locator('#stepup-submit'));
			assert.equal(pathOf(page), '/sensitive');
			await sw.state('69-sensitive');
			await s.clickAndWait(page.locator('#sensitive-features a').first());
			await sw.state('69b-sensitive-open');
		});
	});
	test(`site: connected services (OpenID Connect), ${at}`, SITE_TEST, async (t) => {
		const acct = makeActiveAccount();	// level 1 (団体ID認証)
		const shop = addClient('サイトポイントショップ');
		const kenshin = addClient('サイト健診ビューア', 'urn:kenpo:acr:sensitive');
		await sweep(t, v, lang, 'oidc', async (sw, s, page) => {
			await s.goto(authorizeUrl(shop));
			assert.equal(pathOf(page), '/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			await sw.state('80-oidc-consent');
			await s.clickAndWait(page.locator('#oidc-allow'));
			assert.equal(new URL(page.url()).origin, new URL(RP).origin, 'back at the service');
			await s.goto(authorizeUrl(kenshin));
			await sw.state('81-oidc-unmet');
			await s.clickAndWait(page.locator('#oidc-unmet-back'));
			assert.equal(new URL(page.url()).searchParams.get('error'), 'unmet_authentication_requirements');
			// auth_time is in whole seconds: a login in the same second as the
			// prompt=login request counts as "since the request" (oidc_acr.c),
			// so the request comes in the next second.
			await new Promise((ok) => setTimeout(ok, 1100));
			await s.goto(authorizeUrl(shop, { prompt: 'login' }));
			assert.equal(pathOf(page), '/oidc/reauth');
			await sw.state('82-oidc-reauth');
			await s.fill({ password: `${acct.password}x` });
			await s.clickAndWait(page.locator('#oidc-reauth-submit'));
			await sw.state('82b-oidc-reauth-wrong');
			await s.fill({ password: acct.password });
			await s.clickAndWait(page.locator('#oidc-reauth-submit'));
			assert.ok(new URL(page.url()).searchParams.get('code'), 'a code after the password');
			// やめてサービスに戻る: the service hears access_denied.
			await new Promise((ok) => setTimeout(ok, 1100));
			await s.goto(authorizeUrl(shop, { prompt: 'login' }));
			await s.clickAndWait(page.locator('#oidc-reauth-cancel'));
			assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
			const unknown = authorizeUrl('no-such-client');
			await s.goto(unknown, { status: 400 });
			await sw.state('83-oidc-error-client');
			const foreign = authorizeUrl(shop, { redirect_uri: `${RP}/other` });
			await s.goto(foreign, { status: 400 });
			await sw.state('83b-oidc-error-redirect');
			await s.goto('/account/services');
			await sw.state('84-account-services');
			await s.clickAndWait(page.locator(`#service-${shop} button[type="submit"]`));
			await sw.state('84b-account-services-revoked');
			await s.goto(`/oidc/logout?client_id=${shop}`);
			await sw.state('85-oidc-logout');
			await s.clickAndWait(page.locator('main form button[type="submit"]'));
			assert.equal(await page.locator('#member-nav').count(), 0, 'logged out: no member menu');
			await sw.state('85b-oidc-logout-done');
		});
	});

	test(`site: two-step verification, passkeys and the step-up, ${at}`, SITE_TEST, async (t) => {
		const acct = level3Member();
		const kenshin = addClient('サイト健診ビューア', 'urn:kenpo:acr:sensitive');
		await sweep(t, v, lang, 'security', async (sw, s, page) => {
			const cdp = await s.context.newCDPSession(page);
			await cdp.send('WebAuthn.enable');
			await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2',
				transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } });
			await login(s, acct);
			await s.goto('/account/security');
			await sw.state('86-account-security');
			await s.clickAndWait(page.locator('#security-enable'));
			await sw.state('86b-totp-password');
			await s.clickAndWait(page.locator('#totp-password-submit'));
			await sw.state('86c-totp-password-missing');
			await s.fill({ current_password: acct.password });
			await s.clickAndWait(page.locator('#totp-password-submit'));
			await sw.state('86d-totp-qr');
			const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
			const step = totpStep();
			const good = new Set([-2, -1, 0, 1, 2].map((d) => totp(secret, step + d)));
			const wrong = ['000000', '111111', '222222'].find((c) => !good.has(c));
			await s.fill({ code: wrong });
			await s.clickAndWait(page.locator('#totp-code-submit'));
			await sw.state('86e-totp-qr-wrong');
			await s.fill({ code: totp(secret, step - 1) });
			await s.clickAndWait(page.locator('#totp-code-submit'));
			assert.equal(await page.locator('#recovery-codes li').count(), 10);
			await sw.state('86f-totp-recovery-codes');
			await s.clickAndWait(page.locator('#totp-back'));
			await sw.state('86g-account-security-on');
			await s.goto('/account/security/recovery');
			await sw.state('87-recovery');
			await s.fill({ current_password: acct.password });
			await s.clickAndWait(page.locator('#recovery-submit'));
			await sw.state('87b-recovery-codes');
			await s.goto('/account/security/totp/off');
			await sw.state('87c-totp-off');
			await s.goto('/account/security/passkeys');
			await sw.state('88-passkeys');
			await page.locator('#passkey-name').fill('わたしのスマホ');
			await page.locator('#passkey-password').fill(acct.password);
			await s.clickAndWait(page.locator('#passkey-add-submit'));
			await sw.state('88b-passkey-ceremony');
			await s.clickAndWait(page.locator('#passkey-register-button'));
			assert.equal(pathOf(page), '/account/security/passkeys');
			await sw.state('88c-passkeys-added');
			// A service that needs 健診・医療アクセス認証: only the step-up, with
			// its three options (the question, the code, the passkey).
			await s.goto(authorizeUrl(kenshin));
			assert.equal(pathOf(page), '/sensitive/stepup');
			await page.locator('#passkey-stepup').waitFor({ state: 'visible' });
			await sw.state('89-stepup-three-options');
			await s.fill({ answer: 'こたえ' });
			await s.clickAndWait(page.locator('#stepup-submit'));
			assert.match(pathOf(page), /^\/oidc\/authorize\/resume\//, 'back in the service\'s login after the step-up');
			await s.clickAndWait(page.locator('#oidc-allow'));
			assert.ok(new URL(page.url()).searchParams.get('code'), 'a code after the step-up');
			// Logged out, the password login asks the code.
			await s.goto('/top');
			await s.clickAndWait(page.locator('form[action="/logout"] button'));
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login/otp');
			await sw.state('89b-login-otp');
			await s.fill({ code: wrong });
			await s.clickAndWait(page.locator('#otp-submit'));
			await sw.state('89c-login-otp-wrong');
			await s.fill({ code: totp(secret, Math.max(step, totpStep() - 1)) });
			await s.clickAndWait(page.locator('#otp-submit'));
			assert.equal(pathOf(page), '/top');
		}, { base: stack.base_url_localhost });
	});
});

// One insurer that links health data, with members E0001… (one per language
// and width), made on first use.
let ekycIns = null;
function ekycInsurer() {
	if (ekycIns)
		return ekycIns;
	for (let k = 0; k < 20 && !ekycIns; k++) {
		const n = insurerNumber('0692');
		try {
			ctl('insurer', 'add', n, 'サイト健診健康保険組合', '--pattern', '4');
		} catch {
			continue;
		}
		ctl('insurer', 'update', n, '--health-data', 'on', '--health-service', 'https://kenshin.example.jp/');
		let rows = 'insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,qualified_from,qualified_until\n';
		for (let m = 1; m <= 6; m++)
			rows += `${n},E${String(m).padStart(4, '0')},600,${4000000 + m},00,サイト ハナコ,1990-02-0${m},2019-04-01,\n`;
		const csv = path.join(tmp, `roster-${n}.csv`);
		fs.writeFileSync(csv, rows);
		ctl('roster', 'import', n, csv);
		ekycIns = n;
	}
	assert.ok(ekycIns, 'an insurer number for the eKYC pages');
	return ekycIns;
}

// The status a path answers (a page whose error status is its own to choose).
async function probe(s, p) {
	const r = await s.page.request.get(s.url(p));
	return r.status();
}

/** A public client of the relying party RP (kenpoctl client add --json); its client_id. */
function addClient(name, minAcr = null) {
	const out = ctl('client', 'add', name, '--redirect-uri', RP, '--public',
		...(minAcr ? ['--min-acr', minAcr] : []), '--json');
	return JSON.parse(out).client_id;
}

/** /oidc/authorize?… for client cid, with PKCE S256 (the verifier is not needed here). */
function authorizeUrl(cid, extra = {}) {
	const challenge = crypto.createHash('sha256').update(crypto.randomBytes(32)).digest('base64url');
	return '/oidc/authorize?' + new URLSearchParams({ client_id: cid, redirect_uri: RP,
		response_type: 'code', scope: 'openid email kenpo', state: crypto.randomBytes(6).toString('hex'),
		nonce: crypto.randomBytes(6).toString('hex'), code_challenge: challenge,
		code_challenge_method: 'S256', ...extra }).toString();
}

/** A level-3 member of the health-data insurer with the secret question (answer こたえ; the hash is of the
 *  normalised answer, katakana, as src/normalize.c folds it). */
function level3Member() {
	const acct = makeActiveAccount({ insurer: ekycInsurer() });
	const hash = execFileSync('argon2', [crypto.randomBytes(8).toString('hex'), '-id', '-t', '2',
		'-k', '19456', '-p', '1', '-l', '32', '-e'], { input: 'コタエ', encoding: 'utf8' }).trim();
	sql(`UPDATE accounts SET level = 3 WHERE email = ${q(acct.email)};
	     INSERT INTO secret_questions (account_id, question, answer_hash)
	     SELECT id, '初めて買ったCDは？', ${q(hash)} FROM accounts WHERE email = ${q(acct.email)};`);
	return acct;
}
