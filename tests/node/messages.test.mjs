// The message boundary of the module: node/src/engine-messages.ts is what the
// C++ tables generate (no hand-kept copy), and the job handles plan() gives
// out are the only way into finish().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModule, eventWith, fixtureImage, root } from './wasm-module.mjs';
import { generate } from '../../node/scripts/gen-message-types.mjs';

let vips;
before(async () => {
  vips = await loadModule();
});
// The module's pthread pool keeps Node alive; the test file ends itself.
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

test('node/src/engine-messages.ts is generated from src/handler/message_tables.hpp', async () => {
  const checkedIn = readFileSync(path.join(root, 'node/src/engine-messages.ts'), 'utf8');
  assert.equal(checkedIn, await generate(), 'stale: run node node/scripts/gen-message-types.mjs (after make wasm)');
});

const jpeg = { status: 200, headers: { 'content-type': 'image/jpeg' } };

test('a job is finished once; unknown and dropped handles get a failed reply', async () => {
  const event = eventWith('fixtures/events/origin-request-custom.json', { querystring: 'w=64' });
  const plan = vips.plan(event);
  assert.equal(plan.action, 'fetch');
  assert.ok(plan.job > 0);
  const done = await vips.finishJob(plan.job, jpeg, fixtureImage('photo-baseline.jpg'));
  assert.equal(done.action, 'respond');
  assert.equal(done.response.status, '200');
  assert.equal(done.log.spec, plan.log.spec, 'finish logs the spec plan decided');

  const again = await vips.finishJob(plan.job, jpeg, fixtureImage('photo-baseline.jpg'));
  assert.deepEqual(again, { action: 'failed', error: `no job ${plan.job} in this instance` });
  const dropped = vips.plan(event);
  vips.dropJob(dropped.job);
  assert.equal((await vips.finishJob(dropped.job, jpeg, fixtureImage('photo-baseline.jpg'))).action, 'failed');
  assert.equal((await vips.finishJob(12345678, jpeg, fixtureImage('photo-baseline.jpg'))).action, 'failed');
});

test('an image leaves the module as bytes beside the JSON, not base64 inside it', async () => {
  const event = eventWith('fixtures/events/origin-request-custom.json', { querystring: 'w=64&format=webp' });
  const source = fixtureImage('photo-baseline.jpg');
  const { text, body } = await vips.finishRaw(vips.plan(event).job, jpeg, source);
  const reply = JSON.parse(text);
  assert.equal(reply.action, 'respond');
  assert.equal(reply.response.body, undefined, 'no body inside the JSON');
  assert.equal(reply.response.bodyEncoding, 'base64');
  assert.ok(body && body.length > 12);
  assert.equal(reply.bodyBytes, body.length);
  assert.equal(Buffer.from(body.subarray(8, 12)).toString(), 'WEBP');
  assert.equal(vips.probe(body).width, 64);
  assert.equal(reply.response.headers.etag[0].value, `"${createHash('sha256').update(body).digest('hex')}"`);

  // As the trigger hands it on (node/src/engine.ts; here wasm-module.mjs): the
  // same bytes base64'd into response.body, bodyBytes gone.
  const whole = await vips.finish(event, jpeg, source);
  assert.equal(whole.bodyBytes, undefined);
  assert.equal(whole.response.body, Buffer.from(body).toString('base64'));
});

test('a malformed fetch outcome is a 500 answer naming the field', async () => {
  const plan = vips.plan(eventWith('fixtures/events/origin-request-custom.json'));
  const result = await vips.finishJob(plan.job, { status: 200, error: 'timeout' }, new Uint8Array(0));
  assert.equal(result.action, 'respond');
  assert.equal(result.response.status, '500');
  assert.match(JSON.parse(result.response.body).error.message, /malformed fetch outcome: \$: both status and error given/);
});
