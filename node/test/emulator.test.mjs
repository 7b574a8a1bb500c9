// End to end over HTTP: viewer -> emulator (CloudFront) -> packaged handler
// (dist/package/index.js, built by `make package`) -> local static origin over
// fixtures/images. One row per URL API parameter and per error status the
// default configuration can produce.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';

import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash';

import { startEmulatorProcess, get, ACCEPT_CHROME, FIXTURES, decodePng, webpFrameDelays } from '../emulator/harness.mjs';

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

    test('TIFF source (codec module): the first page, any output; kept as JPEG, or PNG with alpha', async () => {
      // photo-lzw.tif is 120x90; multipage-red-blue.tif's first page 40x30.
      assert.deepEqual(Object.values(await image('/photo-lzw.tif?w=60', { type: 'image/jpeg' })).slice(1), [60, 45, 'jpg']);
      assert.equal((await image('/photo-jpeg.tif?w=60&format=webp', { type: 'image/webp' })).width, 60);
      assert.equal((await image('/photo-rgb16-deflate.tif?w=60&format=png', { type: 'image/png' })).width, 60);
      assert.equal((await image('/photo-bigtiff.tif?w=60&format=auto', { accept: ACCEPT_CHROME, type: 'image/avif' })).type, 'avif');
      assert.equal((await image('/alpha-deflate.tif?w=40', { type: 'image/png' })).width, 40);
      const first = await image('/multipage-red-blue.tif?format=png', { type: 'image/png' });
      assert.deepEqual([first.width, first.height], [40, 30]);
      const described = await get(emu.url, '/multipage-red-blue.tif?format=json');
      assert.deepEqual(JSON.parse(described.text()).source, { width: 40, height: 30, format: 'tiff', hasAlpha: false, bytes: fixture('multipage-red-blue.tif').length, frames: 1 });
    });

    test('format=auto: AVIF for Chrome, WebP with a webp-only Accept (+ Vary: Accept), JPEG without, PNG for alpha', async () => {
      const avif = await image('/photo-baseline.jpg?w=200&format=auto', { accept: ACCEPT_CHROME, type: 'image/avif' });
      assert.deepEqual([avif.type, avif.width], ['avif', 200]);
      assert.match(avif.res.headers.vary ?? '', /accept/i);
      const webp = await image('/photo-baseline.jpg?w=200&format=auto', { accept: 'image/webp,*/*', type: 'image/webp' });
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

  describe('URL API v2 rows (pixels decoded from PNG output)', () => {
    const png = async (target) => {
      const r = await image(target, { type: 'image/png' });
      return decodePng(r.res.body);
    };
    // Mean absolute Laplacian of the luminance.
    const edgeEnergy = (img) => {
      const lum = (x, y) => { const [r, g, b] = img.pixel(x, y); return 0.299 * r + 0.587 * g + 0.114 * b; };
      let sum = 0;
      for (let y = 1; y < img.height - 1; y++) {
        for (let x = 1; x < img.width - 1; x++) sum += Math.abs(lum(x - 1, y) + lum(x + 1, y) + lum(x, y - 1) + lum(x, y + 1) - 4 * lum(x, y));
      }
      return sum / ((img.width - 2) * (img.height - 2));
    };
    const sameAt = (a, b, ax, ay, bx, by) => assert.deepEqual(a.pixel(ax, ay), b.pixel(bx, by), `(${ax},${ay}) vs (${bx},${by})`);

    test('rot / rotate: clockwise, the sides swap, w is the rotated width', async () => {
      const plain = await png('/photo-baseline.jpg?w=160&format=png');
      const turned = await png('/photo-baseline.jpg?h=160&rot=90&format=png');
      assert.deepEqual([turned.width, turned.height], [plain.height, plain.width]);
      // Clockwise: the output's (x, y) is the plain image's (y, H - 1 - x).
      for (const [x, y] of [[0, 0], [10, 50], [turned.width - 1, turned.height - 1], [60, 3]]) sameAt(turned, plain, x, y, y, plain.height - 1 - x);
      const alias = await image('/photo-baseline.jpg?w=200&rotate=270');
      assert.deepEqual([alias.width, alias.height], [200, 266]);
    });

    test('flip: the output equals the mirrored plain one', async () => {
      const plain = await png('/photo-baseline.jpg?w=120&format=png');
      const h = await png('/photo-baseline.jpg?w=120&flip=h&format=png');
      const v = await png('/photo-baseline.jpg?w=120&flip=v&format=png');
      assert.deepEqual([h.width, h.height], [plain.width, plain.height]);
      for (let y = 0; y < plain.height; y += 7) {
        for (let x = 0; x < plain.width; x += 5) {
          sameAt(h, plain, x, y, plain.width - 1 - x, y);
          sameAt(v, plain, x, y, x, plain.height - 1 - y);
        }
      }
    });

    test('rect: the expected region of the upright source, before resizing; outside is a 400', async () => {
      const right = await png('/split-left-red-right-blue.png?rect=250,20,100,60&format=png');
      assert.deepEqual([right.width, right.height], [100, 60]);
      for (const [x, y] of [[0, 0], [99, 59], [50, 30]]) assert.deepEqual(right.pixel(x, y).slice(0, 3), [0, 0, 255]);
      const left = await png('/split-left-red-right-blue.png?rect=0,0,150,200&w=75&format=png');
      assert.deepEqual([left.width, left.height], [75, 100]);
      assert.ok(left.pixel(70, 50)[0] > 240 && left.pixel(70, 50)[2] < 15, 'all red');
      const card = await png('/orientation-6.jpg?rect=150,100,150,100&format=png'); // bottom-right of the upright card
      const [r, g, b] = card.pixel(75, 50);
      assert.ok(r > 200 && g > 200 && b < 60, `yellow: ${r},${g},${b}`);
      const res = await get(emu.url, '/split-left-red-right-blue.png?rect=500,0,10,10');
      assert.equal(res.status, 400);
      assert.equal(res.json().error.param, 'rect');
    });

    test('trim: a known 20 px white border removed before resizing', async () => {
      const trimmed = await png('/border-white-20.png?trim=10&format=png');
      assert.deepEqual([trimmed.width, trimmed.height], [160, 60]);
      const [r, g, b] = trimmed.pixel(0, 0);
      assert.ok(r + g + b < 700, `no white corner left: ${r},${g},${b}`);
      const resized = await image('/border-white-20.png?trim=10&w=80');
      assert.deepEqual([resized.width, resized.height], [80, 30]);
      // The border is the top-left pixel's colour: the red half goes, the blue half stays.
      const half = await png('/split-left-red-right-blue.png?trim=10&format=png');
      assert.deepEqual([half.width, half.height], [200, 200]);
      assert.deepEqual(half.pixel(0, 0).slice(0, 3), [0, 0, 255]);
    });

    test('blur lowers and sharpen raises edge energy, after resizing', async () => {
      const plain = await png('/photo-baseline.jpg?w=200&format=png');
      const blurred = await png('/photo-baseline.jpg?w=200&blur=2&format=png');
      const sharpened = await png('/photo-baseline.jpg?w=200&sharpen=2&format=png');
      for (const o of [blurred, sharpened]) assert.deepEqual([o.width, o.height], [plain.width, plain.height]);
      const [e, eb, es] = [edgeEnergy(plain), edgeEnergy(blurred), edgeEnergy(sharpened)];
      assert.ok(eb < 0.6 * e, `blur: ${eb} vs ${e}`);
      assert.ok(es > 1.2 * e, `sharpen: ${es} vs ${e}`);
    });

    test('fp: the cover crop centred on the focal point; with pos a 400', async () => {
      const red = await png('/split-left-red-right-blue.png?w=100&h=100&fp=0,0.5&format=png');
      const blue = await png('/split-left-red-right-blue.png?w=100&h=100&fp=1,0.5&format=png');
      assert.deepEqual([red.width, red.height], [100, 100]);
      assert.ok(red.pixel(99, 50)[0] > 240, 'far left window: red up to its right edge');
      assert.ok(blue.pixel(0, 50)[2] > 240, 'far right window: blue from its left edge');
      const res = await get(emu.url, '/split-left-red-right-blue.png?w=100&h=100&fp=0.5,0.5&pos=north');
      assert.equal(res.status, 400);
      assert.equal(res.json().error.param, 'fp');
    });

    test('anim: an animated GIF stays animated as WebP (frames, delays), anim=0 takes the first frame', async () => {
      const animated = await image('/animated-rgb.gif?w=30', { type: 'image/webp' });
      assert.deepEqual([animated.width, animated.height], [30, 20]);
      assert.deepEqual(webpFrameDelays(animated.res.body), [100, 200, 300]);
      const auto = await image('/animated-rgb.gif?w=30&format=auto', { accept: ACCEPT_CHROME, type: 'image/webp' });
      assert.equal(webpFrameDelays(auto.res.body).length, 3);
      const first = await image('/animated-rgb.gif?w=30&anim=0', { type: 'image/png' });
      assert.deepEqual([first.width, first.height], [30, 20]);
      const res = await get(emu.url, '/animated-rgb.gif?anim=2');
      assert.equal(res.status, 400);
      assert.equal(res.json().error.param, 'anim');
    });

    test('format=json round-trips: the image request gives what it says; its ThumbHash has the aspect ratio', async () => {
      const res = await get(emu.url, '/photo-baseline.jpg?w=300&rot=90&format=json');
      assert.equal(res.status, 200, res.text().slice(0, 300));
      assert.equal(res.headers['content-type'], 'application/json');
      assert.match(res.headers.etag, /^"[0-9a-f]{64}"$/);
      assert.match(res.headers['cache-control'], /max-age=\d+/);
      const body = res.json();
      assert.deepEqual(body.source, { width: 1600, height: 1203, format: 'jpeg', hasAlpha: false, bytes: 84624, frames: 1 });
      const img = await image('/photo-baseline.jpg?w=300&rot=90');
      assert.deepEqual(body.output, { width: img.width, height: img.height, format: 'jpeg', frames: 1 });
      const decoded = thumbHashToRGBA(Buffer.from(body.thumbhash, 'base64'));
      const aspect = decoded.w / decoded.h;
      assert.ok(Math.abs(aspect - img.width / img.height) < 0.12, `ThumbHash renders ${decoded.w}x${decoded.h} for ${img.width}x${img.height}`);
      assert.match(body.dominant, /^#[0-9a-f]{6}$/);
    });

    test('format=json ThumbHash = the reference implementation on the same pixels', async () => {
      // A crop under 100 px of a lossless source: the pixels hashed are exactly the PNG's.
      const q = 'rect=130,40,95,70';
      const body = (await get(emu.url, `/split-left-red-right-blue.png?${q}&format=json`)).json();
      const pixels = await png(`/split-left-red-right-blue.png?${q}&format=png`);
      const rgba = new Uint8Array(pixels.width * pixels.height * 4);
      for (let y = 0; y < pixels.height; y++) for (let x = 0; x < pixels.width; x++) rgba.set(pixels.pixel(x, y), (y * pixels.width + x) * 4);
      assert.equal(body.thumbhash, Buffer.from(rgbaToThumbHash(pixels.width, pixels.height, rgba)).toString('base64'));
      assert.equal(body.dominant, '#ff0000', '70 of 95 columns are red');
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
        ['rot=45', 'rot'], ['rotate=0', 'rot'], ['flip=x', 'flip'], ['rect=0,0,0,1', 'rect'], ['rect=1,2,3', 'rect'], ['fp=0.5,0.5', 'fp'],
        ['w=1&h=1&fp=2,0', 'fp'], ['trim=0', 'trim'], ['trim=101', 'trim'], ['blur=0.1', 'blur'], ['blur=101', 'blur'],
        ['sharpen=11', 'sharpen'], ['format=JSON', 'format'],
      ];
      for (const [q, param] of cases) await errorCase(`/photo-baseline.jpg?${q}`, 400, 'invalid_parameter', param);
    });

    test('404 not_found for a missing image', async () => {
      await errorCase('/does-not-exist.jpg?w=100', 404, 'not_found');
    });

    test('415 unsupported_format for HTML', async () => {
      await errorCase('/not-an-image.html?w=100', 415, 'unsupported_format');
    });

    test('415 unsupported_format for a CMYK TIFF (never converted naively)', async () => {
      await errorCase('/photo-cmyk.tif?w=100', 415, 'unsupported_format');
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
      assert.equal(a.headers['content-type'], 'image/avif');
      const b = await get(emu.url, t, { headers: { accept: ACCEPT_CHROME } });
      assert.equal(b.headers['x-cache'], 'Hit from emulator');
      assert.deepEqual(b.body, a.body);
      const c = await get(emu.url, t, { headers: { accept: 'image/avif,image/webp,*/*' } });
      assert.equal(c.headers['x-cache'], 'Hit from emulator', 'same x-vips-edge-accept value');
      const w = await get(emu.url, t, { headers: { accept: 'image/webp,*/*' } });
      assert.equal(w.headers['x-cache'], 'Miss from emulator', 'the webp bucket');
      assert.equal(w.headers['content-type'], 'image/webp');
      const d = await get(emu.url, t, { headers: { accept: '*/*' } });
      assert.equal(d.headers['x-cache'], 'Miss from emulator');
      assert.equal(d.headers['content-type'], 'image/jpeg');
      const e = await get(emu.url, t);
      assert.equal(e.headers['x-cache'], 'Hit from emulator', 'no Accept = other');
      assert.equal(e.headers['content-type'], 'image/jpeg');
      const f = await get(emu.url, '/photo-progressive.jpg?format=auto&w=90', { headers: { accept: ACCEPT_CHROME } });
      assert.equal(f.headers['x-cache'], 'Hit from emulator', 'the order does not matter: one canonical query');
    });

    test('one cache key per image: aliases, order, spelled-out defaults and value spellings share it', async () => {
      const a = await get(emu.url, '/photo-gray.jpg?w=88&h=60&fit=cover&format=jpeg');
      assert.equal(a.headers['x-cache'], 'Miss from emulator');
      for (const t of ['/photo-gray.jpg?h=60&width=88&fm=jpg', '/photo-gray.jpg?w=88&h=60&dpr=1.0&enlarge=0&pos=center&format=jpeg',
        '/photo-gray.jpg?height=60&w=%38%38&format=jpeg&utm=1']) {
        const b = await get(emu.url, t, { headers: { accept: ACCEPT_CHROME } });
        assert.equal(b.headers['x-cache'], 'Hit from emulator', t);
        assert.deepEqual(b.body, a.body);
      }
    });
  });
});
