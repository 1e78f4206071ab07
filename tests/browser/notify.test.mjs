// The unsubscribe link of a notification mail (src/pages/unsubscribe.c) in a
// real browser, at 1280 and 375 px, with JavaScript on and off: the page a
// member reaches from the mail (nothing changes on opening it), its one button,
// the page after it, and the page of a link that does not work — each checked by
// axe-core, for overflow, and photographed. No login anywhere.
//
// Each variant mails an announcement to a member of its own, of an insurer of its
// own (so that no other test's account gets the mail; "0698…": prefecture 98
// does not exist), an account without a roster binding: the mailing needs none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, ctl, sql, q,
	waitMail,
} from './lib.mjs';

let browser;
const TAG = `n${process.pid}`;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A new insurer with a valid, unused number (check digit as DESIGN.md says). */
function newInsurer() {
	for (let tries = 0; tries < 20; tries++) {
		const body = '0698' + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
		let sum = 0;
		[...body].reverse().forEach((ch, i) => {
			const p = Number(ch) * (i % 2 === 0 ? 2 : 1);
			sum += Math.floor(p / 10) + (p % 10);
		});
		const n = body + String((10 - (sum % 10)) % 10);
		try {
			ctl('insurer', 'add', n, 'ツウチ健康保険組合', '--pattern', '4');
			return n;
		} catch { /* taken: another number */ }
	}
	throw new Error('cannot add a test insurer');
}

// ctl() passes no standard input: the body comes from a file written here.
function announceMail(insurer, title, body) {
	const file = path.join(os.tmpdir(), `kenpo-notify-${process.pid}-${Math.random().toString(16).slice(2)}.txt`);
	fs.writeFileSync(file, body);
	try {
		ctl('announcement', 'add', '--insurer', insurer, '--mail', title, file);
	} finally {
		fs.unlinkSync(file);
	}
}

function notifyOf(email) {
	return String(sql(`SELECT notify FROM accounts WHERE email = ${q(email)};`)[0][0]);
}

for (const v of variants()) {
	test(`unsubscribe link of a notification mail at ${v.label}`, TEST, async () => {
		const insurer = newInsurer();
		const acct = makeActiveAccount({ insurer });
		const title = `${TAG} ${v.label} 健診のお知らせ`;
		announceMail(insurer, title, '今年度の健診の受付が始まりました。');
		const mail = await waitMail(acct.email, { subject: title, timeout: 60000 });
		const header = (mail.headers['list-unsubscribe'] || [''])[0];
		const m = /^<(https?:\/\/[^<>\s]+)>$/.exec(header);
		assert.ok(m, `List-Unsubscribe: ${header}`);
		assert.ok(mail.body.includes(m[1]), 'the same link in the text');
		const link = new URL(m[1]).pathname;

		await withSession(browser, v, 'notify', async (s) => {
			const page = s.page;
			await s.goto(link);
			assert.equal(await page.locator('#unsub-outcome').getAttribute('data-outcome'), 'confirm');
			assert.equal(notifyOf(acct.email), '1', 'opening the link changes nothing');
			await s.check('1-confirm');
			await s.submit({ status: 200 });
			assert.equal(await page.locator('#unsub-outcome').getAttribute('data-outcome'), 'done');
			assert.equal(notifyOf(acct.email), '0');
			await s.check('2-done');
			await s.goto(link);
			assert.equal(await page.locator('#unsub-outcome').getAttribute('data-outcome'), 'already');
			await s.goto(`${link.slice(0, -2)}xx`);
			assert.equal(await page.locator('#unsub-outcome').getAttribute('data-outcome'), 'invalid');
			await s.check('3-invalid');
		});
	});
}
