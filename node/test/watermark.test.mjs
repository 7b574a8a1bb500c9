// wm=name (src/handler/watermarks.hpp, src/image/watermark.hpp) through the
// PACKAGED handler and through the emulator: an overlay on the origin fetched
// once for many images, a bundled one, a missing or bad one (500
// watermark_unavailable, retried), bad parameters (400), packaging.
// The overlay is fixtures/images/logo-alpha.png: 64x32, a 4 px transparent
// border around a (0,160,255) block, its left half opaque, its right half alpha 128.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodePng, get, startEmulatorProcess } from '../emulator/harness.mjs';
import { assertValidResponse, customEvent, errorOf, header, imageOf, imagesDir, loadHandler, root, startOrigin, withLogs } from './helpers.mjs';

const fixture = (name) => fs.readFileSync(path.join(imagesDir, name));
const LOGO = [0, 160, 255];
const HALF_ON_RED = [127, 80, 128]; // the alpha-128 half over red
const near = (got, want, tolerance = 2) => want.every((v, i) => Math.abs(got[i] - v) <= tolerance);

async function call(handler, port, uri, querystring) {
  const { result, logs } = await withLogs(() => handler(customEvent({ port, uri, querystring })));
  assertValidResponse(result);
  return { result, log: logs[0] };
}

/** An origin counting the requests for each path; /logo.png answers `logo()` (null: 404). */
async function countingOrigin(logo) {
  const counts = {};
  const origin = await startOrigin({
    '/brand/logo.png': (req, res) => {
      counts.logo = (counts.logo ?? 0) + 1;
      const bytes = logo();
      res.writeHead(bytes ? 200 : 404, { 'content-type': bytes ? 'image/png' : 'text/html' });
      res.end(bytes ?? '<h1>not found</h1>');
    },
  });
  return { origin, counts };
}

const WATERMARKS = {
  logo: { path: '/brand/logo.png', gravity: 'northwest', margin: 0, size: 0.32 },
  bundled: { file: 'brand-logo.png', gravity: 'southeast', margin: 10, size: 0.32, opacity: 0.5 },
};

test('packaged: an overlay on the origin is fetched once for many images, at its place and opacity', async () => {
  const handler = loadHandler({ watermarks: WATERMARKS });
  const { origin, counts } = await countingOrigin(() => fixture('logo-alpha.png'));
  try {
    for (const [i, query] of ['w=200&format=png&wm=logo', 'w=200&format=png&wm=logo&wmo=1', 'w=100&format=png&wm=logo&wms=0.64', 'w=120&format=webp&wm=logo'].entries()) {
      const { result, log } = await call(handler, origin.port, '/img/split-left-red-right-blue.png', query);
      assert.equal(result.status, '200', result.body);
      assert.equal(log.outcome, 'transformed');
      if (i < 3) {
        const png = decodePng(imageOf(result));
        assert.ok(near(png.pixel(10, 10), LOGO), `${query}: ${png.pixel(10, 10)}`);
        assert.ok(near(png.pixel(45, 20), HALF_ON_RED), `${query}: ${png.pixel(45, 20)}`);
        assert.ok(near(png.pixel(2, 2), [255, 0, 0]), `${query}: the logo's transparent border`);
      }
    }
    assert.equal(counts.logo, 1, 'the overlay is fetched once per container');
  } finally {
    await origin.close();
  }
});

test('packaged: a bundled overlay; JPEG output flattened, alpha output keeps its transparency', async () => {
  const handler = loadHandler({ watermarks: WATERMARKS }, { files: { 'brand-logo.png': fixture('logo-alpha.png') } });
  const origin = await startOrigin();
  try {
    // southeast, margin 10, opacity 0.5: the opaque half at half strength over blue.
    const { result } = await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=200&format=png&wm=bundled');
    const png = decodePng(imageOf(result));
    assert.ok(near(png.pixel(126 + 10, 58 + 10), [0, 80, 255]), `${png.pixel(136, 68)}`);
    assert.ok(near(png.pixel(190, 95), [0, 0, 255]));
    const jpeg = (await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=200&format=jpeg&wm=bundled')).result;
    assert.equal(header(jpeg, 'content-type'), 'image/jpeg');
    // alpha-half-transparent.png: its left half transparent; the logo northwest over it.
    const alpha = decodePng(imageOf((await call(handler, origin.port, '/img/alpha-half-transparent.png', 'w=200&format=png&wm=bundled&wmo=1')).result));
    assert.equal(alpha.pixel(5, 5)[3], 0);
    assert.equal(alpha.pixel(200 - 64 - 10 + 10, 150 - 32 - 10 + 10)[3], 255);
  } finally {
    await origin.close();
  }
});

test('packaged: a missing or undecodable overlay is a 500 watermark_unavailable with the 5xx TTL, retried next time', async () => {
  const handler = loadHandler({ watermarks: WATERMARKS, errorCacheControl: { '4xx': 'public, max-age=30', '5xx': 'public, max-age=5' } });
  let logo = null;
  const { origin, counts } = await countingOrigin(() => logo);
  try {
    for (const [bytes, message] of [[null, /HTTP 404/], [fixture('not-an-image.html'), /not an image/], [fixture('photo-truncated.jpg'), /cannot decode/]]) {
      logo = bytes;
      const { result, log } = await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=100&wm=logo');
      assert.equal(result.status, '500');
      const error = errorOf(result);
      assert.equal(error.code, 'watermark_unavailable');
      assert.equal(error.param, 'wm');
      assert.match(error.message, message);
      assert.equal(header(result, 'cache-control'), 'public, max-age=5');
      assert.equal(log.code, 'watermark_unavailable');
    }
    assert.equal(counts.logo, 3, 'a failed overlay is not kept');
    logo = fixture('logo-alpha.png');
    assert.equal((await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=100&wm=logo')).result.status, '200');
    assert.equal((await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=101&wm=logo')).result.status, '200');
    assert.equal(counts.logo, 4);
    // A bundled file that is not in the package: the same error.
    const missing = (await call(handler, origin.port, '/img/split-left-red-right-blue.png', 'w=100&wm=bundled')).result;
    assert.equal(missing.status, '500');
    assert.equal(errorOf(missing).code, 'watermark_unavailable');
  } finally {
    await origin.close();
  }
});

test('packaged: bad parameters are 400s naming them; a bad watermarks config fails at load', async () => {
  const handler = loadHandler({ watermarks: WATERMARKS });
  for (const [query, param] of [['wm=nope', 'wm'], ['wm=', 'wm'], ['w=10&wms=0.5', 'wms'], ['wm=logo&wms=0', 'wms'], ['wm=logo&wms=2', 'wms'], ['wm=logo&wmo=1.5', 'wmo'], ['wm=logo&wm=logo', 'wm']]) {
    const { result } = await call(handler, 1, '/img/a.png', query);
    assert.equal(result.status, '400', query);
    assert.equal(errorOf(result).param, param, query);
  }
  const bad = loadHandler({ watermarks: { logo: { path: '/a.png', gravity: 'entropy' } } });
  const { result, logs } = await withLogs(() => bad(customEvent({ uri: '/a.jpg', querystring: 'w=1' })));
  assert.equal(result.status, '500');
  assert.match(errorOf(result).message, /watermarks\.logo\.gravity/);
  assert.equal(logs[0].outcome, 'init_error');
});

test('packaging: a watermark file is bundled from beside the config, or packaging fails naming it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-wm-'));
  const packageWith = (name, config, files = {}) => {
    const at = path.join(dir, name);
    fs.mkdirSync(at);
    fs.writeFileSync(path.join(at, 'config.json'), JSON.stringify(config));
    for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(path.join(at, file), bytes);
    const out = path.join(at, 'out');
    const r = spawnSync(process.execPath, [path.join(root, 'node/scripts/package.mjs'), '--config', path.join(at, 'config.json'), '--out', out], { encoding: 'utf8', timeout: 60000 });
    return { status: r.status, stderr: r.stderr, out };
  };
  const absent = packageWith('absent', { watermarks: { logo: { file: 'logo.png' } } });
  assert.notEqual(absent.status, 0);
  assert.match(absent.stderr, /watermarks\.logo\.file: .*logo\.png does not exist/);
  const logo = fixture('logo-alpha.png');
  const good = packageWith('good', { fallback: { file: 'logo.png' }, watermarks: { a: { file: 'logo.png' }, b: { file: 'b.png' } } }, { 'logo.png': logo, 'b.png': logo });
  assert.equal(good.status, 0, good.stderr);
  assert.deepEqual(fs.readFileSync(path.join(good.out, 'logo.png')), logo);
  assert.deepEqual(fs.readFileSync(path.join(good.out, 'b.png')), logo);
  fs.rmSync(dir, { recursive: true, force: true });
});

const PACKAGED = path.join(root, 'dist/package/index.js');
const skip = !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`';

describe('emulator: an overlay on the origin, the showcase\'s bundled one, errors', { skip }, () => {
  let emu;
  let showcase;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-cfg-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ watermarks: { brand: { path: '/logo-alpha.png', gravity: 'northwest', margin: 0, size: 0.32 }, gone: { path: '/no-such-logo.png' } } }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, QUIET: '1' } });
    showcase = await startEmulatorProcess({ env: { SHOWCASE: '1', QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    await showcase?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('wm=brand: the origin\'s overlay at the top-left, any spelling of the query', async () => {
    for (const query of ['w=200&format=png&wm=brand', 'wm=brand&fm=png&width=200&utm=x']) {
      const res = await get(emu.url, `/split-left-red-right-blue.png?${query}`);
      assert.equal(res.status, 200, res.text().slice(0, 300));
      const png = decodePng(res.body);
      assert.equal(png.width, 200);
      assert.ok(near(png.pixel(10, 10), LOGO), `${png.pixel(10, 10)}`);
      assert.ok(near(png.pixel(45, 20), HALF_ON_RED), `${png.pixel(45, 20)}`);
    }
  });

  test('a missing overlay is a JSON 500, an unknown name or a bad wms a 400', async () => {
    const gone = await get(emu.url, '/split-left-red-right-blue.png?w=50&wm=gone');
    assert.equal(gone.status, 500);
    assert.match(gone.headers['content-type'], /^application\/json/);
    assert.equal(gone.json().error.code, 'watermark_unavailable');
    for (const query of ['w=50&wm=nope', 'w=50&wm=brand&wms=0', 'w=50&wmo=0.5']) {
      const res = await get(emu.url, `/split-left-red-right-blue.png?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.json().error.code, 'invalid_parameter');
    }
  });

  test('make serve\'s showcase: wm=logo composites the bundled logo at the bottom right', async () => {
    const res = await get(showcase.url, '/split-left-red-right-blue.png?w=320&format=png&wm=logo');
    assert.equal(res.status, 200, res.text().slice(0, 300));
    const png = decodePng(res.body);
    // size 0.2 of 320 = 64 px (the logo's own size), margin 12, opacity 0.85 over blue.
    const [x, y] = [320 - 64 - 12, 160 - 32 - 12];
    assert.ok(near(png.pixel(x + 10, y + 10), [0, 136, 255], 3), `${png.pixel(x + 10, y + 10)}`);
    assert.ok(near(png.pixel(x - 5, y + 10), [0, 0, 255]));
  });
});
