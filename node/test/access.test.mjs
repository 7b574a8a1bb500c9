// Access and adaptation through the packaged handler (issue 24): progressive
// JPEG, exp with the max-age cap, signing key rotation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { imageSize } from 'image-size';
import { signUrl } from '../../deploy/sign.mjs';
import {
  assertValidResponse, customEvent, errorOf, header, imageOf, jpegFrameMarker, loadHandler, startOrigin, withLogs,
} from './helpers.mjs';

const URI = '/img/photo-baseline.jpg'; // 1600x1203
const nowSeconds = () => Math.floor(Date.now() / 1000);
let origin;
before(async () => { origin = await startOrigin(); });
after(() => origin.close());

async function call(handler, querystring, uri = URI) {
  const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring })));
  if (!('uri' in result)) assertValidResponse(result); // else a passthrough: the request itself
  return result;
}

test('format=pjpg and progressive=1: an interlaced JPEG of the asked size', async () => {
  const handler = loadHandler();
  for (const [qs, marker] of [['w=300&format=jpeg', 0xc0], ['w=300&format=pjpg', 0xc2], ['w=300&progressive=1', 0xc2],
    ['w=300&format=auto&progressive=1', 0xc2]]) {
    const r = await call(handler, qs);
    assert.equal(r.status, '200', qs);
    assert.equal(header(r, 'content-type'), 'image/jpeg', qs);
    const img = imageOf(r);
    assert.equal(jpegFrameMarker(img), marker, qs);
    assert.deepEqual([imageSize(img).width, imageSize(img).height], [300, 225], qs);
  }
  for (const qs of ['w=300&progressive=yes', 'w=300&format=pjpeg']) {
    const r = await call(handler, qs);
    assert.equal(r.status, '400', qs);
  }
});

test('exp: served before it with max-age cut to the seconds left; 410 from it; hostile values 400', async () => {
  const handler = loadHandler({ cacheControl: 'public, max-age=31536000' });
  // The test origin sends "public, max-age=600": an exp sooner than that cuts it.
  const ok = await call(handler, `w=100&exp=${nowSeconds() + 300}`);
  assert.equal(ok.status, '200');
  const maxAge = Number(/max-age=(\d+)/.exec(header(ok, 'cache-control'))[1]);
  assert.ok(maxAge <= 300 && maxAge >= 290, header(ok, 'cache-control'));
  assert.equal(imageSize(imageOf(ok)).width, 100);
  const later = await call(handler, `w=100&exp=${nowSeconds() + 3600}`);
  assert.equal(header(later, 'cache-control'), 'public, max-age=600', 'a later exp leaves a shorter lifetime alone');

  const gone = await call(handler, `w=100&exp=${nowSeconds() - 1}`);
  assert.equal(gone.status, '410');
  assert.equal(errorOf(gone).code, 'expired');
  assert.equal(header(gone, 'cache-control'), 'public, max-age=10');

  for (const bad of ['-1', '0', 'abc', '99999999999', '1e9', '4102444801', '1700000000.5']) {
    const r = await call(handler, `w=100&exp=${bad}`);
    assert.equal(r.status, '400', bad);
    assert.equal(errorOf(r).param, 'exp', bad);
  }
});

test('signing.keys: a signature by any configured key verifies; a retired key is a 403', async () => {
  const handler = loadHandler({ signing: { keys: { '2026-12': 'old-secret', '2027-01': 'new-secret' }, required: true } });
  const exp = nowSeconds() + 600;
  for (const key of ['old-secret', 'new-secret']) {
    const signed = signUrl(`${URI}?w=120&exp=${exp}`, key).url;
    const r = await call(handler, signed.slice(signed.indexOf('?') + 1));
    assert.equal(r.status, '200', key);
    assert.equal(imageSize(imageOf(r)).width, 120);
  }
  const retired = signUrl(`${URI}?w=120`, 'older-secret').url;
  const r = await call(handler, retired.slice(retired.indexOf('?') + 1));
  assert.equal(r.status, '403');
  assert.equal(errorOf(r).code, 'invalid_signature');
  // exp is signed: moving it is a 403, not a longer life.
  const moved = signUrl(`${URI}?w=120&exp=${exp}`, 'new-secret').url.replace(`exp=${exp}`, `exp=${exp + 86400}`);
  assert.equal((await call(handler, moved.slice(moved.indexOf('?') + 1))).status, '403');
});

test('signing covers w=auto as the page wrote it: every rung verifies; auto swapped for a number is a 403', async () => {
  const handler = loadHandler({ signing: { key: 'secret', required: true } });
  const signed = signUrl(`${URI}?w=auto&q=auto`, 'secret').url;
  const query = signed.slice(signed.indexOf('?') + 1);
  for (const [hints, width] of [['w=320,sd=0', 320], ['w=1024,sd=1', 1024], ['w=none,sd=0', 1600]]) {
    const ev = customEvent({ port: origin.port, uri: URI, querystring: query, headers: { 'x-vips-edge-hints': [{ value: hints }] } });
    const { result } = await withLogs(() => handler(ev));
    assert.equal(result.status, '200', hints);
    assert.equal(imageSize(imageOf(result)).width, width, hints);
  }
  const swapped = await call(handler, query.replace('w=auto', 'w=2560'));
  assert.equal(swapped.status, '403');
  assert.equal(errorOf(swapped).code, 'invalid_signature');
});

test('preset: expanded before validation, explicit parameters win; presetsOnly answers 403 to anything else', async () => {
  const presets = { thumb: 'w=200&h=120&fit=cover', small: 'width=150&format=webp' };
  const open = loadHandler({ presets });
  let r = await call(open, 'preset=thumb');
  assert.equal(r.status, '200');
  assert.deepEqual([imageSize(imageOf(r)).width, imageSize(imageOf(r)).height], [200, 120]);
  r = await call(open, 'preset=thumb&h=50');
  assert.deepEqual([imageSize(imageOf(r)).width, imageSize(imageOf(r)).height], [200, 50]);
  r = await call(open, 'preset=small');
  assert.equal(header(r, 'content-type'), 'image/webp');
  assert.equal(imageSize(imageOf(r)).width, 150);
  for (const [qs, param] of [['preset=nope', 'preset'], ['preset=thumb&w=0', 'w'], ['preset=thumb&preset=small', 'preset']]) {
    r = await call(open, qs);
    assert.equal(r.status, '400', qs);
    assert.equal(errorOf(r).param, param, qs);
  }

  const only = loadHandler({ presets, presetsOnly: true });
  r = await call(only, `preset=thumb&exp=${nowSeconds() + 60}`);
  assert.equal(r.status, '200');
  assert.equal(imageSize(imageOf(r)).width, 200);
  for (const qs of ['w=200', 'preset=thumb&q=90', 'format=auto']) {
    r = await call(only, qs);
    assert.equal(r.status, '403', qs);
    assert.equal(errorOf(r).code, 'presets_only', qs);
    assert.equal(header(r, 'cache-control'), 'public, max-age=10');
  }
  r = await call(only, '');
  assert.equal(r.uri, URI, 'no transform: the request goes on unchanged');
});

test('a preset the C++ rejects fails packaging-time validation and every request (500, the log says why)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = `
    import { loadHandler, fixtureEvent, withLogs } from ${JSON.stringify(new URL('./helpers.mjs', import.meta.url).href)};
    const handler = loadHandler('{"presets":{"thumb":"w=200&fit=crop"}}');
    process.stdout.write(JSON.stringify(await withLogs(() => handler(fixtureEvent('origin-request-custom.json')))));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  const { result, logs } = JSON.parse(r.stdout);
  assert.equal(result.status, '500');
  assert.match(logs[0].message, /config: presets\.thumb: fit=crop: expected cover/);
});
