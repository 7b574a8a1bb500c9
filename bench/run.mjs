#!/usr/bin/env node
// `make bench`: vips-edge vs sharp (native), sharp-wasm32, wasm-vips and jimp.
// Writes bench/results/<YYYY-MM-DD>.{md,json} and bench/results/README-table.md,
// and puts that table and "Where we stand" into README.md (between
// <!-- bench:start/end --> and <!-- standing:start/end -->, lib/report.mjs renderReadme).
// Targets are REPORTED, never asserted: this exits 0 whatever the numbers.
// Env: BENCH_QUICK=1 (short run), BENCH_ITERATIONS (15), BENCH_COLD_PAIRS (9),
//      BENCH_LOAD_SECONDS (30), BENCH_SKIP=load,cold,worst,... , BENCH_VARIANTS=dir1,dir2
//      (extra builds of the module, bare, in the warm run), BENCH_WAIT_PACKAGE (s, 900),
//      BENCH_RENDER=bench/results/<date>.json (re-write the markdown only),
//      BENCH_OPS=id,... (warm run of these ops only, e.g. with warm.mjs directly).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { BENCH, ROOT, OPS, HANDLER_PEER, imagesDir, median } from './lib/ops.mjs';
import { lambdaRuntimes } from './lib/runtimes.mjs';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const skip = new Set((env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const ITER = Number(env.BENCH_ITERATIONS ?? (quick ? 5 : 15));
const PAIRS = Number(env.BENCH_COLD_PAIRS ?? (quick ? 3 : 9));
const LOAD_S = Number(env.BENCH_LOAD_SECONDS ?? (quick ? 5 : 30));
const CORES = os.cpus().length;
const log = (m) => process.stderr.write(`bench: ${m}\n`);
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26, ...opts });

/** README.md's generated blocks rendered from `results`. */
async function spliceReadme(results) {
  const { renderReadme } = await import('./lib/report.mjs');
  const readme = path.join(ROOT, 'README.md');
  fs.writeFileSync(readme, renderReadme(fs.readFileSync(readme, 'utf8'), results));
}

// BENCH_RENDER=bench/results/<date>.json: only re-write the markdown from a results file
if (env.BENCH_RENDER) {
  const { renderTable, renderReport } = await import('./lib/report.mjs');
  const r = JSON.parse(fs.readFileSync(env.BENCH_RENDER, 'utf8'));
  const base = env.BENCH_RENDER.replace(/\.json$/, '');
  fs.writeFileSync(`${base}.md`, renderReport(r));
  fs.writeFileSync(path.join(path.dirname(env.BENCH_RENDER), 'README-table.md'), renderTable(r));
  await spliceReadme(r);
  process.exit(0);
}

// 1. inputs and peers
const images = imagesDir();
env.BENCH_IMAGES = images;
for (const dir of [BENCH, path.join(BENCH, 'peers/sharp-wasm32')]) {
  const lock = path.join(dir, 'package-lock.json');
  const stamp = path.join(dir, 'node_modules/.package-lock.json');
  if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < fs.statSync(lock).mtimeMs) {
    log(`npm ci in ${path.relative(ROOT, dir)}`);
    // sharp >= 0.33 needs no install script: its binaries are the optional @img/* packages
    const cpu = dir.endsWith('sharp-wasm32') ? ['--cpu=wasm32'] : [];
    sh('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', ...cpu], { cwd: dir, stdio: 'inherit' });
  }
}
// 2. ours: the packaged handler may be being rebuilt by `make package`; wait for it
const pkg = path.join(ROOT, 'dist/package');
const waitUntil = Date.now() + Number(env.BENCH_WAIT_PACKAGE ?? 900) * 1000;
const packageReady = () => ['index.js', 'vips_edge.wasm', 'vips_edge.js'].every((f) => fs.existsSync(path.join(pkg, f))) && fs.existsSync(path.join(ROOT, 'dist/function.zip'));
while (!packageReady()) {
  if (Date.now() > waitUntil) throw new Error('dist/package is missing: run `make package` first');
  log('waiting for dist/package (make package) ...');
  await new Promise((r) => setTimeout(r, 10_000));
}
const stable = () => Math.max(...fs.readdirSync(pkg).map((f) => fs.statSync(path.join(pkg, f)).mtimeMs));
while (Date.now() - stable() < 5000) await new Promise((r) => setTimeout(r, 2000)); // not mid-write
if (!fs.existsSync(path.join(ROOT, 'build/wasm/vips_edge.wasm'))) throw new Error('build/wasm/vips_edge.wasm is missing: run `make wasm` first');

const started = new Date();
const machine = { node: process.version, cores: CORES, cpu: os.cpus()[0]?.model, uptimeBefore: sh('uptime', []).trim(), loadBefore: os.loadavg().map((x) => +x.toFixed(2)) };
log(`load average ${machine.loadBefore.join(' ')} on ${CORES} cores`);
const LIBS = ['sharp', 'sharp-wasm32', 'wasm-vips', 'jimp', 'vips-edge (bare)', 'vips-edge (packaged)'];
// Warm runs, the zip and the load test run on this process's node (make bench: the
// template's default runtime); cold start and peak RSS on every Lambda runtime.
const RUNTIMES = lambdaRuntimes();
log(`runtimes: ${RUNTIMES.map((r) => `${r.lambda} ${r.version}`).join(', ')} (warm on ${process.version})`);
const results = { date: started.toISOString(), machine, images, runtimes: RUNTIMES.map(({ lambda, version }) => ({ lambda, version })), warm: {}, cold: null, rss: null, size: null, load: null, worst: null };

// A script's result: the JSON document its stdout ends with (one line, or an
// indented object starting at a line's first column, as worst.mjs prints).
const lastJson = (out) => { const start = out.lastIndexOf('\n{'); return JSON.parse(start < 0 ? out : out.slice(start + 1)); };
const node = (script, args, opts = {}, exe = process.execPath) => lastJson(sh(exe, [path.join(BENCH, script), ...args], opts).trim());

// 3. warm, interleaved, concurrency 1 and the core count
if (!skip.has('warm')) {
  const variants = (env.BENCH_VARIANTS ?? '').split(',').filter(Boolean).map((d) => `bare@${path.resolve(d)}`);
  for (const c of [1, CORES]) {
    // the packaged handler's engine concurrency is fixed at 1 (node/src/engine.ts): leave it out of the c>1 run
    // and sharp-wasm32 behind a reference handler's I/O is the packaged handler's peer (lib/handler-peer.mjs)
    const libs = [...(c === 1 ? [...LIBS, HANDLER_PEER] : LIBS.filter((l) => l !== 'vips-edge (packaged)')), ...variants];
    log(`warm, concurrency ${c}, ${ITER} iterations: ${libs.join(', ')}`);
    results.warm[c] = node('warm.mjs', ['--concurrency', String(c), '--iterations', String(ITER), '--warmup', '3', '--libs', libs.join(',')]);
  }
}

// 4. cold, per Lambda runtime: fresh process per run, each round runs every library once
// (rotated order); pairs with that round's sharp on the same runtime
if (!skip.has('cold')) {
  results.cold = {};
  for (const rt of RUNTIMES) {
    const runs = Object.fromEntries(LIBS.map((l) => [l, []]));
    for (let round = 0; round < PAIRS; round++) {
      log(`cold on ${rt.lambda}, round ${round + 1}/${PAIRS}`);
      const order = LIBS.map((_, i) => LIBS[(i + round) % LIBS.length]);
      for (const lib of order) runs[lib].push(node('oneshot.mjs', ['--lib', lib, '--mode', 'cold'], {}, rt.node));
    }
    results.cold[rt.lambda] = {};
    for (const lib of LIBS) {
      const ratios = runs[lib].map((r, i) => r.sinceStartMs / runs.sharp[i].sinceStartMs);
      const m = (k) => +median(runs[lib].map((r) => r[k])).toFixed(1);
      results.cold[rt.lambda][lib] = { pairs: PAIRS, medianMs: m('sinceStartMs'), medianRatio: +median(ratios).toFixed(2), nodeBootMs: m('nodeBootMs'), loadMs: m('loadMs'), firstOpMs: m('firstOpMs') };
    }
  }
}

// 5. peak RSS per Lambda runtime: fresh process, the 8 MP -> 800 px JPEG job RSS_REPEAT
// times in a row (issue 20's workload), median of 3 processes
const RSS_REPEAT = 15;
if (!skip.has('rss')) {
  results.rss = {};
  for (const rt of RUNTIMES) {
    results.rss[rt.lambda] = {};
    for (const lib of LIBS) {
      log(`rss on ${rt.lambda}: ${lib}`);
      const xs = [0, 1, 2].map(() => node('oneshot.mjs', ['--lib', lib, '--mode', 'rss', '--repeat', String(RSS_REPEAT)], {}, rt.node).maxRssMiB);
      results.rss[rt.lambda][lib] = { maxRssMiB: median(xs), runs: xs, repeat: RSS_REPEAT };
    }
  }
}

// 6. zipped deployable size
if (!skip.has('size')) {
  if (spawnSync('which', ['strace']).status !== 0 || spawnSync('which', ['zip']).status !== 0) sh('bash', ['-c', 'apt-get install -y -qq strace zip unzip >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq strace zip unzip >/dev/null)']);
  log('zip sizes');
  results.size = node('size.mjs', []);
}

// 7. load test against the emulator
if (!skip.has('load')) {
  log(`load test (${LOAD_S} s per run, 4 runs)`);
  results.load = node('load.mjs', ['--duration', String(LOAD_S)]);
}
// 8. worst accepted requests (issue 25): each in a fresh process, packaged handler
if (!skip.has('worst')) {
  log('worst accepted requests (bench/worst.mjs)');
  results.worst = node('worst.mjs', ['--repeat', quick ? '1' : '3']);
}
machine.uptimeAfter = sh('uptime', []).trim();
machine.loadAfter = os.loadavg().map((x) => +x.toFixed(2));

// 9. write
const { renderTable, renderReport } = await import('./lib/report.mjs');
const outDir = path.join(BENCH, 'results');
fs.mkdirSync(outDir, { recursive: true });
const day = started.toISOString().slice(0, 10);
fs.writeFileSync(path.join(outDir, `${day}.json`), JSON.stringify(results, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, `${day}.md`), renderReport(results));
fs.writeFileSync(path.join(outDir, 'README-table.md'), renderTable(results));
await spliceReadme(results);
log(`wrote bench/results/${day}.md, ${day}.json, README-table.md and README.md's table and "Where we stand"`);
process.stdout.write(renderTable(results));
