// Issue 15's acceptance walked as a member would, in Chromium at 1280 and 375
// px (JavaScript on: the passkey ceremony needs it), against a tiny relying
// party served by this test — a confidential client registered with
// `kenpoctl client add --json`, whose pages are what a service would show:
//
//   /start[?sensitive=1]  sends the browser to /oidc/authorize (code + PKCE
//                         S256, state, nonce; with sensitive=1 the claims
//                         parameter asks acr urn:kenpo:acr:sensitive as
//                         essential)
//   /cb                   exchanges the code at the token endpoint
//                         (client_secret_basic + code_verifier), verifies the
//                         ID token's ES256 signature with the key of its kid
//                         from the JWKS, iss, aud, nonce and exp, and shows
//                         acr, amr and auth_time — or the error it was sent
//
// 1. A level-1 member (団体ID認証) logs in at the service, reads the consent
//    page (the service's name, what it receives), allows it and is back at the
//    service, logged in with acr urn:kenpo:acr:insurer.
// 2. The same service asks for 健診・医療アクセス認証: she is shown the page
//    that says how to get it and goes back with
//    unmet_authentication_requirements.
// 3. A level-3 member adds a passkey in her settings (the virtual
//    authenticator of Chromium's DevTools WebAuthn domain), logs in at the
//    service asking for the sensitive level: only the step-up is asked (no
//    password again) and the passkey answers it; back with acr sensitive and
//    amr with hwk. Her step-up ages (sessions.stepup_at an hour back): the
//    service asks again and gets only the step-up page, answered with the
//    secret question this time; back with acr sensitive, amr with kba, and the
//    same auth_time (the login itself was not repeated). Before that she once
//    takes 「確認をやめてサービスに戻る」: the service gets access_denied.
// 4. She disconnects the service on 連携中のサービス; logging in at the
//    service asks for her consent again.
import crypto from 'node:crypto';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, ctl, sql, q, stack, PASSWORD,
} from './lib.mjs';

const BASE = stack.base_url_localhost;
// The server side of the RP reaches kenpo on 127.0.0.1 (nginx listens there
// only; node 18 may try ::1 for localhost first).
const BACKCHANNEL = BASE.replace('//localhost:', '//127.0.0.1:');

let browser, rp, RP, client, discovery;
const pending = new Map();	// state → { verifier, nonce }

function html(title, body) {
	return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${title}</title></head>` +
		`<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function esc(s) {
	return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function backchannel(url, opts) {
	const r = await fetch(url.replace(BASE, BACKCHANNEL), opts);
	return { status: r.status, body: await r.json() };
}

/** Verify an ID token as an RP does; returns its claims or throws. */
async function verifyIdToken(jwt, nonce) {
	const [h, p, sig] = jwt.split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url'));
	assert.equal(header.alg, 'ES256');
	const { body: jwks } = await backchannel(discovery.jwks_uri);
	const jwk = jwks.keys.find((k) => k.kid === header.kid);
	assert.ok(jwk, `the JWKS has the key ${header.kid}`);
	const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`),
		{ key: crypto.createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
		Buffer.from(sig, 'base64url'));
	assert.ok(ok, 'the ID token signature verifies');
	const claims = JSON.parse(Buffer.from(p, 'base64url'));
	assert.equal(claims.iss, discovery.issuer);
	assert.equal(claims.aud, client.client_id);
	assert.equal(claims.nonce, nonce);
	assert.ok(claims.exp > Date.now() / 1000);
	return claims;
}

async function relyingParty(req, res) {
	const u = new URL(req.url, RP);
	try {
		if (u.pathname === '/start') {
			const verifier = crypto.randomBytes(32).toString('base64url');
			const state = crypto.randomBytes(12).toString('base64url');
			const nonce = crypto.randomBytes(12).toString('base64url');
			pending.set(state, { verifier, nonce });
			const p = new URLSearchParams({ client_id: client.client_id, redirect_uri: `${RP}/cb`,
				response_type: 'code', scope: 'openid email kenpo', state, nonce,
				code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
				code_challenge_method: 'S256' });
			if (u.searchParams.get('sensitive'))
				p.set('claims', JSON.stringify({ id_token: { acr: { essential: true,
					values: ['urn:kenpo:acr:sensitive'] } } }));
			res.writeHead(302, { Location: `${discovery.authorization_endpoint}?${p}` });
			return res.end();
		}
		if (u.pathname === '/cb') {
			const st = pending.get(u.searchParams.get('state'));
			pending.delete(u.searchParams.get('state'));
			if (!st)
				throw new Error('unknown state');
			if (u.searchParams.get('error')) {
				res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
				return res.end(html('ログインできませんでした',
					`<p id="rp-error">${esc(u.searchParams.get('error'))}</p>`));
			}
			const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:` +
				`${encodeURIComponent(client.client_secret)}`).toString('base64');
			const tok = await backchannel(discovery.token_endpoint, {
				method: 'POST',
				headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'authorization_code', code: u.searchParams.get('code'),
					redirect_uri: `${RP}/cb`, code_verifier: st.verifier }).toString(),
			});
			assert.equal(tok.status, 200, `token endpoint: ${JSON.stringify(tok.body)}`);
			const c = await verifyIdToken(tok.body.id_token, st.nonce);
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			return res.end(html('ログインしました', '<dl>' +
				`<dt>acr</dt><dd id="rp-acr">${esc(c.acr)}</dd>` +
				`<dt>amr</dt><dd id="rp-amr">${esc(c.amr.join(' '))}</dd>` +
				`<dt>auth_time</dt><dd id="rp-auth-time">${esc(c.auth_time)}</dd>` +
				`<dt>sub</dt><dd id="rp-sub">${esc(c.sub)}</dd></dl>`));
		}
		res.writeHead(404);
		res.end();
	} catch (e) {
		res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end(`RP: ${e.message}`);
	}
}

before(async () => {
	browser = await launch();
	rp = http.createServer((req, res) => { relyingParty(req, res); });
	await new Promise((ok) => rp.listen(0, '127.0.0.1', ok));
	RP = `http://127.0.0.1:${rp.address().port}`;
	client = JSON.parse(ctl('client', 'add', '歩いて確かめる健診ビューア', '--redirect-uri', `${RP}/cb`, '--json'));
	assert.ok(client.client_id && client.client_secret, 'a confidential client');
	discovery = (await backchannel(`${BASE}/.well-known/openid-configuration`)).body;
	assert.equal(discovery.issuer, BASE);
});
after(async () => {
	await browser?.close();
	await new Promise((ok) => (rp ? rp.close(ok) : ok()));
});

/** A level-3 member of an insurer that links health data, secret question answer こたえ. */
function level3Member() {
	let ins = null;
	for (let i = 0; i < 20 && !ins; i++) {
		let body = '0693';
		while (body.length < 7)
			body += String(crypto.randomInt(10));
		let sum = 0;
		[...body].reverse().forEach((ch, k) => {
			let d = Number(ch) * (k % 2 === 0 ? 2 : 1);
			if (d > 9)
				d = Math.floor(d / 10) + (d % 10);
			sum += d;
		});
		const n = body + String((10 - (sum % 10)) % 10);
		try {
			ctl('insurer', 'add', n, '歩行健康保険組合', '--pattern', '4');
		} catch {
			continue;
		}
		ctl('insurer', 'update', n, '--health-data', 'on', '--health-service', 'https://kenshin.example.jp/');
		ins = n;
	}
	assert.ok(ins, 'an insurer number');
	const acct = makeActiveAccount({ insurer: ins });
	// The hash is of the normalised answer (src/normalize.c folds kana to katakana).
	const hash = execFileSync('argon2', [crypto.randomBytes(8).toString('hex'), '-id', '-t', '2',
		'-k', '19456', '-p', '1', '-l', '32', '-e'], { input: 'コタエ', encoding: 'utf8' }).trim();
	sql(`UPDATE accounts SET level = 3 WHERE email = ${q(acct.email)};
	     INSERT INTO secret_questions (account_id, question, answer_hash)
	     SELECT id, '初めて買ったCDは？', ${q(hash)} FROM accounts WHERE email = ${q(acct.email)};`);
	return acct;
}

function pathOf(page) {
	return new URL(page.url()).pathname;
}

async function atService(page) {
	assert.equal(new URL(page.url()).origin, RP, `back at the service (${page.url()})`);
	const err = page.locator('#rp-error');
	if (await err.count())
		return { error: await err.innerText() };
	return {
		acr: await page.locator('#rp-acr').innerText(),
		amr: (await page.locator('#rp-amr').innerText()).split(' '),
		authTime: Number(await page.locator('#rp-auth-time').innerText()),
	};
}

for (const v of variants().filter((x) => x.js)) {
	test(`a member connects a service through kenpo (consent, unmet, step-up, disconnect) at ${v.label}`,
		TEST, async () => {
			// 1 and 2: a level-1 member.
			const basic = makeActiveAccount();
			await withSession(browser, v, 'walk', async (s) => {
				const page = s.page;
				await s.goto(`${RP}/start`);
				assert.equal(pathOf(page), '/login', 'the service sends her to kenpo\'s login');
				assert.match(await page.locator('#oidc-via').innerText(), /歩いて確かめる健診ビューア/,
					'the login says which service she is logging in to');
				await s.fill({ email: basic.email, password: basic.password });
				await s.submit();
				assert.ok(await page.locator('#oidc-consent-form').isVisible(), 'the consent page');
				const consent = await page.locator('main').innerText();
				assert.ok(consent.includes('歩いて確かめる健診ビューア'), 'names the service');
				assert.ok(consent.includes('メールアドレス'), 'says what it receives');
				await s.check('1-consent');
				await s.clickAndWait(page.locator('#oidc-allow'));
				const first = await atService(page);
				assert.equal(first.acr, 'urn:kenpo:acr:insurer');
				assert.deepEqual(first.amr, ['pwd']);

				await s.goto(`${RP}/start?sensitive=1`);
				assert.ok(await page.locator('#oidc-unmet-form').isVisible(), 'the page that says how');
				const unmet = await page.locator('main').innerText();
				assert.ok(unmet.includes('健診・医療アクセス認証') && unmet.includes('団体ID認証'));
				assert.ok(await page.locator('#oidc-unmet-verify').isVisible(), 'the way to get the level');
				await s.check('2-unmet');
				await s.clickAndWait(page.locator('#oidc-unmet-back'));
				assert.equal((await atService(page)).error, 'unmet_authentication_requirements');
			}, { base: BASE });

			// 3 and 4: a level-3 member with a passkey.
			const acct = level3Member();
			await withSession(browser, v, 'walk', async (s) => {
				const page = s.page;
				const cdp = await s.context.newCDPSession(page);
				await cdp.send('WebAuthn.enable');
				await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2',
					transport: 'internal', hasResidentKey: true, hasUserVerification: true,
					isUserVerified: true } });
				await s.goto('/login');
				await s.fill({ email: acct.email, password: acct.password });
				await s.submit();
				await s.goto('/account/security/passkeys');
				await page.locator('#passkey-name').fill('わたしのスマホ');
				await page.locator('#passkey-password').fill(PASSWORD);
				await s.clickAndWait(page.locator('#passkey-add-submit'));
				await s.clickAndWait(page.locator('#passkey-register-button'));
				assert.match(await page.locator('#passkey-list').innerText(), /わたしのスマホ/);

				// The service asks for the sensitive level: only the step-up.
				await s.goto(`${RP}/start?sensitive=1`);
				assert.equal(pathOf(page), '/sensitive/stepup');
				assert.equal(await page.locator('input[type="password"]').count(), 0, 'no password asked');
				await page.locator('#passkey-stepup').waitFor({ state: 'visible' });
				assert.match(await page.locator('#oidc-via').innerText(), /歩いて確かめる健診ビューア/);
				assert.ok(await page.locator('#stepup-cancel').isVisible(), 'a way back to the service');
				await s.check('3-stepup');
				await s.clickAndWait(page.locator('#passkey-stepup-button'));
				assert.ok(await page.locator('#oidc-consent-form').isVisible(), 'consent, first time');
				await s.clickAndWait(page.locator('#oidc-allow'));
				const strong = await atService(page);
				assert.equal(strong.acr, 'urn:kenpo:acr:sensitive');
				assert.ok(strong.amr.includes('hwk') && strong.amr.includes('pwd'), strong.amr.join(' '));

				// An hour later the step-up has aged (OIDC.MaxAge.Sensitive 900 s).
				sql(`UPDATE sessions s JOIN accounts a ON a.id = s.account_id
				     SET s.stepup_at = s.stepup_at - INTERVAL 1 HOUR WHERE a.email = ${q(acct.email)}`);
				// She may also change her mind: the way back tells the service.
				await s.goto(`${RP}/start?sensitive=1`);
				assert.equal(pathOf(page), '/sensitive/stepup');
				await s.clickAndWait(page.locator('#stepup-cancel'));
				assert.equal((await atService(page)).error, 'access_denied');
				await s.goto(`${RP}/start?sensitive=1`);
				assert.equal(pathOf(page), '/sensitive/stepup', 'only the step-up again');
				assert.equal(await page.locator('input[type="password"]').count(), 0, 'no password asked');
				await s.fill({ answer: 'こたえ' });
				await s.clickAndWait(page.locator('#stepup-submit'));
				const again = await atService(page);
				assert.equal(again.acr, 'urn:kenpo:acr:sensitive');
				assert.ok(again.amr.includes('kba'), again.amr.join(' '));
				assert.equal(again.authTime, strong.authTime, 'the login itself was not repeated');

				// Disconnected, the service asks for consent again.
				await s.goto('/account/services');
				await s.check('4-services');
				await s.clickAndWait(page.locator(`#service-${client.client_id} button[type="submit"]`));
				assert.ok(await page.locator('#services-done').isVisible());
				await s.goto(`${RP}/start`);
				assert.ok(await page.locator('#oidc-consent-form').isVisible(), 'consent asked again');
				await s.check('5-consent-again');
			}, { base: BASE });
		});
}
