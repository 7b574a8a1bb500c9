// AVIF encoder settings, measured (bench/README.md "AVIF"): the same 800 px
// RGB image (the 2 MP photo resized once by native sharp) encoded by our
// codec module (build/wasm/avif_codec.wasm) at aom speeds 6-9 and a few
// qualities, and by sharp-wasm32 at the efforts a user would pick, in one
// interleaved run. Reports median time, bytes, and PSNR against the input
// (decoded by native sharp, so neither side grades itself).
//   node bench/avif.mjs [--rounds 7]   (AVIF_QS=51,52 AVIF_QUICK=1: below)
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { BENCH, imagesDir, median } from './lib/ops.mjs';
import { PEERS } from './lib/peers.mjs';
import { loadCodec } from '../tests/node/wasm-module.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const sharp = createRequire(path.join(BENCH, 'package.json'))('sharp');
sharp.concurrency(1);
const wasm32 = await PEERS['sharp-wasm32'].load(1);
const sharpWasm = createRequire(path.join(BENCH, 'peers/sharp-wasm32/package.json'))('sharp');
const codec = await loadCodec();

// AVIF_IMAGE=photo-8mp.jpg AVIF_WIDTH=1200: another bench image and size.
const source = process.env.AVIF_IMAGE ?? 'photo-2mp.jpg';
const photo = fs.readFileSync(path.join(imagesDir(), source));
const { data: raw, info } = await sharp(photo).rotate().resize({ width: Number(process.env.AVIF_WIDTH ?? 800) }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const { width, height } = info;

const ours = (quality, speed) => () => {
  const done = codec.encode(raw, { width, height, channels: 3, quality, speed });
  if (done.outcome.error) throw new Error(done.outcome.message);
  return done.bytes;
};
const theirs = (quality, effort, chroma) => () =>
  sharpWasm(raw, { raw: { width, height, channels: 3 } }).avif({ quality, effort, chromaSubsampling: chroma }).toBuffer();

// AVIF_QS=51,52,53 [AVIF_SPEED=9]: other qualities at speed 8 (or 9); AVIF_QUICK=1: only those,
// speed 8 q50 and sharp effort 1.
const cases = [
  ...[9, 8, 7, 6].map((speed) => [`vips-edge speed ${speed} q50`, ours(50, speed)]),
  ...(process.env.AVIF_QS ?? '45,55,60').split(',').map(Number).map((q) => [`vips-edge speed ${process.env.AVIF_SPEED ?? 8} q${q}`, ours(q, Number(process.env.AVIF_SPEED ?? 8))]),
  ['sharp-wasm32 effort 1 q50 4:2:0', theirs(50, 1, '4:2:0')],
  ['sharp-wasm32 effort 2 q50 4:2:0', theirs(50, 2, '4:2:0')],
  ['sharp-wasm32 effort 4 q50 4:2:0', theirs(50, 4, '4:2:0')],
  ['sharp-wasm32 default (effort 4, q50, 4:4:4)', theirs(50, 4, '4:4:4')],
].filter(([name]) => !process.env.AVIF_QUICK || / speed 8 q50| effort 1 /.test(name) || new RegExp(` speed ${process.env.AVIF_SPEED ?? 8} q`).test(name));

async function psnr(avif) {
  const { data, info: d } = await sharp(avif).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (d.width !== width || d.height !== height) throw new Error('size changed');
  let se = 0;
  for (let i = 0; i < raw.length; i++) se += (raw[i] - data[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (se / raw.length));
}

const times = new Map(cases.map(([name]) => [name, []]));
const outputs = new Map();
for (let r = 0; r <= rounds; r++) {
  for (let i = 0; i < cases.length; i++) {
    const [name, run] = cases[(i + r) % cases.length];
    const t0 = performance.now();
    const out = await run();
    if (r > 0) times.get(name).push(performance.now() - t0); // round 0 warms both up
    outputs.set(name, out);
  }
  process.stderr.write(`avif: round ${r}/${rounds}\r`);
}
process.stderr.write('\n');
console.log(`${width}x${height} RGB from ${source}; ${rounds} rounds after a warm-up, interleaved; ${wasm32.version}`);
console.log('| encoder | median ms | bytes | PSNR dB |');
console.log('|---|---:|---:|---:|');
for (const [name] of cases) {
  const out = outputs.get(name);
  console.log(`| ${name} | ${median(times.get(name)).toFixed(0)} | ${out.length} | ${(await psnr(out)).toFixed(2)} |`);
}
process.exit(0);
