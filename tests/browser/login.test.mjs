// Login (SPEC §4) in a real browser, at 1280 and 375 px, with JavaScript on and
// off: a failed login (the message does not say which part was wrong), a good
// one landing on /top, remember-me surviving a browser restart, logout; and the
// real CAPTCHA, solved by the test from the server secret of its own config.
//
// Accounts are made directly in the test database (lib.makeActiveAccount), bound
// to the test members T0001… that stack.py adds to the demo insurer: this file
// uses T0001–T0019, password.test.mjs T0020–T0039.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, solveCaptcha, stack, Session,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

let member = 0;
function nextMember() {
	member += 1;
	assert.ok(member <= 19, 'login.test.mjs uses T0001–T0019 only');
	return `T${String(member).padStart(4, '0')}`;
}

function pathOf(page) {
	return new URL(page.url()).pathname;
}

variants().forEach((v, i) => {
	const remember = i % 2 === 0;	// 1280-js, 375-js tick 次回から自動的にログインする
	test(`login, ${remember ? 'remember me across a restart, ' : ''}logout at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount({ personalId: nextMember() });
		await withSession(browser, v, 'login', async (s) => {
			const page = s.page;
			await s.goto('/');
			await s.clickAndWait(page.locator('main a[href="/login"]').first());
			assert.equal(pathOf(page), '/login');
			assert.equal(await page.locator('input[name="captcha"]').count(), 0,
				'no CAPTCHA with Login.Captcha = off');
			await s.check('1-form');

			// A wrong password: the form again, with one message that does not say
			// which part was wrong, and the address kept.
			await s.fill({ email: acct.email, password: `${acct.password}x` });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login');
			assert.ok(await page.locator('.error-summary').isVisible(), 'the error summary');
			assert.equal(await page.locator('#email').inputValue(), acct.email, 'the address is kept');
			assert.equal(await page.locator('#password').inputValue(), '', 'the password is not');
			await s.check('2-failed');

			// The right one.
			await s.fill({ email: acct.email, password: acct.password, remember });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top');
			await s.check('3-top');

			if (remember) {
				// A browser restart: a new context holding only the remember cookie.
				const jar = await s.cookies();
				assert.ok(jar.remember, 'the remember cookie');
				assert.ok(jar.remember.expires > Date.now() / 1000 + 7 * 86400,
					'the remember cookie outlives the browser session');
				assert.ok(jar.remember.httpOnly, 'the remember cookie is HttpOnly');
				const again = await new Session(browser, v, 'login').open();
				try {
					await again.context.addCookies([jar.remember]);
					await again.goto('/top');
					assert.equal(pathOf(again.page), '/top', 'still logged in after the restart');
					const rotated = (await again.cookies()).remember;
					assert.ok(rotated && rotated.value !== jar.remember.value,
						'the remember token rotates on use');
					await again.check('4-remembered');
					again.assertClean();
				} finally {
					await again.close();
				}
			}

			// Logout: back to the login page with a notice; /top needs a login again.
			await s.submit({ button: page.locator('form[action="/logout"] button[type="submit"]').first(), status: 200 });
			assert.equal(pathOf(page), '/login');
			await s.check('5-logged-out');
			const jar = await s.cookies();
			assert.ok(!jar.remember, 'logout ends remember-me');
			await s.goto('/top');
			assert.equal(pathOf(page), '/login', '/top after logout asks for a login');
		});
	});
});

// The real CAPTCHA, on the frontend with Login.Captcha = on. The test opens the
// sealed challenge of the page with the Security.Secret of the stack's config.
// First a wrong answer (a new challenge comes back), then the right one.
for (const v of variants().filter((x) => x.label === '1280-js' || x.label === '375-nojs')) {
	test(`login with the real CAPTCHA at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount({ personalId: nextMember() });
		await withSession(browser, v, 'login-captcha', async (s) => {
			const page = s.page;
			await s.goto('/login');
			const challenge = page.locator('input[name="captcha_challenge"]');
			assert.equal(await challenge.count(), 1, 'a CAPTCHA challenge on the form');
			const first = await challenge.inputValue();
			const box = solveCaptcha(first, stack.secret);
			if (box.kind === 'image') {
				const img = page.locator('img.captcha__image');
				await img.waitFor();
				assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0),
					'the CAPTCHA image loads');
				assert.ok((await img.getAttribute('alt') || '').length > 0, 'the image has an alt text');
			}
			await s.check('1-form');

			// Wrong answer: refused, a fresh challenge.
			await s.fill({ email: acct.email, password: acct.password, captcha: 'ZZZZZZZZ' });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login');
			assert.ok(await page.locator('#captcha-error, .error-summary').first().isVisible(),
				'the CAPTCHA error');
			const second = await challenge.inputValue();
			assert.notEqual(second, first, 'a new challenge after a wrong answer');
			await s.check('2-wrong');

			// Right answer.
			const { answer } = solveCaptcha(second, stack.secret);
			await s.fill({ email: acct.email, password: acct.password, captcha: answer });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top', `logged in (at ${page.url()})`);
			await s.check('3-top');
		}, { base: stack.base_url_captcha });
	});
}
