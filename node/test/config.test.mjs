// config.json variants through the packaged handler: signing (403) and a
// config the C++ rejects (every request 500s, the log says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signUrl } from '../../deploy/sign.mjs';
import { assertValidResponse, customEvent, errorOf, startOrigin, withLogs, loadHandler } from './helpers.mjs';

const KEY = 'test-signing-key';

// The signer users run (HMAC over the uri and the canonical query).
function sign(uri, params) {
  return signUrl(`${uri}?${new URLSearchParams(params)}`, KEY).sig;
}

test('signing configured: 403 without or with a wrong sig, 200 with the right one', async () => {
  const handler = loadHandler({ signing: { key: KEY } });
  const origin = await startOrigin();
  try {
    const uri = '/img/photo-gray.jpg';
    for (const qs of ['w=100', 'w=100&sig=AAAA']) {
      const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring: qs })));
      assertValidResponse(result);
      assert.equal(result.status, '403', qs);
      assert.equal(errorOf(result).code, 'invalid_signature');
    }
    const sig = sign(uri, { w: '100' });
    const { result } = await withLogs(() => handler(customEvent({ port: origin.port, uri, querystring: `w=100&sig=${sig}` })));
    assert.equal(result.status, '200');
  } finally {
    await origin.close();
  }
});

test('a config the C++ rejects: every request gets a 500 JSON error, the log says why', () => {
  // Its own process: the handler reads config.json once per process.
  const script = `
    import { loadHandler, fixtureEvent, withLogs } from ${JSON.stringify(new URL('./helpers.mjs', import.meta.url).href)};
    const handler = loadHandler('{"maxWidth":"big"}');
    const out = [];
    for (const f of ['origin-request-passthrough.json', 'origin-request-custom.json'])
      out.push(await withLogs(() => handler(fixtureEvent(f))));
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  for (const { result, logs } of JSON.parse(r.stdout)) {
    assertValidResponse(result);
    assert.equal(result.status, '500');
    const err = errorOf(result);
    assert.equal(err.code, 'internal_error');
    assert.match(err.message, /maxWidth/);
    assert.equal(logs[0].outcome, 'init_error');
    assert.match(logs[0].message, /config: maxWidth/);
  }
});

test('a script calling the handler exits by itself (engine threads unref\'d)', () => {
  const script = `
    import { loadHandler, fixtureEvent, customEvent, startOrigin, withLogs } from ${JSON.stringify(new URL('./helpers.mjs', import.meta.url).href)};
    const handler = loadHandler(undefined, { testBuild: true });
    const origin = await startOrigin();
    const a = await withLogs(() => handler(customEvent({ port: origin.port, uri: '/img/photo-baseline.jpg', querystring: 'w=64' })));
    const b = await withLogs(() => handler({ ...fixtureEvent('origin-request-passthrough.json'), vipsEdgeTestHook: 'trap' }));
    await origin.close();
    process.stdout.write(a.result.status + ' ' + b.result.status);`;
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15000 });
  assert.equal(r.signal, null, 'killed by the timeout: the process did not exit by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '200 500');
  assert.ok(Date.now() - t < 5000, `exited after ${Date.now() - t} ms`);
});
