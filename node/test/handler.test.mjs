// The packaged handler (dist/package/index.js) on every fixture event and
// every error path, against local origins on 127.0.0.1. Default config.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { imageSize } from 'image-size';
import {
  assertValidResponse, customEvent, errorOf, eventsDir, fixtureEvent, header, imageOf, imagesDir, loadHandler, startOrigin, withLogs,
} from './helpers.mjs';

const handler = loadHandler();
let origin;
const served = { stalled: [] };

before(async () => {
  origin = await startOrigin({
    '/photos/cat.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', etag: '"src"' });
      res.end(fs.readFileSync(path.join(imagesDir, 'photo-baseline.jpg')));
    },
    '/photos/dog.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(path.join(imagesDir, 'photo-progressive.jpg')));
    },
    '/photos/upload.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(path.join(imagesDir, 'photo-baseline.jpg')));
    },
    '/boom.jpg': (req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal');
    },
    '/moved.jpg': (req, res) => {
      res.writeHead(302, { location: '/img/photo-baseline.jpg' });
      res.end();
    },
    '/html.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(path.join(imagesDir, 'not-an-image.html')));
    },
    '/truncated.avif': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/avif' });
      const avif = fs.readFileSync(path.join(imagesDir, 'photo.avif'));
      res.end(avif.subarray(0, avif.length / 2));
    },
    '/truncated.tif': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/tiff' });
      const tiff = fs.readFileSync(path.join(imagesDir, 'photo-lzw.tif'));
      res.end(tiff.subarray(0, tiff.length / 2));
    },
    '/stall.jpg': (req, res) => {
      served.stalled.push(res); // never answers
    },
    '/stall-body.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '100000' });
      res.write(fs.readFileSync(path.join(imagesDir, 'photo-baseline.jpg')).subarray(0, 1000));
      served.stalled.push(res);
    },
  });
});
after(() => origin.close());

const call = (ev) => withLogs(() => handler(ev));

test('every fixture event gives a valid result', async () => {
  for (const name of fs.readdirSync(eventsDir).filter((f) => f.endsWith('.json'))) {
    const ev = fixtureEvent(name);
    const req = ev.Records[0].cf.request;
    if (req.origin.custom) Object.assign(req.origin.custom, { domainName: '127.0.0.1', port: origin.port, protocol: 'http' });
    const { result, logs } = await call(ev);
    assert.equal(logs.length, 1, `${name}: one log line`);
    assert.equal(logs[0].requestId, ev.Records[0].cf.config.requestId);
    if ('status' in result) assertValidResponse(result);
    else assert.deepEqual(result, req, `${name}: a passthrough returns the request unchanged`);
  }
});

test('passthrough returns the request as CloudFront gave it', async () => {
  const ev = fixtureEvent('origin-request-passthrough.json');
  const { result, logs } = await call(ev);
  assert.deepEqual(result, fixtureEvent('origin-request-passthrough.json').Records[0].cf.request);
  assert.equal(logs[0].outcome, 'passthrough');
});

test('custom fixture: w=400&format=auto without webp -> JPEG 400 wide, vary accept, origin headers', async () => {
  const { result, logs } = await call(customEvent({ port: origin.port }));
  assertValidResponse(result);
  assert.equal(result.status, '200');
  const img = imageOf(result);
  const dims = imageSize(img);
  assert.deepEqual([dims.type, dims.width, dims.height], ['jpg', 400, 301]);
  assert.equal(header(result, 'content-type'), 'image/jpeg');
  assert.equal(header(result, 'vary')?.toLowerCase(), 'accept');
  const log = logs[0];
  for (const k of ['requestId', 'uri', 'spec', 'outcome', 'status', 'fetchMs', 'transformMs', 'bytesIn', 'bytesOut', 'width', 'height', 'format', 'quality'])
    assert.ok(k in log, `log has ${k}`);
  assert.equal(log.outcome, 'transformed');
  assert.equal(log.bytesIn, fs.statSync(path.join(imagesDir, 'photo-baseline.jpg')).size);
});

test('format=auto with x-vips-edge-accept: webp -> WebP', async () => {
  const ev = customEvent({ port: origin.port, headers: { 'x-vips-edge-accept': [{ key: 'X-Vips-Edge-Accept', value: 'webp' }] } });
  const { result } = await call(ev);
  assertValidResponse(result);
  const dims = imageSize(imageOf(result));
  assert.deepEqual([dims.type, dims.width], ['webp', 400]);
  assert.equal(header(result, 'vary')?.toLowerCase(), 'accept');
});

test('client hints: x-vips-edge-hints resolves w/dpr/q=auto; Vary and Accept-CH only for auto; a hostile header is a 400', async () => {
  const hints = (value) => ({ 'x-vips-edge-hints': [{ key: 'X-Vips-Edge-Hints', value }] });
  const w = await call(customEvent({ port: origin.port, querystring: 'w=auto', headers: hints('w=640') }));
  assertValidResponse(w.result);
  assert.equal(imageSize(imageOf(w.result)).width, 640);
  assert.equal(header(w.result, 'vary'), 'sec-ch-width, width, sec-ch-viewport-width, sec-ch-dpr, dpr');
  assert.equal(header(w.result, 'accept-ch'), 'Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width');
  assert.equal(w.logs[0].spec, 'w=640', 'the log folds the resolved width in');

  const q = await call(customEvent({ port: origin.port, querystring: 'w=400&q=auto', headers: hints('sd=1') }));
  assert.equal(q.logs[0].quality, 60, 'jpegQuality 80 - saveDataQualityStep 20');
  assert.equal(header(q.result, 'vary'), 'save-data');
  assert.equal(header(q.result, 'accept-ch'), undefined);

  const plain = await call(customEvent({ port: origin.port, querystring: 'w=400', headers: hints('w=640') }));
  assert.equal(imageSize(imageOf(plain.result)).width, 400);
  assert.equal(header(plain.result, 'vary'), undefined);
  assert.equal(header(plain.result, 'accept-ch'), undefined);

  for (const bad of ['w=641', 'w=640,sd=1', '', 'w=none;x', 'W=640']) {
    const r = await call(customEvent({ port: origin.port, querystring: 'w=auto', headers: hints(bad) }));
    assertValidResponse(r.result);
    assert.equal(r.result.status, '400', bad);
    assert.equal(errorOf(r.result).code, 'invalid_hints', bad);
    assert.equal(header(r.result, 'cache-control'), 'public, max-age=10', bad);
  }
});

test('webp-accept fixture (Chrome\'s Accept: image/avif, image/webp; width=320&dpr=2&fm=auto) -> 640 px AVIF', async () => {
  const ev = customEvent({ port: origin.port, fixture: 'origin-request-webp-accept.json' });
  const { result, logs } = await call(ev);
  assertValidResponse(result);
  const dims = imageSize(imageOf(result));
  assert.deepEqual([dims.type, dims.width, dims.height], ['avif', 640, 481]);
  assert.equal(header(result, 'content-type'), 'image/avif');
  assert.ok(logs[0].codecMs > 0, 'the codec module did the encode');
});

test('AVIF source: decoded by the codec module, any output', async () => {
  for (const [querystring, type, width] of [['w=300&format=webp', 'webp', 300], ['w=200', 'avif', 200]]) {
    const ev = customEvent({ port: origin.port, uri: '/img/photo.avif', querystring });
    const { result } = await call(ev);
    assertValidResponse(result);
    const dims = imageSize(imageOf(result));
    assert.deepEqual([dims.type, dims.width], [type, width], querystring);
  }
});

test('HEIC source: 415; truncated AVIF: 422 (short cache, JSON body)', async () => {
  const heic = await call(customEvent({ port: origin.port, uri: '/img/photo.heic', querystring: 'w=100' }));
  assertValidResponse(heic.result);
  assert.equal(heic.result.status, '415');
  assert.equal(JSON.parse(heic.result.body).error.code, 'unsupported_format');
  const cut = await call(customEvent({ port: origin.port, uri: '/truncated.avif', querystring: 'w=100' }));
  assertValidResponse(cut.result);
  assert.equal(cut.result.status, '422');
  assert.equal(JSON.parse(cut.result.body).error.code, 'undecodable_image');
  assert.match(header(cut.result, 'cache-control'), /max-age=10\b/);
});

test('an AVIF whose frame is larger than the size it declares: 422, not the frame', async () => {
  // photo-lying-size.avif: photo.avif (800x602) with its ispe box saying 8x6
  const { result } = await call(customEvent({ port: origin.port, uri: '/img/photo-lying-size.avif', querystring: 'w=100' }));
  assertValidResponse(result);
  assert.equal(result.status, '422');
  assert.equal(JSON.parse(result.body).error.code, 'undecodable_image');
  assert.match(header(result, 'cache-control'), /max-age=10\b/);
});

test('TIFF source: the codec module decodes it (and only it and AVIF), any output', async () => {
  const jpeg = await call(customEvent({ port: origin.port, uri: '/img/photo-baseline.jpg', querystring: 'w=100' }));
  assert.equal(jpeg.logs[0].codecMs, undefined, 'a JPEG request never runs the codec module');
  for (const [file, querystring, type, width, height] of [
    ['photo-lzw.tif', 'w=60', 'jpg', 60, 45],
    ['photo-lzw.tif', 'w=60&format=webp', 'webp', 60, 45],
    ['photo-jpeg.tif', 'w=60&format=avif', 'avif', 60, 45],
    ['photo-palette.tif', 'w=60&format=png', 'png', 60, 45],
    ['photo-gray-packbits.tif', 'w=60&format=jpeg', 'jpg', 60, 45],
    ['photo-rgb16-deflate.tif', 'w=60&format=png', 'png', 60, 45],
    ['orientation-6.tif', 'w=150', 'jpg', 150, 100],
    ['alpha-deflate.tif', 'w=40', 'png', 40, 30],
    ['multipage-red-blue.tif', 'format=png', 'png', 40, 30],
  ]) {
    const { result, logs } = await call(customEvent({ port: origin.port, uri: `/img/${file}`, querystring }));
    assertValidResponse(result);
    const dims = imageSize(imageOf(result));
    assert.deepEqual([dims.type, dims.width, dims.height], [type, width, height], `${file}?${querystring}`);
    assert.ok(logs[0].codecMs > 0, `${file}: the codec module decoded it`);
  }
});

test('CMYK TIFF: 415; truncated TIFF: 422 (short cache, JSON body)', async () => {
  const cmyk = await call(customEvent({ port: origin.port, uri: '/img/photo-cmyk.tif', querystring: 'w=100' }));
  assertValidResponse(cmyk.result);
  assert.equal(cmyk.result.status, '415');
  assert.match(JSON.parse(cmyk.result.body).error.message, /CMYK/);
  const cut = await call(customEvent({ port: origin.port, uri: '/truncated.tif', querystring: 'w=100' }));
  assertValidResponse(cut.result);
  assert.equal(cut.result.status, '422');
  assert.equal(JSON.parse(cut.result.body).error.code, 'undecodable_image');
  assert.match(header(cut.result, 'cache-control'), /max-age=10\b/);
});

test('PNG source keeps its family; explicit format and height', async () => {
  const { result } = await call(customEvent({ port: origin.port, uri: '/img/palette.png', querystring: 'h=100' }));
  assertValidResponse(result);
  const dims = imageSize(imageOf(result));
  assert.equal(dims.type, 'png');
  assert.equal(dims.height, 100);
  const { result: r2 } = await call(customEvent({ port: origin.port, uri: '/img/photo-gray.jpg', querystring: 'w=200&h=200&fit=cover&format=jpeg' }));
  assert.deepEqual([imageSize(imageOf(r2)).type, imageSize(imageOf(r2)).width, imageSize(imageOf(r2)).height], ['jpg', 200, 200]);
});

test('400 for a bad parameter', async () => {
  const { result, logs } = await call(customEvent({ port: origin.port, querystring: 'w=abc' }));
  assertValidResponse(result);
  assert.equal(result.status, '400');
  assert.equal(errorOf(result).code, 'invalid_parameter');
  assert.equal(logs[0].status, 400);
});

test('404 when the origin has no such image', async () => {
  const { result } = await call(customEvent({ port: origin.port, uri: '/img/missing.jpg', querystring: 'w=100' }));
  assertValidResponse(result);
  assert.equal(result.status, '404');
  assert.equal(errorOf(result).code, 'not_found');
});

test('502 when the origin answers 500, redirects, or refuses the connection', async () => {
  for (const uri of ['/boom.jpg', '/moved.jpg']) {
    const { result } = await call(customEvent({ port: origin.port, uri, querystring: 'w=100' }));
    assertValidResponse(result);
    assert.equal(result.status, '502', uri);
    assert.equal(errorOf(result).code, 'origin_error');
  }
  const free = net.createServer();
  await new Promise((r) => free.listen(0, '127.0.0.1', r));
  const port = free.address().port;
  await new Promise((r) => free.close(r));
  const { result, logs } = await call(customEvent({ port, querystring: 'w=100' }));
  assertValidResponse(result);
  assert.equal(result.status, '502');
  assert.match(errorOf(result).message, /ECONNREFUSED/);
  assert.equal(logs[0].originError, 'unreachable');
});

test('504 when the origin stalls beyond readTimeout (headers or body)', async () => {
  for (const uri of ['/stall.jpg', '/stall-body.jpg']) {
    const t = Date.now();
    const { result } = await call(customEvent({ port: origin.port, uri, querystring: 'w=100', readTimeout: 1 }));
    const ms = Date.now() - t;
    assertValidResponse(result);
    assert.equal(result.status, '504', uri);
    assert.equal(errorOf(result).code, 'origin_timeout');
    assert.ok(ms >= 900 && ms < 5000, `${uri}: gave up after ${ms} ms`);
  }
});

test('415 for HTML served as image/jpeg', async () => {
  const { result } = await call(customEvent({ port: origin.port, uri: '/html.jpg', querystring: 'w=100' }));
  assertValidResponse(result);
  assert.equal(result.status, '415');
  assert.equal(errorOf(result).code, 'unsupported_format');
});

test('422 for a truncated JPEG', async () => {
  const { result } = await call(customEvent({ port: origin.port, uri: '/img/photo-truncated.jpg', querystring: 'w=100' }));
  assertValidResponse(result);
  assert.equal(result.status, '422');
  assert.equal(errorOf(result).code, 'undecodable_image');
});

// libwebp decodes with threads of its own: repeated WebP decodes once
// deadlocked a synchronous call (the pool ran out); finish now runs off-thread.
test('WebP source -> JPEG cover crop, repeatedly', async () => {
  for (let i = 0; i < 6; i++) {
    const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri: '/img/photo.webp', querystring: 'w=200&h=200&fit=cover&format=jpeg' }), { getRemainingTimeInMillis: () => 3000 }));
    assert.equal(result.status, '200');
  }
});

test('the event loop keeps running during transforms (they run on a pthread of the module)', async () => {
  const ev = customEvent({ port: origin.port, uri: '/img/photo-adobergb.jpg', querystring: 'w=1200&format=png' });
  let ticks = 0;
  const iv = setInterval(() => ticks++, 5);
  const t = Date.now();
  const runs = await Promise.all([call(ev), call(ev), call(ev)]);
  const ms = Date.now() - t;
  clearInterval(iv);
  for (const { result } of runs) assert.equal(result.status, '200');
  assert.ok(ticks >= Math.floor(ms / 5 / 3), `${ticks} ticks of 5 ms in ${ms} ms`);
});
