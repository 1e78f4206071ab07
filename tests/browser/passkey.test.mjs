// Issue 15, passkeys in Chromium with a virtual authenticator (DevTools
// protocol: WebAuthn.enable + WebAuthn.addVirtualAuthenticator, ctap2, internal,
// resident keys, user verification). The stack's frontend for this serves on
// http://localhost:PORT (stack.base_url_localhost): a WebAuthn RP ID cannot be
// an IP address.
//
// A level-3 member of an insurer that links health data logs in with her
// password, adds a passkey in the account settings (her password first, then
// the ceremony), confirms herself on /sensitive/stepup with 「パスキーで確認」,
// logs out, logs in with 「パスキーでログイン」 and no password (which also
// counts as the step-up: /sensitive opens at once), and removes the passkey
// with her password. At 1280 and 375 px with JavaScript; without JavaScript
// the login page shows no passkey button and the password form is the page.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { test, before, after } from 'node:test';
import {
	TEST, launch, withSession, assert, makeActiveAccount, ctl, sql, q, stack, waitMail,
	variants, PASSWORD,
} from './lib.mjs';

const BASE = stack.base_url_localhost;

let browser;
let insurer;
before(async () => {
	browser = await launch();
	insurer = addInsurer();
});
after(async () => { await browser?.close(); });

/** An insurer number with its check digit (as review.test.mjs). */
function insurerNumber(prefix) {
	let body = prefix;
	while (body.length < 7)
		body += String(crypto.randomInt(10));
	let sum = 0;
	[...body].reverse().forEach((ch, i) => {
		let p = Number(ch) * (i % 2 === 0 ? 2 : 1);
		if (p > 9)
			p = Math.floor(p / 10) + (p % 10);
		sum += p;
	});
	return body + String((10 - (sum % 10)) % 10);
}

function addInsurer() {
	for (let i = 0; i < 20; i++) {
		const n = insurerNumber('0691');
		try {
			ctl('insurer', 'add', n, 'パスキー健康保険組合', '--pattern', '4');
		} catch {
			continue;
		}
		ctl('insurer', 'update', n, '--health-data', 'on', '--health-service', 'https://kenshin.example.jp/');
		return n;
	}
	throw new Error('no insurer number free');
}

/** A level-3 member with a secret question (as an approval leaves her). */
function level3Member() {
	const acct = makeActiveAccount({ insurer });
	const hash = execFileSync('argon2', [crypto.randomBytes(8).toString('hex'), '-id', '-t', '2',
		'-k', '19456', '-p', '1', '-l', '32', '-e'], { input: 'こたえ', encoding: 'utf8' }).trim();
	sql(`UPDATE accounts SET level = 3 WHERE email = ${q(acct.email)};`);
	sql(`INSERT INTO secret_questions (account_id, question, answer_hash)
	     SELECT id, '初めて買ったCDは？', ${q(hash)} FROM accounts WHERE email = ${q(acct.email)};`);
	return acct;
}

function pathOf(page) {
	return new URL(page.url()).pathname;
}

async function virtualAuthenticator(s) {
	const cdp = await s.context.newCDPSession(s.page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
			hasUserVerification: true, isUserVerified: true,
		},
	});
	return { cdp, authenticatorId };
}

for (const v of variants().filter((x) => x.js)) {
	test(`passkey add, step-up, login without password, removal at ${v.label}`, TEST, async () => {
		const acct = level3Member();
		await withSession(browser, v, 'passkey', async (s) => {
			const page = s.page;
			const { cdp, authenticatorId } = await virtualAuthenticator(s);

			// Log in with the password.
			await s.goto('/login');
			assert.ok(await page.locator('#passkey-login').isVisible(), 'the passkey button shows with JS');
			await s.check('1-login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit();
			assert.equal(pathOf(page), '/top');

			// The settings: her password, then the ceremony.
			await s.goto('/account');
			await s.clickAndWait(page.locator('#account-passkeys'));
			assert.equal(pathOf(page), '/account/security/passkeys');
			assert.ok(await page.locator('#passkeys-none').isVisible());
			await s.check('2-list-empty');
			await page.locator('#passkey-name').fill('わたしのPC');
			await page.locator('#passkey-password').fill(PASSWORD);
			await s.clickAndWait(page.locator('#passkey-add-submit'), { status: 200 });
			assert.ok(await page.locator('#passkey-register-button').isVisible());
			await s.check('3-ceremony');
			await s.clickAndWait(page.locator('#passkey-register-button'));
			assert.equal(pathOf(page), '/account/security/passkeys');
			assert.match(await page.locator('#passkeys-done').innerText(), /パスキーを登録しました/);
			assert.match(await page.locator('#passkey-list').innerText(), /わたしのPC/);
			await s.check('4-list');
			const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
			assert.equal(credentials.length, 1);
			assert.equal(credentials[0].isResidentCredential, true);
			await waitMail(acct.email, { subject: 'パスキーを登録しました' });

			// The step-up with the passkey.
			await s.goto('/sensitive/stepup');
			assert.ok(await page.locator('#passkey-stepup').isVisible());
			await s.check('5-stepup');
			await s.clickAndWait(page.locator('#passkey-stepup-button'));
			assert.equal(pathOf(page), '/sensitive');
			assert.ok(await page.locator('#sensitive-features').isVisible());
			await s.check('6-sensitive');

			// Log out; log in with the passkey alone.
			await s.clickAndWait(page.locator('form[action="/logout"] button'));
			await s.goto('/login');
			await s.clickAndWait(page.locator('#passkey-login-button'));
			assert.equal(pathOf(page), '/top');
			await s.check('7-top-after-passkey');
			const [row] = sql(`SELECT s.amr FROM sessions s JOIN accounts a ON a.id = s.account_id
			                   WHERE a.email = ${q(acct.email)} ORDER BY s.created_at DESC LIMIT 1;`);
			assert.deepEqual(new Set(row[0].split(' ')), new Set(['hwk', 'user']));
			// It counts as the step-up.
			await s.goto('/sensitive');
			assert.ok(await page.locator('#sensitive-features').isVisible());

			// Remove it, with the password.
			await s.goto('/account/security/passkeys');
			const item = page.locator('.passkey-list__item').first();
			await item.locator('summary').click();
			await item.locator('input[type="password"]').fill(PASSWORD);
			await s.clickAndWait(item.locator('button[type="submit"]'));
			assert.match(await page.locator('#passkeys-done').innerText(), /パスキーを削除しました/);
			assert.ok(await page.locator('#passkeys-none').isVisible());
			await s.check('8-removed');
			await waitMail(acct.email, { subject: 'パスキーを削除しました' });
		}, { base: BASE });
	});
}

for (const v of variants().filter((x) => !x.js)) {
	test(`no passkey button without JavaScript at ${v.label}`, TEST, async () => {
		await withSession(browser, v, 'passkey', async (s) => {
			await s.goto('/login');
			assert.equal(await s.page.locator('#passkey-login').isVisible(), false);
			assert.ok(await s.page.locator('#password').isVisible());
			await s.check('1-login');
		}, { base: BASE });
	});
}
