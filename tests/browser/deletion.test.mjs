// アカウント削除申請 (SPEC §6, seed 001 Q8) in a real browser, at 1280 and 375 px,
// with JavaScript on and off: a person whose insurance data is held by an old
// account (made directly, bound to test member T0041…T0044 of stack.py, one per
// variant) logs in to her new account at step 3, follows "already registered" to
// the request form (step 3's boxes, switched by signup.js or by 次へ), files it
// with a contact address and opens the mailed link. Each page is checked by
// axe-core, for overflow, and photographed. The old address never appears.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, newEmail, sql, q,
	PASSWORD, DEMO, waitMail, mailLink,
} from './lib.mjs';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(page) {
	return new URL(page.url()).pathname;
}

/* A verified account (address confirmed, at step 3) with PASSWORD: an active
 * one unbound, taken back to step 3. */
function makeVerifiedAccount(email) {
	makeActiveAccount({ email });
	sql(`UPDATE accounts SET state = 'verified', level = 0, roster_id = NULL,
	       activated_at = NULL, insurer_id = NULL WHERE email = ${q(email)};`);
	return email;
}

variants().forEach((v, i) => {
	const pid = `T${String(41 + i).padStart(4, '0')}`;
	const number = String(1000000 + 41 + i);
	const day = String((41 + i - 1) % 28 + 1);
	test(`deletion request at ${v.label}`, TEST, async () => {
		const old = makeActiveAccount({ email: newEmail('old'), personalId: pid });
		const email = makeVerifiedAccount(newEmail('requester'));
		const contact = newEmail('contact');
		await withSession(browser, v, 'deletion', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email, password: PASSWORD });
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup/eligibility');

			const card = {
				symbol: '900', number, name_kana: 'テスト タロウ',
				birth_year: '1970', birth_month: '1', birth_day: day,
			};
			async function typeCard() {
				await s.fill({ insurer_number: DEMO.insurer });
				if (v.js)
					await page.locator('#symbol').waitFor({ state: 'visible' });
				else
					await s.submit({ status: 200 });
				await s.fill(card);
			}
			// Step 3 says "already registered" and offers the request.
			await typeCard();
			await s.submit({ status: 200 });
			assert.ok(await page.locator('#outcome').isVisible(), 'the outcome');
			await s.clickAndWait(page.locator('#deletion-request-link'), { status: 200 });
			assert.equal(pathOf(page), '/signup/deletion');
			assert.ok(await page.locator('#deletion-explain').isVisible(), 'how it works');
			await s.check('1-form');

			await typeCard();
			await s.fill({ contact_email: contact });
			await s.check('2-filled');
			await s.submit({ status: 200 });
			assert.equal(pathOf(page), '/signup/deletion');
			assert.equal((await page.locator('#delreq-contact').innerText()).trim(), contact);
			assert.ok(!(await page.content()).includes(old.email), 'no old address');
			await s.check('3-sent');

			const mail = await waitMail(contact, { subject: 'アカウント削除申請の確認' });
			await s.goto(new URL(mailLink(mail, /^\/deletion\/confirm\//)).pathname);
			assert.equal(await page.locator('#delconf-outcome').getAttribute('data-outcome'), 'done');
			assert.ok(!(await page.content()).includes(old.email), 'no old address');
			await s.check('4-filed');
		});
		await waitMail(old.email, { subject: 'アカウント削除申請がありました' });
	});
});
