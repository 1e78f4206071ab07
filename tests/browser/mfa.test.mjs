// Issue 15 item 3, members' two-step verification in a real browser at 1280 and
// 375 px, with JavaScript on and off: /account → ログインと二段階認証 → the
// password → the QR code (it fits the screen) and the key → the code → the ten
// recovery codes; logout; the login asks the code (/login/otp, the recovery
// code under 「認証アプリを使えない場合」, a <details> that works without
// JavaScript), and the code logs her in. Each page checked by axe-core, for
// overflow, and photographed.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, totp, totpStep,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(page) {
	return new URL(page.url()).pathname;
}

for (const v of variants()) {
	test(`two-step verification: enrol and log in at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount();
		await withSession(browser, v, 'mfa', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			await s.goto('/account');
			await s.clickAndWait(page.locator('#account-security'), { status: 200 });
			assert.equal(pathOf(page), '/account/security');
			assert.equal(await page.locator('#security-totp').getAttribute('data-state'), 'off');
			assert.ok(await page.locator('#security-passkeys').isVisible(), 'the passkeys link');
			await s.check('1-security-off');
			await s.clickAndWait(page.locator('#security-enable'), { status: 200 });
			assert.equal(await page.locator('svg').count(), 0, 'no QR code before the password');
			await s.check('2-password');
			await s.fill({ current_password: acct.password });
			await s.submit({ status: 200 });
			const qr = await page.locator('#totp-qr svg').boundingBox();
			assert.ok(qr && qr.width >= 150 && qr.x + qr.width <= v.width, `the QR code fits: ${JSON.stringify(qr)}`);
			const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
			assert.match(secret, /^[A-Z2-7]{32}$/);
			await s.check('3-qr');
			const step = totpStep();
			await s.fill({ code: totp(secret, step - 1) });
			await s.submit({ status: 200 });
			assert.equal(await page.locator('#recovery-codes li').count(), 10);
			await s.check('4-codes');
			await s.clickAndWait(page.locator('#totp-back'), { status: 200 });
			assert.equal(await page.locator('#security-totp').getAttribute('data-state'), 'on');
			await s.check('5-security-on');

			// Logged out, the login asks the code.
			await s.clickAndWait(page.getByRole('button', { name: 'ログアウト' }));
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/login/otp');
			assert.ok(!(await s.cookies()).sid, 'no session before the code');
			await s.check('6-otp');
			await page.locator('#otp-alt summary').click();
			assert.ok(await page.locator('#recovery_code').isVisible(), 'the recovery code field');
			await s.check('7-otp-recovery');
			await s.fill({ code: totp(secret, Math.max(step, totpStep() - 1)) });
			await s.submit({ button: page.locator('#otp-submit'), status: 200 });
			assert.equal(pathOf(page), '/top');
		});
	});
}
