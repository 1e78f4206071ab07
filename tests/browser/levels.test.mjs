// Verification levels (SPEC §5, seed 001 p.11) in a real browser, at 1280 and
// 375 px, with JavaScript on and off: the public /help/levels with the seed's
// ○/×/△ table, and a member at 団体ID認証 (insurer number only, no roster
// person) on the top page (the offer of 本人確認, the table with her column
// marked) and on /account/verify (the card form of step 3, a wrong card's
// message), and a signup finished at step 3 with the insurer number alone (the
// offer shown by signup.js at once, or after 次へ without it) — each page
// checked by axe-core, for overflow, and photographed.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, DEMO, ctl,
	newEmail, waitMail, mailLink, PASSWORD,
} from './lib.mjs';

/** A new insurer (fictional prefecture 93) that allows signup by its number alone. */
function idOnlyInsurer() {
	for (let i = 0; i < 20; i++) {
		const body = `0693${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
		let sum = 0;
		[...body].reverse().forEach((ch, k) => {
			const p = Number(ch) * (k % 2 === 0 ? 2 : 1);
			sum += Math.floor(p / 10) + (p % 10);
		});
		const n = body + String((10 - (sum % 10)) % 10);
		try {
			ctl('insurer', 'add', n, 'ブラウザ団体ID健康保険組合', '--pattern', '4');
		} catch {
			continue;	/* taken by another variant: draw again */
		}
		ctl('insurer', 'update', n, '--insurer-id-only', 'on');
		return n;
	}
	throw new Error('cannot add a test insurer');
}

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

for (const v of variants()) {
	test(`signup with the insurer number only at ${v.label}`, TEST, async () => {
		const insurer = idOnlyInsurer();
		const email = newEmail('idonly');
		await withSession(browser, v, 'levels-signup', async (s) => {
			const page = s.page;
			await s.goto('/signup');
			await s.fill({ email, password: PASSWORD, agree_terms: true, agree_privacy: true });
			await s.submit({ status: 200 });
			const mail = await waitMail(email);
			await s.goto(mailLink(mail, /^\/users\/[^/]+\/activate$/));
			assert.equal(new URL(page.url()).pathname, '/signup/eligibility');
			assert.ok(await page.locator('#insurer-only').isHidden(), 'no offer before the insurer');
			await s.fill({ insurer_number: insurer });
			if (v.js)
				await page.locator('#insurer-only').waitFor({ state: 'visible' });
			else
				await s.submit({ status: 200 });
			assert.ok(await page.locator('#insurer-only').isVisible(), 'the offer');
			await s.check('1-offer');
			await s.submit({ button: page.locator('#insurer-only-submit'), status: 200 });
			assert.equal(new URL(page.url()).pathname, '/signup/confirm');
			assert.ok(await page.locator('#confirm-insurer-only').isVisible(), 'step 4: the insurer only');
			for (const box of await page.locator('input[name^="agree_"]').all())
				await box.check();
			await s.check('2-confirm');
			await s.submit({ button: page.locator('button[value="complete"]'), status: 200 });
			assert.equal(new URL(page.url()).pathname, '/signup/complete');
			assert.ok(await page.locator('#complete-insurer-only').isVisible());
			await s.check('3-complete');
		});
	});
}
