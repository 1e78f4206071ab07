// Password reset (SPEC §4) in a real browser, at 1280 and 375 px, with
// JavaScript on and off: from the login page to "パスワードを忘れた方はこちら", the
// address, the mail's single-use link, a rejected weak password, the new one,
// then a login with it. Accounts: test members T0020–T0039 (see login.test.mjs).
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, waitMail, mailLink,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

let member = 19;
function nextMember() {
	member += 1;
	assert.ok(member <= 39, 'password.test.mjs uses T0020–T0039 only');
	return `T${String(member).padStart(4, '0')}`;
}

function pathOf(page) {
	return new URL(page.url()).pathname;
}

const NEW_PASSWORD = 'Nw8#Tqv-Lzp';

for (const v of variants()) {
	test(`password reset at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount({ personalId: nextMember() });
		await withSession(browser, v, 'reset', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.clickAndWait(page.locator('main a[href="/password/forgot"]').first());
			assert.equal(pathOf(page), '/password/forgot');
			await s.check('1-form');

			await s.fill({ email: acct.email });
			await s.submit({ status: 200 });
			await s.check('2-sent');
			assert.ok((await page.locator('main').innerText()).length > 0);

			const mail = await waitMail(acct.email);
			const link = mailLink(mail, /^\/password\/reset\/[^/]+$/);
			await s.goto(link);
			assert.equal(pathOf(page), new URL(link).pathname);
			await s.check('3-new-password');

			// A password the rule refuses: the form again, the error next to the field.
			await s.fill({ password: 'abc' });
			await s.submit({ status: 200 });
			assert.ok(await page.locator('#password-error').isVisible(), 'the password error');
			await s.check('4-refused');

			await s.fill({ password: NEW_PASSWORD });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login');
			await s.check('5-done');

			// The link is single-use.
			// One page for every dead link (200): it offers a new request and no form.
			await s.goto(link, { status: 200 });
			assert.ok(await page.locator('main a[href="/password/forgot"]').count() > 0,
				'the dead link page offers a new request');
			assert.equal(await page.locator('input[type="password"]').count(), 0,
				'no password form on a used link');
			await s.check('6-link-used');

			// The new password works, the old one does not.
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login', 'the old password is refused');
			await s.fill({ email: acct.email, password: NEW_PASSWORD });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top');
		});
	});
}
