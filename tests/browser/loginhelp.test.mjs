// Issue 11, the login page (i11login), on the frontend with the real CAPTCHA, at
// 1280 and 375 px, with JavaScript on and off:
//  - item 3: "別の画像を表示する" and "画像が読めない方はこちら" keep what was typed
//    (with JavaScript the challenge changes in place and the password stays;
//    without, the page comes back with the address, never the password), and
//    Enter still logs in rather than reloading the image;
//  - item 1: a locked account is told, on the page, that logins with the address
//    are protected and what to do; the text question answered right with the
//    right password gets its own message (not "画像認証の文字が正しくありません");
//    the hard image with the right password gets in. In Japanese and English.
// Accounts have no roster member (level 1).
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, solveCaptcha, stack, sql, q,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(page) {
	return new URL(page.url()).pathname;
}

/* Click a CAPTCHA button: a page load without JavaScript, in place with it. */
async function captchaButton(s, id) {
	const page = s.page;
	const challenge = page.locator('input[name="captcha_challenge"]');
	const before = await challenge.inputValue();
	if (s.variant.js) {
		await page.locator(`#${id}`).click();
		await page.waitForFunction((old) => {
			const c = document.querySelector('input[name="captcha_challenge"]');
			return c && c.value !== old;
		}, before);
	} else {
		await s.clickAndWait(page.locator(`#${id}`), { status: 200 });
	}
	assert.equal(pathOf(page), '/login');
	assert.notEqual(await challenge.inputValue(), before, 'a new challenge');
}

for (const v of variants()) {
	test(`CAPTCHA buttons keep what was typed at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount({});
		await withSession(browser, v, 'login-keep', async (s) => {
			const page = s.page;
			await s.goto('/login?next=/account');
			await s.fill({ email: acct.email, password: acct.password, remember: true });
			await captchaButton(s, 'captcha-reload');
			assert.equal(await page.locator('#email').inputValue(), acct.email, 'the address is kept');
			assert.ok(await page.locator('input[name="remember"]').isChecked(), 'the box is kept');
			assert.equal(await page.locator('#password').inputValue(), v.js ? acct.password : '',
				v.js ? 'the password stays (no page load)' : 'the password is never written back');
			const img = page.locator('img.captcha__image');
			assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0), 'the new image loads');
			if (v.js)
				assert.equal(await page.evaluate(() => document.activeElement.id), 'captcha');
			await s.check('1-reloaded');

			await captchaButton(s, 'captcha-text');
			assert.equal(await page.locator('#email').inputValue(), acct.email);
			assert.equal(await page.locator('img.captcha__image').count(), 0);
			assert.ok(await page.locator('#captcha-question').isVisible(), 'the question');
			await s.check('2-question');

			// Enter in the answer box logs in (the default button is the login).
			const { answer } = solveCaptcha(await page.locator('input[name="captcha_challenge"]').inputValue(),
				stack.secret);
			if (!v.js)
				await s.fill({ password: acct.password });
			await s.fill({ captcha: answer });
			await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#captcha').press('Enter')]);
			assert.equal(pathOf(page), '/account', `logged in with next kept (at ${page.url()})`);
		}, { base: stack.base_url_captcha });
	});
}

for (const v of variants()) {
	const en = v.label === '375-js' || v.label === '1280-nojs';
	test(`a locked account is told what to do at ${v.label}${en ? ' in English' : ''}`, TEST, async () => {
		const acct = makeActiveAccount({ lang: en ? 'en' : 'ja' });
		sql(`UPDATE accounts SET failed_logins = 10, locked_until = NOW(6) + INTERVAL 30 MINUTE
		     WHERE email = ${q(acct.email)};`);
		await withSession(browser, v, `login-protected${en ? '-en' : ''}`, async (s) => {
			const page = s.page;
			await s.goto('/login');
			if (en) {
				await s.clickAndWait(page.locator('.lang-switch a[hreflang="en"]'));
				assert.equal(await page.getAttribute('html', 'lang'), 'en');
			}
			// The member cannot read the image: the question, right password, right answer.
			await s.fill({ email: acct.email, password: acct.password });
			await captchaButton(s, 'captcha-text');
			if (!v.js)
				await s.fill({ password: acct.password });
			const { answer } = solveCaptcha(await page.locator('input[name="captcha_challenge"]').inputValue(),
				stack.secret);
			await s.fill({ captcha: answer });
			await s.submit({ button: page.locator('#login .actions button[type="submit"]'), status: 200 });
			assert.equal(pathOf(page), '/login');
			const notice = page.locator('#login-protected');
			assert.ok(await notice.isVisible(), 'the protected notice');
			const text = await notice.innerText();
			assert.match(text, en ? /protected for a while/ : /一時的に保護されています/);
			assert.match(text, en ? /within 30 minutes/ : /30分以内/);
			assert.ok(await notice.locator('a[href="/password/forgot"]').isVisible(), 'the reset link');
			const err = await page.locator('#captcha-error').innerText();
			assert.doesNotMatch(err, /画像認証の文字が正しくありません|characters .* not right/);
			assert.match(err, en ? /question cannot be used/ : /確認の質問ではログインできません/);
			assert.equal(await page.locator('#captcha-text').count(), 0, 'no question offered');
			await s.check('1-notice');

			// Another image keeps the notice (the page said the address is protected).
			await captchaButton(s, 'captcha-reload');
			assert.ok(await page.locator('#login-protected').isVisible());
			assert.equal(await page.locator('#captcha-text').count(), 0);

			// The hard image with the right password gets in.
			const box = solveCaptcha(await page.locator('input[name="captcha_challenge"]').inputValue(),
				stack.secret);
			assert.equal(box.kind, 'image');
			assert.equal(box.level, 3);
			await s.fill({ email: acct.email, password: acct.password, captcha: box.answer });
			await s.submit({ button: page.locator('#login .actions button[type="submit"]'), status: 200 });
			assert.equal(pathOf(page), '/top', `logged in (at ${page.url()})`);
		}, { base: stack.base_url_captcha });
	});
}
