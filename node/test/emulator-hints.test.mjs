// Client hints end to end: viewer -> emulator (the real deploy/viewer-request.js
// computes x-vips-edge-hints, the cache keys on it) -> packaged handler (the C++
// resolves w/dpr/q=auto from it). README "Client hints".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageSize } from 'image-size';

import { startEmulatorProcess, get } from '../emulator/harness.mjs';

const PACKAGED = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../dist/package/index.js');
const W_VARY = 'sec-ch-width, width, sec-ch-viewport-width, sec-ch-dpr, dpr';

describe('client hints through the emulator', { skip: !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`' }, () => {
  let emu;
  before(async () => { emu = await startEmulatorProcess({ env: { QUIET: '1' } }); });
  after(async () => { await emu?.stop(); });

  // photo-baseline.jpg is 1600x1203.
  const image = async (target, headers = {}) => {
    const res = await get(emu.url, target, { headers });
    assert.equal(res.status, 200, `${target}: ${res.text().slice(0, 300)}`);
    return { res, width: imageSize(res.body).width };
  };

  test('w=auto + Sec-CH-Width 700: the 768 rung; Vary and Accept-CH say so', async () => {
    const { res, width } = await image('/photo-baseline.jpg?w=auto', { 'sec-ch-width': '700' });
    assert.equal(width, 768);
    assert.equal(res.headers.vary, W_VARY);
    assert.equal(res.headers['accept-ch'], 'Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width');
  });

  test('two widths in one rung share one cache entry; the next rung is another', async () => {
    const t = '/photo-progressive.jpg?width=auto';
    const a = await get(emu.url, t, { headers: { 'sec-ch-width': '650' } });
    assert.equal(a.headers['x-cache'], 'Miss from emulator');
    const b = await get(emu.url, t, { headers: { 'sec-ch-width': '700' } });
    assert.equal(b.headers['x-cache'], 'Hit from emulator', 'same rung, same key');
    assert.deepEqual(b.body, a.body);
    const c = await get(emu.url, t, { headers: { 'sec-ch-width': '769' } });
    assert.equal(c.headers['x-cache'], 'Miss from emulator', 'the next rung');
    assert.equal(imageSize(c.body).width, 1024);
    const d = await get(emu.url, t, { headers: { 'sec-ch-width': '1000', 'user-agent': 'other', 'x-vips-edge-hints': 'w=320' } });
    assert.equal(d.headers['x-cache'], 'Hit from emulator', 'a viewer copy of the header changes nothing');
  });

  test('viewport x DPR, the legacy Width, dpr=auto', async () => {
    assert.equal((await image('/photo-baseline.jpg?w=auto', { 'sec-ch-viewport-width': '412', 'sec-ch-dpr': '2.625' })).width, 1280);
    assert.equal((await image('/photo-baseline.jpg?w=auto', { width: '300' })).width, 320);
    const d = await image('/photo-baseline.jpg?w=200&dpr=auto', { 'sec-ch-dpr': '1.5' });
    assert.equal(d.width, 400, 'DPR 1.5 rounds up to the 2 rung');
    assert.equal(d.res.headers.vary, 'sec-ch-dpr, dpr');
    assert.equal(d.res.headers['accept-ch'], 'Sec-CH-DPR');
  });

  test('without hints auto means the default', async () => {
    assert.equal((await image('/photo-baseline.jpg?w=auto')).width, 1600);
    assert.equal((await image('/photo-baseline.jpg?w=300&dpr=auto')).width, 300);
  });

  test('q=auto + Save-Data: on lowers the quality (another cache entry)', async () => {
    const t = '/photo-baseline.jpg?w=600&q=auto';
    const saver = await image(t, { 'save-data': 'on' });
    const normal = await image(t);
    assert.equal(normal.res.headers['x-cache'], 'Miss from emulator');
    assert.ok(saver.res.body.length < normal.res.body.length * 0.9, `${saver.res.body.length} vs ${normal.res.body.length}`);
    assert.equal(saver.res.headers.vary, 'save-data');
    assert.equal(saver.res.headers['accept-ch'], undefined, 'Save-Data needs no Accept-CH');
    assert.notEqual(saver.res.headers.etag, normal.res.headers.etag);
  });

  test('requests without auto carry neither Vary nor Accept-CH, whatever hints came', async () => {
    const { res, width } = await image('/photo-baseline.jpg?w=500', { 'sec-ch-width': '700', 'save-data': 'on', dpr: '2' });
    assert.equal(width, 500);
    assert.equal(res.headers.vary, undefined);
    assert.equal(res.headers['accept-ch'], undefined);
  });

  test('hostile values: garbage hints count as absent, auto where it is not allowed is a 400', async () => {
    for (const [name, value] of [['sec-ch-width', '99999999999'], ['sec-ch-width', '-1'], ['sec-ch-width', '1e3'],
      ['sec-ch-width', '0x300'], ['sec-ch-dpr', 'NaN'], ['sec-ch-viewport-width', '1,2']]) {
      assert.equal((await image('/photo-baseline.jpg?w=auto', { [name]: value })).width, 1600, `${name}: ${value}`);
    }
    for (const q of ['h=auto', 'w=AUTO', 'w=auto&dpr=2', 'fit=auto', 'q=auto1', 'w=auto&w=auto']) {
      const res = await get(emu.url, `/photo-baseline.jpg?${q}`, { headers: { 'sec-ch-width': '700' } });
      assert.equal(res.status, 400, q);
      assert.equal(res.headers['content-type'], 'application/json', q);
      assert.equal(JSON.parse(res.text()).error.code, 'invalid_parameter', q);
      assert.equal(res.headers['cache-control'], 'public, max-age=10', q);
    }
  });
});

// The ladder is the config's (clientHints): make deploy deploys the Function with the
// package's ladder (deploy/scripts/ladder.mjs) and the emulator runs it alike.
describe('client hints with a configured ladder', { skip: !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`' }, () => {
  let emu;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-ladder-'));
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ clientHints: { widths: [300, 600, 1200], dprs: [1, 2] } }));
    emu = await startEmulatorProcess({ env: { HANDLER_CONFIG: cfg, QUIET: '1' } });
  });
  after(async () => {
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Sec-CH-Width rounds up to the configured rungs, DPR to the configured dprs', async () => {
    const w = async (headers) => {
      const res = await get(emu.url, '/photo-baseline.jpg?w=auto', { headers });
      assert.equal(res.status, 200, res.text().slice(0, 300));
      return imageSize(res.body).width;
    };
    assert.equal(await w({ 'sec-ch-width': '700' }), 1200, '700 -> the 1200 rung (768 in the default ladder)');
    assert.equal(await w({ 'sec-ch-width': '250' }), 300);
    assert.equal(await w({ 'sec-ch-viewport-width': '280', 'sec-ch-dpr': '2' }), 600, '280 x 2 -> the 600 rung');
    const d = await get(emu.url, '/photo-baseline.jpg?w=200&dpr=auto', { headers: { 'sec-ch-dpr': '3' } });
    assert.equal(d.status, 200, d.text().slice(0, 300));
    assert.equal(imageSize(d.body).width, 400, 'DPR 3 is capped at the configured top dpr, 2');
  });
});
