// The emulator's own fidelity, without the wasm handler: a stub package dir
// whose index.js echoes the event or returns deliberately invalid results.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startEmulatorProcess, get, ACCEPT_CHROME, FIXTURES } from '../emulator/harness.mjs';
import { viewerStage } from '../emulator/event.mjs';
import { validateGeneratedResponse } from '../emulator/validate.mjs';
import { ttlSeconds, cacheKey } from '../emulator/cache.mjs';
import { startStaticOrigin, resolveInside } from '../emulator/origin.mjs';

const STUB = `
const big = 'A'.repeat(1048577);
exports.handler = async (event) => {
  const r = event.Records[0].cf.request;
  const json = (obj, extra = {}) => ({ status: '200', headers: { 'content-type': [{ key: 'Content-Type', value: 'application/json' }], 'cache-control': [{ key: 'Cache-Control', value: 'max-age=60' }], ...extra },
    body: Buffer.from(JSON.stringify(obj)).toString('base64'), bodyEncoding: 'base64' });
  switch (r.uri) {
    case '/echo': return json(event);
    case '/numeric-status': return { status: 200 };
    case '/status-99': return { status: '99' };
    case '/content-length': return json({}, { 'content-length': [{ key: 'Content-Length', value: '2' }] });
    case '/x-cache': return json({}, { 'x-cache': [{ key: 'X-Cache', value: 'Hit' }] });
    case '/bad-base64': return { status: '200', body: 'not base64!', bodyEncoding: 'base64' };
    case '/too-big': return { status: '200', body: big, bodyEncoding: 'text' };
    case '/throws': throw new Error('boom');
    case '/undefined': return undefined;
    case '/text': return { status: '201', statusDescription: 'Created', body: 'hello', headers: { 'content-type': [{ value: 'text/plain' }] } };
    case '/hello': return { status: '200', body: 'hello', headers: { 'cache-control': [{ key: 'Cache-Control', value: 'max-age=60' }] } };
    case '/rewrite': r.uri = '/photo-baseline.jpg'; r.querystring = ''; return r;
    default: return r;
  }
};
`;

describe('emulator with a stub handler', () => {
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-stub-'));
    fs.writeFileSync(path.join(dir, 'index.js'), STUB);
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    emu = await startEmulatorProcess({ env: { PACKAGE_DIR: dir } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('builds the origin-request event as CloudFront does', async () => {
    const res = await get(emu.url, '/echo?foo=1&w=%31%30&W=5&h=20&format=auto&utm=x&sig=abc', { headers: { accept: ACCEPT_CHROME, 'x-vips-edge-accept': 'other', cookie: 'a=b' } });
    assert.equal(res.status, 200);
    const ev = res.json();
    const cf = ev.Records[0].cf;
    assert.equal(cf.config.eventType, 'origin-request');
    assert.equal(cf.config.distributionDomainName, 'd111111abcdef8.cloudfront.net');
    assert.match(cf.config.requestId, /^[A-Za-z0-9_-]{40,}={0,2}$/);
    const r = cf.request;
    assert.equal(r.method, 'GET');
    assert.equal(r.uri, '/echo');
    assert.equal(r.querystring, 'w=10&h=20&format=auto&sig=abc', 'the canonical query of the viewer-request function');
    assert.equal(r.clientIp, '127.0.0.1');
    assert.deepEqual(r.headers['x-vips-edge-accept'], [{ key: 'X-Vips-Edge-Accept', value: 'avif' }], 'viewer value overwritten');
    assert.equal(r.headers['user-agent'][0].value, 'Amazon CloudFront');
    assert.match(r.headers.via[0].value, /^2\.0 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    assert.equal(r.headers['x-forwarded-for'][0].value, '127.0.0.1');
    assert.equal(r.headers.host[0].value, '127.0.0.1');
    assert.equal(r.headers.accept, undefined, 'raw Accept is not forwarded');
    assert.equal(r.headers.cookie, undefined, 'cookies are not forwarded');
    for (const [k, v] of Object.entries(r.headers)) {
      assert.equal(k, k.toLowerCase());
      assert.equal(v[0].key.toLowerCase(), k);
    }
    const c = r.origin.custom;
    assert.ok(c, 'custom origin');
    assert.deepEqual(Object.keys(r.origin), ['custom']);
    assert.equal(c.domainName, '127.0.0.1');
    assert.equal(c.protocol, 'http');
    assert.equal(c.path, '');
    assert.equal(c.readTimeout, 30);
    assert.equal(c.keepaliveTimeout, 5);
    assert.deepEqual(c.customHeaders, {});
    assert.deepEqual(c.sslProtocols, ['TLSv1.2']);
    assert.ok(Number.isInteger(c.port) && c.port > 0);
  });

  test('querystring is "" without a query; x-vips-edge-accept only for format=auto ("other" without Accept)', async () => {
    const r = (await get(emu.url, '/echo')).json().Records[0].cf.request;
    assert.equal(r.querystring, '');
    assert.equal(r.headers['x-vips-edge-accept'], undefined);
    const r2 = (await get(emu.url, '/echo?utm=1', { headers: { 'x-vips-edge-accept': 'webp' } })).json().Records[0].cf.request;
    assert.equal(r2.querystring, '');
    assert.equal(r2.headers['x-vips-edge-accept'], undefined, 'a viewer value is removed');
    const r3 = (await get(emu.url, '/echo?fm=auto')).json().Records[0].cf.request;
    assert.equal(r3.querystring, 'format=auto');
    assert.equal(r3.headers['x-vips-edge-accept'][0].value, 'other');
  });

  test('cache: one entry per image; every spelling shares it, format=auto splits on Accept', async () => {
    const a = await get(emu.url, '/echo?w=7', { headers: { accept: 'image/webp,*/*' } });
    assert.equal(a.headers['x-cache'], 'Miss from emulator');
    for (const spelling of ['/echo?w=7&utm_source=x', '/echo?width=7&dpr=1.0&enlarge=0', '/echo?pos=center&%77=7']) {
      const b = await get(emu.url, spelling, { headers: { accept: '*/*' } });
      assert.equal(b.headers['x-cache'], 'Hit from emulator', spelling);
      assert.deepEqual(b.body, a.body);
    }
    const avif = await get(emu.url, '/echo?w=7&format=auto', { headers: { accept: ACCEPT_CHROME } });
    assert.equal(avif.headers['x-cache'], 'Miss from emulator');
    assert.equal((await get(emu.url, '/echo?fm=auto&w=7', { headers: { accept: 'image/webp,image/avif' } })).headers['x-cache'], 'Hit from emulator');
    const webp = await get(emu.url, '/echo?w=7&format=auto', { headers: { accept: 'image/webp,*/*' } });
    assert.equal(webp.headers['x-cache'], 'Miss from emulator');
    assert.equal((await get(emu.url, '/echo?fm=auto&w=7', { headers: { accept: 'image/webp' } })).headers['x-cache'], 'Hit from emulator');
    const other = await get(emu.url, '/echo?w=7&format=auto', { headers: { accept: '*/*' } });
    assert.equal(other.headers['x-cache'], 'Miss from emulator');
    const d = await get(emu.url, '/echo?w=7&h=1');
    assert.equal(d.headers['x-cache'], 'Miss from emulator');
  });

  const invalid = {
    '/numeric-status': /status must be a string/,
    '/status-99': /not 200-599/,
    '/content-length': /content-length" is read-only/,
    '/x-cache': /x-cache" is disallowed/,
    '/bad-base64': /not valid base64/,
    '/too-big': /exceeds the 1048576-byte limit/,
    '/undefined': /instead of a request or a response/,
  };
  for (const [uri, why] of Object.entries(invalid)) {
    test(`an invalid result (${uri}) becomes a 502 with a clear message and a warning`, async () => {
      const before = emu.stderr.length;
      const res = await get(emu.url, uri);
      assert.equal(res.status, 502);
      assert.match(res.text(), why);
      assert.equal(res.headers['x-cache'], 'Error from emulator');
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(emu.stderr.slice(before).some((l) => why.test(l)), `console warning for ${uri}: ${emu.stderr.slice(before).join('\n')}`);
    });
  }

  test('logs one line per request', async () => {
    const before = emu.stdout.length;
    await get(emu.url, '/hello?w=1&utm=2');
    await get(emu.url, '/hello?w=1');
    await new Promise((r) => setTimeout(r, 50));
    const lines = emu.stdout.slice(before);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^\S+Z 127\.0\.0\.1 GET \/hello\?w=1&utm=2 -> 200 5B [\d.]+ms "Miss from emulator" generated$/);
    assert.match(lines[1], /-> 200 5B [\d.]+ms "Hit from emulator" cache$/);
  });

  test('a function that throws is a function execution error: 503', async () => {
    const before = emu.stderr.length;
    const res = await get(emu.url, '/throws');
    assert.equal(res.status, 503);
    assert.match(res.text(), /LambdaExecutionError: boom/);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(emu.stderr.slice(before).some((l) => /LambdaExecutionError: boom/.test(l)));
    assert.equal((await get(emu.url, '/throws')).headers['x-cache'], 'Error from emulator', 'not cached');
  });

  test('text bodies, statusDescription and headers without key are relayed', async () => {
    const res = await get(emu.url, '/text');
    assert.equal(res.status, 201);
    assert.equal(res.text(), 'hello');
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.headers['content-length'], '5');
  });

  test('passthrough relays the origin; a modified request goes where the function says', async () => {
    const orig = fs.readFileSync(path.join(FIXTURES, 'photo-baseline.jpg'));
    const res = await get(emu.url, '/photo-baseline.jpg?foo=1');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, orig);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.match(res.headers.etag, /^"[0-9a-f]+"$/);
    assert.ok(res.headers['last-modified']);
    const rw = await get(emu.url, '/rewrite');
    assert.deepEqual(rw.body, orig);
    const missing = await get(emu.url, '/missing.jpg');
    assert.equal(missing.status, 404);
  });

  test('viewer If-None-Match against the cached ETag gives 304; HEAD has no body', async () => {
    const a = await get(emu.url, '/photo-progressive.jpg');
    const b = await get(emu.url, '/photo-progressive.jpg', { headers: { 'if-none-match': a.headers.etag } });
    assert.equal(b.status, 304);
    assert.equal(b.body.length, 0);
    const h = await get(emu.url, '/photo-progressive.jpg', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.body.length, 0);
  });

  test('methods other than GET/HEAD are refused with 403', async () => {
    const res = await get(emu.url, '/photo-baseline.jpg', { method: 'POST' });
    assert.equal(res.status, 403);
  });

  test('serves the playground and the image list', async () => {
    const page = await get(emu.url, '/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.match(page.text(), /vips-edge playground/);
    assert.doesNotMatch(page.text(), /https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/, 'no external resources');
    assert.equal((await get(emu.url, '/playground')).status, 200);
    const js = await get(emu.url, '/playground.js');
    assert.match(js.headers['content-type'], /javascript/);
    const list = (await get(emu.url, '/__emulator/images')).json();
    assert.ok(list.images.some((i) => i.path === 'photo-baseline.jpg' && i.image && i.bytes === 84624));
  });
});

describe('emulator building blocks', () => {
  test('the cache policy forwards the function\'s query whole: only canonical names are left in it', () => {
    assert.equal(viewerStage('a=1&w=2&Q=4&q=5&x&fm=png&&bg=fff&utm_source=z', []).query, 'w=2&format=png&q=5&bg=ffffff');
    // A repeat is kept (and answered with a 400 by the origin-request function).
    assert.equal(viewerStage('w=2&width=3', []).query, 'w=2&w=3');
  });

  test('viewerStage runs deploy/viewer-request.js: canonical query, Accept for format=auto', () => {
    const raw = (...pairs) => pairs.flat();
    assert.deepEqual(viewerStage('width=5&fm=auto&utm=1', raw(['Accept', ACCEPT_CHROME])), { query: 'w=5&format=auto', accept: 'avif' });
    assert.deepEqual(viewerStage('width=5&fm=auto', raw(['Accept', 'image/webp,*/*'])), { query: 'w=5&format=auto', accept: 'webp' });
    assert.deepEqual(viewerStage('format=auto', raw(['Accept', '*/*'])), { query: 'format=auto', accept: 'other' });
    assert.deepEqual(viewerStage('format=auto', []), { query: 'format=auto', accept: 'other' });
    assert.equal(viewerStage('format=auto', raw(['Accept', 'image/png'], ['accept', 'image/webp'])).accept, 'webp');
    assert.equal(viewerStage('format=auto', raw(['Accept', 'image/webp;q=0,*/*'])).accept, 'other');
    assert.deepEqual(viewerStage('w=5', raw(['Accept', ACCEPT_CHROME])), { query: 'w=5', accept: undefined });
    assert.deepEqual(viewerStage('', []), { query: '', accept: undefined });
    // The shared cases (tests/cases/canonical.json) through the emulator's stage too.
    const cases = JSON.parse(fs.readFileSync(new URL('../../tests/cases/canonical.json', import.meta.url), 'utf8')).cases;
    for (const c of cases) assert.equal(viewerStage(c.query, []).query, c.canonical, c.query);
  });

  test('validateGeneratedResponse accepts a well-formed response and counts base64 + headers', () => {
    const ok = validateGeneratedResponse({ status: '200', statusDescription: 'OK', headers: { 'content-type': [{ key: 'Content-Type', value: 'image/png' }] }, body: Buffer.from('png').toString('base64'), bodyEncoding: 'base64' });
    assert.equal(ok.ok, true, ok.problems.join());
    assert.equal(ok.body.toString(), 'png');
    const exact = 'A'.repeat(1048576 - 'content-type: x\r\n'.length);
    assert.equal(validateGeneratedResponse({ status: '200', headers: { 'content-type': [{ value: 'x' }] }, body: exact }).ok, true);
    assert.equal(validateGeneratedResponse({ status: '200', headers: { 'content-type': [{ value: 'x' }] }, body: exact + 'A' }).ok, false);
    const bad = validateGeneratedResponse({ status: '200', headers: { Via: [{ value: 'x' }], 'x-amz-cf-foo': [{ value: 'y' }], 'content-type': [{ key: 'Content-Length', value: 'z' }] } });
    assert.equal(bad.problems.length, 4, bad.problems.join('\n'));
  });

  test('TTLs follow Cache-Control within the policy; errors get short TTLs', () => {
    assert.equal(ttlSeconds(200, [['Cache-Control', 'public, max-age=31536000']]), 31536000);
    assert.equal(ttlSeconds(200, [['cache-control', 'max-age=99999999']]), 31536000);
    assert.equal(ttlSeconds(200, []), 86400);
    assert.equal(ttlSeconds(200, [['cache-control', 'no-store']]), 0);
    assert.equal(ttlSeconds(200, [['cache-control', 'max-age=60, s-maxage=5']]), 5);
    assert.equal(ttlSeconds(400, [['cache-control', 'public, max-age=10']]), 10);
    assert.equal(ttlSeconds(404, []), 10);
    assert.equal(ttlSeconds(413, [['cache-control', 'max-age=10']]), 0);
    assert.notEqual(cacheKey('/a', 'w=1', 'webp'), cacheKey('/a', 'w=1', 'other'));
    assert.notEqual(cacheKey('/a', 'w=1', undefined), cacheKey('/a', 'w=1', 'other'));
    assert.notEqual(cacheKey('/a', 'w=auto', undefined, 'w=640'), cacheKey('/a', 'w=auto', undefined, 'w=768'));
    assert.notEqual(cacheKey('/a', 'w=auto', 'webp', 'w=640'), cacheKey('/a', 'w=auto', 'webp'));
  });

  test('viewerStage: x-vips-edge-hints for w/dpr/q=auto only, from the raw hints', () => {
    assert.deepEqual(viewerStage('width=auto', ['Sec-CH-Width', '700']), { query: 'w=auto', accept: undefined, hints: 'w=768' });
    assert.deepEqual(viewerStage('w=100&dpr=auto&q=auto', ['DPR', '1.5', 'Save-Data', 'on']), { query: 'w=100&dpr=auto&q=auto', accept: undefined, hints: 'dpr=2,sd=1' });
    assert.deepEqual(viewerStage('w=100', ['Sec-CH-Width', '700', 'X-Vips-Edge-Hints', 'w=320']), { query: 'w=100', accept: undefined });
    assert.equal(viewerStage('w=auto', ['Sec-CH-Width', '700', 'sec-ch-width', '800']).hints, 'w=none', 'a repeated hint is absent');
  });

  test('static origin: types, validators, 404s, no traversal', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-origin-'));
    fs.mkdirSync(path.join(tmp, 'root/sub dir'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(tmp, 'root/sub dir/a.webp'), 'RIFF');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(tmp, 'root/link.txt'));
    const o = await startStaticOrigin({ root: path.join(tmp, 'root') });
    try {
      const a = await get(o.url, '/sub%20dir/a.webp');
      assert.equal(a.status, 200);
      assert.equal(a.headers['content-type'], 'image/webp');
      assert.match(a.headers.etag, /^"/);
      assert.ok(a.headers['last-modified']);
      assert.equal(a.headers['cache-control'], 'public, max-age=3600');
      assert.equal((await get(o.url, '/sub%20dir/a.webp', { headers: { 'if-none-match': a.headers.etag } })).status, 304);
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub%20dir/..%2f..%2fsecret.txt', '/link.txt', '/sub%20dir', '/', '/nope.jpg', '/a%00.webp', '/..\\secret.txt']) {
        const r = await get(o.url, p);
        assert.equal(r.status, 404, p);
        assert.doesNotMatch(r.text(), /secret/);
      }
      assert.equal(resolveInside(path.join(tmp, 'root'), '/../secret.txt'), null);
    } finally {
      await o.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

