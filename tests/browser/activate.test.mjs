// The activation link opened in another browser than the one of step 1 (the
// mail read on the phone, or a mail that somebody else's step 1 sent): the page
// asks for the password before anything changes (issue 8, pre-hijacking), at
// 1280 and 375 px, with JavaScript on and off. Step 1 happens in one browser
// context, the link is opened in a second one: two browsers sharing nothing.
import { test, before, after } from 'node:test';
import {
	launch, variants, withSession, assert, newEmail, waitMail, mailLink, sql, q,
	PASSWORD,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(s) {
	return new URL(s.page.url()).pathname;
}

const PHONE_PASSWORD = 'Ph0ne#Lq-8tz';

for (const v of variants()) {
	test(`activation link in another browser at ${v.label}`, async () => {
		const email = newEmail('act');
		await withSession(browser, v, 'activate-pc', async (s) => {
			await s.goto('/signup');
			await s.fill({ email, password: PASSWORD, agree_terms: true, agree_privacy: true });
			await s.submit({ status: 200 });
			assert.equal(pathOf(s), '/signup/sent');
		});
		const link = mailLink(await waitMail(email), /^\/users\/[^/]+\/activate$/);
		await withSession(browser, v, 'activate-phone', async (s) => {
			const page = s.page;
			await s.goto(link);
			assert.equal(pathOf(s), new URL(link).pathname);
			const main = await page.locator('main').innerText();
			assert.ok(main.includes('パスワードの設定') && main.includes(email),
				'the page asks for the password of this address');
			await s.check('1-set-password');
			const state = () => sql(`SELECT state FROM accounts WHERE email = ${q(email)}`)[0][0];
			assert.equal(state(), 'pending', 'opening the link changes nothing');

			await s.fill({ password: 'abc' });
			await s.submit({ status: 200 });
			assert.ok(await page.locator('#password-error').isVisible(), 'the password error');
			assert.equal(state(), 'pending');
			await s.check('2-refused');

			await s.fill({ password: PHONE_PASSWORD });
			await s.submit({ status: 200 });
			assert.equal(pathOf(s), '/signup/eligibility', 'on to step 3 after the POST');
			assert.equal(state(), 'verified');
			await s.check('3-step3');
		});
	});
}
