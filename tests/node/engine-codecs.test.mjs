// What the module's own codec builds do that Debian 12's do not (the native
// twin links Debian 12's libjpeg-turbo 2.1.5 and libheif 1.15, so these cases
// cannot live in the shared conversion table): the wasm modules run the
// versions third_party/versions.sh pins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadCodec, loadModule, eventWith, fixtureImage, requireFromNode, respondTo } from './wasm-module.mjs';

const { imageSize } = requireFromNode('image-size');
const EVENT = 'fixtures/events/origin-request-custom.json';

let vips;
let codec;
before(async () => {
  vips = await loadModule();
  codec = await loadCodec();
});
// The module's pthread pool keeps Node alive; the test file ends itself.
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

const transform = (image, querystring) =>
  respondTo(vips, eventWith(EVENT, { querystring }), fixtureImage(image), 'image/jpeg');

test('a lossless JPEG (SOF3) decodes and resizes: libjpeg-turbo >= 3.0', async () => {
  const response = await transform('photo-lossless.jpg', 'w=120&format=png');
  assert.equal(response.status, '200', response.body);
  const size = imageSize(Buffer.from(response.body, 'base64'));
  assert.deepEqual([size.type, size.width, size.height], ['png', 120, 90]);
});

test('a lossless JPEG decodes to the photo it was made from (average colour as the lossy original, to thumbhash precision)', async () => {
  // format=json's thumbhash encodes the image's average colour (npm thumbhash
  // decodes it), quantised to ~8 levels: a wrong colour transform or a swapped
  // channel is far outside 12.
  const { thumbHashToAverageRGBA } = await import(requireFromNode.resolve('thumbhash'));
  const average = async (image) => {
    const response = await transform(image, 'w=100&format=json');
    assert.equal(response.status, '200', response.body);
    const { r, g, b } = thumbHashToAverageRGBA(Buffer.from(JSON.parse(response.body).thumbhash, 'base64'));
    return [r, g, b].map((v) => v * 255);
  };
  const lossless = await average('photo-lossless.jpg');
  const lossy = await average('photo-baseline.jpg');
  lossless.forEach((v, i) => assert.ok(Math.abs(v - lossy[i]) <= 12, `${lossless} vs ${lossy}`));
});

test('an AVIF frame larger than the image declares is refused before it is decoded: libheif >= 1.19 limits', () => {
  // photo.avif (800x602) declaring 8x6 (its ispe box rewritten): dav1d refuses
  // the frame (libheif's error), under any max_pixels. Debian 12's libheif 1.15
  // has no limits: natively the decoded size's check refuses it after the
  // decode (tests/native/test_avif.cpp).
  const lying = fixtureImage('photo-lying-size.avif');
  for (const maxPixels of [1000, 1_000_000]) {
    const { outcome } = codec.decode(lying, maxPixels);
    assert.equal(outcome.error, 'corrupt', `${maxPixels}`);
    assert.match(outcome.message, /^cannot decode the image/, `${maxPixels}`);
  }
  // The limits are per decode: the honest file decodes at exactly its size.
  assert.equal(codec.decode(fixtureImage('photo.avif'), 800 * 602).outcome.width, 800);
});
