// End to end over HTTP: viewer -> emulator (CloudFront) -> packaged handler
// (dist/package/index.js, built by `make package`) -> local static origin over
// fixtures/images. One row per URL API parameter and per error status the
// default configuration can produce.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';

import { startEmulatorProcess, get, ACCEPT_CHROME, FIXTURES, decodePng } from '../emulator/harness.mjs';

const PACKAGED = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../dist/package/index.js');
const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name));

function dims(body) {
  const d = imageSize(body);
  return { width: d.width, height: d.height, type: d.type };
}
const near = (actual, expected, msg) => assert.ok(Math.abs(actual - expected) <= 1, `${msg ?? ''} ${actual} !~ ${expected}`);

describe('emulator + packaged handler (custom origin)', { skip: !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`' }, () => {
  let emu;
  before(async () => { emu = await startEmulatorProcess({ env: { QUIET: '1' } }); });
  after(async () => { await emu?.stop(); });

  const image = async (target, { accept, type } = {}) => {
    const res = await get(emu.url, target, { headers: accept ? { accept } : {} });
    assert.equal(res.status, 200, `${target}: ${res.text().slice(0, 300)}`);
    if (type) assert.equal(res.headers['content-type'], type, target);
    assert.equal(res.headers['content-length'], String(res.body.length));
    return { res, ...dims(res.body) };
  };

  // photo-baseline.jpg is 1600x1203.
  describe('URL API rows', () => {
    test('w / width', async () => {
      for (const p of ['w=400', 'width=400']) {
        const r = await image(`/photo-baseline.jpg?${p}`, { type: 'image/jpeg' });
        assert.equal(r.width, 400, p);
        near(r.height, 301, p);
      }
    });

    test('h / height', async () => {
      for (const p of ['h=300', 'height=300']) {
        const r = await image(`/photo-baseline.jpg?${p}`);
        assert.equal(r.height, 300, p);
        near(r.width, 399, p);
      }
    });

    test('dpr multiplies w and h', async () => {
      assert.equal((await image('/photo-baseline.jpg?w=200&dpr=2')).width, 400);
      assert.equal((await image('/photo-baseline.jpg?w=200&dpr=1.5')).width, 300);
      const r = await image('/photo-baseline.jpg?w=100&h=50&dpr=3');
      assert.deepEqual([r.width, r.height], [300, 150]);
    });

    test('fit: cover (default with w+h), contain, fill, inside, outside', async () => {
      const size = async (q) => { const r = await image(`/photo-baseline.jpg?w=300&h=300${q}`); return [r.width, r.height]; };
      assert.deepEqual(await size(''), [300, 300]);
      assert.deepEqual(await size('&fit=cover'), [300, 300]);
      assert.deepEqual(await size('&fit=contain'), [300, 300]);
      assert.deepEqual(await size('&fit=fill'), [300, 300]);
      const inside = await size('&fit=inside');
      assert.equal(inside[0], 300); near(inside[1], 226);
      const outside = await size('&fit=outside');
      near(outside[0], 399); assert.equal(outside[1], 300);
    });

    test('pos / gravity picks the crop anchor (left red, right blue source)', async () => {
      const centre = async (q) => {
        const r = await image(`/split-left-red-right-blue.png?w=200&h=200&fit=cover&${q}`, { type: 'image/png' });
        const png = decodePng(r.res.body);
        assert.deepEqual([png.width, png.height], [200, 200]);
        return png.pixel(100, 100);
      };
      const [r1, , b1] = await centre('pos=west');
      assert.ok(r1 > 200 && b1 < 50, `west is red: ${r1},${b1}`);
      const [r2, , b2] = await centre('pos=east');
      assert.ok(b2 > 200 && r2 < 50, `east is blue: ${r2},${b2}`);
      const [r3, , b3] = await centre('gravity=east');
      assert.ok(b3 > 200 && r3 < 50, 'gravity alias');
      for (const p of ['center', 'north', 'northeast', 'southeast', 'south', 'southwest', 'northwest', 'entropy', 'attention']) {
        const r = await image(`/photo-baseline.jpg?w=150&h=150&pos=${p}`);
        assert.deepEqual([r.width, r.height], [150, 150], p);
      }
    });

    test('enlarge: never upscale unless enlarge=1', async () => {
      // orientation-1.jpg is 300x200.
      assert.equal((await image('/orientation-1.jpg?w=600')).width, 300);
      assert.equal((await image('/orientation-1.jpg?w=600&enlarge=0')).width, 300);
      const big = await image('/orientation-1.jpg?w=600&enlarge=1');
      assert.deepEqual([big.width, big.height], [600, 400]);
    });

    test('format / fm: jpeg, jpg, png, webp', async () => {
      const cases = { 'format=jpeg': 'image/jpeg', 'format=jpg': 'image/jpeg', 'format=png': 'image/png', 'format=webp': 'image/webp', 'fm=webp': 'image/webp', 'fm=png': 'image/png' };
      for (const [q, type] of Object.entries(cases)) {
        const r = await image(`/photo-baseline.jpg?w=120&${q}`, { type });
        assert.equal(r.width, 120, q);
        assert.equal(r.type, { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[type], q);
      }
      // Without format the source family is kept.
      assert.equal((await image('/photo.webp?w=100')).res.headers['content-type'], 'image/webp');
      assert.equal((await image('/palette.png?w=100')).res.headers['content-type'], 'image/png');
    });

    test('format=auto: WebP with a webp Accept (+ Vary: Accept), JPEG without, PNG for alpha', async () => {
      const webp = await image('/photo-baseline.jpg?w=200&format=auto', { accept: ACCEPT_CHROME, type: 'image/webp' });
      assert.equal(webp.type, 'webp');
      assert.match(webp.res.headers.vary ?? '', /accept/i);
      const jpeg = await image('/photo-baseline.jpg?w=200&format=auto', { type: 'image/jpeg' });
      assert.match(jpeg.res.headers.vary ?? '', /accept/i);
      const jpeg2 = await image('/photo-baseline.jpg?w=200&format=auto', { accept: 'image/webp;q=0,*/*', type: 'image/jpeg' });
      assert.equal(jpeg2.type, 'jpg');
      await image('/alpha-half-transparent.png?w=200&format=auto', { accept: '*/*', type: 'image/png' });
    });

    test('q / quality: lower quality, fewer bytes', async () => {
      const lo = await image('/photo-baseline.jpg?w=400&q=10');
      const hi = await image('/photo-baseline.jpg?w=400&q=95');
      assert.ok(lo.res.body.length < hi.res.body.length / 2, `${lo.res.body.length} vs ${hi.res.body.length}`);
      const alias = await image('/photo-baseline.jpg?w=400&quality=10');
      assert.ok(Math.abs(alias.res.body.length - lo.res.body.length) < 64);
    });

    test('bg: contain padding colour; transparent by default for PNG', async () => {
      const pad = async (q) => {
        const r = await image(`/split-left-red-right-blue.png?w=200&h=200&fit=contain&format=png${q}`, { type: 'image/png' });
        return decodePng(r.res.body);
      };
      const green = await pad('&bg=00ff00');
      const [r, g, b, a] = green.pixel(100, 5);
      assert.ok(g > 200 && r < 50 && b < 50 && a === 255, `padding is green: ${[r, g, b, a]}`);
      const [r2, , b2] = green.pixel(20, 100);
      assert.ok(r2 > 200 && b2 < 50, 'content still red on the left');
      const short = await pad('&bg=0f0');
      assert.ok(short.pixel(100, 5)[1] > 200, 'rgb shorthand');
      assert.equal((await pad('')).pixel(100, 5)[3], 0, 'transparent padding');
      // Flattening alpha onto bg for JPEG.
      const flat = await image('/alpha-half-transparent.png?w=100&format=jpeg&bg=ff0000', { type: 'image/jpeg' });
      assert.equal(flat.width, 100);
    });

    test('EXIF orientation is applied (orientation-6 stored 200x300 -> 300x200 upright)', async () => {
      const r = await image('/orientation-6.jpg?w=150');
      assert.deepEqual([r.width, r.height], [150, 100]);
    });

    test('unknown parameters are ignored and not part of the cache key', async () => {
      const a = await image('/photo-gray.jpg?w=77&utm_source=x');
      assert.equal(a.width, 77);
      const b = await get(emu.url, '/photo-gray.jpg?w=77&other=y');
      assert.equal(b.headers['x-cache'], 'Hit from emulator');
      assert.deepEqual(b.body, a.res.body);
    });

    test('HEAD on a transform returns headers only', async () => {
      const r = await get(emu.url, '/photo-gray.jpg?w=66', { method: 'HEAD' });
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers['content-type'], 'image/jpeg');
    });
  });

  describe('responses', () => {
    test('200 carries the documented headers and nothing read-only', async () => {
      const { res } = await image('/photo-baseline.jpg?w=50');
      assert.match(res.headers['cache-control'], /max-age=\d+/);
      assert.match(res.headers.etag, /^"[^"]+"$/);
      assert.ok(res.headers['last-modified'], 'last-modified copied from the origin');
      assert.equal(res.headers['x-cache'], 'Miss from emulator');
    });

    test('passthrough: no params -> the original bytes', async () => {
      for (const name of ['photo-baseline.jpg', 'alpha-half-transparent.png', 'photo.webp', 'not-an-image.html']) {
        const res = await get(emu.url, `/${name}`);
        assert.equal(res.status, 200, name);
        assert.deepEqual(res.body, fixture(name), name);
      }
      const onlySig = await get(emu.url, '/photo.gif?sig=abc');
      assert.deepEqual(onlySig.body, fixture('photo.gif'), 'sig alone is not a transform');
      const missing = await get(emu.url, '/missing.jpg');
      assert.equal(missing.status, 404);
    });

    const errorCase = async (target, status, code, param) => {
      const res = await get(emu.url, target);
      assert.equal(res.status, status, `${target}: ${res.text().slice(0, 300)}`);
      assert.match(res.headers['content-type'], /^application\/json/);
      assert.match(res.headers['cache-control'] ?? '', /max-age=\d+/);
      const body = res.json();
      assert.equal(body.error.status, status, target);
      assert.equal(body.error.code, code, target);
      assert.equal(typeof body.error.message, 'string');
      if (param) assert.equal(body.error.param, param, target);
      return res;
    };

    test('400 invalid_parameter for bad, repeated, empty and out-of-range values', async () => {
      const cases = [
        ['w=abc', 'w'], ['w=0', 'w'], ['w=-5', 'w'], ['w=1.5', 'w'], ['w=99999', 'w'], ['w=', 'w'], ['w=10&w=20', 'w'],
        ['w=10&width=20', undefined], ['h=0', 'h'], ['dpr=0', 'dpr'], ['dpr=5', 'dpr'], ['fit=stretch', 'fit'], ['pos=top', 'pos'],
        ['enlarge=2', 'enlarge'], ['format=gif', 'format'], ['q=0', 'q'], ['q=101', 'q'], ['bg=red', 'bg'], ['bg=12345', 'bg'],
      ];
      for (const [q, param] of cases) await errorCase(`/photo-baseline.jpg?${q}`, 400, 'invalid_parameter', param);
    });

    test('404 not_found for a missing image', async () => {
      await errorCase('/does-not-exist.jpg?w=100', 404, 'not_found');
    });

    test('415 unsupported_format for HTML', async () => {
      await errorCase('/not-an-image.html?w=100', 415, 'unsupported_format');
    });

    test('422 undecodable_image for a truncated JPEG', async () => {
      await errorCase('/photo-truncated.jpg?w=100', 422, 'undecodable_image');
    });

    test('error responses are cached briefly (400: Hit on repeat)', async () => {
      await errorCase('/photo-baseline.jpg?w=nope', 400, 'invalid_parameter', 'w');
      const again = await get(emu.url, '/photo-baseline.jpg?w=nope');
      assert.equal(again.headers['x-cache'], 'Hit from emulator');
    });
  });

  describe('cache', () => {
    test('Miss then Hit; another normalised Accept is a Miss; an equivalent one a Hit', async () => {
      const t = '/photo-progressive.jpg?w=90&format=auto';
      const a = await get(emu.url, t, { headers: { accept: ACCEPT_CHROME } });
      assert.equal(a.headers['x-cache'], 'Miss from emulator');
      assert.equal(a.headers['content-type'], 'image/webp');
      const b = await get(emu.url, t, { headers: { accept: ACCEPT_CHROME } });
      assert.equal(b.headers['x-cache'], 'Hit from emulator');
      assert.deepEqual(b.body, a.body);
      const c = await get(emu.url, t, { headers: { accept: 'image/webp,*/*' } });
      assert.equal(c.headers['x-cache'], 'Hit from emulator', 'same x-vips-edge-accept value');
      const d = await get(emu.url, t, { headers: { accept: '*/*' } });
      assert.equal(d.headers['x-cache'], 'Miss from emulator');
      assert.equal(d.headers['content-type'], 'image/jpeg');
      const e = await get(emu.url, t);
      assert.equal(e.headers['x-cache'], 'Hit from emulator', 'no Accept = other');
      assert.equal(e.headers['content-type'], 'image/jpeg');
      const f = await get(emu.url, '/photo-progressive.jpg?format=auto&w=90', { headers: { accept: ACCEPT_CHROME } });
      assert.equal(f.headers['x-cache'], 'Miss from emulator', 'parameter order is part of the key');
    });
  });
});
