// Shared by the node:test suites: the PACKAGED handler (dist/package), local
// origins on 127.0.0.1, fixture events pointed at them, and the checks every
// generated response must pass at CloudFront.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const packageDir = path.join(root, 'dist/package');
/** The same trigger built with its fault hooks over the module's test twin
 * (node/scripts/package.mjs --test-build): for failure and recovery tests. */
export const testPackageDir = path.join(root, 'dist/test-package');
export const imagesDir = path.join(root, 'fixtures/images');
export const eventsDir = path.join(root, 'fixtures/events');
const require = createRequire(import.meta.url);

/** A temp directory removed when this process exits (a handler loaded from a
 * copy of the package stays in use until then; each copy is ~8 MB). */
const tempDirs = [];
process.once('exit', () => { for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true }); });
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** The packaged handler, optionally with another config.json (a copy of
 * dist/package in a temp dir: config is read once per process at load).
 * testBuild: the test package's handler instead (event.vipsEdgeTestHook). */
/** `files`: more files for the package beside config.json (a fallback image), name -> bytes. */
export function loadHandler(config, { testBuild = false, files = {} } = {}) {
  const source = testBuild ? testPackageDir : packageDir;
  if (!fs.existsSync(path.join(source, 'index.js')))
    throw new Error(`${path.relative(root, source)}/index.js missing: run ${testBuild ? 'node node/scripts/package.mjs --test-build' : 'make package'}`);
  let dir = source;
  if (config !== undefined) {
    dir = tempDir('vips-edge-pkg-');
    for (const f of fs.readdirSync(source)) fs.copyFileSync(path.join(source, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  }
  const mod = require(path.join(dir, 'index.js'));
  assert.deepEqual(Object.keys(mod), ['handler'], 'the bundle exports only handler');
  return mod.handler;
}

/** Captures the handler's log lines (console.log) while fn runs. */
export async function withLogs(fn) {
  const lines = [];
  const orig = console.log;
  console.log = (s) => lines.push(JSON.parse(s));
  try {
    return { result: await fn(), logs: lines };
  } finally {
    console.log = orig;
  }
}

export function fixtureEvent(name) {
  return JSON.parse(fs.readFileSync(path.join(eventsDir, name), 'utf8'));
}

export const TYPES = { '.jpg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif', '.html': 'text/html' };

/** A local origin. routes: path -> (req, res) handler; default: /img/<fixture file>. */
export async function startOrigin(routes = {}) {
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const route = routes[url.pathname];
    if (route) return route(req, res);
    if (url.pathname.startsWith('/img/')) {
      const file = path.join(imagesDir, path.basename(url.pathname));
      if (fs.existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT', 'cache-control': 'public, max-age=600' });
        return res.end(fs.readFileSync(file));
      }
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>not found</h1>');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

/** A fixture (default: the custom-origin one) pointed at a local origin. */
export function customEvent({ port, uri, querystring, readTimeout, headers, fixture = 'origin-request-custom.json' }) {
  const ev = fixtureEvent(fixture);
  const req = ev.Records[0].cf.request;
  if (port !== undefined) Object.assign(req.origin.custom, { domainName: '127.0.0.1', port, protocol: 'http' });
  if (readTimeout !== undefined) req.origin.custom.readTimeout = readTimeout;
  if (uri !== undefined) req.uri = uri;
  if (querystring !== undefined) req.querystring = querystring;
  if (headers) Object.assign(req.headers, headers);
  return ev;
}

const DISALLOWED = [/^connection$/, /^expect$/, /^keep-alive$/, /^proxy-authenticate$/, /^proxy-authorization$/, /^proxy-connection$/, /^trailer$/, /^upgrade$/, /^x-accel-/, /^x-amz-cf-/, /^x-amzn-/, /^x-cache$/, /^x-edge-/, /^x-forwarded-proto$/, /^x-real-ip$/];
const READ_ONLY = ['accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'transfer-encoding', 'via'];

/** What CloudFront would reject in a generated response. */
export function assertValidResponse(r) {
  assert.equal(typeof r.status, 'string');
  assert.ok(Number(r.status) >= 200 && Number(r.status) <= 599, `status ${r.status}`);
  let headerBytes = 0;
  for (const [name, values] of Object.entries(r.headers ?? {})) {
    assert.equal(name, name.toLowerCase(), 'header map keys are lower case');
    assert.ok(!READ_ONLY.includes(name), `read-only header ${name}`);
    assert.ok(!DISALLOWED.some((re) => re.test(name)), `disallowed header ${name}`);
    assert.ok(Array.isArray(values) && values.length > 0);
    for (const v of values) {
      assert.equal(typeof v.value, 'string');
      if (v.key !== undefined) assert.equal(v.key.toLowerCase(), name);
      headerBytes += (v.key ?? name).length + v.value.length;
    }
  }
  const body = r.body ?? '';
  if (r.bodyEncoding === 'base64') {
    assert.match(body, /^[A-Za-z0-9+/]*={0,2}$/, 'valid base64');
    assert.equal(body.length % 4, 0, 'base64 padded');
    assert.equal(Buffer.from(body, 'base64').toString('base64'), body, 'base64 round-trips');
  }
  assert.ok(Buffer.byteLength(body) + headerBytes <= 1_048_576, 'body + headers <= 1 MB');
}

export function header(r, name) {
  return r.headers?.[name]?.[0]?.value;
}

export function errorOf(r) {
  assert.equal(header(r, 'content-type'), 'application/json');
  const parsed = JSON.parse(r.bodyEncoding === 'base64' ? Buffer.from(r.body, 'base64').toString() : r.body);
  assert.equal(parsed.error.status, Number(r.status));
  return parsed.error;
}

export function imageOf(r) {
  assert.equal(r.bodyEncoding, 'base64');
  return Buffer.from(r.body, 'base64');
}

/** One PNG chunk: length, type, data, CRC. */
function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
  return out;
}

/** An RGB PNG of noise (incompressible: ~3 bytes a pixel), width x height. */
export function noisePng(width, height) {
  const png = gradientPng(width, height, 0);
  // Same header and layout as gradientPng's, with random rows instead.
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.random() * 256) | 0;
  for (let y = 0; y < height; y++) raw[y * (1 + width * 3)] = 0;
  const idat = zlib.deflateSync(raw, { level: 1 });
  return Buffer.concat([png.subarray(0, 33), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** An RGB PNG of a gradient, width x height; level 9: small on disk, large
 * decoded; level 0 (stored): large on disk too. */
export function gradientPng(width, height, level = 9) {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.fill(x & 0xff, 1 + x * 3, 4 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A JPEG's first start-of-frame marker: 0xc0 baseline, 0xc1 extended, 0xc2
 * progressive (0 when there is none), walking the segments.
 */
export function jpegFrameMarker(jpeg) {
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) return 0;
    const marker = jpeg[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return marker;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return 0;
}
