// Our libspng patch (third_party/libspng/01-whole-buffer-inflate.patch): the
// IDAT stream is gathered and inflated whole by libdeflate, with zlib as the
// fallback. Only the wasm module has it (the native twin is Debian's libvips),
// so its edges are checked here: the same pixels however the stream is cut
// into chunks, a chunk after the IDATs still read (the header gathering read
// ahead), trailing junk ignored, and a cut stream still a clean 422.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { loadModule, eventWith, respondTo, fixtureImage } from './wasm-module.mjs';

const EVENT = 'fixtures/events/origin-request-custom.json';
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The chunks of a PNG: [{ type, data }] in file order. */
function chunksOf(png) {
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * `png` rebuilt with its zlib stream (after `edit`) cut into IDAT chunks of
 * `size` bytes, and `after` (more chunks) between the last IDAT and IEND.
 */
function rebuilt(png, { size, after = [], edit = (stream) => stream }) {
  const chunks = chunksOf(png);
  const stream = edit(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const idats = [];
  for (let at = 0; at < stream.length; at += size) idats.push(chunk('IDAT', stream.subarray(at, at + size)));
  const before = chunks.filter((c) => c.type !== 'IDAT' && c.type !== 'IEND').map((c) => chunk(c.type, c.data));
  return Buffer.concat([SIGNATURE, ...before, ...idats, ...after, chunk('IEND', Buffer.alloc(0))]);
}

const text = chunk('tEXt', Buffer.from('Comment\0written after the image data', 'latin1'));
// format=png at the source's size: lossless, so equal pixels give equal bytes.
const asPng = (vips, png) =>
  respondTo(vips, eventWith(EVENT, { querystring: 'w=400&format=png' }), png, 'image/png');

let vips;
before(async () => {
  vips = await loadModule();
});
// The module's pthread pool keeps Node alive; the test file ends itself.
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

for (const name of ['alpha-half-transparent.png', 'rgb16.png', 'palette.png', 'interlaced.png']) {
  test(`${name}: the same pixels from 1-byte, 997-byte and one-chunk IDATs, with a chunk after them`, async () => {
    const original = fixtureImage(name);
    const reference = await asPng(vips, original);
    assert.equal(reference.status, '200', reference.body);
    for (const size of [1, 997, original.length]) {
      const response = await asPng(vips, rebuilt(original, { size, after: [text] }));
      assert.equal(response.status, '200', `${size}-byte IDATs: ${response.body}`);
      assert.equal(response.body, reference.body, `${size}-byte IDATs give other pixels`);
    }
  });
}

test('junk after the zlib stream (in the last IDAT and in an extra one) is ignored, as zlib did', async () => {
  const original = fixtureImage('alpha-half-transparent.png');
  const reference = await asPng(vips, original);
  const junk = Buffer.alloc(300, 0xa5);
  const png = rebuilt(original, { size: 4096, edit: (stream) => Buffer.concat([stream, junk]), after: [chunk('IDAT', junk), text] });
  const response = await asPng(vips, png);
  assert.equal(response.status, '200', response.body);
  assert.equal(response.body, reference.body);
});

// Gathering reads past the end of the image's stream; what it meets there
// must not fail an image the stream completed (found by differential fuzzing).
test('a complete stream followed by a cut file (a truncated extra IDAT, or no IEND) still decodes', async () => {
  const original = fixtureImage('alpha-half-transparent.png');
  const reference = await asPng(vips, original);
  const whole = rebuilt(original, { size: 1 << 20 });
  const iend = whole.length - 12;
  const truncatedIdat = Buffer.concat([whole.subarray(0, iend), chunk('IDAT', Buffer.alloc(128, 7)).subarray(0, 20)]);
  for (const [what, png] of [['a truncated extra IDAT', truncatedIdat], ['no IEND', whole.subarray(0, iend)]]) {
    const response = await asPng(vips, png);
    assert.equal(response.status, '200', `${what}: ${response.body}`);
    assert.equal(response.body, reference.body, what);
  }
});

test('a zlib stream cut in half (the rest of the file intact) is a 422, not a partial image', async () => {
  const png = rebuilt(fixtureImage('alpha-half-transparent.png'), {
    size: 4096,
    edit: (stream) => stream.subarray(0, stream.length >> 1),
    after: [text],
  });
  const response = await asPng(vips, png);
  assert.equal(response.status, '422', response.body);
  assert.equal(JSON.parse(response.body).error.code, 'undecodable_image');
});
