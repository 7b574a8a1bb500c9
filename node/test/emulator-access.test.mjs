// Access and adaptation through the emulator (issue 24): the viewer-request
// CloudFront Function and the packaged origin-request function together, with
// the edge cache in between. Progressive JPEG, exp (never served from the cache
// beyond it), signing key rotation.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageSize } from 'image-size';

import { startEmulatorProcess, get } from '../emulator/harness.mjs';
import { signUrl } from '../../deploy/sign.mjs';
import { jpegFrameMarker } from './helpers.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const PACKAGED = path.resolve(HERE, '../../dist/package/index.js');
const skip = !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function jsonError(res, status, code) {
  assert.equal(res.status, status, res.text().slice(0, 300));
  assert.match(res.headers['content-type'], /^application\/json/);
  const body = res.json();
  assert.equal(body.error.code, code);
  return body;
}

describe('emulator: progressive JPEG, exp, key rotation', { skip }, () => {
  const KEYS = { '2026-12': 'emulator-old', '2027-01': 'emulator-new' };
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-access-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ signing: { keys: KEYS, required: true }, cacheControl: 'public, max-age=31536000' }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fm=pjpg in any spelling: one cache entry, a progressive JPEG', async () => {
    const signed = signUrl('/photo-baseline.jpg?fm=pjpg&width=320&progressive=0', KEYS['2027-01']).url;
    assert.match(signed, /^\/photo-baseline\.jpg\?w=320&format=pjpg&sig=/);
    const first = await get(emu.url, signed);
    assert.equal(first.status, 200, first.text().slice(0, 300));
    assert.equal(first.headers['content-type'], 'image/jpeg');
    assert.equal(jpegFrameMarker(first.body), 0xc2);
    assert.equal(imageSize(first.body).width, 320);
    const sig = new URLSearchParams(signed.split('?')[1]).get('sig');
    const again = await get(emu.url, `/photo-baseline.jpg?progressive=0&format=pjpg&w=320&utm=1&sig=${sig}`);
    assert.equal(again.status, 200);
    assert.match(again.headers['x-cache'], /^Hit/);
    const progressive = await get(emu.url, signUrl('/photo-baseline.jpg?w=320&progressive=1', KEYS['2026-12']).url);
    assert.equal(progressive.status, 200);
    assert.equal(jpegFrameMarker(progressive.body), 0xc2);
  });

  test('exp: cached no longer than the URL lives, then 410 (signed with either key)', async () => {
    const exp = nowSeconds() + 3;
    const url = signUrl(`/photo-baseline.jpg?w=90&exp=${exp}`, KEYS['2026-12']).url;
    const first = await get(emu.url, url);
    const received = Date.now() / 1000;
    assert.equal(first.status, 200, first.text().slice(0, 300));
    const maxAge = Number(/max-age=(\d+)/.exec(first.headers['cache-control'])[1]);
    assert.ok(maxAge >= 1 && maxAge <= 3, first.headers['cache-control']);
    assert.match((await get(emu.url, url)).headers['x-cache'], /^Hit/);
    // A cache counts max-age from when the response arrived: on a loaded
    // machine a render can outlast the second between exp and exp + 1.
    await sleep((Math.max(exp, received + maxAge) + 1 - Date.now() / 1000) * 1000);
    const gone = await get(emu.url, url);
    jsonError(gone, 410, 'expired');
    assert.doesNotMatch(gone.headers['x-cache'], /^Hit/);
    // A later exp is another URL, and needs its own signature.
    const moved = url.replace(`exp=${exp}`, `exp=${exp + 3600}`);
    jsonError(await get(emu.url, moved), 403, 'invalid_signature');
    const renewed = await get(emu.url, signUrl(`/photo-baseline.jpg?w=90&exp=${exp + 3600}`, KEYS['2027-01']).url);
    assert.equal(renewed.status, 200);
  });

  test('hostile exp values are 400s naming exp', async () => {
    for (const bad of ['-1', 'abc', '99999999999', '1e9', '0']) {
      const url = signUrl(`/photo-baseline.jpg?w=90&exp=${bad}`, KEYS['2027-01']).url;
      const body = jsonError(await get(emu.url, url), 400, 'invalid_parameter');
      assert.equal(body.error.param, 'exp', bad);
    }
  });

  test('a key no longer configured is a 403', async () => {
    jsonError(await get(emu.url, signUrl('/photo-baseline.jpg?w=91', 'retired-key').url), 403, 'invalid_signature');
  });
});

describe('emulator: presets and presetsOnly', { skip }, () => {
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-presets-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ presets: { thumb: 'w=200&h=120&fit=cover', hero: 'width=640&format=pjpg' }, presetsOnly: true }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a preset in any spelling is one cache entry', async () => {
    const first = await get(emu.url, '/photo-baseline.jpg?preset=thumb');
    assert.equal(first.status, 200, first.text().slice(0, 300));
    assert.deepEqual([imageSize(first.body).width, imageSize(first.body).height], [200, 120]);
    const again = await get(emu.url, '/photo-baseline.jpg?utm_source=x&preset=thumb&sig_unrelated=1');
    assert.match(again.headers['x-cache'], /^Hit/);
    const hero = await get(emu.url, '/photo-baseline.jpg?preset=hero');
    assert.equal(hero.status, 200);
    assert.equal(jpegFrameMarker(hero.body), 0xc2);
    assert.equal(imageSize(hero.body).width, 640);
  });

  test('presetsOnly: other parameters are a 403, an unknown preset a 400, no parameter the original', async () => {
    for (const q of ['w=200', 'preset=thumb&w=300', 'fm=webp']) jsonError(await get(emu.url, `/photo-baseline.jpg?${q}`), 403, 'presets_only');
    jsonError(await get(emu.url, '/photo-baseline.jpg?preset=huge'), 400, 'invalid_parameter');
    const original = await get(emu.url, '/photo-baseline.jpg');
    assert.equal(original.status, 200);
    assert.deepEqual(original.body, fs.readFileSync(path.join(HERE, '../../fixtures/images/photo-baseline.jpg')));
  });
});
