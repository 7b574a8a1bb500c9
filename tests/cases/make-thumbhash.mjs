#!/usr/bin/env node
// Writes tests/cases/thumbhash.json: RGBA images (base64) and the ThumbHash the
// author's reference implementation (npm thumbhash, rgbaToThumbHash) gives for
// each. tests/native/test_thumbhash.cpp checks our C++ gives the same bytes;
// tests/node/thumbhash.test.mjs checks the file still matches the reference.
//   node tests/cases/make-thumbhash.mjs
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const requireFromNode = createRequire(path.join(root, 'node/package.json'));
const { rgbaToThumbHash } = await import(requireFromNode.resolve('thumbhash'));

// Deterministic pixels: a small LCG, so the file is reproducible.
function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}

const images = {
  'one opaque pixel': [1, 1, () => [200, 30, 60, 255]],
  'wide gradient 100x6': [100, 6, (x, y) => [x * 2.5, y * 40, 255 - x * 2, 255]],
  'tall gradient 6x100': [6, 100, (x, y) => [y * 2, 120, x * 40, 255]],
  'noise 40x30': [40, 30, ((r) => () => [r(), r(), r(), 255])(lcg(1))],
  'alpha gradient 33x25': [33, 25, (x, y) => [255, x * 7, y * 9, Math.round((x / 32) * 255)]],
  'fully transparent 20x20': [20, 20, () => [10, 200, 30, 0]],
  'half transparent noise 30x30': [30, 30, ((r) => (x) => [r(), r(), r(), x < 15 ? 0 : r()])(lcg(7))],
  'grey square 48x48 with a dark disc': [48, 48, (x, y) => {
    const v = (x - 24) ** 2 + (y - 24) ** 2 < 200 ? 20 : 230;
    return [v, v, v, 255];
  }],
};

const cases = Object.entries(images).map(([name, [w, h, pixel]]) => {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set(pixel(x, y).map((v) => Math.max(0, Math.min(255, Math.round(v)))), (y * w + x) * 4);
  return { name, width: w, height: h, rgba: Buffer.from(rgba).toString('base64'), thumbhash: Buffer.from(rgbaToThumbHash(w, h, rgba)).toString('base64') };
});
writeFileSync(path.join(root, 'tests/cases/thumbhash.json'), JSON.stringify({
  about: 'RGBA in, ThumbHash out, from the reference implementation (npm thumbhash). Written by tests/cases/make-thumbhash.mjs; tests/native/test_thumbhash.cpp (our C++) and tests/node/thumbhash.test.mjs (the reference again) read it.',
  cases,
}, null, 1) + '\n');
console.log(`wrote ${cases.length} cases`);
