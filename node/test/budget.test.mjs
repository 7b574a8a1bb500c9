// The work budget and the size prediction through the PACKAGED handler and
// the emulator: every refusal they add is a 422 over_budget JSON error with
// the error TTL, answered before the expensive work (issue 25).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidResponse, customEvent, errorOf, header, loadHandler, noisePng, startOrigin, withLogs } from './helpers.mjs';
import { startEmulatorProcess, get } from '../emulator/harness.mjs';

const ISSUE_REQUESTS = [
  ['w=4096&h=4096&fit=fill&enlarge=1&sharpen=10&format=webp&q=100', 'sharpen'],
  ['w=4096&h=4096&fit=fill&enlarge=1&blur=100&format=png', 'blur'],
  ['w=4096&h=4096&fit=cover&pos=attention&enlarge=1&format=jpeg&q=100', 'pos'],
  ['w=4096&enlarge=1&trim=1&format=avif', 'format'],
];

const context = (memoryLimitInMB) => ({ memoryLimitInMB, getRemainingTimeInMillis: () => 30_000 });

describe('packaged handler', () => {
  const handler = loadHandler();
  let origin;
  const noise = noisePng(2000, 2000);
  before(async () => {
    origin = await startOrigin({
      '/noise.png': (req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(noise);
      },
    });
  });
  after(() => origin.close());
  const call = (querystring, ctx, uri = '/img/photo-baseline.jpg') =>
    withLogs(() => handler(customEvent({ port: origin.port, uri, querystring }), ctx));

  for (const [query, param] of ISSUE_REQUESTS) {
    test(`issue 25's request is over budget: ${query}`, async () => {
      const t = Date.now();
      const { result, logs } = await call(query);
      assertValidResponse(result);
      assert.equal(result.status, '422');
      assert.equal(header(result, 'cache-control'), 'public, max-age=10');
      const error = errorOf(result);
      assert.equal(error.code, 'over_budget');
      assert.equal(error.param, param);
      assert.equal(logs[0].code, 'over_budget');
      assert.ok(Date.now() - t < 2000, `answered in ${Date.now() - t} ms`);
    });
  }

  test("the function's memory (context.memoryLimitInMB) refuses what would not fit it", async () => {
    const query = 'w=3500&h=3500&fit=fill&enlarge=1&format=jpeg';
    let { result } = await call(query, context('192'));
    assertValidResponse(result);
    assert.equal(result.status, '422');
    const error = errorOf(result);
    assert.equal(error.code, 'over_budget');
    assert.match(error.message, /the function has 192 MB/);
    ({ result } = await call(query, context('1769')));
    assert.equal(result.status, '200');
  });

  test('noise that cannot fit even at the floor: the original, without a full encode', async () => {
    const t = Date.now();
    const { result, logs } = await call('w=2000&format=png', undefined, '/noise.png');
    assert.equal(result.uri, '/noise.png', 'the request goes on unchanged');
    assert.equal(logs[0].outcome, 'oversize_original');
    assert.equal(logs[0].encodes, 0);
    assert.ok(Date.now() - t < 3000);
  });

  test('ordinary requests are served as before', async () => {
    for (const q of ['w=400', 'w=800&format=webp', 'w=200&h=200&pos=attention', 'w=300&sharpen=2', 'w=300&blur=5', 'w=400&trim=10']) {
      const { result } = await call(q);
      assert.equal(result.status, '200', q);
    }
  });
});

describe('budget keys in config.json', () => {
  const handler = loadHandler({ maxSmartCropPixels: 10_000, maxTrimPixels: 10_000, maxAvifPixels: 10_000, maxFilterWork: 10_000 });
  let origin;
  before(async () => { origin = await startOrigin(); });
  after(() => origin.close());
  for (const [query, param] of [['w=200&h=200&pos=entropy', 'pos'], ['w=200&trim=5', 'trim'], ['w=200&format=avif', 'format'], ['w=200&blur=1', 'blur']]) {
    test(`${query} -> 422 over_budget (${param})`, async () => {
      const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri: '/img/photo-baseline.jpg', querystring: query })));
      assert.equal(result.status, '422');
      assert.equal(errorOf(result).param, param);
    });
  }
  test('an invalid budget key fails the function with a message naming it', async () => {
    const bad = loadHandler({ maxTrimPixels: -1 });
    const { result } = await withLogs(() => bad(customEvent({ port: origin.port, uri: '/img/photo-baseline.jpg', querystring: 'w=10' })));
    assert.equal(result.status, '500');
    assert.match(errorOf(result).message, /maxTrimPixels/);
  });
});

describe('emulator', () => {
  let emu;
  let small;
  before(async () => {
    emu = await startEmulatorProcess({ env: { QUIET: '1' } });
    small = await startEmulatorProcess({ env: { QUIET: '1', LAMBDA_MEMORY_MB: '192' } });
  });
  after(async () => {
    await emu?.stop();
    await small?.stop();
  });
  for (const [query, param] of ISSUE_REQUESTS) {
    test(`422 over_budget: ${query}`, async () => {
      const res = await get(emu.url, `/photo-baseline.jpg?${query}`);
      assert.equal(res.status, 422, res.text().slice(0, 300));
      assert.match(res.headers['cache-control'], /max-age=10/);
      assert.equal(res.json().error.code, 'over_budget');
      assert.equal(res.json().error.param, param);
    });
  }
  test('a 192 MB function refuses a large output the default one serves', async () => {
    const target = '/photo-baseline.jpg?w=3500&h=3500&fit=fill&enlarge=1&format=jpeg';
    const res = await get(small.url, target);
    assert.equal(res.status, 422, res.text().slice(0, 300));
    assert.match(res.json().error.message, /192 MB/);
    assert.equal((await get(emu.url, target)).status, 200);
  });
});
