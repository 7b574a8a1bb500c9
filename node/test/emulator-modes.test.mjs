// The emulator in its other set-ups, each a separate child process: a handler
// config with signing + a small maxInputBytes (403, 413), a custom test origin
// that fails or stalls (502, 504) and serves an incompressible PNG (oversize
// fallback to the original), S3 mode (s3rver), and make serve's showcase with cache rules.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { imageSize } from 'image-size';

import { startEmulatorProcess, get, FIXTURES, decodePng, encodePng } from '../emulator/harness.mjs';
import { contentTypeFor } from '../emulator/origin.mjs';
import { signUrl } from '../../deploy/sign.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const PACKAGED = path.resolve(HERE, '../../dist/package/index.js');
const skip = !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`';
const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name));

function jsonError(res, status, code) {
  assert.equal(res.status, status, res.text().slice(0, 300));
  assert.match(res.headers['content-type'], /^application\/json/);
  const body = res.json();
  assert.equal(body.error.status, status);
  assert.equal(body.error.code, code);
  return body;
}

/** The sig deploy/sign.mjs gives (HMAC over the uri and the canonical query). */
function sign(key, uri, params) {
  return signUrl(`${uri}?${new URLSearchParams(params)}`, key).sig;
}

describe('signing + maxInputBytes config', { skip }, () => {
  const KEY = 'emulator-test-key';
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-cfg-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ signing: { key: KEY, required: true }, maxInputBytes: 60000 }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a correctly signed URL is served, in any spelling of the same request', async () => {
    const sig = sign(KEY, '/orientation-1.jpg', { w: '100', format: 'png' });
    for (const query of [`w=100&format=png&sig=${sig}`, `sig=${sig}&fm=png&width=100&dpr=1.0&utm=x`]) {
      const res = await get(emu.url, `/orientation-1.jpg?${query}`);
      assert.equal(res.status, 200, res.text().slice(0, 300));
      assert.equal(imageSize(res.body).width, 100);
      assert.equal(res.headers['content-type'], 'image/png');
    }
  });

  test('/__emulator/sign signs like deploy/sign.mjs; the URL it gives is served', async () => {
    const r = (await get(emu.url, `/__emulator/sign?target=${encodeURIComponent('/orientation-1.jpg?width=60&rot=90')}`)).json();
    assert.equal(r.url, signUrl('/orientation-1.jpg?width=60&rot=90', KEY).url);
    assert.match(r.url, /^\/orientation-1\.jpg\?w=60&rot=90&sig=[\w-]{43}$/);
    const res = await get(emu.url, r.url);
    assert.equal(res.status, 200, res.text().slice(0, 300));
    assert.equal(imageSize(res.body).width, 60);
  });

  test('403 invalid_signature when sig is missing or wrong', async () => {
    jsonError(await get(emu.url, '/orientation-1.jpg?w=100'), 403, 'invalid_signature');
    const wrong = sign(KEY, '/orientation-1.jpg', { w: '101' });
    jsonError(await get(emu.url, `/orientation-1.jpg?w=100&sig=${wrong}`), 403, 'invalid_signature');
    jsonError(await get(emu.url, `/orientation-2.jpg?w=100&sig=${sign('other-key', '/orientation-2.jpg', { w: '100' })}`), 403, 'invalid_signature');
  });

  test('413 source_too_large over maxInputBytes', async () => {
    const sig = sign(KEY, '/photo-baseline.jpg', { w: '100' }); // 84,624 bytes > 60,000
    jsonError(await get(emu.url, `/photo-baseline.jpg?w=100&sig=${sig}`), 413, 'source_too_large');
  });

  test('no params: passthrough even with signing on', async () => {
    const res = await get(emu.url, '/photo-baseline.jpg');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, fixture('photo-baseline.jpg'));
  });
});

describe('custom test origin: 5xx, slow, oversize fallback', { skip }, () => {
  let emu;
  let origin;
  let dir;
  let noise;
  const seen = [];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-origin-'));
    // 1500x1500 RGB noise: ~6.8 MB as PNG, over the 1 MB response limit at any setting.
    noise = encodePng(1500, 1500, 3, randomBytes(1500 * 1500 * 3), { level: 1 });
    fs.writeFileSync(path.join(dir, 'noise.png'), noise);
    fs.copyFileSync(path.join(FIXTURES, 'photo-baseline.jpg'), path.join(dir, 'photo.jpg'));
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      const p = req.url.split('?')[0];
      if (p === '/error.jpg') { res.writeHead(500, { 'content-type': 'text/plain' }); return res.end('boom'); }
      if (p === '/unavailable.jpg') { res.writeHead(503, { 'content-type': 'text/plain' }); return res.end('later'); }
      if (p === '/slow.jpg') {
        const t = setTimeout(() => { res.writeHead(200, { 'content-type': 'image/jpeg' }); res.end(fixture('photo-baseline.jpg')); }, 2500);
        res.on('close', () => clearTimeout(t));
        return;
      }
      const file = path.join(dir, path.basename(decodeURIComponent(p)));
      if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('nope'); }
      res.writeHead(200, { 'content-type': contentTypeFor(file), 'cache-control': 'public, max-age=600' });
      res.end(fs.readFileSync(file));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    origin = server;
    emu = await startEmulatorProcess({ env: { ORIGIN: `http://127.0.0.1:${server.address().port}`, READ_TIMEOUT: '1', QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    origin?.closeAllConnections();
    await new Promise((r) => (origin ? origin.close(r) : r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('502 origin_error when the origin answers 5xx', async () => {
    jsonError(await get(emu.url, '/error.jpg?w=100'), 502, 'origin_error');
    jsonError(await get(emu.url, '/unavailable.jpg?w=100'), 502, 'origin_error');
  });

  test('504 origin_timeout when the origin is slower than readTimeout', async () => {
    const t0 = Date.now();
    jsonError(await get(emu.url, '/slow.jpg?w=100'), 504, 'origin_timeout');
    assert.ok(Date.now() - t0 < 2400, 'answered at the 1 s read timeout, not after the origin');
  });

  test('passthrough errors come from CloudFront itself: relayed 500, 504 on a slow origin', async () => {
    const e = await get(emu.url, '/error.jpg');
    assert.equal(e.status, 500);
    assert.equal(e.text(), 'boom');
    const s = await get(emu.url, '/slow.jpg');
    assert.equal(s.status, 504);
    assert.match(s.text(), /read timeout/);
  });

  test('CloudFront adds its headers on the way to the origin', async () => {
    seen.length = 0;
    await get(emu.url, '/photo.jpg?utm=2', { headers: { accept: 'image/webp', cookie: 'x=y', 'x-real-ip': '1.2.3.4' } });
    const pass = seen.find((s) => s.url === '/photo.jpg');
    assert.ok(pass, `passthrough request reached the origin: ${JSON.stringify(seen.map((s) => s.url))}`);
    assert.equal(pass.headers['user-agent'], 'Amazon CloudFront');
    assert.match(pass.headers.via, /cloudfront\.net \(CloudFront\)/);
    assert.ok(pass.headers['x-amz-cf-id']);
    assert.equal(pass.headers['x-vips-edge-accept'], undefined, 'only format=auto requests carry it');
    assert.equal(pass.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(pass.headers.cookie, undefined, 'cookies are not in the cache policy');
    assert.equal(pass.headers.accept, undefined, 'raw Accept is not forwarded');
    assert.equal(pass.headers['x-real-ip'], undefined);
  });

  test('oversize output falls back to the original (passthrough): 200 + original bytes', async () => {
    const res = await get(emu.url, '/noise.png?format=png', { timeoutMs: 120_000 });
    assert.equal(res.status, 200, res.text().slice(0, 300));
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.body.length, noise.length);
    assert.ok(res.body.equals(noise), 'original bytes');
    assert.equal(res.headers['x-cache'], 'Miss from emulator');
  });

  test('a normal transform through the custom origin', async () => {
    const res = await get(emu.url, '/photo.jpg?w=321&format=webp');
    assert.equal(res.status, 200, res.text().slice(0, 300));
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(imageSize(res.body).width, 321);
  });
});

describe('S3 mode (s3rver)', { skip }, () => {
  let emu;
  before(async () => { emu = await startEmulatorProcess({ env: { S3: '1', QUIET: '1' } }); });
  after(async () => { await emu?.stop(); });

  test('events carry origin.s3 and the handler copy has s3Endpoint', async () => {
    const info = (await get(emu.url, '/__emulator/info')).json();
    assert.equal(info.mode, 's3');
    assert.deepEqual(info.origin, { s3: { authMethod: 'none', customHeaders: {}, domainName: 'vips-edge-images.s3.amazonaws.com', path: '', region: 'us-east-1' } });
    assert.match(info.config.s3Endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(info.handlerDir, path.resolve(HERE, '../../dist/package'), 'a private copy, dist/package untouched');
    assert.ok(!fs.readFileSync(path.resolve(HERE, '../../dist/package/config.json'), 'utf8').includes('s3Endpoint'));
  });

  test('round trip: transform from S3, passthrough bytes from S3, 404 for a missing key', async () => {
    const res = await get(emu.url, '/photo-baseline.jpg?w=222&format=webp');
    assert.equal(res.status, 200, res.text().slice(0, 300));
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(imageSize(res.body).width, 222);
    const again = await get(emu.url, '/photo-baseline.jpg?w=222&format=webp');
    assert.equal(again.headers['x-cache'], 'Hit from emulator');
    const orig = await get(emu.url, '/alpha-half-transparent.png');
    assert.equal(orig.status, 200);
    assert.deepEqual(orig.body, fixture('alpha-half-transparent.png'));
    jsonError(await get(emu.url, '/no-such-key.jpg?w=10'), 404, 'not_found');
    assert.equal((await get(emu.url, '/no-such-key.jpg')).status, 404);
  });
});

describe('make serve\'s showcase (SHOWCASE=1) + cache rules: fallback image, SVG passthrough, CMYK', { skip }, () => {
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-cfg-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({
      cacheRules: [{ prefix: '/orientation-', cacheControl: 'public, max-age=120' }],
      errorCacheControl: { '4xx': 'public, max-age=20', '5xx': 'no-store' },
    }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, SHOWCASE: '1', QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the playground lists the missing image; it answers 404 with the placeholder, transformed', async () => {
    const { images } = (await get(emu.url, '/__emulator/images')).json();
    assert.ok(images.some((i) => i.path === 'missing-image.jpg' && i.missing));
    const res = await get(emu.url, '/missing-image.jpg?w=120&format=png');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['x-vips-edge-error'], '404 not_found');
    assert.equal(res.headers['cache-control'], 'public, max-age=20');
    assert.equal(imageSize(res.body).width, 120);
    // Cached briefly, as errors are.
    assert.equal((await get(emu.url, '/missing-image.jpg?w=120&format=png')).headers['x-cache'], 'Hit from emulator');
  });

  test('an SVG comes back unchanged under the sandboxing CSP', async () => {
    const res = await get(emu.url, '/drawing.svg?w=40');
    assert.equal(res.status, 200, res.text().slice(0, 300));
    assert.equal(res.headers['content-type'], 'image/svg+xml');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(res.body, fixture('drawing.svg'));
  });

  test('cache rules: the prefix rule under the origin\'s max-age; the origin\'s elsewhere', async () => {
    // The static origin sends public, max-age=3600 (node/emulator/origin.mjs).
    assert.equal((await get(emu.url, '/orientation-1.jpg?w=50')).headers['cache-control'], 'public, max-age=120');
    assert.equal((await get(emu.url, '/photo-gray.jpg?w=50')).headers['cache-control'], 'public, max-age=3600');
  });

  test('CMYK: within 1.5 levels of the lcms reference with black-point compensation', async () => {
    const reference = JSON.parse(fs.readFileSync(path.join(HERE, '../../tests/cases/cmyk-reference.json'), 'utf8'));
    const res = await get(emu.url, `/${reference.fixture}?format=png`);
    assert.equal(res.status, 200);
    const png = decodePng(res.body);
    for (const p of reference.patches) {
      const got = png.pixel(p.x, p.y);
      for (let b = 0; b < 3; b++) assert.ok(Math.abs(got[b] - p.srgb[b]) <= 1.5, `patch at ${p.x}: ${got} vs ${p.srgb}`);
    }
  });
});
