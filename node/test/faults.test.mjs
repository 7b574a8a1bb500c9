// A broken transform answers its request with the 500 JSON error and the next
// request gets a fresh instance, for every way the module can break: a trap on
// the trigger's own thread, a trap / abort / memory exhaustion on the
// transform pthread, a transform that never returns (the watchdog). Uses the
// test package (dist/test-package: the same trigger over the module's test
// twin, whose fault exports the `vipsEdgeTestHook` event field reaches).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { imageSize } from 'image-size';
import { assertValidResponse, customEvent, errorOf, header, imageOf, loadHandler, startOrigin, withLogs } from './helpers.mjs';

const handler = loadHandler(undefined, { testBuild: true });
let origin;
before(async () => {
  origin = await startOrigin();
});
after(() => origin.close());

const threads = () => fs.readdirSync('/proc/self/task').length;
const transform = () => customEvent({ port: origin.port, uri: '/img/photo-baseline.jpg', querystring: 'w=120&format=png' });

async function expectFaultThenHealthy(hook, { budgetMs, message }) {
  const t = Date.now();
  const context = budgetMs ? { getRemainingTimeInMillis: () => budgetMs } : undefined;
  const { result, logs } = await withLogs(() => handler({ ...transform(), vipsEdgeTestHook: hook }, context));
  const ms = Date.now() - t;
  assertValidResponse(result);
  assert.equal(result.status, '500', hook);
  assert.equal(result.bodyEncoding, 'text');
  assert.equal(header(result, 'cache-control'), 'public, max-age=10');
  const err = errorOf(result);
  assert.equal(err.code, 'internal_error');
  assert.match(err.message, message);
  assert.equal(logs[0].outcome, 'engine_failure');

  const { result: ok } = await withLogs(() => handler(transform()));
  assert.equal(ok.status, '200', `${hook}: the next request is served`);
  const dims = imageSize(imageOf(ok));
  assert.deepEqual([dims.type, dims.width], ['png', 120]);
  return ms;
}

test('warm-up: a healthy instance', async () => {
  assert.equal((await withLogs(() => handler(transform()))).result.status, '200');
});

test('a trap on the thread that owns the module: 500, then a fresh instance', async () => {
  await expectFaultThenHealthy('trap', { message: /RuntimeError: unreachable/ });
});

test('a trap on the transform pthread: 500, then a fresh instance', async () => {
  await expectFaultThenHealthy('transform-trap', { message: /pthread/ });
});

// An abort on a pthread reaches the host twice: its reason (a proxied
// Module.onAbort message) and the Worker's trap; Node does not always order
// them, so the message names either (src/wasm/host.post.js).
const ABORT_ON_PTHREAD = /abort|Aborted|wasm failure on a pthread/;

test('an abort on the transform pthread (what glib does when malloc fails): 500, then a fresh instance', async () => {
  await expectFaultThenHealthy('abort', { message: ABORT_ON_PTHREAD });
});

test('memory exhausted on the transform pthread: 500, then a fresh instance', async () => {
  await expectFaultThenHealthy('oom', { message: ABORT_ON_PTHREAD });
});

test('a transform that never returns is ended by the watchdog within the time left', async () => {
  const ms = await expectFaultThenHealthy('hang', { budgetMs: 1500, message: /did not answer within/ });
  assert.ok(ms < 3000, `answered after ${ms} ms`);
});

test('abandoned instances leave no threads behind', async () => {
  await withLogs(() => handler(transform()));
  const baseline = threads();
  for (const hook of ['transform-trap', 'hang', 'trap', 'transform-trap']) {
    const { result } = await withLogs(() => handler({ ...transform(), vipsEdgeTestHook: hook }, { getRemainingTimeInMillis: () => 1500 }));
    assert.equal(result.status, '500');
  }
  assert.equal((await withLogs(() => handler(transform()))).result.status, '200');
  // Terminated Workers end asynchronously: allow them a moment. Each
  // abandoned instance had 1 + its libvips threads; a fresh instance may
  // differ from the first by a thread (libvips starts them on demand).
  const allowed = baseline + 1;
  for (let i = 0; i < 50 && threads() > allowed; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(threads() <= allowed, `${threads()} threads after four abandoned instances, ${baseline} before`);
});
