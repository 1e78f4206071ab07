// Issue 11 (i11login): the new-password field of step 1 on the password change
// (/account/password) and the reset (/password/reset/<token>) — the
// show-password toggle and the rules marked live with JavaScript, the rules
// listed without — and no stale errors: on step 1 after a refused password,
// typing one that meets the rules takes the server's list of unmet rules away
// (with JavaScript; without, the page is the server's answer). At 1280 and 375
// px, JavaScript on and off. Accounts have no roster member (level 1).
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, waitMail, mailLink, newEmail,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const GOOD = 'Gq7#mZt-Rw2x';

function pathOf(page) {
	return new URL(page.url()).pathname;
}

/* The field as a member sees it: the toggle and live rules with JS, the rules without. */
async function checkField(s) {
	const page = s.page;
	const rules = page.locator('#password-rules li[data-rule]');
	assert.equal(await rules.count(), 4, 'the four rules are listed');
	const toggle = page.locator('#password-show');
	if (!s.variant.js) {
		assert.equal(await toggle.isVisible(), false, 'no toggle without JavaScript');
		return;
	}
	assert.ok(await toggle.isVisible(), 'the show-password toggle');
	await page.locator('#password').fill('abc');
	assert.ok(await page.locator('#password-rules li.rule--unmet').count() >= 2, 'unmet rules marked');
	await page.locator('#password').fill(GOOD);
	assert.equal(await page.locator('#password-rules li.rule--met').count(), 4, 'every rule met');
	assert.ok(await page.locator('#password-meter').evaluate((m) => m.value >= 2), 'the meter');
	await toggle.check();
	assert.equal(await page.locator('#password').getAttribute('type'), 'text', 'shown');
	await toggle.uncheck();
	assert.equal(await page.locator('#password').getAttribute('type'), 'password', 'hidden again');
}

for (const v of variants()) {
	test(`new-password field on change and reset at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount({});
		await withSession(browser, v, 'pwfield', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top');

			await s.goto('/account/password');
			await checkField(s);
			if (v.js) {
				const cur = page.locator('#current_password-show');
				assert.ok(await cur.isVisible(), 'a toggle for the current password too');
			}
			await s.check('1-change');
			// Refused (too weak): the server's list; once another is typed, gone.
			await s.fill({ current_password: acct.password, password: 'abc' });
			await s.submit({ button: page.locator('main form .actions button[type="submit"]'), status: 200 });
			assert.ok(await page.locator('#password-error').isVisible(), 'the unmet rules');
			await s.check('2-change-refused');
			if (v.js) {
				await page.locator('#password').fill(GOOD);
				assert.equal(await page.locator('#password-error').isVisible(), false,
					'the list of the refused password goes');
			}
			await s.goto('/account');

			// The reset page, by its mailed link.
			await s.goto('/password/forgot');
			await s.fill({ email: acct.email });
			await s.submit({ status: 200 });
			const link = mailLink(await waitMail(acct.email, { subject: 'パスワード再設定' }),
				/^\/password\/reset\/[^/]+$/);
			await s.goto(link);
			await checkField(s);
			await s.check('3-reset');
		});
	});
}

for (const v of variants()) {
	test(`step 1: no stale password errors at ${v.label}`, TEST, async () => {
		await withSession(browser, v, 'pwfield-signup', async (s) => {
			const page = s.page;
			await s.goto('/signup');
			await s.fill({ email: newEmail('stale'), password: 'abc', agree_terms: true, agree_privacy: true });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup');
			assert.ok(await page.locator('#password-error').isVisible(), 'the unmet rules');
			assert.ok(await page.locator('.error-summary a[href="#password"]').count() > 0);
			await s.check('1-refused');
			if (!v.js)
				return;
			await page.locator('#password').fill(GOOD);
			assert.equal(await page.locator('#password-rules li.rule--met').count(), 4);
			assert.equal(await page.locator('#password-error').isVisible(), false,
				'「満たしていない条件」 no longer lists the refused password\'s errors');
			assert.equal(await page.locator('.error-summary a[href="#password"]').count(), 0,
				'nor does the error summary');
			assert.equal(await page.locator('.error-summary').isVisible(), false,
				'the summary goes when nothing else is in it');
			await s.check('2-fixed');
		});
	});
}
