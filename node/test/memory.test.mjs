// The engine's memory over a container's life: wasm memory never shrinks, so
// an instance a huge image left large is replaced after that request and the
// next one runs in a fresh instance (engine.ts, RETIRE_HEAP_BYTES).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { customEvent, gradientPng, loadHandler, startOrigin, withLogs } from './helpers.mjs';

// The source bytes sit in wasm memory during the transform: a 41 MB source
// (over the default maxInputBytes) plus its decode passes the threshold.
const handler = loadHandler({ maxInputBytes: 64 * 1024 * 1024 });
const big = gradientPng(3700, 3700, 0);
let origin;
before(async () => {
  origin = await startOrigin({
    '/big.png': (req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(big),
  });
});
after(() => origin.close());

const MiB = 1024 * 1024;
const call = async (uri, querystring) => (await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring })))).logs[0];

test('a typical request keeps its instance; a huge one retires it, and the next request runs in a fresh one', async () => {
  const first = await call('/img/photo-baseline.jpg', 'w=200');
  assert.equal(first.status, 200);
  assert.ok(first.heapBytes > 0 && first.heapBytes < 64 * MiB, `heap after a small JPEG: ${first.heapBytes}`);
  assert.equal(first.engineRetired, undefined);

  const huge = await call('/big.png', 'w=400&format=jpeg');
  assert.equal(huge.status, 200);
  assert.ok(huge.heapBytes >= 64 * MiB, `heap after a 41 MB PNG: ${huge.heapBytes}`);
  assert.equal(huge.engineRetired, true);

  const next = await call('/img/photo-baseline.jpg', 'w=200');
  assert.equal(next.status, 200);
  assert.ok(next.heapBytes < huge.heapBytes / 2, `a fresh heap: ${next.heapBytes} after ${huge.heapBytes}`);
  assert.equal(next.engineRetired, undefined);
});

// Emscripten 3.1.69's main thread waits for its mailbox with Atomics.waitAsync,
// and V8 roots a pending wait with the glue's whole scope: an abandoned
// instance kept its heap forever (+77 MiB per retirement after an 8 MP trim)
// until Module.release() woke it (src/wasm/host.post.js).
test('a retired instance is freed: retiring again and again does not grow the process', async () => {
  await call('/big.png', 'w=400&format=jpeg');
  await call('/img/photo-baseline.jpg', 'w=200');  // the retired instance is collected before this one
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 4; i++) {
    const huge = await call('/big.png', 'w=400&format=jpeg');
    assert.equal(huge.engineRetired, true);
  }
  await call('/img/photo-baseline.jpg', 'w=200');
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 64 * MiB, `RSS grew ${(grown / MiB).toFixed(0)} MiB over 4 retirements`);
});
