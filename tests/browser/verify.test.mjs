// 健診・医療アクセス認証 (issue 12) in a real browser at 375 px (and 1280):
// with JavaScript off the whole flow — document, shots through the plain file
// inputs, the secret question, confirmation with thumbnails, the done page;
// with JavaScript on the camera page loads verify.js without breaking: the
// file input stays and uploads as without it (headless Chromium has no
// camera; the in-page camera is an enhancement only). Each page checked by
// axe-core, for overflow, and photographed.
//
// Each variant has its own member of a fresh insurer that links health data
// (kenpoctl insurer update --health-data on), with its own roster person.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import {
	TEST, launch, variants, withSession, assert, makeActiveAccount, ctl, sql, q,
} from './lib.mjs';

let browser;
let insurer;
let jpeg;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kenpo-verify-'));

/** An insurer number with its check digit (DESIGN: weights 2,1,2,1… from the right). */
function insurerNumber() {
	const body = '0697' + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
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
		const n = insurerNumber();
		try {
			ctl('insurer', 'add', n, 'ブラウザ健診健康保険組合', '--pattern', '4');
		} catch {
			continue;
		}
		ctl('insurer', 'update', n, '--health-data', 'on', '--health-service',
			'https://kenshin.example.jp/');
		const csv = path.join(tmp, `roster-${n}.csv`);
		let rows = 'insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,qualified_from,qualified_until\n';
		for (let k = 1; k <= 8; k++)
			rows += `${n},V${String(k).padStart(4, '0')},700,${2000000 + k},00,ケンシン ハナコ,1985-03-0${k % 9 + 1},2020-04-01,\n`;
		fs.writeFileSync(csv, rows);
		ctl('roster', 'import', n, csv);
		return n;
	}
	throw new Error('no insurer number free');
}

let person = 0;

before(async () => {
	browser = await launch();
	insurer = addInsurer();
	jpeg = path.join(tmp, 'document.jpg');
	const src = process.env.KENPO_SRC;
	execFileSync('/usr/bin/python3', ['-c',
		'import sys; sys.path.insert(0, sys.argv[1]); from imagegen import make_jpeg;'
		+ ' open(sys.argv[2], "wb").write(make_jpeg(1200, 800))',
		path.join(src, 'tests', 'integration'), jpeg]);
});
after(async () => {
	await browser?.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function pathOf(page) {
	return new URL(page.url()).pathname;
}

for (const v of variants()) {
	test(`health data access verification at ${v.label}`, TEST, async () => {
		person += 1;
		const acct = makeActiveAccount({ insurer, personalId: `V${String(person).padStart(4, '0')}` });
		await withSession(browser, v, 'verify', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit();
			await s.goto('/verify');
			assert.match(await page.locator('#verify-documents').innerText(), /マイナンバーカード/);
			await s.check('start');
			await s.clickAndWait(page.locator('#verify-start'));
			await s.check('document');
			await s.clickAndWait(page.locator('#doc-mynumber'));
			assert.equal(pathOf(page), '/verify/shot/doc_front');
			assert.match(await page.locator('#shot-mynumber').innerText(), /ウラ面の写真はお預かりしません/);
			// The plain file input is always there, with capture.
			const input = page.locator('#photo');
			assert.equal(await input.getAttribute('accept'), 'image/*');
			assert.equal(await input.getAttribute('capture'), 'environment');
			assert.ok(await input.isVisible());
			await s.check('shot-front');
			for (const shot of ['doc_front', 'doc_angle', 'face_front', 'face_angle']) {
				assert.equal(pathOf(page), `/verify/shot/${shot}`);
				if (shot === 'face_angle') {
					const angle = await page.locator('#face-angle').getAttribute('data-angle');
					const [[stored]] = sql(`SELECT v.face_angle FROM verifications v JOIN accounts a
					    ON a.id = v.account_id WHERE a.email = ${q(acct.email)} AND v.status = 'draft'`);
					assert.equal(angle, stored);
				}
				await page.locator('#photo').setInputFiles(jpeg);
				await s.clickAndWait(page.locator('#shot-submit'));
				assert.equal(pathOf(page), `/verify/shot/${shot}`);
				assert.ok(await page.locator('#shot-taken img').isVisible());
				if (shot === 'doc_front')
					await s.check('shot-taken');
				await s.clickAndWait(page.locator('#shot-next'));
			}
			assert.equal(pathOf(page), '/verify/question');
			await s.check('question');
			await s.fill({ question: '最初に乗った自転車の色は？', answer: 'あお' });
			await s.clickAndWait(page.locator('#question-submit'));
			assert.equal(pathOf(page), '/verify/confirm');
			assert.match(await page.locator('#confirm-question').innerText(), /最初に乗った自転車の色は？/);
			assert.doesNotMatch(await page.locator('main').innerText(), /あお/);
			assert.equal(await page.locator('#confirm-photos img').count(), 4);
			await s.check('confirm');
			await s.clickAndWait(page.locator('#confirm-submit'));
			assert.equal(pathOf(page), '/verify/done');
			await s.check('done');
		});
	});
}

for (const v of variants().filter((x) => x.js)) {
	test(`the camera page with JavaScript does not break at ${v.label}`, TEST, async () => {
		person += 1;
		const acct = makeActiveAccount({ insurer, personalId: `V${String(person).padStart(4, '0')}` });
		await withSession(browser, v, 'verify-camera', async (s) => {
			const page = s.page;
			await s.goto('/login');
			await s.fill({ email: acct.email, password: acct.password });
			await s.submit();
			await s.goto('/verify/document');
			await s.clickAndWait(page.locator('#doc-license'));
			await s.goto('/verify/shot/face_front');
			assert.equal(await page.locator('#photo').getAttribute('capture'), 'user');
			// verify.js ran: no error (the session fails on one), the camera stays
			// closed until asked for, the file input stays usable.
			assert.ok(await page.locator('#camera').isHidden());
			assert.ok(await page.locator('#photo').isVisible());
			await s.check('face');
			await page.locator('#photo').setInputFiles(jpeg);
			await s.clickAndWait(page.locator('#shot-submit'));
			assert.ok(await page.locator('#shot-taken img').isVisible());
		});
	});
}
