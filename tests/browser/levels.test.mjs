// Verification levels (SPEC §5, seed 001 p.11) in a real browser, at 1280 and
// 375 px, with JavaScript on and off: the public /help/levels with the seed's
// ○/×/△ table, and a member at 団体ID認証 (insurer number only, no roster
// person) on the top page (the offer of 本人確認, the table with her column
// marked) and on /account/verify (the card form of step 3, a wrong card's
// message) — each page checked by axe-core, for overflow, and photographed.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, DEMO,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const v of variants()) {
	test(`levels table and 本人確認 at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount();	// level 1: no personal ID
		await withSession(browser, v, 'levels', async (s) => {
			const page = s.page;
			await s.goto('/help/levels');
			assert.equal(await page.locator('#levels-table thead th[scope="col"]').count(), 6);
			assert.equal(await page.locator('#levels-table th[scope="row"]').count(), 14);
			assert.equal(await page.locator('#levels-table .levels-table__own').count(), 0);
			await s.check('1-help');

			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.equal(new URL(page.url()).pathname, '/top');
			assert.ok(await page.locator('#top-verify').isVisible(), 'the offer of 本人確認');
			const own = page.locator('#levels-own-col');
			assert.ok((await own.innerText()).includes('団体ID認証'), 'her column');
			await page.locator('#levels').scrollIntoViewIfNeeded();
			await s.check('2-top');

			await s.goto('/account/verify');
			assert.ok((await page.locator('main').innerText()).includes(DEMO.insurerName));
			await s.fill({ symbol: '999', number: '1234567', name_kana: 'マチガイ',
				birth_year: '1970', birth_month: '1', birth_day: '1' });
			await s.submit({ status: 200 });
			assert.ok(await page.locator('#outcome').isVisible(), 'the message of a wrong card');
			await s.check('3-verify-wrong');
		});
	});
}
