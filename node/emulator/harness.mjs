// Test helpers for the emulator (kept out of node/test/ so no test runner
// mistakes them for a test file): start `serve.mjs` as a child process on a
// random port, raw HTTP GETs (no URL normalisation), a minimal PNG codec.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SERVE = path.join(HERE, 'serve.mjs');
export const REPO = path.resolve(HERE, '../..');
export const FIXTURES = path.join(REPO, 'fixtures/images');

/**
 * Start the emulator as a child process. `env` adds variables (IMAGES, S3,
 * HANDLER_CONFIG, ORIGIN, READ_TIMEOUT, PACKAGE_DIR...). Resolves
 * { url, child, stderr: string[], stdout: string[], stop() }.
 */
export function startEmulatorProcess({ env = {}, args = [], timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE, ...args], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', IMAGES: FIXTURES, QUIET: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    let done = false;
    const timer = setTimeout(() => fail(new Error(`emulator did not start in ${timeoutMs} ms\n${stderr.join('\n')}`)), timeoutMs);
    const fail = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const lines = (stream, sink, onLine) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          sink.push(line);
          onLine?.(line);
        }
      });
    };
    lines(child.stdout, stdout, (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m && !done) {
        done = true;
        clearTimeout(timer);
        const exited = new Promise((r) => child.once('exit', r));
        resolve({
          url: m[1], child, stdout, stderr,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              const t = setTimeout(() => child.kill('SIGKILL'), 5000);
              await exited;
              clearTimeout(t);
            }
          },
        });
      }
    });
    lines(child.stderr, stderr);
    child.once('exit', (code, signal) => fail(new Error(`emulator exited (${code ?? signal}) before listening:\n${stderr.join('\n')}`)));
  });
}

/**
 * GET (or HEAD) `base + target` with the target sent byte for byte.
 * Resolves { status, headers (lower-case, joined), body: Buffer, json() }.
 */
export function get(base, target, { headers = {}, method = 'GET', timeoutMs = 60_000 } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: target, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode, headers: res.headers, body,
          json: () => JSON.parse(body.toString('utf8')),
          text: () => body.toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${target} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Chrome's Accept for images (normalises to x-vips-edge-accept: webp). */
export const ACCEPT_CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

// ---- a minimal PNG codec (8-bit, non-interlaced) for pixel assertions ----

const crcTable = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encode RGB (channels 3) or RGBA (4) 8-bit pixels as PNG, filter 0. */
export function encodePng(width, height, channels, pixels, { level = 6 } = {}) {
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 4 ? 6 : 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Decode an 8-bit non-interlaced PNG to { width, height, pixel(x, y) -> [r, g, b, a] }. */
export function decodePng(buf) {
  let pos = 8;
  let width, height, depth, type, interlace, palette, trns;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const t = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (t === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8]; type = data[9]; interlace = data[12];
    } else if (t === 'PLTE') palette = data;
    else if (t === 'tRNS') trns = data;
    else if (t === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  if (depth !== 8 || interlace !== 0) throw new Error(`decodePng: unsupported depth ${depth} / interlace ${interlace}`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  const stride = width * channels;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c; const pa = Math.abs(p - a); const pb = Math.abs(p - b); const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  return {
    width, height, type,
    pixel(x, y) {
      const i = y * stride + x * channels;
      switch (type) {
        case 0: return [out[i], out[i], out[i], 255];
        case 2: return [out[i], out[i + 1], out[i + 2], 255];
        case 3: return [palette[out[i] * 3], palette[out[i] * 3 + 1], palette[out[i] * 3 + 2], trns && out[i] < trns.length ? trns[out[i]] : 255];
        case 4: return [out[i], out[i], out[i], out[i + 1]];
        default: return [out[i], out[i + 1], out[i + 2], out[i + 3]];
      }
    },
  };
}

/**
 * The frame durations (ms) of an animated WebP, from its ANMF chunks (payload:
 * x, y, width-1, height-1, duration, each 24-bit); [] for a still WebP or anything else.
 */
export function webpFrameDelays(bytes) {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return [];
  const delays = [];
  for (let p = 12; p + 8 <= bytes.length; ) {
    const size = bytes.readUInt32LE(p + 4);
    if (bytes.toString('latin1', p, p + 4) === 'ANMF') delays.push(bytes.readUIntLE(p + 8 + 12, 3));
    p += 8 + size + (size & 1);
  }
  return delays;
}
