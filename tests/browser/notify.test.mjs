// The unsubscribe link of a notification mail (src/pages/unsubscribe.c) in a
// real browser, at 1280 and 375 px, with JavaScript on and off: the page a
// member reaches from the mail (nothing changes on opening it), its one button,
// the page after it, and the page of a link that does not work — each checked by
// axe-core, for overflow, and photographed. No login anywhere.
//
// Each variant mails an announcement to a member of its own (an account of the
// demo insurer without a roster binding: the mailing needs none).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, ctl, sql, q,
	waitMail, DEMO,
} from './lib.mjs';

let browser;
const TAG = `n${process.pid}`;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// ctl() passes no standard input: the body comes from a file written here.
function announceMail(title, body) {
	const file = path.join(os.tmpdir(), `kenpo-notify-${process.pid}-${Math.random().toString(16).slice(2)}.txt`);
	fs.writeFileSync(file, body);
	try {
		ctl('announcement', 'add', '--insurer', DEMO.insurer, '--mail', title, file);
	} finally {
		fs.unlinkSync(file);
	}
}

function notifyOf(email) {
	return String(sql(`SELECT notify FROM accounts WHERE email = ${q(email)};`)[0][0]);
}

for (const v of variants()) {
	test(`unsubscribe link of a notification mail at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount();
		const title = `${TAG} ${v.label} 健診のお知らせ`;
		announceMail(title, '今年度の健診の受付が始まりました。');
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
