// The playground in Debian's headless Chromium (driven by playwright-core,
// which never downloads a browser): a control for every row of the parameter
// table, change w and format, the v2 operations and format=json, the original
// beside the result, and the signed URL when signing is on.
// node/emulator/install-browser.sh installs /usr/bin/chromium (`make deps`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startEmulatorProcess, decodePng } from '../emulator/harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGED = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/package/index.js');
const SCREENSHOT = '/tmp/playground.png';

const skip = !fs.existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing: run node/emulator/install-browser.sh (part of \`make deps\`)`
  : !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`';

const TABLE = JSON.parse(fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/api/params.json'), 'utf8')).params;

/** The result image's RGBA at each [x, y], as the browser decoded it (drawn on a canvas). */
function resultPixels(page, points) {
  return page.evaluate((at) => {
    const img = document.getElementById('result-img');
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    return at.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data));
  }, points);
}

let emu;
let signedEmu;
let browser;
let profile;
let configDir;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  emu = await startEmulatorProcess({ env: { QUIET: '1' } });
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-pg-'));
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ signing: { key: 'playground-key', required: true } }));
  signedEmu = await startEmulatorProcess({ env: { QUIET: '1', HANDLER_CONFIG: path.join(configDir, 'config.json') } });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-chromium-'));
  // A fresh --user-data-dir: playwright passes it for a persistent context.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await emu?.stop();
  await signedEmu?.stop();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
});

test('playground: w=123 + format=webp shows a 123 px wide image/webp', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(emu.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) external.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${emu.url}/?image=photo-baseline.jpg`);
  await page.waitForSelector('#images button[data-path="photo-baseline.jpg"][aria-current="true"]');
  await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');
  // Every URL API parameter of the table has a control (sig is signed by the emulator).
  for (const p of TABLE) if (p.name !== 'sig') assert.ok(await page.$(`#${p.name}`), `control #${p.name}`);
  assert.deepEqual(await page.$$eval('#rot option', (o) => o.map((x) => x.value)), ['', '90', '180', '270']);

  await page.fill('#w', '123');
  await page.selectOption('#format', 'webp');
  await page.waitForFunction(() => document.getElementById('url').value.includes('w=123&format=webp') && document.getElementById('state').dataset.state === 'done');

  const shown = await page.evaluate(() => {
    const img = document.getElementById('result-img');
    const text = (id) => document.getElementById(id).textContent;
    return { naturalWidth: img.naturalWidth, hidden: img.hidden, type: text('out-type'), status: text('out-status'), dims: text('out-dims'),
      bytes: text('out-bytes'), cache: text('out-cache'), url: document.getElementById('url').value, time: text('out-time') };
  });
  assert.equal(shown.naturalWidth, 123, JSON.stringify(shown));
  assert.equal(shown.hidden, false);
  assert.equal(shown.type, 'image/webp');
  assert.match(shown.status, /^200/);
  assert.match(shown.dims, /^123 × \d+$/);
  assert.match(shown.bytes, /\d/);
  assert.match(shown.time, /\d+ ms/);
  assert.match(shown.cache, /from emulator$/);
  assert.equal(shown.url, `${emu.url}/photo-baseline.jpg?w=123&format=webp`);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // An error shows the JSON body.
  await page.fill('#w', '0');
  await page.waitForFunction(() => document.getElementById('url').value.includes('w=0') && document.getElementById('state').dataset.state === 'done');
  const err = await page.evaluate(() => ({ status: document.getElementById('out-status').textContent, box: document.getElementById('error-box').textContent, hidden: document.getElementById('error-box').hidden }));
  assert.match(err.status, /^[45]\d\d /, JSON.stringify(err)); // the URL API says 400 invalid_parameter
  assert.equal(err.hidden, false);
  assert.match(err.box, /"error"/);
  await page.screenshot({ path: '/tmp/playground-error.png', fullPage: true });

  assert.deepEqual(external, [], 'no request leaves the emulator');
  assert.deepEqual(errors, []);
});

const facts = (page) => page.evaluate(() => {
  const text = (id) => document.getElementById(id).textContent;
  const img = (id) => ({ w: document.getElementById(id).naturalWidth, h: document.getElementById(id).naturalHeight, hidden: document.getElementById(id).hidden });
  return { result: img('result-img'), original: img('original-img'), dims: text('out-dims'), origDims: text('orig-dims'), bytes: text('out-bytes'),
    origBytes: text('orig-bytes'), saved: text('saved'), status: text('out-status'), url: document.getElementById('url').value,
    json: document.getElementById('json-view').hidden ? null : text('json-box'), signedRow: !document.getElementById('signed-row').hidden,
    signed: document.getElementById('signed-url').value };
});
const settled = (page, fragment) => page.waitForFunction((f) => document.getElementById('url').value.includes(f) &&
  document.getElementById('state').dataset.state === 'done', fragment);

test('playground: original beside the result, rot/flip/rect/blur controls, format=json', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${emu.url}/?image=photo-baseline.jpg`);
  await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');

  await page.fill('#w', '123');
  await page.selectOption('#rot', '90');
  await page.selectOption('#flip', 'h');
  await settled(page, 'w=123&rot=90&flip=h');
  let f = await facts(page);
  assert.deepEqual([f.result.w, f.result.h], [123, 164], JSON.stringify(f)); // w is the rotated width
  assert.equal(f.result.hidden, false);
  assert.deepEqual([f.original.w, f.original.h], [1600, 1203], 'the original, untouched');
  assert.equal(f.origDims, '1600 × 1203');
  assert.match(f.origBytes, /\(84624\)/);
  assert.match(f.saved, /saved \(9\d %\)$/);
  assert.equal(f.signedRow, false);
  await page.screenshot({ path: '/tmp/playground-v2.png', fullPage: true });

  await page.selectOption('#rot', '');
  await page.selectOption('#flip', '');
  await page.fill('#w', '');
  await page.fill('#rect', '100,100,400,200');
  await page.fill('#blur', '2');
  await settled(page, 'rect=100,100,400,200&blur=2');
  f = await facts(page);
  assert.deepEqual([f.result.w, f.result.h], [400, 200], JSON.stringify(f));

  await page.selectOption('#format', 'json');
  await settled(page, 'format=json');
  f = await facts(page);
  assert.ok(f.json, 'the JSON is shown');
  const body = JSON.parse(f.json);
  assert.deepEqual(body.output, { width: 400, height: 200, format: 'jpeg', frames: 1 });
  assert.match(body.thumbhash, /^[A-Za-z0-9+/]+=*$/);
  assert.equal(f.result.hidden, true);
  assert.match(f.dims, /^400 × 200 \(json\)$/);

  // A bad value shows the 400 naming the parameter.
  await page.selectOption('#format', '');
  await page.fill('#rect', '0,0,0,10');
  await settled(page, 'rect=0,0,0,10');
  const box = await page.evaluate(() => document.getElementById('error-box').textContent);
  assert.match(box, /"param": "rect"/);
  assert.deepEqual(errors, []);
});

test('playground with signing configured: the signed URL is shown and served', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${signedEmu.url}/?image=photo-baseline.jpg&w=150&format=webp`);
  await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');
  const f = await facts(page);
  assert.equal(f.signedRow, true);
  assert.match(f.signed, /\/photo-baseline\.jpg\?w=150&format=webp&sig=[\w-]{43}$/, 'canonical query + sig');
  assert.match(f.status, /^200/, JSON.stringify(f));
  assert.equal(f.result.w, 150);
  await page.screenshot({ path: '/tmp/playground-signed.png', fullPage: true });
});

test('playground: w=auto with the Width hint field shows the rung\'s width', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${emu.url}/?image=photo-baseline.jpg`);
  await page.waitForSelector('#images button[data-path="photo-baseline.jpg"][aria-current="true"]');
  assert.deepEqual(await page.$$eval('#auto-values option', (o) => o.map((x) => x.value)), ['auto']);
  await page.fill('#hint-width', '300');
  await page.fill('#w', 'auto');
  await page.waitForFunction(() => document.getElementById('url').value.includes('w=auto') && document.getElementById('state').dataset.state === 'done');
  const width = () => page.evaluate(() => document.getElementById('result-img').naturalWidth);
  assert.equal(await width(), 320, 'Width: 300 rounds up to the 320 rung');
  await page.fill('#hint-width', '');
  await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done' && document.getElementById('result-img').naturalWidth === 1600);
});

test('playground: an animated GIF plays as an animated WebP (the shown frame changes colour)', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${emu.url}/?image=animated-rgb.gif`);
  await page.waitForSelector('#images button[data-path="animated-rgb.gif"][aria-current="true"]');
  await page.fill('#w', '30');
  await page.waitForFunction(() => document.getElementById('url').value.includes('w=30') && document.getElementById('state').dataset.state === 'done');
  const shown = await page.evaluate(() => ({ type: document.getElementById('out-type').textContent, width: document.getElementById('result-img').naturalWidth }));
  assert.deepEqual(shown, { type: 'image/webp', width: 30 });
  // The image the page shows, decoded frame by frame by the browser's own decoder (WebCodecs'
  // ImageDecoder): three frames, red, green, blue, 100/200/300 ms.
  const frames = await page.evaluate(async () => {
    const img = document.getElementById('result-img');
    const data = await (await fetch(img.src)).arrayBuffer();
    const decoder = new ImageDecoder({ data, type: 'image/webp' });
    await decoder.tracks.ready;
    const out = [];
    for (let i = 0; i < decoder.tracks.selectedTrack.frameCount; i++) {
      const { image } = await decoder.decode({ frameIndex: i });
      const c = new OffscreenCanvas(image.displayWidth, image.displayHeight);
      const g = c.getContext('2d');
      g.drawImage(image, 0, 0);
      const [r, gr, b] = g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
      out.push({ colour: r > 128 ? 'red' : gr > 128 ? 'green' : b > 128 ? 'blue' : `other ${r},${gr},${b}`, ms: image.duration / 1000 });
      image.close();
    }
    return out;
  });
  assert.deepEqual(frames, [{ colour: 'red', ms: 100 }, { colour: 'green', ms: 200 }, { colour: 'blue', ms: 300 }]);
  // And the page animates it: what it paints changes colour (screenshots: a canvas drawImage of an
  // animated image gives its first frame in headless Chromium). Two colours are enough: under load
  // the 100 ms red frame can fall between samples.
  const img = await page.$('#result-img');
  await img.scrollIntoViewIfNeeded();
  const seen = new Set();
  for (let i = 0; i < 20 && seen.size < 2; i++) {
    const shot = decodePng(await img.screenshot());
    const [r, g, b] = shot.pixel(Math.floor(shot.width / 2), Math.floor(shot.height / 2));
    seen.add(r > 128 ? 'red' : g > 128 ? 'green' : b > 128 ? 'blue' : `other ${r},${g},${b}`);
    await new Promise((resolve) => setTimeout(resolve, 75));
  }
  assert.ok(seen.size >= 2, `the page showed only ${[...seen]}`);
  await page.close();
});

test('playground: an AVIF source comes out as AVIF that Chromium decodes, in colour', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${emu.url}/?image=alpha-half-transparent.avif`);
  await page.waitForSelector('#images button[data-path="alpha-half-transparent.avif"][aria-current="true"]');
  await page.fill('#w', '120');
  await page.waitForFunction(() => document.getElementById('url').value.includes('w=120') && document.getElementById('state').dataset.state === 'done');
  const shown = await page.evaluate(() => ({ type: document.getElementById('out-type').textContent, width: document.getElementById('result-img').naturalWidth }));
  assert.deepEqual(shown, { type: 'image/avif', width: 120 });
  // The browser's own AVIF decoder: the right half is the opaque photo, the left transparent.
  const [left, right] = await resultPixels(page, [[10, 40], [100, 40]]);
  const pixels = { left, right };
  assert.ok(pixels.left[3] < 10, `left alpha ${pixels.left}`);
  assert.ok(pixels.right[3] > 245, `right alpha ${pixels.right}`);
  await page.close();
});

test('playground as make serve runs it (SHOWCASE=1): a missing image shows the fallback, an SVG comes back as is, wm=logo', { skip, timeout: 120_000 }, async () => {
  const showcase = await startEmulatorProcess({ env: { QUIET: '1', SHOWCASE: '1' } });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${showcase.url}/?image=missing-image.jpg&w=150&format=png`);
    await page.waitForSelector('#images button[data-path="missing-image.jpg"][aria-current="true"]');
    await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');
    let f = await facts(page);
    assert.match(f.status, /^404 .*\(fallback image for 404 not_found\)$/, JSON.stringify(f));
    assert.equal(f.result.hidden, false);
    assert.equal(f.result.w, 150, 'the placeholder, transformed with the request\'s w');
    await page.screenshot({ path: '/tmp/playground-fallback.png', fullPage: true });

    await page.goto(`${showcase.url}/?image=drawing.svg&w=40`);
    await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');
    f = await facts(page);
    assert.match(f.status, /^200/, JSON.stringify(f));
    assert.equal(await page.evaluate(() => document.getElementById('out-type').textContent), 'image/svg+xml');
    assert.equal(f.result.hidden, false);
    assert.equal(f.result.w, 120, 'the SVG unchanged: its own 120 px, not w=40');
    const headers = await page.evaluate(() => document.getElementById('headers-box').textContent);
    assert.match(headers, /content-security-policy: default-src 'none'; style-src 'unsafe-inline'; sandbox/);

    // The watermark controls: wm=logo typed in, the bundled logo at the bottom right.
    await page.goto(`${showcase.url}/?image=split-left-red-right-blue.png&w=320&format=png`);
    await page.waitForFunction(() => document.getElementById('state').dataset.state === 'done');
    for (const name of ['wm', 'wms', 'wmo']) assert.ok(await page.$(`#${name}`), `a control for ${name}`);
    await page.fill('#wm', 'logo');
    await page.waitForFunction(() => document.getElementById('url').value.includes('wm=logo') && document.getElementById('state').dataset.state === 'done');
    const [logo] = await resultPixels(page, [[320 - 64 - 12 + 10, 160 - 32 - 12 + 10]]); // inside the logo
    assert.ok(logo[1] > 100 && logo[0] < 20, `the logo's blue-green, not the image's blue: ${logo}`);
    await page.screenshot({ path: '/tmp/playground-watermark.png', fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await showcase.stop();
  }
});
