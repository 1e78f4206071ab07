import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
const srv = http.createServer((q, s) => { s.writeHead(200, {'Content-Type':'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'self'; script-src 'self'"}); s.end('<!doctype html><html lang="ja"><title>x</title><main><h1>hi</h1><img src="a.png"></main></html>'); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const axe = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname, 'utf8');
for (const js of [true, false]) {
  const c = await b.newContext({ javaScriptEnabled: js });
  const p = await c.newPage();
  p.on('console', m => console.log('console', m.type(), m.text()));
  await p.goto(url);
  try { await p.addScriptTag({content: 'window.x=1'}); console.log('addScriptTag ok', await p.evaluate(() => window.x)); } catch (e) { console.log('addScriptTag fail', e.message.split('\n')[0]); }
  try { await p.evaluate(axe + '\n;0'); const r = await p.evaluate(() => axe.run({runOnly: ['wcag2a','wcag2aa']}).then(r => r.violations.map(v => v.id))); console.log(js, 'evaluate axe', r); } catch (e) { console.log('evaluate fail', e.message.split('\n')[0]); }
  await c.close();
}
await b.close(); srv.close();
