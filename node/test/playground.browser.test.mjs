// The playground in Debian's headless Chromium (driven by playwright-core,
// which never downloads a browser): change w and format, check the decoded
// image and the facts shown. node/emulator/install-browser.sh installs
// /usr/bin/chromium (`make deps`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startEmulatorProcess } from '../emulator/harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGED = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/package/index.js');
const SCREENSHOT = '/tmp/playground.png';

const skip = !fs.existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing: run node/emulator/install-browser.sh (part of \`make deps\`)`
  : !fs.existsSync(PACKAGED) && 'dist/package/index.js is missing: run `make package`';

let emu;
let browser;
let profile;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  emu = await startEmulatorProcess({ env: { QUIET: '1' } });
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
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
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
  // Every URL API parameter has a control.
  for (const id of ['w', 'h', 'dpr', 'fit', 'pos', 'enlarge', 'format', 'q', 'bg']) assert.ok(await page.$(`#${id}`), `control #${id}`);

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
