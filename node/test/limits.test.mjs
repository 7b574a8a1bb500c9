// A small maxInputBytes: 413 source_too_large, and the download is aborted
// early (by Content-Length, or as soon as the streamed bytes pass the cap).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertValidResponse, customEvent, errorOf, imagesDir, loadHandler, startOrigin, withLogs } from './helpers.mjs';

const handler = loadHandler({ maxInputBytes: 20000 });
const photo = fs.readFileSync(path.join(imagesDir, 'photo-baseline.jpg'));
let origin;
const sent = {};

before(async () => {
  origin = await startOrigin({
    '/declared.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(photo.length) });
      sent.declared = 0;
      // Headers first; the body only later: the client must hang up before.
      setTimeout(() => {
        if (!res.destroyed) sent.declared = photo.length;
        res.end(photo);
      }, 300);
    },
    '/streamed.jpg': (req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' }); // chunked, no length
      sent.streamed = 0;
      let at = 0;
      const tick = setInterval(() => {
        if (res.destroyed || at >= 400_000) {
          clearInterval(tick);
          return res.destroyed ? undefined : res.end();
        }
        res.write(Buffer.alloc(8192, 1));
        at += 8192;
        sent.streamed = at;
      }, 10);
      res.on('close', () => clearInterval(tick));
    },
  });
});
after(() => origin.close());

for (const uri of ['/declared.jpg', '/streamed.jpg']) {
  test(`413 and an early abort: ${uri}`, async () => {
    const t = Date.now();
    const { result, logs } = await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring: 'w=100' })));
    assertValidResponse(result);
    assert.equal(result.status, '413');
    assert.equal(errorOf(result).code, 'source_too_large');
    assert.equal(logs[0].originError, 'too_large');
    const key = uri.slice(1, -4);
    assert.ok(sent[key] < 100_000, `origin sent only ${sent[key]} bytes before the abort`);
    assert.ok(Date.now() - t < 2000);
  });
}

test('a source under the cap still works', async () => {
  const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri: '/img/orientation-6.jpg', querystring: 'w=60' })));
  assert.equal(result.status, '200');
});
