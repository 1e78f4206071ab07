// The member's side of the OpenID Connect provider (issue 15) in Chromium, at
// 1280 and 375 px, with JavaScript on and off: a service (a client registered
// by SQL, as `kenpoctl client add` stores it) sends her to /oidc/authorize; she
// logs in, reads the consent page and allows it, and Chromium lands on the
// service's redirect_uri with the code — which also proves that the CSP of
// the login and consent pages lets their forms end at the service
// (form-action, which Chromium applies to the redirect after a form). Then a
// service that needs 健診・医療アクセス認証 shows her the page that says how
// to get it and sends her back with unmet_authentication_requirements, and
// 連携中のサービス lists the first service and disconnects it. The service
// itself is a small HTTP server of this test on the loopback (its redirect_uri
// http://127.0.0.1:<port>/cb). Each page of ours is checked by axe-core, for
// overflow, and photographed.
import crypto from 'node:crypto';
import http from 'node:http';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, sql, q,
} from './lib.mjs';

let RP;		// the service's redirect_uri, once its server listens

/** A client row and its redirect_uri (what `kenpoctl client add` stores). */
function makeClient(name, minAcr = null) {
	const cid = 'b' + crypto.randomBytes(15).toString('base64url');
	sql(`INSERT INTO oidc_clients (client_id, name, public, min_acr) VALUES (${q(cid)}, ${q(name)}, 1,
	     ${minAcr ? q(minAcr) : 'NULL'});
	     INSERT INTO oidc_client_uris (client, kind, uri, uri_hash)
	     SELECT id, 'login', ${q(RP)}, SHA2(${q(RP)}, 256) FROM oidc_clients WHERE client_id = ${q(cid)};`);
	return cid;
}

function authorizeUrl(cid, extra = {}) {
	const verifier = crypto.randomBytes(32).toString('base64url');
	const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
	const p = new URLSearchParams({ client_id: cid, redirect_uri: RP, response_type: 'code',
		scope: 'openid email kenpo', state: 'st-' + crypto.randomBytes(6).toString('hex'),
		nonce: 'n-' + crypto.randomBytes(6).toString('hex'), code_challenge: challenge,
		code_challenge_method: 'S256', ...extra });
	return { url: '/oidc/authorize?' + p.toString(), state: p.get('state') };
}

let browser, service;
before(async () => {
	browser = await launch();
	service = http.createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end('<!doctype html><html lang="en"><title>RP</title><main><p>service</p></main></html>');
	});
	await new Promise((ok) => service.listen(0, '127.0.0.1', ok));
	RP = `http://127.0.0.1:${service.address().port}/cb`;
});
after(async () => {
	await browser?.close();
	await new Promise((ok) => (service ? service.close(ok) : ok()));
});

for (const v of variants()) {
	test(`authorize, consent, unmet and connected services at ${v.label}`, TEST, async () => {
		const acct = makeActiveAccount();	// level 1 (団体ID認証)
		const shop = makeClient('けんこうポイントショップ');
		const kenshin = makeClient('健診結果ビューア', 'urn:kenpo:acr:sensitive');
		await withSession(browser, v, 'oidc', async (s) => {
			const page = s.page;
			const a = authorizeUrl(shop);
			await s.goto(a.url);
			assert.equal(new URL(page.url()).pathname, '/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit({ status: 200 });
			assert.match(new URL(page.url()).pathname, /^\/oidc\/authorize\/resume\/[0-9a-f]{64}$/);
			const main = await page.locator('main').innerText();
			assert.ok(main.includes('けんこうポイントショップ'), 'the service by name');
			assert.ok(main.includes('メールアドレス') && main.includes('加入している健康保険組合と認証レベル'));
			await s.check('1-consent');
			await s.submit({ button: '許可する', status: 200 });
			const back = new URL(page.url());
			assert.equal(back.origin + back.pathname, RP);
			assert.ok(back.searchParams.get('code'), 'a code');
			assert.equal(back.searchParams.get('state'), a.state);

			const b = authorizeUrl(kenshin);
			await s.goto(b.url);
			const unmet = await page.locator('main').innerText();
			assert.ok(unmet.includes('健診結果ビューア') && unmet.includes('健診・医療アクセス認証'));
			assert.ok(await page.locator('#oidc-unmet-help').isVisible());
			await s.check('2-unmet');
			await s.submit({ button: 'サービスに戻る', status: 200 });
			const err = new URL(page.url());
			assert.equal(err.searchParams.get('error'), 'unmet_authentication_requirements');
			assert.equal(err.searchParams.get('state'), b.state);

			await s.goto('/account/services');
			assert.ok((await page.locator('main').innerText()).includes('けんこうポイントショップ'));
			await s.check('3-services');
			await s.submit({ button: '連携を解除', status: 200 });
			assert.ok(await page.locator('#services-done').isVisible());
			assert.ok(await page.locator('#services-none').isVisible());
			await s.check('4-revoked');
		});
	});
}
