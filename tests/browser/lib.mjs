// tests/browser/lib.mjs — helpers of the real-browser tests.
//
// The stack (MariaDB, SMTP sink, kenpod + nginx, twice: CAPTCHA off and on) is
// started by tests/browser/stack.py, which passes its description in the
// environment variable KENPO_BROWSER_STACK (JSON; see stack.py). Each test file
// launches one Chromium (Debian's /usr/bin/chromium through playwright-core) and
// opens a new context per variant: width 1280 or 375 (phone), JavaScript on or off.
//
// A Session (one context + one page) fails its test when the page logs a console
// error, throws, or a request to our origin fails or answers >= 400 (other than a
// navigation the test expects to fail). Session.check(step) runs axe-core on the
// page (no serious or critical violation), checks that nothing overflows the
// viewport horizontally and saves a screenshot
// artifacts/<flow>-<step>-<width>-<js|nojs>.png.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = process.env.KENPO_BROWSER_ARTIFACTS || path.join(HERE, 'artifacts');
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM = process.env.KENPO_CHROMIUM || '/usr/bin/chromium';

// ------------------------------------------------------------------ the stack

function loadStack() {
	const raw = process.env.KENPO_BROWSER_STACK;
	if (!raw)
		throw new Error('KENPO_BROWSER_STACK is not set: run the tests through tests/browser/run');
	return JSON.parse(raw);
}
export const stack = loadStack();

// The demo member of DESIGN.md (contrib/demo/roster-06139992.csv, card pattern ④).
export const DEMO = {
	insurer: '06139992',
	insurerName: 'デモ健康保険組合',
	nameKana: 'ケンコウ タロウ',
	birth: { year: '1960', month: '1', day: '1' },
	symbol: '123',
	number: '4567890',
	personalId: 'D0001',
};

// A password that passes the default rule (8–20 characters, 2+ kinds, nothing
// easily guessed).
export const PASSWORD = 'Kp7-Mzq!wre';

// Options of every test(): a test fails after 3 minutes. Given per test, since
// node 18 (Debian 12) has no --test-timeout; the same on every node.
export const TEST = { timeout: 180_000 };

let seq = 0;
/** A fresh unique e-mail address for one test. */
export function newEmail(prefix = 'b') {
	seq += 1;
	return `${prefix}${process.pid}-${seq}-${crypto.randomBytes(3).toString('hex')}@example.com`;
}

/** Run SQL as the database administrator; rows as arrays of strings (null for NULL). */
export function sql(query) {
	const out = execFileSync('mariadb', ['--no-defaults', `--socket=${stack.db_socket}`,
		`-u${stack.db_user}`, '-N', '-B', stack.db_name], { input: query, encoding: 'utf8' });
	return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((c) =>
		(c === 'NULL' ? null : c.replace(/\\(.)/g, (m, ch) => ({ t: '\t', n: '\n', 0: '\0', '\\': '\\' }[ch] ?? ch)))));
}

/** SQL string literal (for test data only). */
export function q(s) {
	return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Run kenpoctl against the stack's config; returns stdout (throws on failure). */
export function ctl(...args) {
	const [prog, ...pre] = stack.kenpoctl;
	return execFileSync(prog, [...pre, ...args.map(String)], { encoding: 'utf8' });
}

/**
 * An active, verified account bound to a roster person, made directly in the
 * database (test data for the login tests, independent of the signup pages): a
 * PHC Argon2id hash from the reference `argon2` tool, which kenpo's own
 * verification accepts (DESIGN.md).
 */
export function makeActiveAccount({ email = newEmail('member'), password = PASSWORD,
	insurer = DEMO.insurer, personalId } = {}) {
	const salt = crypto.randomBytes(12).toString('hex');
	const hash = execFileSync('argon2', [salt, '-id', '-t', '2', '-k', '19456', '-p', '1', '-l', '32', '-e'],
		{ input: password, encoding: 'utf8' }).trim();
	const roster = personalId
		? `(SELECT r.id FROM roster r JOIN insurers i ON i.id = r.insurer_id WHERE i.number = ${q(insurer)} AND r.personal_id = ${q(personalId)})`
		: 'NULL';
	const lang = 'ja';
	sql(`INSERT INTO accounts (email, password_hash, state, level, insurer_id, roster_id, lang, activated_at)
	     SELECT ${q(email)}, ${q(hash)}, 'active', ${personalId ? 2 : 1}, i.id, ${roster}, ${q(lang)}, NOW(6)
	     FROM insurers i WHERE i.number = ${q(insurer)};`);
	return { email, password };
}

// ------------------------------------------------------------------ variants

export const WIDTHS = [
	{ width: 1280, height: 900, isMobile: false },
	{ width: 375, height: 812, isMobile: true },
];

/** The four variants: 1280 and 375, JavaScript on and off. */
export const VARIANTS = [];
for (const w of WIDTHS) {
	for (const js of [true, false])
		VARIANTS.push({ ...w, js, label: `${w.width}-${js ? 'js' : 'nojs'}` });
}

/** Variants chosen by KENPO_BROWSER_VARIANTS="1280-js,375-nojs" (all by default). */
export function variants() {
	const want = (process.env.KENPO_BROWSER_VARIANTS || '').split(',').filter(Boolean);
	return want.length ? VARIANTS.filter((v) => want.includes(v.label)) : VARIANTS;
}

// ------------------------------------------------------------------ browser

// Flags as on this kind of machine (see the env notes): no sandbox as root, no GPU,
// and none of Chromium's own background traffic (this network is closed). playwright
// adds --headless and a fresh temporary user-data-dir of its own.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage', '--font-render-hinting=none'];

export async function launch() {
	// localhost is the passkey frontend's host (stack.base_url_localhost):
	// nginx listens on 127.0.0.1 only, so Chromium must not try ::1 first.
	return chromium.launch({ executablePath: CHROMIUM, headless: true,
		args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP localhost 127.0.0.1'] });
}

/**
 * A new browser context for a variant. Nothing is bypassed: the page's own CSP stays
 * in force (an inline script in a template shows as a console error and fails the
 * test). axe-core is injected with page.evaluate, which is DevTools evaluation and
 * not subject to the page's CSP, so bypassCSP is not needed for it.
 */
export async function newContext(browser, variant, extra = {}) {
	return browser.newContext({
		viewport: { width: variant.width, height: variant.height },
		isMobile: variant.isMobile,
		hasTouch: variant.isMobile,
		deviceScaleFactor: 1,
		javaScriptEnabled: variant.js,
		locale: 'ja-JP',
		timezoneId: 'Asia/Tokyo',
		...extra,
	});
}

// ------------------------------------------------------------------ session

function isFavicon(url) {
	try {
		return new URL(url).pathname === '/favicon.ico';
	} catch {
		return false;
	}
}

/* 1 when url is our own icon (layout.cs) on one of the test stack's origins. */
function isOwnIcon(url) {
	try {
		const u = new URL(url);
		return u.pathname === '/static/img/favicon.svg' &&
			[stack.base_url, stack.base_url_captcha, stack.base_url_localhost].some((b) => b && new URL(b).origin === u.origin);
	} catch {
		return false;
	}
}

export class Session {
	/**
	 * browser, variant (from VARIANTS), flow (the screenshot prefix), base (origin,
	 * default stack.base_url), contextOptions (e.g. storageState).
	 */
	constructor(browser, variant, flow, { base = stack.base_url, contextOptions = {} } = {}) {
		this.browser = browser;
		this.variant = variant;
		this.flow = flow;
		this.base = base.replace(/\/$/, '');
		this.contextOptions = contextOptions;
		this.problems = [];		// console errors, page errors, failed requests
		this.expectedFailures = new Set();	// URLs whose >= 400 answer is expected
		this.audits = [];		// {step, url, violations}
		this.docHeaders = null;		// headers of the last page loaded
	}

	async open() {
		this.context = await newContext(this.browser, this.variant, this.contextOptions);
		this.page = await this.context.newPage();
		this.page.setDefaultTimeout(15000);
		this.watch(this.page);
		return this;
	}

	watch(page) {
		const origin = this.base;
		page.on('console', (msg) => {
			if (msg.type() !== 'error')
				return;
			const loc = msg.location();
			// Chromium logs "Failed to load resource: 404" for a navigation the test
			// expects to answer 404; that one is not a problem.
			if (/^Failed to load resource/.test(msg.text()) && loc && this.expectedFailures.has(loc.url))
				return;
			// The browser asks for /favicon.ico by itself, not the page; a missing
			// icon is reported by the foundation test, not by every test.
			if (/^Failed to load resource/.test(msg.text()) && loc && isFavicon(loc.url))
				return;
			// Nor is the icon of the page before a navigation to another of the
			// stack's origins (a mailed link): on a loaded machine Chromium may
			// fetch it after the new page has come, under the new page's CSP.
			const csp = /^Loading the image '([^']+)' violates the following Content Security Policy/
				.exec(msg.text());
			if (csp && isOwnIcon(csp[1]))
				return;
			this.problems.push(`console error on ${page.url()}: ${msg.text()}` +
				(loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''));
		});
		page.on('pageerror', (err) => {
			this.problems.push(`page error on ${page.url()}: ${err.message}`);
		});
		page.on('requestfailed', (req) => {
			if (!req.url().startsWith(origin))
				return;
			const why = req.failure() ? req.failure().errorText : '?';
			// A navigation replaced by the next one (a click while a page loads)
			// is aborted by the browser itself, not a failure of ours; so is a
			// subresource still loading when the page navigates away (the icon,
			// fetched lazily). A real error answers with a status, checked below.
			if (why === 'net::ERR_ABORTED')
				return;
			this.problems.push(`request failed: ${req.method()} ${req.url()}: ${why}`);
		});
		page.on('response', (resp) => {
			const url = resp.url();
			if (resp.request().isNavigationRequest() && resp.frame() === page.mainFrame())
				this.docHeaders = resp.headers();
			if (!url.startsWith(origin) || resp.status() < 400)
				return;
			if (this.expectedFailures.has(url) || isFavicon(url))
				return;
			this.problems.push(`HTTP ${resp.status()} for ${resp.request().method()} ${url}`);
		});
	}

	url(p) {
		return p.startsWith('http') ? p : this.base + p;
	}

	/** Navigate to path; asserts the answer's status (default 200). Returns the Response. */
	async goto(p, { status = 200 } = {}) {
		const url = this.url(p);
		if (status >= 400)
			this.expectedFailures.add(url);
		const resp = await this.page.goto(url, { waitUntil: 'load' });
		assert.ok(resp, `no response for ${url}`);
		assert.equal(resp.status(), status, `status of ${url}`);
		return resp;
	}

	/** Click what locator finds and wait for the page it leads to. Returns the Response. */
	async clickAndWait(locator, { status } = {}) {
		const [resp] = await Promise.all([
			this.page.waitForNavigation({ waitUntil: 'load' }),
			locator.click(),
		]);
		if (status !== undefined)
			assert.equal(resp && resp.status(), status, `status after clicking to ${this.page.url()}`);
		return resp;
	}

	/** The form control named name (the first one). */
	field(name) {
		return this.page.locator(`[name="${name}"]`).first();
	}

	/** Fill text fields: {name: value}. */
	async fill(values) {
		for (const [name, value] of Object.entries(values)) {
			const el = this.field(name);
			const tag = await el.evaluate((e) => `${e.tagName.toLowerCase()}:${e.type || ''}`);
			if (tag.startsWith('select'))
				await el.selectOption(String(value));
			else if (tag.endsWith(':checkbox') || tag.endsWith(':radio'))
				await (value ? el.check() : el.uncheck());
			else
				await el.fill(String(value));
		}
	}

	/** Submit the form that holds field name (or the page's main form) with its
	 *  submit button, and wait for the next page. The login form's CAPTCHA
	 *  buttons (captcha_action: another image, the question) are submit buttons
	 *  too, ahead of the login button: they are never the default here. */
	async submit({ button, status } = {}) {
		const b = button
			? (typeof button === 'string' ? this.page.getByRole('button', { name: button }) : button)
			: this.page.locator('main form button[type="submit"]:not([name="captcha_action"]), main form input[type="submit"]').first();
		return this.clickAndWait(b, { status });
	}

	/**
	 * After a page has loaded: axe-core, horizontal overflow, screenshot. step names
	 * the screenshot (<flow>-<step>-<width>-<js|nojs>.png).
	 */
	async check(step, { axe = true, overflow = true, shot = true } = {}) {
		if (shot)
			await this.screenshot(step);
		if (overflow)
			await assertNoOverflow(this.page, `${this.flow}/${step} at ${this.variant.label}`);
		if (axe)
			await this.axe(step);
	}

	async screenshot(step) {
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		const file = path.join(ARTIFACTS,
			`${this.flow}-${step}-${this.variant.width}-${this.variant.js ? 'js' : 'nojs'}.png`);
		await this.page.screenshot({ path: file, fullPage: true });
		return file;
	}

	async axe(step) {
		const violations = await runAxe(this);
		const where = `${this.flow}/${step} at ${this.variant.label} (${this.page.url()})`;
		recordAxe(where, violations);
		this.audits.push({ step, url: this.page.url(), violations });
		const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		if (bad.length)
			assert.fail(`axe-core: ${bad.length} serious/critical violation(s) on ${where}:\n${formatAxe(bad)}`);
	}

	/** Fail the test when the page logged errors or a request of ours failed. */
	assertClean() {
		if (this.problems.length)
			assert.fail(`problems in the browser (${this.flow} ${this.variant.label}):\n  ` +
				this.problems.join('\n  '));
	}

	/** The cookies of the context, by name. */
	async cookies() {
		const out = {};
		for (const c of await this.context.cookies())
			out[c.name] = c;
		return out;
	}

	async close() {
		if (this.context)
			await this.context.close();
		this.context = null;
	}
}

/**
 * Open a session, run fn(session), check that it stayed clean, close it. The
 * closing happens also on failure; a failure saves a screenshot "<flow>-FAILED-…".
 */
export async function withSession(browser, variant, flow, fn, opts = {}) {
	const s = await new Session(browser, variant, flow, opts).open();
	try {
		await fn(s);
		s.assertClean();
	} catch (e) {
		try {
			await s.screenshot('FAILED');
		} catch { /* the page may be gone */ }
		if (s.problems.length && !String(e.message).includes('problems in the browser'))
			e.message += `\n(also in the browser:\n  ${s.problems.join('\n  ')})`;
		throw e;
	} finally {
		await s.close();
	}
}

// ------------------------------------------------------------------ layout

/**
 * The page must not scroll sideways: document scrollWidth <= clientWidth. On
 * failure, name the elements that stick out.
 */
export async function assertNoOverflow(page, where) {
	const r = await page.evaluate(() => {
		const de = document.documentElement;
		const out = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, offenders: [] };
		if (de.scrollWidth <= de.clientWidth)
			return out;
		const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
			(e.classList.length ? `.${[...e.classList].join('.')}` : '');
		for (const e of document.body.querySelectorAll('*')) {
			const b = e.getBoundingClientRect();
			if (b.right > de.clientWidth + 1 && b.width > 0) {
				// Only the outermost offender of each subtree.
				let p = e.parentElement, inner = false;
				while (p && p !== document.body) {
					if (p.getBoundingClientRect().right > de.clientWidth + 1) { inner = true; break; }
					p = p.parentElement;
				}
				if (!inner)
					out.offenders.push(`${name(e)} (right edge ${Math.round(b.right)} px)`);
			}
		}
		return out;
	});
	assert.ok(r.scrollWidth <= r.clientWidth,
		`horizontal overflow on ${where}: scrollWidth ${r.scrollWidth} > clientWidth ${r.clientWidth}; ` +
		`sticking out: ${r.offenders.slice(0, 8).join(', ') || '(none found)'}`);
}

// ------------------------------------------------------------------ axe-core

const AXE_OPTIONS = {
	runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
	resultTypes: ['violations'],
};

async function axeIn(page) {
	// page.evaluate is not subject to the page's CSP (see newContext).
	await page.evaluate(`${AXE_SOURCE}\n;void 0`);
	return page.evaluate(async (opts) => {
		const r = await window.axe.run(document, opts);
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200),
				summary: n.failureSummary })),
		}));
	}, AXE_OPTIONS);
}

/**
 * Run axe-core on the session's current page. With JavaScript on, in the page
 * itself. With JavaScript off no script runs in the page, not even an injected
 * one (axe would hang), so the page's DOM as served is replayed, at the same URL,
 * width and stylesheets, in a scratch page with scripts on but the site's own
 * scripts blocked: axe then sees exactly what the member without JavaScript sees.
 */
async function runAxe(s) {
	if (s.variant.js)
		return axeIn(s.page);
	const html = await s.page.content();
	const url = s.page.url();
	// The page's own CSP too (it decides, e.g., whether a style attribute applies).
	const csp = {};
	for (const [k, val] of Object.entries(s.docHeaders || {})) {
		if (k.toLowerCase() === 'content-security-policy')
			csp[k] = val;
	}
	const ctx = await newContext(s.browser, { ...s.variant, js: true });
	try {
		const page = await ctx.newPage();
		await page.route('**/*', (route) => {
			const req = route.request();
			if (req.isNavigationRequest() && req.url() === url)
				return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html, headers: csp });
			if (req.resourceType() === 'script')
				return route.abort();
			return route.continue();
		});
		await page.goto(url, { waitUntil: 'load' });
		return await axeIn(page);
	} finally {
		await ctx.close();
	}
}

export function formatAxe(violations) {
	const lines = [];
	for (const v of violations) {
		lines.push(`  [${v.id}] ${v.impact}: ${v.help} (${v.helpUrl})`);
		for (const n of v.nodes.slice(0, 6)) {
			lines.push(`      at ${n.target}: ${n.html}`);
			if (n.summary)
				lines.push(`        ${n.summary.replace(/\n/g, '\n        ')}`);
		}
		if (v.nodes.length > 6)
			lines.push(`      … and ${v.nodes.length - 6} more`);
	}
	return lines.join('\n');
}

/** Every axe result, of any impact, goes to artifacts/axe-report.txt for the record. */
function recordAxe(where, violations) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const text = violations.length ? `${formatAxe(violations)}\n` : '  (no violation)\n';
	fs.appendFileSync(path.join(ARTIFACTS, 'axe-report.txt'), `${where}\n${text}`);
}

// ------------------------------------------------------------------ mail

function decodeWords(s) {
	// RFC 2047 encoded words; whitespace between two encoded words is dropped.
	return s.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
		.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (m, cs, enc, text) => {
			let bytes;
			if (enc.toUpperCase() === 'B')
				bytes = Buffer.from(text, 'base64');
			else
				bytes = qpBytes(text.replace(/_/g, ' '));
			return decodeBytes(bytes, cs);
		});
}

function qpBytes(s) {
	const out = [];
	const b = Buffer.from(s.replace(/=\r?\n/g, ''), 'latin1');
	for (let i = 0; i < b.length; i++) {
		if (b[i] === 0x3d && i + 2 < b.length && /^[0-9A-Fa-f]{2}$/.test(b.toString('latin1', i + 1, i + 3))) {
			out.push(parseInt(b.toString('latin1', i + 1, i + 3), 16));
			i += 2;
		} else
			out.push(b[i]);
	}
	return Buffer.from(out);
}

function decodeBytes(bytes, charset = 'utf-8') {
	try {
		return new TextDecoder(charset.toLowerCase()).decode(bytes);
	} catch {
		return bytes.toString('utf8');
	}
}

function parseHeaders(text) {
	const headers = {};
	const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
	for (const line of unfolded.split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i <= 0)
			continue;
		const k = line.slice(0, i).trim().toLowerCase();
		(headers[k] ||= []).push(line.slice(i + 1).trim());
	}
	return headers;
}

function param(value, name) {
	const m = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(value || '');
	return m ? m[1] : null;
}

// Split raw bytes into header text and body bytes.
function splitMessage(buf) {
	const s = buf.toString('latin1');
	let i = s.indexOf('\r\n\r\n'), skip = 4;
	const j = s.indexOf('\n\n');
	if (i < 0 || (j >= 0 && j < i)) { i = j; skip = 2; }
	if (i < 0)
		return { head: s, body: Buffer.alloc(0) };
	return { head: s.slice(0, i), body: buf.subarray(i + skip) };
}

function decodePart(buf) {
	const { head, body } = splitMessage(buf);
	const h = parseHeaders(head);
	const ctype = (h['content-type'] || ['text/plain'])[0];
	if (/^multipart\//i.test(ctype)) {
		const boundary = param(ctype, 'boundary');
		const texts = body.toString('latin1').split(`--${boundary}`).slice(1)
			.filter((p) => !p.startsWith('--'))
			.map((p) => decodePart(Buffer.from(p.replace(/^\r?\n/, ''), 'latin1')));
		return texts.find((t) => t.type === 'text/plain') || texts[0] || { type: 'text/plain', text: '' };
	}
	const cte = ((h['content-transfer-encoding'] || ['7bit'])[0]).toLowerCase();
	let bytes = body;
	if (cte === 'base64')
		bytes = Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
	else if (cte === 'quoted-printable')
		bytes = qpBytes(body.toString('latin1'));
	return { type: ctype.split(';')[0].trim().toLowerCase(), text: decodeBytes(bytes, param(ctype, 'charset') || 'utf-8') };
}

/** A received mail: {file, to, from, subject, body, links, code, headers}. */
export function parseMail(buf, file = null) {
	const { head } = splitMessage(buf);
	const h = parseHeaders(head);
	const body = decodePart(buf).text;
	const links = body.match(/https?:\/\/[^\s<>"'）」]+/g) || [];
	const code = (/(?<!\d)(\d{6})(?!\d)/.exec(body) || [])[1] || null;
	return {
		file,
		headers: h,
		to: decodeWords((h.to || [''])[0]),
		from: decodeWords((h.from || [''])[0]),
		subject: decodeWords((h.subject || [''])[0]),
		body,
		links,
		code,
	};
}

/** Every received mail (oldest first), optionally only those to an address. */
export function mails(to = null) {
	const files = [];
	for (const sub of ['new', 'cur']) {
		const d = path.join(stack.maildir, sub);
		let names = [];
		try { names = fs.readdirSync(d); } catch { continue; }
		for (const n of names) {
			const p = path.join(d, n);
			try { files.push({ p, t: fs.statSync(p).mtimeMs, n }); } catch { /* gone */ }
		}
	}
	files.sort((a, b) => a.t - b.t || a.n.localeCompare(b.n));
	return files.map((f) => parseMail(fs.readFileSync(f.p), f.p))
		.filter((m) => to === null || m.to.toLowerCase().includes(to.toLowerCase()));
}

/** Wait for the n-th mail (1-based) to address to, optionally whose subject contains
 *  subject (string or RegExp). */
export async function waitMail(to, { n = 1, subject = null, timeout = 20000 } = {}) {
	const deadline = Date.now() + timeout;
	let found = [];
	for (;;) {
		found = mails(to).filter((m) => subject === null ||
			(subject instanceof RegExp ? subject.test(m.subject) : m.subject.includes(subject)));
		if (found.length >= n)
			return found[n - 1];
		if (Date.now() > deadline)
			break;
		await new Promise((r) => setTimeout(r, 200));
	}
	let outbox = '';
	try {
		outbox = JSON.stringify(sql('SELECT id, template, attempts, sent_at, last_error FROM outbox ORDER BY id DESC LIMIT 5'));
	} catch { /* the schema may differ */ }
	throw new Error(`no mail #${n} to ${to} within ${timeout} ms (got ${found.length}; outbox: ${outbox})`);
}

/** The first link in a mail whose path matches re. */
export function mailLink(mail, re) {
	const l = mail.links.find((u) => re.test(new URL(u).pathname));
	assert.ok(l, `no link matching ${re} in the mail "${mail.subject}":\n${mail.body}`);
	return l;
}

// ------------------------------------------------------------------ TOTP

/**
 * The RFC 6238 code (HMAC-SHA-1, 30 s steps, 6 digits) of a base32 secret as the
 * staff console's enrolment page shows it, at time step (default: now) — what a
 * reviewer's authenticator app computes.
 */
export function totp(secretB32, step = totpStep()) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of secretB32.replace(/[\s=]/g, '').toUpperCase())
		bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
	const key = Buffer.alloc(Math.floor(bits.length / 8));
	for (let i = 0; i < key.length; i++)
		key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const mac = crypto.createHmac('sha1', key).update(msg).digest();
	const off = mac[mac.length - 1] & 0x0f;
	return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** The current TOTP time step. */
export function totpStep() {
	return Math.floor(Date.now() / 30000);
}

// ------------------------------------------------------------------ CAPTCHA

/**
 * Open a sealed CAPTCHA challenge (src/captcha.c) with the stack's Security.Secret,
 * as the test's own knowledge of its config — no hook in the product. The sealed
 * box is base64url(nonce[12] | AES-256-GCM ciphertext | tag[16]) under the key
 * HMAC-SHA256(secret, "captcha-key"); the plaintext is version, kind, level,
 * id[16], expires[8] (big-endian), answer length, answer (then 4 bytes of a text
 * question). Returns {kind: 'image'|'text', level, answer, expires}.
 */
export function solveCaptcha(challenge, secretHex = stack.secret) {
	const enc = challenge.replace(/^.*\//, '').replace(/\.png$/, '');
	const sealed = Buffer.from(enc, 'base64url');
	assert.ok(sealed.length > 28, 'CAPTCHA challenge too short');
	const key = crypto.createHmac('sha256', Buffer.from(secretHex, 'hex')).update('captcha-key').digest();
	const nonce = sealed.subarray(0, 12);
	const tag = sealed.subarray(sealed.length - 16);
	const ct = sealed.subarray(12, sealed.length - 16);
	const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
	d.setAuthTag(tag);
	const plain = Buffer.concat([d.update(ct), d.final()]);
	assert.equal(plain[0], 1, 'CAPTCHA box version');
	const alen = plain[27];
	return {
		kind: plain[1] === 1 ? 'image' : plain[1] === 2 ? 'text' : `kind${plain[1]}`,
		level: plain[2],
		expires: Number(plain.readBigUInt64BE(19)),
		answer: plain.subarray(28, 28 + alen).toString('utf8'),
	};
}

export { assert };
