import http from 'node:http';
const srv = http.createServer((q, s) => { s.writeHead(200, {'Content-Type':'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'self'; script-src 'self'"}); s.end('<!doctype html><html><title>x</title><body><div style="color:#ccc;background:#fff">low contrast</div><img src="/a.png"><input type="text"></body></html>'); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
process.env.KENPO_BROWSER_STACK = JSON.stringify({ base_url: `http://127.0.0.1:${srv.address().port}` });
process.env.KENPO_BROWSER_ARTIFACTS = '/tmp/browser-sanity';
const { launch, VARIANTS, Session } = await import('./lib.mjs');
const b = await launch();
for (const v of VARIANTS) {
  const s = await new Session(b, v, 'sanity').open();
  await s.page.goto(s.base + '/');
  try { await s.axe('x'); console.log(v.label, 'NO FAILURE?!'); } catch (e) { console.log(v.label, e.message.split('\n').filter(l => l.includes('['))); }
  await s.close();
}
await b.close(); srv.close();
