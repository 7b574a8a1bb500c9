// Warm throughput, interleaved A/B in one process: every iteration runs each
// op once per library, in an order rotated every iteration, so load from other
// processes on the machine hits all libraries alike. Prints one JSON object.
//   node warm.mjs --concurrency 1 --iterations 15 --warmup 3 --libs a,b,...
import { parseArgs } from 'node:util';
import { HANDLER_SUFFIX, OPS, loadImages, median } from './lib/ops.mjs';
import { PEERS } from './lib/peers.mjs';
import { asHandler } from './lib/handler-peer.mjs';
import { loadBare, loadPackaged } from './lib/ours.mjs';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '1' }, iterations: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' }, libs: { type: 'string', default: 'sharp,sharp-wasm32,wasm-vips,jimp,vips-edge (bare),vips-edge (packaged)' } } });
const concurrency = Number(values.concurrency);
const iterations = Number(values.iterations);
const warmup = Number(values.warmup);
const images = loadImages();
process.env.VIPS_CONCURRENCY = String(concurrency);

const libs = [];
for (const name of values.libs.split(',')) {
  if (name === 'vips-edge (bare)') libs.push(await loadBare(concurrency));
  else if (name.startsWith('bare@')) {
    // A variant build of the module (bench/README.md, "Levers"): bare@DIR
    const v = await loadBare(concurrency, name.slice(5));
    v.name = `vips-edge (bare ${name.slice(5)})`;
    libs.push(v);
  }
  else if (name === 'vips-edge (packaged)') libs.push(await loadPackaged(images));
  else if (name.startsWith('packaged@')) {
    // A variant package (dist/package of another build): packaged@DIR
    const v = await loadPackaged(images, name.slice(9));
    v.name = `vips-edge (packaged ${name.slice(9)})`;
    libs.push(v);
  }
  // A peer behind a reference handler's I/O (lib/handler-peer.mjs): 'sharp-wasm32 (handler)'
  else if (name.endsWith(HANDLER_SUFFIX)) libs.push(await asHandler(await PEERS[name.slice(0, -HANDLER_SUFFIX.length)].load(concurrency), images));
  else libs.push(await PEERS[name].load(concurrency));
}
// The packaged handler logs one JSON line per request: keep stdout for the result.
const realLog = console.log;
console.log = () => {};
// jimp is ~10-30x slower than the others: give it fewer rounds so the run stays short.
const slow = new Set(['jimp']);
const times = Object.fromEntries(libs.map((l) => [l.name, Object.fromEntries(OPS.map((o) => [o.id, []]))]));
const sizes = {};
for (let it = 0; it < warmup + iterations; it++) {
  for (const op of OPS) {
    const order = libs.map((_, i) => libs[(i + it) % libs.length]);
    for (const lib of order) {
      if (slow.has(lib.name) && it >= warmup + 5) continue;
      const t0 = performance.now();
      const out = await lib.run(op, images[op.image]);
      const ms = performance.now() - t0;
      if (out === null) continue;
      if (it >= warmup) times[lib.name][op.id].push(ms);
      (sizes[lib.name] ??= {})[op.id] = out.length;
    }
  }
  process.stderr.write(`warm c=${concurrency}: iteration ${it + 1}/${warmup + iterations}\r`);
}
process.stderr.write('\n');
const result = { concurrency, iterations, warmup, libs: libs.map((l) => ({ name: l.name, version: l.version })), ops: {} };
for (const op of OPS) {
  const ref = median(times.sharp?.[op.id] ?? []);
  result.ops[op.id] = { label: op.label, libs: {} };
  for (const lib of libs) {
    const xs = times[lib.name][op.id];
    if (!xs.length) { result.ops[op.id].libs[lib.name] = null; continue; }
    const m = median(xs);
    result.ops[op.id].libs[lib.name] = { medianMs: +m.toFixed(2), minMs: +Math.min(...xs).toFixed(2), n: xs.length, ratio: +(m / ref).toFixed(2), bytes: sizes[lib.name][op.id] };
  }
}
realLog(JSON.stringify(result));
process.exit(0);
