// The member area (SPEC §5–§6) in a real browser, at 1280 and 375 px, with
// JavaScript on and off: the top page with its announcements (opened without a
// script: <details>), the keyword search, the account settings hub with the
// notification opt-in, and the forms of password change, address change and
// withdrawal — each page checked by axe-core, for overflow, and photographed.
//
// One account for every variant, bound to the test member T0040 of stack.py
// (login.test.mjs uses T0001–T0019, password.test.mjs T0020–T0039).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, ctl, DEMO,
} from './lib.mjs';

let browser;
let acct;
const TAG = `b${process.pid}`;

before(async () => {
	browser = await launch();
	acct = makeActiveAccount({ personalId: 'T0040' });
});
after(async () => { await browser?.close(); });

// ctl() passes no standard input; the bodies come from files written here.
function announce(title, body, insurer = null) {
	const file = path.join(os.tmpdir(), `kenpo-member-${process.pid}-${Math.random().toString(16).slice(2)}.txt`);
	fs.writeFileSync(file, body);
	try {
		const args = ['announcement', 'add'];
		if (insurer)
			args.push('--insurer', insurer);
		ctl(...args, title, file);
	} finally {
		fs.unlinkSync(file);
	}
}

function pathOf(page) {
	return new URL(page.url()).pathname;
}

let announced = false;
function announceOnce() {
	if (announced)
		return;
	announced = true;
	announce(`${TAG} 運営からのお知らせ`, '本サービスのご利用ありがとうございます。\n二行目の本文です。');
	announce(`${TAG} 健康保険組合からのお知らせ`, '健診の受付が始まりました。', DEMO.insurer);
}

for (const v of variants()) {
	test(`member top page and account settings at ${v.label}`, TEST, async () => {
		announceOnce();
		await withSession(browser, v, 'member', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top');
			const main = page.locator('main');
			assert.ok((await main.innerText()).includes(DEMO.insurerName), 'the insurer');
			assert.ok(await page.locator('.provided-by').isVisible(), '提供：…');
			assert.ok(await page.locator('#features .feature').count() >= 4, 'the features');
			await s.check('1-top');

			// An announcement opens in place, with or without JavaScript.
			const item = page.locator('.news-list details').filter({ hasText: `${TAG} 運営から` }).first();
			await item.locator('summary').click();
			assert.ok(await item.locator('.news-list__body').isVisible(), 'the body is shown');
			await s.check('2-news-open');

			// The keyword search leads to /announcements.
			await s.fill({ q: TAG });
			await s.submit({ button: page.locator('form.search button[type="submit"]').first(), status: 200 });
			assert.equal(pathOf(page), '/announcements');
			assert.ok(await page.locator('article.announcement').count() >= 2, 'the matches');
			await s.check('3-search');

			// The settings hub; the notification opt-in off and on again.
			await s.goto('/top');
			await s.clickAndWait(page.locator('main a[href="/account"]').first(), { status: 200 });
			assert.equal(pathOf(page), '/account');
			assert.ok((await main.innerText()).includes(acct.email), 'the login ID');
			await s.check('4-account');
			await s.fill({ notify: false });
			await s.submit({ button: page.locator('form[action="/account/notify"] button').first(), status: 200 });
			assert.ok(await page.locator('#account-done').isVisible(), 'the notice');
			assert.equal(await page.locator('#notify').isChecked(), false);
			await s.check('5-notify-off');
			await s.fill({ notify: true });
			await s.submit({ button: page.locator('form[action="/account/notify"] button').first(), status: 200 });
			assert.equal(await page.locator('#notify').isChecked(), true);

			// The forms of the three changes (not sent: the account stays as it is).
			await s.clickAndWait(page.locator('main a[href="/account/password"]').first(), { status: 200 });
			await s.check('6-password');
			// A wrong current password: the error next to the field.
			await s.fill({ current_password: 'Wrong-pass9!', password: 'Nw8#Tqv-Lzp' });
			await s.submit({ button: page.locator('main form button[type="submit"]').first(), status: 200 });
			assert.ok(await page.locator('#current_password-error').isVisible(), 'the error');
			await s.check('7-password-wrong');
			await s.goto('/account/email');
			await s.check('8-email');
			await s.goto('/account/withdraw');
			await s.check('9-withdraw');
			// 削除: what goes, what stays, how it differs from 退会 (not sent).
			await s.clickAndWait(page.locator('#withdraw-vs-delete a[href="/account/delete"]'), { status: 200 });
			assert.equal(pathOf(page), '/account/delete');
			assert.ok(await page.locator('#delete-gone').isVisible(), 'what is erased');
			await s.check('10-delete');
		});
	});
}
