// ICC-managed sources, same run: an untagged CMYK JPEG (libvips' fallback CMYK
// profile), a CMYK JPEG and an Adobe RGB JPEG with their own profiles, and an
// sRGB control, each → 400 px JPEG q80, against sharp and sharp-wasm32 (bench/README.md
// "ICC transforms"). Bare modules (no handler I/O), medians of interleaved runs.
//   node bench/icc.mjs [--iterations 15] [--libs sharp,sharp-wasm32] [dir=build/wasm ...]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/ops.mjs';
import { PEERS } from './lib/peers.mjs';
import { loadModule } from '../tests/node/wasm-module.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { iterations: { type: 'string', default: '15' }, libs: { type: 'string', default: 'sharp,sharp-wasm32' } } });
const fixture = (name) => fs.readFileSync(path.join(ROOT, 'fixtures/images', name));
const IMAGES = [
  ['CMYK, no profile (800×602)', 'photo-cmyk.jpg'],
  ['CMYK patches, no profile (320×64)', 'cmyk-patches.jpg'],
  ['Adobe RGB (1600×1203)', 'photo-adobergb.jpg'],
  ['sRGB control (1600×1203)', 'photo-baseline.jpg'],
];
const op = { w: 400, format: 'jpeg', q: 80 };

const libs = [];
for (const arg of positionals.length ? positionals : [`ours=${path.join(ROOT, 'build/wasm')}`]) {
  const [name, dir] = arg.split('=');
  const vips = await loadModule({ dir: path.resolve(dir), variant: 'vips_edge' });
  const event = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/events/origin-request-custom.json'), 'utf8'));
  libs.push({
    name,
    async run(bytes, image) {
      const req = event.Records[0].cf.request;
      req.uri = `/${image}`;
      req.querystring = `w=${op.w}&format=jpeg&q=${op.q}`;
      const r = await vips.finish(event, { status: 200, headers: { 'content-type': 'image/jpeg' } }, bytes);
      if (String(r.response?.status) !== '200') throw new Error(JSON.stringify(r).slice(0, 300));
    },
  });
}
for (const name of values.libs.split(',').filter(Boolean)) {
  const peer = await PEERS[name].load(1);
  libs.push({ name, run: (bytes) => peer.run(op, bytes) });
}

const times = new Map();
for (const [label, image] of IMAGES) {
  const bytes = fixture(image);
  for (const lib of libs) await lib.run(bytes, image);  // warm: the first request builds what later ones reuse
  for (let i = 0; i < Number(values.iterations); i++)
    for (const lib of libs) {
      const t0 = performance.now();
      await lib.run(bytes, image);
      const key = `${label}\t${lib.name}`;
      (times.get(key) ?? times.set(key, []).get(key)).push(performance.now() - t0);
    }
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`| source → 400 px JPEG | ${libs.map((l) => l.name).join(' | ')} |`);
console.log(`|---|${libs.map(() => '---:').join('|')}|`);
for (const [label] of IMAGES) console.log(`| ${label} | ${libs.map((l) => median(times.get(`${label}\t${l.name}`)).toFixed(1) + ' ms').join(' | ')} |`);
process.exit(0);
