// The whole signup (SPEC §3) in a real browser, as the demo member of DESIGN.md,
// at 1280 and 375 px, with JavaScript on and off: step 1 (with the error state
// first), step 2 (the activation mail: its link in half of the variants, its
// 6-digit code in the other half), step 3 (insurer number, then the card of
// pattern ④, name and birth date), step 4, the completion page and /top.
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, newEmail, waitMail, mailLink, sql, q,
	DEMO, PASSWORD,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The progress bar shows step n as the current one. */
async function assertStep(s, n) {
	const cur = s.page.locator('ol.progress li[aria-current="step"]');
	assert.equal(await cur.count(), 1, `one current step on ${s.page.url()}`);
	assert.equal((await cur.locator('.progress__num').innerText()).trim(), String(n),
		`current step on ${s.page.url()}`);
}

function pathOf(s) {
	return new URL(s.page.url()).pathname;
}

/*
 * The demo member can be bound to one live account only (SPEC §3). Each variant
 * signs up as the demo member, so after each one the account is withdrawn the
 * way withdrawal does it (state, time, roster binding released), directly in the
 * test database: there is no kenpoctl verb for it yet.
 */
function releaseDemoMember() {
	sql(`UPDATE accounts SET state = 'withdrawn', withdrawn_at = NOW(6), roster_id = NULL,
	       match_roster_id = NULL
	     WHERE roster_id = (SELECT r.id FROM roster r JOIN insurers i ON i.id = r.insurer_id
	                        WHERE i.number = ${q(DEMO.insurer)} AND r.personal_id = ${q(DEMO.personalId)});`);
}

variants().forEach((v, i) => {
	const byLink = i % 3 === 0;	// 1280-js and 375-nojs open the link; the others type the code
	test(`signup as the demo member at ${v.label} (${byLink ? 'mail link' : 'mail code'})`, TEST, async () => {
		const email = newEmail('signup');
		try {
			await withSession(browser, v, 'signup', async (s) => {
				const page = s.page;

				// From the front page to step 1.
				await s.goto('/');
				await s.clickAndWait(page.locator('main a[href="/signup"]').first());
				assert.equal(pathOf(s), '/signup');
				await assertStep(s, 1);
				await s.check('1-form');

				// Sent empty: errors summarised at the top and next to each field.
				await s.submit({ status: 200 });
				assert.equal(pathOf(s), '/signup');
				assert.ok(await page.locator('.error-summary').isVisible(), 'the error summary');
				assert.ok(await page.locator('#email-error, .field--error').first().isVisible(),
					'an error next to a field');
				await s.check('1-errors');

				// Filled in.
				await s.fill({ email, password: PASSWORD, agree_terms: true, agree_privacy: true });
				if (v.js) {
					// The show-password toggle and the strength meter (signup.js).
					const toggle = page.locator('#password-show');
					await toggle.check();
					assert.equal(await page.getAttribute('#password', 'type'), 'text');
					await toggle.uncheck();
					assert.equal(await page.getAttribute('#password', 'type'), 'password');
					assert.ok(Number(await page.locator('#password-meter').evaluate((m) => m.value)) > 0,
						'the strength meter moved');
				} else {
					assert.ok(await page.locator('#password-show').isHidden(),
						'no show-password toggle without JavaScript');
				}
				await s.check('1-filled');
				await s.submit({ status: 200 });
				assert.equal(pathOf(s), '/signup/sent');
				await assertStep(s, 2);
				assert.ok((await page.locator('main').innerText()).includes(email),
					'step 2 names the address');
				await s.check('2-sent');

				// The activation mail: link and code.
				const mail = await waitMail(email);
				assert.match(mail.subject, /仮登録/, 'the subject says the registration is provisional');
				assert.ok(mail.code, `a 6-digit code in the mail:\n${mail.body}`);
				const link = mailLink(mail, /^\/users\/[^/]+\/activate$/);
				if (byLink) {
					await s.goto(link);
				} else {
					await s.fill({ code: mail.code });
					await s.submit({ status: 200 });
				}

				// Step 3: the insurer number first.
				assert.equal(pathOf(s), '/signup/eligibility');
				await assertStep(s, 3);
				await s.check('3-insurer');
				await s.fill({ insurer_number: DEMO.insurer });
				if (v.js) {
					// signup.js asks /signup/pattern and shows the boxes of pattern ④.
					await page.locator('#symbol').waitFor({ state: 'visible' });
					assert.match(await page.locator('#insurer-name').innerText(), new RegExp(DEMO.insurerName));
				} else {
					assert.ok(await page.locator('#symbol').isHidden(), 'no card boxes before 次へ');
					await s.submit({ status: 200 });
					assert.equal(pathOf(s), '/signup/eligibility');
				}
				// Pattern ④: symbol and number, no second boxes.
				assert.ok(await page.locator('#symbol').isVisible(), 'the symbol box');
				assert.ok(await page.locator('#number').isVisible(), 'the number box');
				assert.ok(await page.locator('#symbol2').isHidden(), 'no second symbol box');
				assert.ok(await page.locator('#number2').isHidden(), 'no second number box');
				await s.fill({
					symbol: DEMO.symbol, number: DEMO.number, name_kana: DEMO.nameKana,
					birth_year: DEMO.birth.year, birth_month: DEMO.birth.month, birth_day: DEMO.birth.day,
				});
				await s.check('3-card');
				await s.submit({ status: 200 });

				// Step 4: what was found, then 登録を完了する.
				assert.equal(pathOf(s), '/signup/confirm', `step 4 (at ${page.url()}: ` +
					`${(await page.locator('main').innerText()).slice(0, 300)})`);
				await assertStep(s, 4);
				assert.match(await page.locator('#confirm-name').innerText(), /ケンコウ\s*タロウ/);
				assert.match(await page.locator('#confirm-birth').innerText(), /1960/);
				assert.match(await page.locator('#confirm-insurer').innerText(), new RegExp(DEMO.insurerName));
				await s.check('4-confirm');
				await s.submit({ button: page.locator('button[name="action"][value="complete"]'), status: 200 });

				// Done: the completion page, then 次へ to the top page, logged in.
				assert.equal(pathOf(s), '/signup/complete');
				await s.check('5-complete');
				await s.clickAndWait(page.locator('main a[href="/top"]'), { status: 200 });
				assert.equal(pathOf(s), '/top');
				assert.match(await page.locator('main').innerText(), new RegExp(DEMO.insurerName));
				await s.check('6-top');

				const rows = sql(`SELECT state, level FROM accounts WHERE email = ${q(email)}`);
				assert.deepEqual(rows, [['active', '2']], 'the account is active at the identity level');
			});
		} finally {
			releaseDemoMember();
		}
	});
});
