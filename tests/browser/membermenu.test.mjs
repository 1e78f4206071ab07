// Issue 11, the member area (i11member), in a real browser at 1280 and 375 px,
// with JavaScript on and off, in Japanese and English:
//  - /top logged out: /login says why, and the login comes back to the page;
//  - the member menu (nav landmark 会員メニュー, aria-current) on one line with
//    the logo and the language link above it, no wrap under the logo at 375 px;
//  - the inquiry form: 選択してください, the guidance (all listed without
//    JavaScript, the chosen one only with it), the receipt ticked, 入力内容の
//    確認 → 戻る keeps everything → 送信, and the receipt mail repeating the text;
//  - the terms and privacy pages with the site's header, in both languages.
// Each page checked by axe-core, for overflow, and photographed.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, waitMail, newEmail,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(page) {
	return new URL(page.url()).pathname;
}

/** The logo and the language link share a row (their boxes overlap vertically). */
async function headerOnOneRow(page, where) {
	const a = await page.locator('.site-name').boundingBox();
	const b = await page.locator('.lang-switch a').boundingBox();
	assert.ok(a && b, `header boxes (${where})`);
	assert.ok(b.y < a.y + a.height && a.y < b.y + b.height,
		`the language link wraps under the logo (${where}): ${JSON.stringify([a, b])}`);
}

for (const v of variants()) {
	test(`member menu, login notice, inquiry and terms at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount();
		await withSession(browser, v, 'membermenu', async (s) => {
			const page = s.page;
			// Logged out, /top: the login page says why.
			await s.goto('/top');
			assert.equal(pathOf(page), '/login');
			assert.ok(await page.locator('#login-required').isVisible(), 'the notice');
			await s.check('1-login-required');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/top');

			// The menu.
			const nav = page.getByRole('navigation', { name: '会員メニュー' });
			assert.ok(await nav.isVisible(), 'the member menu');
			for (const name of ['トップ', 'お知らせ', '登録情報', 'ログイン履歴', 'よくある質問'])
				assert.ok(await nav.getByRole('link', { name }).isVisible(), name);
			assert.ok(await nav.getByRole('button', { name: 'ログアウト' }).isVisible(), 'logout');
			assert.equal(await nav.getByRole('link', { name: 'トップ' }).getAttribute('aria-current'), 'page');
			await headerOnOneRow(page, 'top ja');
			assert.ok(!(await page.locator('main').innerText()).includes('準備中'), 'no 準備中');
			await s.check('2-top');
			await s.clickAndWait(nav.getByRole('link', { name: 'ログイン履歴' }), { status: 200 });
			assert.equal(pathOf(page), '/account/logins');
			assert.equal(await nav.getByRole('link', { name: 'ログイン履歴' }).getAttribute('aria-current'), 'page');
			await s.check('3-logins');

			// The inquiry form, logged in.
			await s.goto('/inquiry/new');
			assert.equal(await page.locator('#category').inputValue(), '', '選択してください');
			assert.ok(await page.locator('#receipt').isChecked(), 'receipt ticked');
			const guide = page.locator('#guide-login_id');
			if (v.js) {
				assert.ok(await guide.isHidden(), 'no guidance before a choice');
				await s.fill({ category: 'login_id' });
				assert.ok(await guide.isVisible(), 'the chosen guidance');
				assert.ok(await page.locator('#guide-password').isHidden(), 'only the chosen one');
			} else {
				assert.ok(await guide.isVisible(), 'every guidance without JavaScript');
				assert.ok(await page.locator('#guide-disclosure').isVisible(), 'the disclosure one too');
				await s.fill({ category: 'login_id' });
			}
			await s.check('4-inquiry');
			const reply = newEmail('inqb');
			const body = `${v.label} 登録したメールアドレスを忘れました。\n二行目`;
			await s.fill({ email: reply, name: 'ケンコウ タロウ', body });
			await s.submit({ status: 200 });
			assert.ok(await page.locator('#inquiry-confirm').isVisible(), '入力内容の確認');
			assert.ok((await page.locator('#confirm-body').innerText()).includes('二行目'));
			await s.check('5-inquiry-confirm');
			await s.submit({ button: page.locator('#inquiry-back'), status: 200 });
			assert.equal(await page.locator('#category').inputValue(), 'login_id');
			assert.equal(await page.locator('#email').inputValue(), reply);
			assert.equal(await page.locator('#name').inputValue(), 'ケンコウ タロウ');
			assert.equal((await page.locator('#body').inputValue()).replace(/\r\n/g, '\n'), body);
			assert.ok(await page.locator('#receipt').isChecked(), 'receipt kept');
			await s.submit({ status: 200 });
			await s.submit({ button: page.locator('#inquiry-send'), status: 200 });
			const num = (await page.locator('main strong').first().innerText()).trim();
			assert.match(num, /^\d+$/);
			await s.check('6-inquiry-done');
			const mail = await waitMail(reply, { subject: num });
			assert.ok(mail.body.includes('> ' + `${v.label} 登録したメールアドレスを忘れました。`), mail.body);

			// Terms and privacy: the site's pages, with the menu.
			await s.goto('/terms/service');
			assert.ok(await page.locator('.site-header').isVisible());
			assert.ok(await page.locator('#member-nav').isVisible());
			await s.check('7-terms');
			await s.goto('/terms/privacy');
			await s.check('8-privacy');

			// English: the same pages.
			await s.clickAndWait(page.locator('.lang-switch a'), { status: 200 });
			await headerOnOneRow(page, 'privacy en');
			assert.equal(await page.locator('h1').innerText(), 'Handling of personal information');
			await s.check('9-privacy-en');
			await s.goto('/terms/service');
			assert.equal(await page.locator('h1').innerText(), 'Member terms');
			await s.goto('/top');
			await headerOnOneRow(page, 'top en');
			assert.ok(await page.getByRole('navigation', { name: 'Member menu' }).isVisible());
			assert.ok(!/in preparation/i.test(await page.locator('main').innerText()));
			await s.check('10-top-en');
			await s.goto('/inquiry/new');
			await s.check('11-inquiry-en');
			await s.goto('/no-such-page', { status: 404 });
			assert.ok((await page.locator('main').innerText()).includes('Error reference'));
			await s.check('12-error-en');
		});
	});
}
