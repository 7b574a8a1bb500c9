// What a transform request is answered with beyond the pixels, through the
// PACKAGED handler: cache rules and the origin's cache headers, the derived
// ETag and 304, errors' TTL by class, the fallback image (a path on the
// origin, a file in the package), SVG passthrough, CMYK as Photoshop shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodePng } from '../emulator/harness.mjs';
import { assertValidResponse, customEvent, errorOf, header, imageOf, imagesDir, loadHandler, root, startOrigin, tempDir, withLogs } from './helpers.mjs';

const fixture = (name) => fs.readFileSync(path.join(imagesDir, name));

/** An origin: /img/* as helpers' (cache-control max-age=600), plus `routes`. */
async function withOrigin(routes, fn) {
  const origin = await startOrigin(routes);
  try {
    return await fn(origin);
  } finally {
    await origin.close();
  }
}

async function call(handler, origin, uri, querystring, headers) {
  const { result, logs } = await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring, headers })));
  assertValidResponse(result);
  return { result, log: logs[0] };
}

const serve = (body, headers) => (req, res) => {
  res.writeHead(200, headers);
  res.end(body);
};

test('cache rules: the longest prefix, the origin may only shorten it; errors by class', async () => {
  const handler = loadHandler({
    cacheControl: 'public, max-age=86400',
    cacheRules: [{ prefix: '/img/', cacheControl: 'public, max-age=60' }, { prefix: '/long/', cacheControl: 'public, max-age=31536000' }],
    errorCacheControl: { '4xx': 'public, max-age=30', '5xx': 'no-store' },
  });
  const jpeg = fixture('photo-gray.jpg');
  await withOrigin({
    '/long/a.jpg': serve(jpeg, { 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=600' }),
    '/long/private.jpg': serve(jpeg, { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=600' }),
    '/other/a.jpg': serve(jpeg, { 'content-type': 'image/jpeg' }),
    '/other/broken': (req, res) => { res.writeHead(503); res.end(); },
  }, async (origin) => {
    // /img/: the rule (60) is shorter than the origin's 600: the rule.
    assert.equal(header((await call(handler, origin, '/img/photo-gray.jpg', 'w=50')).result, 'cache-control'), 'public, max-age=60');
    // /long/: the origin's 600 is shorter than the rule's year: the origin's.
    assert.equal(header((await call(handler, origin, '/long/a.jpg', 'w=50')).result, 'cache-control'), 'public, max-age=600');
    assert.equal(header((await call(handler, origin, '/long/private.jpg', 'w=50')).result, 'cache-control'), 'private, max-age=600');
    // Elsewhere, nothing from the origin: cacheControl.
    assert.equal(header((await call(handler, origin, '/other/a.jpg', 'w=50')).result, 'cache-control'), 'public, max-age=86400');
    const missing = (await call(handler, origin, '/other/none.jpg', 'w=50')).result;
    assert.equal(missing.status, '404');
    assert.equal(header(missing, 'cache-control'), 'public, max-age=30');
    const down = (await call(handler, origin, '/other/broken', 'w=50')).result;
    assert.equal(down.status, '502');
    assert.equal(header(down, 'cache-control'), 'no-store');
  });
});

test('the derived ETag: stable per derivative, a 304 for CloudFront revalidating it', async () => {
  const handler = loadHandler({});
  let served = 0;
  const jpeg = fixture('photo-gray.jpg');
  await withOrigin({
    '/tagged.jpg': (req, res) => {
      served++;
      serve(jpeg, { 'content-type': 'image/jpeg', etag: '"v1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' })(req, res);
    },
  }, async (origin) => {
    const first = (await call(handler, origin, '/tagged.jpg', 'w=50')).result;
    assert.equal(first.status, '200');
    const etag = header(first, 'etag');
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    assert.equal(header(first, 'last-modified'), 'Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(header((await call(handler, origin, '/tagged.jpg', 'w=50')).result, 'etag'), etag);
    assert.notEqual(header((await call(handler, origin, '/tagged.jpg', 'w=51')).result, 'etag'), etag);
    const { result, log } = await call(handler, origin, '/tagged.jpg', 'w=50', { 'if-none-match': [{ key: 'If-None-Match', value: etag }] });
    assert.equal(result.status, '304');
    assert.equal(result.body, undefined);
    assert.equal(header(result, 'etag'), etag);
    assert.equal(log.outcome, 'not_modified');
    assert.equal(served, 4);
  });
});

test('fallback path: a missing image is answered with the origin\'s placeholder, transformed alike', async () => {
  const handler = loadHandler({ fallback: { path: '/img/split-left-red-right-blue.png' }, errorCacheControl: { '4xx': 'public, max-age=30' } });
  await withOrigin({ '/img/broken.jpg': serve(fixture('photo-truncated.jpg'), { 'content-type': 'image/jpeg' }) }, async (origin) => {
    const { result, log } = await call(handler, origin, '/img/nope.jpg', 'w=100&h=50&format=png');
    assert.equal(result.status, '404');
    assert.equal(header(result, 'content-type'), 'image/png');
    assert.equal(header(result, 'x-vips-edge-error'), '404 not_found');
    assert.equal(header(result, 'cache-control'), 'public, max-age=30');
    const png = decodePng(imageOf(result));
    assert.deepEqual([png.width, png.height], [100, 50]);
    assert.deepEqual(png.pixel(10, 25).slice(0, 3), [255, 0, 0]); // the placeholder's red half
    assert.equal(log.fallback, '404 not_found');
    assert.equal(log.outcome, 'transformed');
    const broken = (await call(handler, origin, '/img/broken.jpg', 'w=100')).result;
    assert.equal(broken.status, '422');
    assert.equal(header(broken, 'x-vips-edge-error'), '422 undecodable_image');
    assert.equal(header(broken, 'content-type'), 'image/png');
  });
});

test('fallback file: bundled in the package, with the configured status; a failing fallback is the plain error', async () => {
  const handler = loadHandler({ fallback: { file: 'missing.png', status: 200 } }, { files: { 'missing.png': fixture('split-top-red-bottom-blue.png') } });
  await withOrigin({}, async (origin) => {
    const { result } = await call(handler, origin, '/img/nope.jpg', 'w=40&format=webp');
    assert.equal(result.status, '200');
    assert.equal(header(result, 'content-type'), 'image/webp');
    assert.equal(header(result, 'x-vips-edge-error'), '404 not_found');
    assert.equal(imageOf(result).subarray(8, 12).toString(), 'WEBP');
  });
  // The file is not in the package: the 404 JSON error, once.
  const orphan = loadHandler({ fallback: { file: 'missing.png' } });
  await withOrigin({}, async (origin) => {
    const { result, log } = await call(orphan, origin, '/img/nope.jpg', 'w=40');
    assert.equal(result.status, '404');
    assert.equal(errorOf(result).code, 'not_found');
    assert.match(log.message, /the fallback image failed/);
  });
});

test('SVG: 415 by default; with "svg": "passthrough" the bytes unchanged under a sandboxing CSP', async () => {
  const svg = fixture('drawing.svg');
  await withOrigin({ '/d.svg': serve(svg, { 'content-type': 'image/svg+xml' }) }, async (origin) => {
    const refused = (await call(loadHandler({}), origin, '/d.svg', 'w=50')).result;
    assert.equal(refused.status, '415');
    assert.match(errorOf(refused).message, /SVG/);
    const { result, log } = await call(loadHandler({ svg: 'passthrough' }), origin, '/d.svg', 'w=50');
    assert.equal(result.status, '200');
    assert.equal(header(result, 'content-type'), 'image/svg+xml');
    assert.equal(header(result, 'content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    assert.equal(header(result, 'x-content-type-options'), 'nosniff');
    assert.deepEqual(imageOf(result), svg);
    assert.equal(log.outcome, 'svg_passthrough');
  });
});

test('CMYK: within 1.5 levels of the lcms reference with black-point compensation', async () => {
  const reference = JSON.parse(fs.readFileSync(path.join(root, 'tests/cases/cmyk-reference.json'), 'utf8'));
  const handler = loadHandler({});
  await withOrigin({}, async (origin) => {
    const { result } = await call(handler, origin, `/img/${reference.fixture}`, 'format=png');
    const png = decodePng(imageOf(result));
    for (const p of reference.patches) {
      const got = png.pixel(p.x, p.y);
      for (let b = 0; b < 3; b++) assert.ok(Math.abs(got[b] - p.srgb[b]) <= 1.5, `patch at ${p.x}: ${got} vs ${p.srgb}`);
    }
  });
});

test('bad delivery config: a clear error at load naming the key', async () => {
  for (const [config, key] of [
    [{ cacheRules: [{ prefix: 'img/', cacheControl: 'max-age=1' }] }, /cacheRules\[0\]\.prefix/],
    [{ fallback: { path: '/a.png', file: 'a.png' } }, /fallback: needs exactly one/],
    [{ svg: 'render' }, /svg: expected/],
    [{ errorCacheControl: { '3xx': 'x' } }, /errorCacheControl\.3xx: unknown key/],
  ]) {
    const handler = loadHandler(config);
    const { result, logs } = await withLogs(() => handler(customEvent({ uri: '/a.jpg', querystring: 'w=1' })));
    assert.equal(result.status, '500');
    assert.match(errorOf(result).message, key);
    assert.equal(logs[0].outcome, 'init_error');
  }
});

test('packaging: a bad delivery config is refused naming the key; a fallback file is bundled from beside the config', () => {
  const packageWith = (config, files = {}) => {
    const dir = tempDir('vips-edge-cfg-');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    const out = path.join(dir, 'out');
    const r = spawnSync(process.execPath, [path.join(root, 'node/scripts/package.mjs'), '--config', path.join(dir, 'config.json'), '--out', out], { encoding: 'utf8', timeout: 60000 });
    return { status: r.status, stderr: r.stderr, out };
  };
  const bad = packageWith({ cacheRules: [{ prefix: '/a/', cacheControl: 'max-age=soon' }] });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /config: cacheRules\[0\]\.cacheControl: max-age must be a number of seconds/);
  const absent = packageWith({ fallback: { file: 'missing.png' } });
  assert.notEqual(absent.status, 0);
  assert.match(absent.stderr, /fallback\.file: .*missing\.png does not exist/);
  const own = packageWith({ fallback: { file: 'index.js' } });
  assert.notEqual(own.status, 0);
  assert.match(own.stderr, /one of the package's own files/);
  const png = fixture('split-top-red-bottom-blue.png');
  const good = packageWith({ fallback: { file: 'missing.png' } }, { 'missing.png': png });
  assert.equal(good.status, 0, good.stderr);
  assert.deepEqual(fs.readFileSync(path.join(good.out, 'missing.png')), png);
  // clientHints: validated by the C++; any valid ladder packages (make deploy gives it to the
  // CloudFront Function: deploy/scripts/ladder.mjs).
  const unordered = packageWith({ clientHints: { widths: [640, 320] } });
  assert.notEqual(unordered.status, 0);
  assert.match(unordered.stderr, /clientHints\.widths: expected strictly ascending values/);
  const other = packageWith({ clientHints: { widths: [320, 640] } });
  assert.equal(other.status, 0, other.stderr);
  const same = packageWith({ clientHints: { widths: [320, 480, 640, 768, 1024, 1280, 1536, 1920, 2560], dprs: [1, 2, 3], saveDataQualityStep: 30 } });
  assert.equal(same.status, 0, same.stderr);
});
