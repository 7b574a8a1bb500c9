// Tests for the viewer-request CloudFront Function (deploy/viewer-request.js), run both as the
// Node module and as the exact code embedded in template.yaml, evaluated in a bare sandbox
// (no module/require/process, like the cloudfront-js-2.0 runtime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const { handler } = require('../viewer-request.js');

const template = parse(readFileSync(new URL('../template.yaml', import.meta.url), 'utf8'));
const embeddedCode = template.Resources.ViewerRequestFunction.Properties.FunctionCode;

function sandboxHandler() {
  const ctx = vm.createContext({}); // no module, require, process, console
  vm.runInContext(embeddedCode, ctx, { filename: 'template.yaml#FunctionCode' });
  assert.equal(typeof ctx.handler, 'function', 'embedded code must define handler(event)');
  return ctx.handler;
}
const embeddedHandler = sandboxHandler();

function event(headers) {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE', requestId: 'r1' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri: '/photos/cat.jpg', querystring: { w: { value: '400' }, format: { value: 'auto' } }, headers, cookies: {} },
  };
}

function normalised(fn, headers) {
  const ev = event(JSON.parse(JSON.stringify(headers)));
  const out = fn(ev);
  assert.equal(out, ev.request, 'returns the (same) request object, not a response');
  const h = out.headers['x-vips-edge-accept'];
  assert.ok(h && typeof h.value === 'string', 'sets x-vips-edge-accept');
  assert.equal(h.multiValue, undefined, 'exactly one value');
  assert.deepEqual(Object.keys(h), ['value']);
  return h.value;
}

const accept = (value) => ({ accept: { value } });

// Real browsers' Accept strings (image requests unless noted).
const cases = [
  ['Chrome/Edge image request', 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', 'webp'],
  ['Chrome/Edge document request', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7', 'webp'],
  ['Firefox current image request', 'image/avif,image/webp,*/*', 'webp'],
  ['Firefox 65-91 image request', 'image/webp,*/*', 'webp'],
  ['Firefox old image request', '*/*', 'other'],
  ['Firefox document request', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', 'webp'],
  ['Safari 14+ image request', 'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5', 'webp'],
  ['Safari 13 image request', 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5', 'other'],
  ['curl', '*/*', 'other'],
  ['explicit refusal', 'image/webp;q=0', 'other'],
  ['explicit refusal among others', 'image/avif,image/webp;q=0,image/*,*/*;q=0.8', 'other'],
  ['refusal with spaces and 0.000', 'image/png, image/webp ; q = 0.000 , */*', 'other'],
  ['mixed case', 'Image/WebP', 'webp'],
  ['mixed case q', 'IMAGE/WEBP;Q=0.5', 'webp'],
  ['low but positive q', 'image/webp;q=0.001,*/*', 'webp'],
  ['q=1.0', 'image/webp;q=1.0', 'webp'],
  ['malformed q counts as refusal', 'image/webp;q=abc', 'other'],
  ['out-of-range q counts as refusal', 'image/webp;q=2', 'other'],
  ['image/* alone is not WebP', 'image/*', 'other'],
  ['substring is not a match', 'image/webpx,image/x-webp', 'other'],
  ['other params kept', 'image/webp;level=1;q=0.9', 'webp'],
  ['empty value', '', 'other'],
];

for (const [name, value, expected] of cases) {
  test(`Accept "${value}" (${name}) -> ${expected}`, () => {
    assert.equal(normalised(handler, accept(value)), expected);
    assert.equal(normalised(embeddedHandler, accept(value)), expected, 'embedded template code agrees');
  });
}

test('missing Accept header -> other', () => {
  assert.equal(normalised(handler, {}), 'other');
  assert.equal(normalised(embeddedHandler, {}), 'other');
});

test('several Accept headers (multiValue) are all considered', () => {
  const h = { accept: { value: 'text/html', multiValue: [{ value: 'text/html' }, { value: 'image/webp' }] } };
  assert.equal(normalised(handler, h), 'webp');
  const refused = { accept: { value: 'image/webp', multiValue: [{ value: 'image/webp' }, { value: 'image/webp;q=0' }] } };
  assert.equal(normalised(handler, refused), 'other');
});

test('a viewer-supplied x-vips-edge-accept is overwritten (no cache poisoning)', () => {
  const h = { accept: { value: '*/*' }, 'x-vips-edge-accept': { value: 'webp', multiValue: [{ value: 'webp' }, { value: 'webp' }] } };
  assert.equal(normalised(handler, h), 'other');
  assert.equal(normalised(embeddedHandler, h), 'other');
});

test('other headers, uri and query string are left untouched', () => {
  const headers = { accept: { value: 'image/webp,*/*' }, host: { value: 'd111111abcdef8.cloudfront.net' }, 'user-agent': { value: 'x' } };
  const ev = event(JSON.parse(JSON.stringify(headers)));
  const before = JSON.parse(JSON.stringify(ev.request));
  const out = handler(ev);
  assert.equal(out.uri, before.uri);
  assert.deepEqual(out.querystring, before.querystring);
  assert.deepEqual(out.headers.accept, before.headers.accept);
  assert.deepEqual(out.headers.host, before.headers.host);
  assert.deepEqual(Object.keys(out.headers).sort(), ['accept', 'host', 'user-agent', 'x-vips-edge-accept']);
});

test('the value set is always exactly "webp" or "other"', () => {
  for (const [, value] of cases) {
    assert.ok(['webp', 'other'].includes(normalised(handler, accept(value))));
  }
});
