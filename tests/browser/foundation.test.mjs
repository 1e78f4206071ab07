// Foundation pages in a real browser: the front page, the 404 page and the
// language switch, at 1280 and 375 px, with JavaScript on and off.
import { test, before, after } from 'node:test';
import { TEST, launch, variants, withSession, assert } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const v of variants()) {
	test(`front page, 404 and language switch at ${v.label}`, TEST, async () => {
		await withSession(browser, v, 'foundation', async (s) => {
			const page = s.page;

			// Front page, Japanese by default (Accept-Language ja-JP).
			await s.goto('/');
			assert.equal(await page.getAttribute('html', 'lang'), 'ja');
			await assert.doesNotReject(page.locator('main h1').first().waitFor());
			assert.ok(await page.locator('a[href="/signup"]').count() > 0, 'a link to the signup');
			assert.ok(await page.locator('a[href="/login"]').count() > 0, 'a link to the login');
			await s.check('front');

			// The stylesheet is served and applied (not the browser's default look).
			const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
			assert.notEqual(font.replace(/"/g, ''), 'Times New Roman', 'kenpo.css applied');

			// Switch to English: back on the same page, remembered in a cookie.
			await s.clickAndWait(page.locator('.lang-switch a[hreflang="en"]'));
			assert.equal(new URL(page.url()).pathname, '/');
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			assert.equal((await s.cookies()).lang?.value, 'en', 'the lang cookie');
			await s.check('front-en');

			// Remembered: another page, and the 404 page, are English too.
			await s.goto('/login');
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			await s.goto('/no-such-page', { status: 404 });
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			await s.check('404-en');

			// And back to Japanese, from the 404 page.
			await s.clickAndWait(page.locator('.lang-switch a[hreflang="ja"]'));
			assert.equal(await page.getAttribute('html', 'lang'), 'ja');
			assert.equal((await s.cookies()).lang?.value, 'ja', 'the lang cookie');

			// The 404 page in Japanese: a heading and a way home.
			await s.goto('/no-such-page', { status: 404 });
			await assert.doesNotReject(page.locator('main h1').first().waitFor());
			assert.ok(await page.locator('main a[href="/"]').count() > 0, 'a link home');
			await s.check('404');
			await s.clickAndWait(page.locator('main a[href="/"]').first());
			assert.equal(new URL(page.url()).pathname, '/');
		});
	});
}

// Every link of the header and footer leads somewhere (no 404 behind a link on
// every page). The terms and privacy pages are configuration (Service.TermsURL,
// Service.PrivacyURL); their default targets must exist in htdocs/.
// The browser's own request for /favicon.ico must not be a 404 either.
test('header and footer links resolve, and /favicon.ico', TEST, async () => {
	await withSession(browser, variants()[0], 'foundation', async (s) => {
		await s.goto('/');
		const hrefs = await s.page.$$eval('header a[href], footer a[href]',
			(as) => [...new Set(as.map((a) => a.href))]);
		hrefs.push(`${s.base}/favicon.ico`);
		const broken = [];
		for (const href of hrefs) {
			if (!href.startsWith(s.base))
				continue;
			const r = await s.context.request.get(href, { maxRedirects: 5 });
			if (r.status() >= 400)
				broken.push(`${href} → ${r.status()}`);
		}
		assert.deepEqual(broken, [], 'broken links in the header or footer');
	});
});
