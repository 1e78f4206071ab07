// Signup steps 3-4 as issue 11 left them, in a real browser, in Japanese and
// English, at 1280 and 375 px with JavaScript on and off, and each page again
// at 320 px: nothing scrolls sideways (scrollWidth <= viewport) on step 3 (the
// insurer number, the card of pattern ① with its picture, a failed check, the
// lock) and step 4; the "-" between the boxes of pattern ① sits level with the
// boxes (not with their labels); a hint paragraph keeps its distance from the
// next label; the birth year typed as 「昭和35」; 戻る on step 4 brings back
// everything typed; the help page with the member's pattern marked.
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import {
	TEST, launch, variants, withSession, assert, newEmail, waitMail, mailLink, sql, q,
	ctl, assertNoOverflow, PASSWORD,
} from './lib.mjs';

const INSURER = '06270011';	// サンプル健康保険組合, card pattern ① (DESIGN.md)

/** A roster person of the pattern-① demo insurer, for this test only. */
function newPerson() {
	const digits = (n) => Array.from(crypto.randomBytes(n), (b) => String(1 + (b % 9))).join('');
	const p = {
		number: digits(4), number2: digits(4),
		kana: `ブラウザ${Array.from(crypto.randomBytes(4), (b) => 'アイウエオカキクケコ'[b % 10]).join('')}`,
		personalId: `BR${process.pid}${crypto.randomBytes(3).toString('hex')}`,
	};
	const file = path.join(os.tmpdir(), `roster-${p.personalId}.csv`);
	fs.writeFileSync(file, 'insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,' +
		`qualified_from,qualified_until\n${INSURER},${p.personalId},,${p.number}-${p.number2},00,` +
		`${p.kana},1960-01-01,2020-04-01,\n`);
	try {
		ctl('roster', 'import', INSURER, file);
	} finally {
		fs.unlinkSync(file);
	}
	return p;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function pathOf(s) {
	return new URL(s.page.url()).pathname;
}

/** Check the page at the variant's width, then again at 320 px. */
async function checkWidths(s, step) {
	await s.check(step);
	const { width, height } = s.page.viewportSize();
	if (width > 375)
		return;
	await s.page.setViewportSize({ width: 320, height });
	await assertNoOverflow(s.page, `${s.flow}/${step} at 320 px (${s.variant.js ? 'js' : 'nojs'})`);
	await s.page.setViewportSize({ width, height });
}

/** The "-" of pattern ① sits level with the boxes; hints keep off the next label. */
async function assertCardLayout(page) {
	const r = await page.evaluate(() => {
		const box = (e) => e.getBoundingClientRect();
		const sep = document.querySelector('.pair__sep:not([hidden])');
		const input = document.getElementById('number');
		const label = document.querySelector('label[for="number"]');
		const hint = document.getElementById('pattern-hint');
		let next = hint.nextElementSibling;
		while (next && next.offsetParent === null)
			next = next.nextElementSibling;
		return {
			sep: (box(sep).top + box(sep).bottom) / 2,
			inputTop: box(input).top, inputBottom: box(input).bottom,
			labelBottom: box(label).bottom,
			hintGap: next ? box(next).top - box(hint).bottom : 99,
		};
	});
	assert.ok(r.sep > r.inputTop + 4 && r.sep < r.inputBottom - 4,
		`the "-" (middle at ${r.sep}) sits level with the boxes (${r.inputTop}-${r.inputBottom})`);
	assert.ok(r.sep > r.labelBottom, 'the "-" is below the labels');
	assert.ok(r.hintGap >= 8, `the pattern hint keeps off what follows (gap ${r.hintGap} px)`);
}

for (const v of variants()) {
	for (const lang of ['ja', 'en']) {
		test(`steps 3-4, 戻る and 和暦 at ${v.label} in ${lang}`, TEST, async () => {
			const person = newPerson();
			const email = newEmail('card');
			await withSession(browser, v, `signup-card-${lang}`, async (s) => {
				const page = s.page;
				await s.context.addCookies([{ name: 'lang', value: lang, url: s.base }]);
				await s.goto('/signup');
				await s.fill({ email, password: PASSWORD, agree_terms: true, agree_privacy: true });
				await s.submit({ status: 200 });
				await s.goto(mailLink(await waitMail(email), /^\/users\/[^/]+\/activate$/));
				assert.equal(pathOf(s), '/signup/eligibility');
				await checkWidths(s, '3-insurer');

				await s.fill({ insurer_number: INSURER });
				if (v.js)
					await page.locator('#number2').waitFor({ state: 'visible' });
				else
					await s.submit({ status: 200 });
				assert.ok(await page.locator('.card-figure img[src*="card-pattern-1"]').isVisible(),
					'the picture of a pattern-① card');
				assert.equal(await page.locator('.card-figure img:visible').count(), 1, 'one picture');
				const alt = await page.locator('.card-figure img[src*="card-pattern-1"]').getAttribute('alt');
				assert.match(alt, /06139992/, 'the picture says where the insurer number is');
				await assertCardLayout(page);
				if (lang === 'en')
					assert.match(await page.locator('#insurer-name').innerText(), /^Society: \S/);

				// A wrong card first: the message is a short list.
				await s.fill({ number: person.number, number2: person.number2, name_kana: 'マチガイ',
					birth_year: '1960', birth_month: '1', birth_day: '1' });
				await s.submit({ status: 200 });
				assert.ok(await page.locator('#outcome .outcome-list li').first().isVisible(),
					'the failed check as a list');
				await checkWidths(s, '3-not-found');

				// The right card, the year typed in 和暦.
				await s.fill({ name_kana: person.kana, birth_year: '昭和35' });
				await checkWidths(s, '3-card');
				await s.submit({ status: 200 });
				assert.equal(pathOf(s), '/signup/confirm',
					(await page.locator('main').innerText()).slice(0, 500));
				assert.equal((await page.locator('#confirm-insurer-number').innerText()).trim(), INSURER);
				assert.match(await page.locator('#confirm-number').innerText(),
					new RegExp(`${person.number}-${person.number2}`));
				if (lang === 'ja')
					assert.match(await page.locator('#confirm-birth').innerText(), /昭和35年/);
				await checkWidths(s, '4-confirm');

				// 戻る: every box as typed.
				await s.submit({ button: page.locator('button[name="action"][value="back"]'), status: 200 });
				assert.equal(pathOf(s), '/signup/eligibility');
				const values = {};
				for (const f of ['insurer_number', 'number', 'number2', 'name_kana', 'birth_year',
					'birth_month', 'birth_day'])
					values[f] = await s.field(f).inputValue();
				assert.deepEqual(values, {
					insurer_number: INSURER, number: person.number, number2: person.number2,
					name_kana: person.kana, birth_year: v.js ? '35' : '昭和35', birth_month: '1',
					birth_day: '1',
				});
				if (v.js)
					assert.equal(await s.field('birth_era').inputValue(), 'showa',
						'signup.js moved the typed era to the select');
				await checkWidths(s, '3-back');

				// The lock: until when and what to do meanwhile.
				sql(`UPDATE accounts SET eligibility_failures = 5, eligibility_window_start = NOW(6)
				     WHERE email = ${q(email)}`);
				await s.goto('/signup/eligibility');
				assert.ok(await page.locator('#lock-meanwhile').isVisible(), 'what to do meanwhile');
				await checkWidths(s, '3-locked');

				await s.goto('/signup/eligibility/help?pattern=1');
				assert.ok(await page.locator('#pattern-1.pattern-list__item--yours').isVisible());
				assert.equal(await page.locator('.pattern-list img').count(), 4);
				await checkWidths(s, 'help');
			});
		});
	}
}
