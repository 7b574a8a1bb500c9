// Our libvips patches for the 32-bit wraps among vips 8.16.1-1+deb13u2's
// security fixes (third_party/libvips/05 and 06): size_t is 32 bits only in
// wasm32, so these cannot fail natively (tests/native/test_libvips_patches.cpp
// has the rest). The limits are raised so the request reaches the decoder;
// the defaults refuse these sources from their header (413).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, eventWith, respondTo } from './wasm-module.mjs';

const EVENT = 'fixtures/events/origin-request-custom.json';

// A GIF89a of width x height: one 1x1 frame in its bottom right corner
// (two-colour local table, one LZW-coded pixel). libnsgif sizes a canvas over
// 2048 pixels a side by its frames, hence the corner.
function gifCanvas(width, height) {
  const u16 = (v) => [v & 0xff, v >> 8];
  return Buffer.from([
    ...Buffer.from('GIF89a'), ...u16(width), ...u16(height), 0x00, 0x00, 0x00,
    0x2c, ...u16(width - 1), ...u16(height - 1), ...u16(1), ...u16(1), 0x80, 0, 0, 0, 255, 255, 255,
    0x02, 0x02, 0x44, 0x01, 0x00,
    0x3b,
  ]);
}

let vips;
before(async () => {
  vips = await loadModule({
    config: { maxInputPixels: 4_000_000_000, maxWorkingMemory: 2 ** 50, maxFramePixels: 4_000_000_000 },
  });
});
// The module's pthread pool keeps Node alive; the test file ends itself.
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

test('a GIF canvas of 32768x32769 (x4 bytes wraps a 32-bit size_t to 128 KiB) is a clean 422, not a small frame buffer', async () => {
  // Unpatched, libnsgif gets a 131,072-byte buffer for a 4 GiB canvas and the
  // loader reads its rows far past it: garbage pixels or an out-of-bounds trap.
  const response = await respondTo(vips, eventWith(EVENT, { querystring: 'w=64&format=png' }), gifCanvas(32768, 32769), 'image/gif');
  assert.equal(response.status, '422', response.body);
  assert.equal(JSON.parse(response.body).error.code, 'undecodable_image');
});
