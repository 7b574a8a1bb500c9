// The shared conversion table (tests/cases/conversions.json) through the wasm
// module; tests/native/test_conversions.cpp runs the same table natively.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCodec, loadModule, eventWith, fixtureImage, root, requireFromNode, respondTo } from './wasm-module.mjs';
import { webpFrameDelays } from '../../node/emulator/harness.mjs';

const { imageSize } = requireFromNode('image-size');
const table = JSON.parse(readFileSync(path.join(root, 'tests/cases/conversions.json'), 'utf8'));
const imageSizeType = { jpeg: 'jpg', png: 'png', webp: 'webp' };

let vips;
let codec;
before(async () => {
  vips = await loadModule();
  codec = await loadCodec();
});
// The module's pthread pool keeps Node alive; the test file ends itself.
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

for (const c of table.cases) {
  test(`${c.image}?${c.query}${c.accept ? ` (Accept: ${c.accept})` : ''}`, async () => {
    const event = eventWith(table.event, { querystring: c.query, accept: c.accept });
    const response = await respondTo(vips, event, fixtureImage(c.image), 'image/jpeg');
    assert.equal(response.status, '200');
    if (c.expect.format === 'json') {
      assert.equal(response.bodyEncoding, 'text');
      assert.equal(response.headers['content-type'][0].value, 'application/json');
      const body = JSON.parse(response.body);
      assert.deepEqual(body.source, c.expect.source);
      assert.deepEqual(body.output, c.expect.output);
      for (const key of ['thumbhash', 'dominant']) if (key in c.expect) assert.equal(body[key], c.expect[key], key);
      return;
    }
    assert.equal(response.bodyEncoding, 'base64');
    assert.equal(response.headers['content-type'][0].value, `image/${c.expect.format}`);
    assert.equal(response.headers['content-length'], undefined);

    const body = Buffer.from(response.body, 'base64');
    if (c.expect.format === 'avif') {
      // libvips has no AVIF here either: the codec's own decoder (dav1d,
      // independent of aom, which encoded it) reads it back.
      assert.equal(body.subarray(4, 12).toString('latin1'), 'ftypavif');
      const { outcome } = codec.decode(body);
      assert.deepEqual(
        { width: outcome.width, height: outcome.height, channels: outcome.channels, iccBytes: outcome.iccBytes },
        { width: c.expect.width, height: c.expect.height, channels: c.expect.bands, iccBytes: 0 },
      );
      if (c.expect.vary) assert.equal(response.headers.vary[0].value, c.expect.vary);
      return;
    }
    const size = imageSize(body);
    assert.equal(size.type, imageSizeType[c.expect.format]);
    assert.equal(size.width, c.expect.width);
    assert.equal(size.height, c.expect.height);

    const probe = vips.probe(body);
    assert.equal(probe.bands, c.expect.bands);
    if (c.expect.interpretation) assert.equal(probe.interpretation, c.expect.interpretation);
    if ('icc' in c.expect) assert.equal(probe.hasIcc, c.expect.icc);
    if ('exif' in c.expect) assert.equal(probe.hasExif, c.expect.exif);
    if (c.expect.vary) assert.equal(response.headers.vary[0].value, c.expect.vary);
    const delays = webpFrameDelays(body);
    assert.equal(Math.max(delays.length, 1), c.expect.frames ?? 1, 'frames');
    if (c.expect.delays) assert.deepEqual(delays, c.expect.delays);
  });
}
