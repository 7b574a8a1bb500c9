// Tests for the viewer-request CloudFront Function (deploy/viewer-request.js), run both as the
// Node module and as the exact code embedded in template.yaml, evaluated in a bare sandbox
// (no module/require/process, like the cloudfront-js-2.0 runtime). The canonical-query and
// Accept cases are the files the C++ answers too (tests/cases/*.json, tests/native/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const module = require('../viewer-request.js');
const { parseQuery } = module;
const cases = (name) => JSON.parse(readFileSync(new URL(`../../tests/cases/${name}`, import.meta.url), 'utf8')).cases;

const template = parse(readFileSync(new URL('../template.yaml', import.meta.url), 'utf8'));
const embeddedCode = template.Resources.ViewerRequestFunction.Properties.FunctionCode;

function sandboxHandler() {
  const ctx = vm.createContext({}); // no module, require, process, console
  vm.runInContext(embeddedCode, ctx, { filename: 'template.yaml#FunctionCode' });
  assert.equal(typeof ctx.handler, 'function', 'embedded code must define handler(event)');
  return ctx.handler;
}
const handlers = { module: module.handler, embedded: sandboxHandler() };

function event(query, headers = {}) {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE', requestId: 'r1' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri: '/photos/cat.jpg', querystring: parseQuery(query), headers: structuredClone(headers), cookies: {} },
  };
}

/** Runs `fn` and returns { query, accept } (accept: the x-vips-edge-accept value or undefined). */
function run(fn, query, headers) {
  const ev = event(query, headers);
  const out = fn(ev);
  assert.equal(out, ev.request, 'returns the (same) request object, not a response');
  assert.equal(typeof out.querystring, 'string', 'the canonical query is set as a string');
  const h = out.headers['x-vips-edge-accept'];
  if (h) {
    assert.deepEqual(Object.keys(h), ['value'], 'exactly one value');
    assert.ok(['avif', 'webp', 'other'].includes(h.value));
  }
  return { query: out.querystring, accept: h?.value, request: out };
}

const accept = (value) => ({ accept: { value } });

for (const c of cases('canonical.json')) {
  test(`canonical query: "${c.query}" -> "${c.canonical}" (${c.why})`, () => {
    for (const [name, fn] of Object.entries(handlers)) assert.equal(run(fn, c.query).query, c.canonical, name);
  });
}

test('the canonical query is a fixed point', () => {
  for (const c of cases('canonical.json')) assert.equal(run(handlers.module, c.canonical).query, c.canonical, c.canonical);
});

for (const c of cases('accept.json')) {
  const bucket = c.avif ? 'avif' : c.webp ? 'webp' : 'other';
  test(`Accept "${c.accept}" (${c.why}) -> ${bucket} for format=auto`, () => {
    for (const [name, fn] of Object.entries(handlers)) {
      assert.equal(run(fn, 'w=400&format=auto', accept(c.accept)).accept, bucket, name);
      assert.equal(module.acceptsWebp(c.accept), c.webp);
      assert.equal(module.acceptBucket(c.accept), bucket);
    }
  });
}

test('x-vips-edge-accept only for format=auto (any spelling): one cache key for every other image', () => {
  for (const fn of Object.values(handlers)) {
    assert.equal(run(fn, 'w=400', accept('image/webp')).accept, undefined);
    assert.equal(run(fn, 'w=400&format=webp', accept('image/webp')).accept, undefined);
    assert.equal(run(fn, '', accept('image/webp')).accept, undefined);
    assert.equal(run(fn, 'w=400&fm=auto', accept('image/webp')).accept, 'webp');
    assert.equal(run(fn, 'w=400&format=auto').accept, 'other', 'no Accept at all');
  }
});

test('several Accept headers (multiValue) are all considered', () => {
  const h = { accept: { value: 'text/html', multiValue: [{ value: 'text/html' }, { value: 'image/webp' }] } };
  assert.equal(run(handlers.module, 'format=auto', h).accept, 'webp');
  const refused = { accept: { value: 'image/webp', multiValue: [{ value: 'image/webp' }, { value: 'image/webp;q=0' }] } };
  assert.equal(run(handlers.module, 'format=auto', refused).accept, 'other');
});

test('a viewer-supplied x-vips-edge-accept is overwritten or removed (no cache poisoning)', () => {
  const h = { accept: { value: '*/*' }, 'x-vips-edge-accept': { value: 'webp', multiValue: [{ value: 'webp' }, { value: 'webp' }] } };
  for (const fn of Object.values(handlers)) {
    assert.equal(run(fn, 'format=auto', h).accept, 'other');
    assert.equal(run(fn, 'w=1', h).accept, undefined);
  }
});

test('uri and other headers are left untouched', () => {
  const headers = { accept: { value: 'image/webp,*/*' }, host: { value: 'd111111abcdef8.cloudfront.net' }, 'user-agent': { value: 'x' } };
  const { request } = run(handlers.module, 'w=1&format=auto', headers);
  assert.equal(request.uri, '/photos/cat.jpg');
  assert.deepEqual(request.headers.accept, headers.accept);
  assert.deepEqual(request.headers.host, headers.host);
  assert.deepEqual(Object.keys(request.headers).sort(), ['accept', 'host', 'user-agent', 'x-vips-edge-accept']);
});

test('parseQuery presents a raw query as CloudFront does (names and values as sent, repeats in multiValue)', () => {
  assert.deepEqual(parseQuery(''), {});
  assert.deepEqual(parseQuery('w=1&&h'), { w: { value: '1' }, h: { value: '' } });
  assert.deepEqual(parseQuery('w=1&w=%32&x=a=b'), { w: { value: '1', multiValue: [{ value: '1' }, { value: '%32' }] }, x: { value: 'a=b' } });
});

test('the function is small: well under the 10 KB CloudFront Functions limit', () => {
  assert.ok(Buffer.byteLength(embeddedCode) < 8 * 1024, `${Buffer.byteLength(embeddedCode)} bytes`);
});

// ---------------------------------------------------------------- client hints
/** The CloudFront Function's headers object from a case's {name: value | [values]}. */
const cfHeaders = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) =>
  [k, Array.isArray(v) ? { value: v[0], multiValue: v.map((value) => ({ value })) } : { value: v }]));
const AUTO_QUERY = { w: 'w=auto', dpr: 'dpr=auto', sd: 'q=auto' };  // in canonical order

for (const c of cases('hints.json')) {
  test(`client hints ${JSON.stringify(c.headers)} asking ${c.asked} -> ${c.hints} (${c.why})`, () => {
    const query = Object.keys(AUTO_QUERY).filter((k) => c.asked.includes(k)).map((k) => AUTO_QUERY[k]).join('&');
    for (const [name, fn] of Object.entries(handlers)) {
      const out = fn(event(query, cfHeaders(c.headers)));
      assert.equal(out.querystring, query, `${name}: the URL keeps auto (signatures cover it)`);
      assert.deepEqual(Object.keys(out.headers['x-vips-edge-hints']), ['value'], name);
      assert.equal(out.headers['x-vips-edge-hints'].value, c.hints, name);
    }
    assert.equal(module.hintsHeader(Object.fromEntries(c.asked.map((k) => [k, true])), cfHeaders(c.headers)), c.hints);
  });
}

test('x-vips-edge-hints only when w, dpr or q is auto (any spelling); a viewer copy never survives', () => {
  const viewer = { 'sec-ch-width': { value: '700' }, 'x-vips-edge-hints': { value: 'w=2560' } };
  for (const [name, fn] of Object.entries(handlers)) {
    const hints = (query) => fn(event(query, viewer)).headers['x-vips-edge-hints']?.value;
    assert.equal(hints('w=400'), undefined, name);
    assert.equal(hints(''), undefined, name);
    assert.equal(hints('w=400&format=auto'), undefined, `${name}: format=auto is not a hint`);
    assert.equal(hints('w=autox'), undefined, name);
    assert.equal(hints('h=auto'), undefined, `${name}: h has no auto`);
    assert.equal(hints('width=auto'), 'w=768', name);
    assert.equal(hints('quality=auto&w=auto'), 'w=768,sd=0', name);
    assert.equal(hints('w=auto&w=auto'), 'w=768', `${name}: a repeat still gets the header (the origin answers its 400)`);
  }
});

test('two widths in one rung: one cache key (query + header); the next rung: another', () => {
  const key = (width) => {
    const out = handlers.embedded(event('w=auto&format=auto', { 'sec-ch-width': { value: String(width) }, accept: { value: 'image/webp' } }));
    return `${out.querystring}|${out.headers['x-vips-edge-accept'].value}|${out.headers['x-vips-edge-hints'].value}`;
  };
  assert.equal(key(650), key(700));
  assert.equal(key(641), key(768));
  assert.notEqual(key(768), key(769));
});

test('the Function rounds with the config defaults (LADDER is generated from src/api/config.hpp)', () => {
  assert.deepEqual(module.LADDER, { widths: [320, 480, 640, 768, 1024, 1280, 1536, 1920, 2560], dprs: [1, 2, 3] });
  assert.match(embeddedCode, /var LADDER = \{"widths":\[320,/);
});
