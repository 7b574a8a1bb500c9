// Cold start and peak RSS of package builds against the peers, interleaved in
// fresh processes (bench/oneshot.mjs), for the "Levers" notes in README.md:
//   node bench/compare.mjs --mode cold --runs 11 base=/tmp/base/dist/package new=dist/package sharp sharp-wasm32
//   node bench/compare.mjs --mode rss --repeat 3 --runs 3 new=dist/package sharp-wasm32
//   node bench/compare.mjs --mode rss --repeat 15 --runs 3 --runtime all new=dist/package sharp sharp-wasm32
// NAME=DIR is a dist/package-like folder run as 'vips-edge (packaged)'; a bare
// NAME is a library of bench/lib/peers.mjs. --runtime: a Lambda runtime of
// node/runtimes/runtimes.json (nodejs22.x, nodejs24.x), 'all' of them (each
// its own table), or 'current' (this node; the default). Prints medians and ratios to the
// first peer named sharp / sharp-wasm32 found, plus the OS threads each adds.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, imagesDir, median } from './lib/ops.mjs';
import { lambdaRuntimes, runtimeNode } from './lib/runtimes.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mode: { type: 'string', default: 'cold' }, runs: { type: 'string', default: '9' }, repeat: { type: 'string', default: '1' }, runtime: { type: 'string', default: 'current' } },
});
const runtimes = values.runtime === 'all' ? lambdaRuntimes() : [runtimeNode(values.runtime)];
const images = imagesDir();
const libs = positionals.map((p) => {
  const [name, dir] = p.split('=');
  return { name, dir: dir ? path.resolve(dir) : null, results: [] };
});

function once(lib, exe) {
  const args = [path.join(BENCH, 'oneshot.mjs'), '--mode', values.mode, '--repeat', values.repeat, '--lib', lib.dir ? 'vips-edge (packaged)' : lib.name];
  const env = { ...process.env, BENCH_IMAGES: images, ...(lib.dir ? { VIPS_EDGE_PACKAGE_DIR: lib.dir } : {}) };
  const out = execFileSync(exe, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop());
}

for (const rt of runtimes) {
  for (const lib of libs) lib.results = [];
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  for (let i = 0; i < Number(values.runs); i++) for (const lib of libs) lib.results.push(once(lib, rt.node));

  const metric = values.mode === 'rss' ? (r) => r.maxRssMiB : (r) => r.sinceStartMs;
  const med = (lib, f) => median(lib.results.map(f));
  const refs = ['sharp', 'sharp-wasm32'].map((n) => libs.find((l) => l.name === n)).filter(Boolean);
  console.log(`${rt.lambda} (${rt.version}): mode ${values.mode}, ${values.runs} interleaved runs, load average before ${load}, after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const lib of libs) {
    const m = med(lib, metric);
    const ratios = refs.map((r) => `×${(m / med(r, metric)).toFixed(2)} ${r.name}`).join('  ');
    const threads = med(lib, (r) => r.threads.end - r.threads.before);
    console.log(`${lib.name.padEnd(14)} ${values.mode === 'rss' ? `${m.toFixed(1)} MiB` : `${m.toFixed(1)} ms`}  ${ratios}  | threads +${threads}` +
      (values.mode === 'cold' ? `  (boot ${med(lib, (r) => r.nodeBootMs).toFixed(0)}, load ${med(lib, (r) => r.loadMs).toFixed(0)}, first op ${med(lib, (r) => r.firstOpMs).toFixed(0)} ms)` : ''));
  }
}
