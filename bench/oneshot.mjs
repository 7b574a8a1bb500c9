// One library in a fresh process (spawned by run.mjs):
//   --mode cold: load + first 2 MP -> 400 px JPEG; prints ms since process start
//                (performance.now(), whose origin is the process start).
//   --mode cold-avif: the same with a 2 MP -> 800 px AVIF first request (our
//                codec module is compiled then, not at load).
//   --mode all:  every op once (run.mjs runs it under strace for the zip sizes).
//   --mode rss:  load + the 8 MP -> 800 px JPEG job (--repeat times); prints
//                process.resourceUsage().maxRSS (KiB -> MiB): the whole
//                process, so every Worker (each pthread is one) is counted.
// Every mode also prints the process's OS threads (/proc/self/task) before
// loading, after loading and at the end: what a library adds.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { COLD_AVIF_OP, COLD_OP, OPS, RSS_OP, loadImages } from './lib/ops.mjs';
import { residentBreakdown } from './lib/memory.mjs';

const { values } = parseArgs({ options: { lib: { type: 'string' }, mode: { type: 'string', default: 'cold' }, concurrency: { type: 'string', default: '1' }, repeat: { type: 'string', default: '1' } } });
const concurrency = Number(values.concurrency);
process.env.VIPS_CONCURRENCY = String(concurrency);
const op = values.mode === 'cold' ? COLD_OP : values.mode === 'cold-avif' ? COLD_AVIF_OP : RSS_OP;
const images = loadImages(process.env.BENCH_IMAGES);
const bytes = images[op.image];
const threads = () => (fs.existsSync('/proc/self/task') ? fs.readdirSync('/proc/self/task').length : null);
const threadsBefore = threads();
const t0 = performance.now();
const realLog = console.log;
console.log = () => {};
let lib;
if (values.lib === 'vips-edge (bare)') lib = await (await import('./lib/ours.mjs')).loadBare(concurrency);
else if (values.lib === 'vips-edge (packaged)') lib = await (await import('./lib/ours.mjs')).loadPackaged(images);
else lib = await (await import('./lib/peers.mjs')).PEERS[values.lib].load(concurrency);
const tLoaded = performance.now();
const threadsLoaded = threads();
let out;
// --mode all: every op once (used under strace to find the runtime files).
if (values.mode === 'all') for (const o of OPS) out = (await lib.run(o, images[o.image])) ?? out;
else for (let i = 0; i < Number(values.repeat); i++) out = await lib.run(op, bytes);
const tDone = performance.now();
if (!out?.length) throw new Error('no output');
realLog(JSON.stringify({
  lib: values.lib, mode: values.mode,
  sinceStartMs: +tDone.toFixed(1), nodeBootMs: +t0.toFixed(1), loadMs: +(tLoaded - t0).toFixed(1), firstOpMs: +(tDone - tLoaded).toFixed(1),
  maxRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), bytes: out.length,
  threads: { before: threadsBefore, loaded: threadsLoaded, end: threads() },
  ...(values.mode === 'rss' ? { memory: residentBreakdown() } : {}),
}));
process.exit(0);
