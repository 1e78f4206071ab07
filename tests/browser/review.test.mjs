// Issue 12's acceptance walk, end to end in Chromium: the member and the
// reviewer as two people on two sites (the member site and the staff console
// on its own listener).
//
// 1. A bound member of an insurer that links health data finds 健診・医療アクセス認証
//    on /top and completes /verify on a phone (375 px) with JavaScript OFF, with
//    the plain file inputs: a JPEG, a PNG and a HEIC (tests/integration/imagegen.py).
// 2. A reviewer made with `kenpoctl staff add` opens the printed enrolment URL
//    (1280 px), reads the base32 secret on the page, computes the TOTP code here
//    (RFC 6238), sets her password, logs in with the next code, sees the
//    member's application in the queue, the document shots beside the face shots
//    with the roster data and the angle the member was asked for, and approves.
// 3. The member gets the mail, answers her secret question on /sensitive/stepup
//    and sees the sensitive features.
// 4. A second member, on a PC with a scanned image (1280 px, JavaScript on), is
//    rejected: /verify shows the reason and the reviewer's note and lets her
//    start again.
// 5. A member of an insurer without health data sees nothing of the level: no
//    link and no word of it on /top, /account and /help/levels.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import {
	TEST, launch, withSession, assert, makeActiveAccount, ctl, sql, q, stack, waitMail, mailLink,
	VARIANTS, totp, totpStep,
} from './lib.mjs';

const PHONE_NOJS = VARIANTS.find((v) => v.label === '375-nojs');
const PC_JS = VARIANTS.find((v) => v.label === '1280-js');
const STAFF_PASSWORD = 'Shinsa-2026-kensa';

let browser;
let insurer;		// links health data
let plainInsurer;	// does not
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kenpo-review-'));
const files = {};

/** An insurer number with its check digit (DESIGN: weights 2,1,2,1… from the right). */
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

/** A new insurer with a roster of 4 people W0001… (kana ケンシン ミドリ, born 1988-06-1k). */
function addInsurer(name, healthData) {
	for (let i = 0; i < 20; i++) {
		const n = insurerNumber('0693');
		try {
			ctl('insurer', 'add', n, name, '--pattern', '4');
		} catch {
			continue;
		}
		if (healthData)
			ctl('insurer', 'update', n, '--health-data', 'on', '--health-service', 'https://kenshin.example.jp/');
		let rows = 'insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,qualified_from,qualified_until\n';
		for (let k = 1; k <= 4; k++)
			rows += `${n},W000${k},800,${3000000 + k},00,ケンシン ミドリ,1988-06-1${k},2019-04-01,\n`;
		const csv = path.join(tmp, `roster-${n}.csv`);
		fs.writeFileSync(csv, rows);
		ctl('roster', 'import', n, csv);
		return n;
	}
	throw new Error('no insurer number free');
}

/** Images made by imagegen.py: a phone's JPEG, PNG and HEIC, and a 300 dpi A4 scan. */
function makeImages() {
	const src = path.join(process.env.KENPO_SRC, 'tests', 'integration');
	const out = { jpeg: 'photo.jpg', png: 'photo.png', heic: 'photo.heic', scan: 'scan.png' };
	execFileSync('/usr/bin/python3', ['-c', `
import sys; sys.path.insert(0, sys.argv[1]); import imagegen
d = sys.argv[2]
open(d + "/photo.jpg", "wb").write(imagegen.make_jpeg(1600, 1200, orientation=6))
open(d + "/photo.png", "wb").write(imagegen.make_png(1200, 900))
open(d + "/photo.heic", "wb").write(imagegen.make_heic(1200, 900, exif=True))
open(d + "/scan.png", "wb").write(imagegen.make_png(2480, 1754))
`, src, tmp]);
	for (const [k, f] of Object.entries(out))
		files[k] = path.join(tmp, f);
}


before(async () => {
	browser = await launch();
	insurer = addInsurer('ウォーク健診健康保険組合', true);
	plainInsurer = addInsurer('ウォーク健康保険組合', false);
	makeImages();
});
after(async () => {
	await browser?.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function pathOf(page) {
	return new URL(page.url()).pathname;
}

async function login(s, acct) {
	await s.goto('/login');
	await s.fill({ email: acct.email, password: acct.password });
	await s.submit();
	assert.equal(pathOf(s.page), '/top');
}

/**
 * The member's application from /top to /verify/done with file inputs: the
 * document (license asks about the back), the shots (one image each from
 * shots), the secret question. Returns the face angle she was asked for.
 */
async function apply(s, { document, shots, question, answer, flow }) {
	const page = s.page;
	await s.goto('/top');
	await s.clickAndWait(page.locator('#top-ekyc'));
	assert.equal(pathOf(page), '/verify');
	await s.check(`${flow}-start`);
	await s.clickAndWait(page.locator('#verify-start'));
	await s.check(`${flow}-document`);
	await s.clickAndWait(page.locator(`#doc-${document}`));
	let angle = null;
	for (let i = 0; i < 8 && pathOf(page).startsWith('/verify/shot/'); i++) {
		const shot = pathOf(page).split('/').pop();
		if (shot === 'doc_back') {
			// No remarks on the back: the member says so with one button.
			await s.check(`${flow}-shot-doc_back`);
			await s.clickAndWait(page.locator('#back-no'));
			continue;
		}
		if (shot === 'face_angle')
			angle = await page.locator('#face-angle').getAttribute('data-angle');
		await s.check(`${flow}-shot-${shot}`);
		await page.locator('#photo').setInputFiles(shots[shot]);
		await s.clickAndWait(page.locator('#shot-submit'));
		assert.equal(pathOf(page), `/verify/shot/${shot}`,
			`the photo of ${shot} was taken (${(await page.locator('main').innerText()).slice(0, 300)})`);
		assert.ok(await page.locator('#shot-taken img').isVisible(), `thumbnail of ${shot}`);
		await s.clickAndWait(page.locator('#shot-next'));
	}
	assert.equal(pathOf(page), '/verify/question');
	await s.check(`${flow}-question`);
	await s.fill({ question, answer });
	await s.clickAndWait(page.locator('#question-submit'));
	assert.equal(pathOf(page), '/verify/confirm');
	assert.ok((await page.locator('#confirm-question').innerText()).startsWith(question));
	assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(answer), 'the answer is not shown');
	await s.check(`${flow}-confirm`);
	await s.clickAndWait(page.locator('#confirm-submit'));
	assert.equal(pathOf(page), '/verify/done');
	await s.check(`${flow}-done`);
	assert.ok(angle, 'the face_angle page named the angle');
	return angle;
}

/** The id of the member's submitted verification. */
function submittedId(email) {
	const rows = sql(`SELECT v.id FROM verifications v JOIN accounts a ON a.id = v.account_id
	    WHERE a.email = ${q(email)} AND v.status = 'submitted'`);
	assert.equal(rows.length, 1, `one submitted verification of ${email}`);
	return rows[0][0];
}

/**
 * A staff member of role made with kenpoctl, enrolled through the printed URL
 * and logged in, in session s (the console's origin). Returns the last TOTP step used.
 */
async function enrolAndLogin(s, role, email, { check = true } = {}) {
	const page = s.page;
	const out = ctl('staff', 'add', email, '--role', role);
	const url = (out.match(/https?:\/\/\S+\/enrol\/\S+/) || [])[0];
	assert.ok(url, `kenpoctl staff add printed an enrolment URL:\n${out}`);
	assert.ok(url.startsWith(stack.staff_url), `the URL is on the console (${url})`);
	await s.goto(url);
	assert.equal(await page.locator('#enrol-email').innerText(), email);
	assert.ok(await page.locator('#enrol-qr svg').isVisible(), 'the QR code is shown');
	if (check)
		await s.check('enrol');
	const secret = (await page.locator('#enrol-secret').innerText()).replace(/\s+/g, '');
	const step = totpStep();
	await s.fill({ password: STAFF_PASSWORD, password2: STAFF_PASSWORD, code: totp(secret, step) });
	await s.clickAndWait(page.locator('#enrol-submit'));
	assert.equal(await page.locator('#recovery-codes li').count(), 10, 'ten recovery codes, shown once');
	if (check)
		await s.check('enrol-done');
	await s.clickAndWait(page.locator('main a[href="/login"]'));
	assert.equal(pathOf(page), '/login');
	if (check)
		await s.check('login');
	// The enrolment used this step's code: the next one logs in (the window allows it).
	await s.fill({ email, password: STAFF_PASSWORD, code: totp(secret, step + 1) });
	await s.clickAndWait(page.locator('#login-submit'));
	assert.equal(pathOf(page), '/', `logged in (${(await page.locator('main').innerText()).slice(0, 300)})`);
	return { secret, step: step + 1 };
}

test('a member verifies at 375 px without JavaScript; a reviewer enrols and approves; the sensitive features open', TEST, async () => {
	const acct = makeActiveAccount({ insurer, personalId: 'W0001' });
	const question = '小学校の担任の先生の名字は？';
	const answer = 'ヤマダ';
	let angle;
	await withSession(browser, PHONE_NOJS, 'review-member', async (s) => {
		await login(s, acct);
		angle = await apply(s, {
			document: 'mynumber', question, answer, flow: 'apply',
			shots: { doc_front: files.jpeg, doc_angle: files.png, face_front: files.heic, face_angle: files.jpeg },
		});
		// While it waits: /verify says so, and the sensitive features are not open.
		await s.goto('/verify');
		assert.ok(await s.page.locator('#verify-submitted').isVisible());
		await s.goto('/sensitive');
		// … and /sensitive says it is being checked, not that she still has to apply.
		assert.equal(await s.page.locator('#sensitive-level').getAttribute('data-pending'), 'submitted');
		assert.match(await s.page.locator('#sensitive-level').innerText(), /確認しています/);
	});
	const vid = submittedId(acct.email);
	const [[storedAngle]] = sql(`SELECT face_angle FROM verifications WHERE id = ${vid}`);
	assert.equal(angle, storedAngle);

	const email = `reviewer-${crypto.randomBytes(3).toString('hex')}@example.com`;
	await withSession(browser, PC_JS, 'review-console', async (s) => {
		const page = s.page;
		await enrolAndLogin(s, 'reviewer', email);
		assert.match(await page.locator('#home-queue').innerText(), /^審査待ち：[1-9][0-9]*件$/);
		await s.check('home');
		await s.clickAndWait(page.locator('#nav-review'));
		assert.equal(pathOf(page), '/review');
		const row = page.locator(`#queue tr[data-id="${vid}"]`);
		assert.match(await row.innerText(), /マイナンバーカード/);
		assert.match(await row.innerText(), /ケンシン\s?ミドリ/);
		await s.check('queue');
		await s.clickAndWait(row.locator('a'));
		assert.equal(pathOf(page), `/review/${vid}`);
		// The roster data, the document and the asked angle, in words.
		assert.match(await page.locator('#review-name').innerText(), /^ケンシン\s?ミドリ$/);
		assert.match(await page.locator('#review-birthdate').innerText(), /1988.06.11|1988年6月11日/);
		assert.match(await page.locator('#review-document').innerText(), /マイナンバーカード/);
		const angleText = await page.locator('#review-angle').innerText();
		assert.ok(angleText.length > 3 && !/_/.test(angleText), `the angle in words: ${angleText}`);
		// … and again under the shot it is checked against, in words too the method.
		assert.ok((await page.locator('#face-shots figure:has(#shot-face_angle) figcaption').innerText()).includes(angleText));
		assert.doesNotMatch(await page.locator('#review-method').innerText(), /_/);
		assert.match(await page.locator('#decide-hint').innerText(), /メール/);
		// Every shot loaded (a broken image has naturalWidth 0), the document shots beside the face shots.
		for (const shot of ['doc_front', 'doc_angle', 'face_front', 'face_angle']) {
			const img = page.locator(`#shot-${shot}`);
			await img.scrollIntoViewIfNeeded();
			await page.waitForFunction((el) => el.complete, await img.elementHandle());
			assert.ok(await img.evaluate((el) => el.naturalWidth > 0), `the shot ${shot} is shown`);
		}
		const doc = await page.locator('#doc-shots').boundingBox();
		const face = await page.locator('#face-shots').boundingBox();
		assert.ok(face.x >= doc.x + doc.width - 1 && Math.abs(face.y - doc.y) < 40,
			`side by side: documents at ${JSON.stringify(doc)}, faces at ${JSON.stringify(face)}`);
		await s.check('review');
		await page.locator('input[name="decision"][value="approve"]').check();
		await s.clickAndWait(page.locator('#decide-submit'));
		assert.equal(pathOf(page), '/review');
		assert.match(await page.locator('#queue-done').innerText(), new RegExp(`申請 ${vid} の判定を記録しました`),
			'the console says which decision is recorded');
		assert.equal(await page.locator(`#queue tr[data-id="${vid}"]`).count(), 0, 'gone from the queue');
		await s.check('queue-after');
	}, { base: stack.staff_url });
	const [[status, level]] = sql(`SELECT v.status, a.level FROM verifications v JOIN accounts a
	    ON a.id = v.account_id WHERE v.id = ${vid}`);
	assert.deepEqual([status, level], ['approved', '3']);

	const mail = await waitMail(acct.email, { subject: '健診・医療アクセス認証が完了しました' });
	const link = mailLink(mail, /^\/(sensitive|verify|top|login)/);
	await withSession(browser, PHONE_NOJS, 'review-member', async (s) => {
		const page = s.page;
		await login(s, acct);
		await s.goto(link);
		if (pathOf(page) !== '/sensitive/stepup') {
			await s.goto('/top');
			await s.clickAndWait(page.locator('#top-sensitive'));
		}
		assert.equal(pathOf(page), '/sensitive/stepup');
		assert.equal(await page.locator('#stepup-question').innerText(), question);
		await s.check('stepup');
		await s.fill({ answer });
		await s.clickAndWait(page.locator('#stepup-submit'));
		assert.equal(pathOf(page), '/sensitive');
		const features = page.locator('#sensitive-features a');
		assert.ok(await features.count() >= 1, 'the sensitive features are listed');
		await s.check('sensitive');
		await s.clickAndWait(features.first());
		assert.match(pathOf(page), /^\/sensitive\/open\//);
		await s.check('sensitive-open');
	});
});

test('a member on a PC with a scanned image is rejected, reads why and starts again', TEST, async () => {
	const acct = makeActiveAccount({ insurer, personalId: 'W0002' });
	await withSession(browser, PC_JS, 'review-reject', async (s) => {
		await login(s, acct);
		await apply(s, {
			document: 'license', question: '初めて飼った犬の名前は？', answer: 'ポチ', flow: 'apply',
			shots: { doc_front: files.scan, doc_angle: files.scan, face_front: files.jpeg, face_angle: files.heic },
		});
	});
	const vid = submittedId(acct.email);
	const note = '書類の文字が光って読めませんでした。明るい窓から少し離れて撮影してください。';
	ctl('review', 'reject', vid, '--reason', 'glare', '--note', note);
	const mail = await waitMail(acct.email, { subject: '健診・医療アクセス認証を完了できませんでした' });
	// The reason in her words (as /verify says it), and what to do.
	assert.match(mail.body, /光の反射で、書類の文字や顔写真が確認できませんでした。/);
	assert.ok(mail.body.includes(note), 'the note is in the mail');
	await withSession(browser, PC_JS, 'review-reject', async (s) => {
		const page = s.page;
		await login(s, acct);
		await s.clickAndWait(page.locator('#top-ekyc'));
		assert.equal(pathOf(page), '/verify');
		assert.match(await page.locator('#verify-reason').innerText(), /光の反射|反射/);
		assert.equal(await page.locator('#verify-note').innerText(), note);
		assert.equal(await page.locator('#verify-start').innerText(), 'もう一度申請する');
		await s.check('rejected');
		await s.clickAndWait(page.locator('#verify-start'));
		assert.equal(pathOf(page), '/verify/document', 'she can start again');
	});
});

test('a member of an insurer without health data sees nothing of the level', TEST, async () => {
	const acct = makeActiveAccount({ insurer: plainInsurer, personalId: 'W0001' });
	await withSession(browser, PHONE_NOJS, 'review-none', async (s) => {
		const page = s.page;
		await login(s, acct);
		for (const p of ['/top', '/account', '/help/levels']) {
			await s.goto(p);
			const text = await page.locator('body').innerText();
			assert.doesNotMatch(text, /健診・医療アクセス|機微情報|eKYC|健診結果|レベル3/, `no word of the level on ${p}`);
			assert.equal(await page.locator('a[href^="/verify"], a[href^="/sensitive"]').count(), 0,
				`no link to the level on ${p}`);
			await s.check(`none${p.replace(/\//g, '-')}`);
		}
	});
});
