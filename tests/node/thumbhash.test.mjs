// tests/cases/thumbhash.json against the reference implementation (npm
// thumbhash): the bytes our C++ must give (tests/native/test_thumbhash.cpp)
// are still exactly what the author's code gives for the same RGBA. Also the
// whole path through the wasm module: format=json's ThumbHash of an exact
// crop equals the reference's on the decoded pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModule, eventWith, fixtureImage, root, requireFromNode } from './wasm-module.mjs';

const { rgbaToThumbHash, thumbHashToApproximateAspectRatio } = await import(requireFromNode.resolve('thumbhash'));
const table = JSON.parse(readFileSync(path.join(root, 'tests/cases/thumbhash.json'), 'utf8'));

for (const c of table.cases) {
  test(`reference ThumbHash of "${c.name}" is the stored one`, () => {
    const rgba = new Uint8Array(Buffer.from(c.rgba, 'base64'));
    assert.equal(rgba.length, c.width * c.height * 4);
    assert.equal(Buffer.from(rgbaToThumbHash(c.width, c.height, rgba)).toString('base64'), c.thumbhash);
  });
}

let vips;
before(async () => { vips = await loadModule(); });
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

test('format=json through the wasm module: the reference ThumbHash of the same pixels, the right aspect ratio', async () => {
  const query = 'rect=150,20,90,60&format=json';
  const event = eventWith('fixtures/events/origin-request-custom.json', { querystring: query });
  const result = await vips.finish(event, { status: 200, headers: {} }, fixtureImage('split-left-red-right-blue.png'));
  assert.equal(result.response.status, '200');
  const body = JSON.parse(result.response.body);
  assert.deepEqual(body.output, { width: 90, height: 60, format: 'png', frames: 1 });
  // The crop of a lossless left-red/right-blue card: x < 200 red, else blue.
  const rgba = new Uint8Array(90 * 60 * 4);
  for (let y = 0; y < 60; y++) for (let x = 0; x < 90; x++) rgba.set(150 + x < 200 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 90 + x) * 4);
  assert.equal(body.thumbhash, Buffer.from(rgbaToThumbHash(90, 60, rgba)).toString('base64'));
  assert.equal(thumbHashToApproximateAspectRatio(Buffer.from(body.thumbhash, 'base64')), 7 / 5);  // ~ 90/60
  assert.equal(body.dominant, '#ff0000');  // 50 red columns, 40 blue
});
