#!/usr/bin/env node
// `make soak`: the packaged trigger under sustained mixed traffic, through the
// local CloudFront emulator (which validates every result the way CloudFront
// does: an invalid one becomes a 502, i.e. an unexpected status here).
//
//  1. 1,000 mixed requests, each a cache miss (unique query), over 2
//     connections: every fit/format/source kind plus 400/404/415/422 errors
//     and passthroughs. Checks each status and samples the emulator's RSS
//     every N/10 requests: after warm-up (every output width asked for once:
//     512 requests), RSS minus the bytes of the emulator's response cache must stay flat.
//  2. `wrk -t 8 -c 8 -d 60s`: one connection per wrk thread, so each thread
//     can pair every response with its request and count unexpected statuses.
//     URLs: cached hits, fresh misses and error paths.
//
// Exit status 1 on any unexpected status or RSS growth beyond the budget.
// Env: SOAK_REQUESTS (1000), SOAK_SECONDS (60), SOAK_CONNECTIONS (8),
//      SOAK_RSS_BUDGET_MIB (32), PORT (18090).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.SOAK_REQUESTS ?? 1000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 8);
const RSS_BUDGET_MIB = Number(process.env.SOAK_RSS_BUDGET_MIB ?? 32);
const port = Number(process.env.PORT ?? 18090);

// [path template, expected status]; {n} becomes a per-request number so the
// URL misses the emulator's cache (widths 64..575, qualities 40..89).
const KINDS = [
  ['/photo-baseline.jpg?w={w}&format=auto', 200],
  ['/photo-cmyk.jpg?w={w}&h={w}&fit=cover&q={q}', 200],
  ['/photo-adobergb.jpg?w={w}&h={w}&fit=contain&bg=ff0&q={q}', 200],
  ['/alpha-half-transparent.png?w={w}&format=png', 200],
  ['/alpha-half-transparent.webp?w={w}&format=webp&q={q}', 200],
  ['/photo.webp?w={w}&format=jpeg&q={q}', 200],
  ['/photo.gif?w={w}', 200],
  ['/orientation-6.jpg?w={w}&h={w}&fit=fill&q={q}', 200],
  ['/interlaced.png?w={w}&fit=outside&h=50', 200],
  ['/rgb16.png?w={w}&format=webp&q={q}', 200],
  ['/photo-progressive.jpg?w={w}&h={w}&fit=cover&pos=attention&q={q}', 200],
  // URL API v2 operations
  ['/orientation-3.jpg?w={w}&rot=90&flip=h&q={q}', 200],
  ['/photo-baseline.jpg?w={w}&h={w}&fit=cover&fp=0.3,0.7&q={q}', 200],
  ['/photo-baseline.jpg?rect=100,50,800,600&w={w}&sharpen=1.5&q={q}', 200],
  ['/alpha-half-transparent.png?trim=10&w={w}&blur=2&format=webp&q={q}', 200],
  ['/photo.webp?w={w}&format=json', 200],
  // Animation: every frame kept (animated WebP out), or the first one
  ['/animated-rgb.gif?w={w}&enlarge=1&q={q}', 200],
  ['/animated-rgba.webp?w={w}&h={w}&fit=cover&rot=90&enlarge=1', 200],
  ['/animated-rgb.gif?w={w}&anim=0', 200],
  // AVIF: out (the codec module's encode), in (its decode), a HEIC it refuses,
  // and a frame larger than its header declares (refused by dav1d: no leak on that path)
  ['/photo-progressive.jpg?w={w}&format=avif&q={q}', 200],
  ['/photo.avif?w={w}&h={w}&fit=cover&format=webp&q={q}', 200],
  ['/alpha-half-transparent.avif?w={w}&rot=270', 200],
  ['/photo.heic?w={w}', 415],
  ['/photo-lying-size.avif?w={w}', 422],
  ['/photo-baseline.jpg', 200], // no transform: passthrough to the origin
  ['/photo-truncated.jpg?w={w}', 422],
  ['/not-an-image.html?w={w}', 415],
  ['/missing-{n}.jpg?w={w}', 404],
  ['/photo-baseline.jpg?w={w}abc', 400],
  ['/photo-baseline.jpg?w={w}&fit=sideways', 400],
  ['/photo-baseline.jpg?w={w}&w={w}', 400],
  ['/photo-baseline.jpg?w={w}&h={w}&fp=0.5,0.5&pos=north', 400],
  ['/photo-baseline.jpg?rect=5000,5000,10,10&w={w}', 400],
];
// Widths ramp from 64 to 575 px over the first WIDTH_STEPS requests, then repeat.
const WIDTH_STEPS = 512;
const fill = (template, n) =>
  template.replaceAll('{n}', String(n)).replaceAll('{w}', String(64 + (n % WIDTH_STEPS))).replaceAll('{q}', String(40 + (Math.floor(n / WIDTH_STEPS) % 50)));

// The emulator caches every generated response (up to 256 MiB), so its RSS
// grows with each miss; the trigger's share is RSS minus the cached bytes.
function cacheMiB(attempts = 3) {
  return new Promise((resolve) => {
    // A fresh connection each time (agent: false): a kept-alive one may have
    // been closed by the server after a load run.
    http.get({ host: '127.0.0.1', port, path: '/__emulator/info', agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(+(JSON.parse(text).cache.bytes / 1048576).toFixed(1)));
    }).on('error', (e) => {
      if (attempts > 1) setTimeout(() => cacheMiB(attempts - 1).then(resolve), 200);
      else throw new Error(`/__emulator/info: ${e.message}`);
    });
  });
}

async function memory(pid) {
  const rss = rssMiB(pid), cache = await cacheMiB();
  return { rssMiB: rss, cacheMiB: cache, netMiB: +(rss - cache).toFixed(1) };
}

function rssMiB(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return +(Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024).toFixed(1);
}

async function startEmulator() {
  const child = spawn(process.execPath, [path.join(ROOT, 'node/emulator/serve.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), IMAGES: path.join(ROOT, 'fixtures/images'), QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (/listening/.test(String(d))) resolve(); });
    child.on('exit', (code) => reject(new Error(`emulator exited (${code}): ${err}`)));
    setTimeout(() => reject(new Error(`emulator did not start: ${err}`)), 60_000).unref();
  });
  return child;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
function get(p) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers: { accept: 'image/webp,*/*' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(60_000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function mixedRequests(pid) {
  const unexpected = [];
  const samples = [];
  let next = 0;
  const every = Math.max(1, Math.floor(N / 10));
  const worker = async () => {
    while (next < N) {
      const n = next++;
      const [template, expected] = KINDS[n % KINDS.length];
      const url = fill(template, n);
      const status = await get(url);
      if (status !== expected) unexpected.push({ url, status, expected });
      if ((n + 1) % every === 0 || n + 1 === N) samples.push({ requests: n + 1, ...(await memory(pid)) });
    }
  };
  const t0 = performance.now();
  await Promise.all([worker(), worker()]);
  samples.sort((a, b) => a.requests - b.requests);
  // Measured: RSS climbs while V8 tiers up and the wasm heap reaches its
  // high-water mark, which it can only do once every width has been asked for
  // (the ramp above; malloc never returns memory to the wasm memory): from
  // then on it holds, so growth is measured from there (or from the last
  // tenth of a shorter run).
  const warm = samples.find((s) => s.requests >= Math.min(WIDTH_STEPS, N * 0.9)) ?? samples[0];
  const last = samples[samples.length - 1];
  return { requests: N, seconds: +((performance.now() - t0) / 1000).toFixed(1), unexpected, rss: samples, growthAfterWarmupMiB: +(last.netMiB - warm.netMiB).toFixed(1) };
}

/** Runs wrk (async, so the event loop can sample the emulator's memory). */
function runWrk(args, pid, samples) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const t0 = Date.now();
    const timer = setInterval(async () => samples.push({ seconds: Math.round((Date.now() - t0) / 1000), ...(await memory(pid)) }), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`wrk exited ${code}: ${out}`));
    });
  });
}

async function wrkRun(pid) {
  execFileSync('bash', [path.join(ROOT, 'tests/soak/install-wrk.sh')], { stdio: 'inherit' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-wrk-'));
  const lua = path.join(tmp, 'soak.lua');
  // Cached hits (fixed URLs), misses (unique per thread and request) and the
  // error kinds, in a fixed rotation. One connection per thread: responses
  // come back in request order, so `expected` is the last request's.
  const hits = KINDS.map(([t, s]) => [fill(t, 7), s]);
  fs.writeFileSync(lua, `
local kinds = {${KINDS.map(([t, s]) => `{${JSON.stringify(t)}, ${s}}`).join(',')}}
local hits = {${hits.map(([p, s]) => `{${JSON.stringify(p)}, ${s}}`).join(',')}}
local threads, ids = {}, 0
local tid, counter, expected, url = 0, 0, 0, ""
local seen, bad, samples = 0, 0, ""
function setup(thread) thread:set("tid", ids); ids = ids + 1; table.insert(threads, thread) end
function init(args) tid = tonumber(wrk.thread:get("tid")) or 0 end
wrk.headers["Accept"] = "image/webp,*/*"
local function fill(t, n)
  local w = tostring(64 + n % 512)
  local q = tostring(40 + math.floor(n / 512) % 50)
  return (t:gsub("{n}", tostring(n)):gsub("{w}", w):gsub("{q}", q))
end
function request()
  counter = counter + 1
  local pick
  if counter % 4 == 0 then
    -- a miss: numbers unique per thread, above the range phase 1 used
    local n = 100000 + counter * ${CONNECTIONS} + tid
    local k = kinds[(math.floor(counter / 4) % #kinds) + 1]
    pick = {fill(k[1], n), k[2]}
  else
    pick = hits[(counter % #hits) + 1]
  end
  url, expected = pick[1], pick[2]
  return wrk.format("GET", url)
end
function response(status, headers, body)
  seen = seen + 1
  if status ~= expected then
    bad = bad + 1
    if #samples < 2000 then samples = samples .. status .. " (expected " .. expected .. ") " .. url .. "\\n" end
  end
  wrk.thread:set("seen", seen); wrk.thread:set("bad", bad); wrk.thread:set("samples", samples)
end
function done(summary, latency, requests)
  local s, b, out = 0, 0, ""
  for _, t in ipairs(threads) do
    s = s + (t:get("seen") or 0); b = b + (t:get("bad") or 0); out = out .. (t:get("samples") or "")
  end
  io.write("SOAK seen=" .. s .. " unexpected=" .. b .. "\\n" .. out)
end
`);
  const samples = [];
  const out = await runWrk(['-t', String(CONNECTIONS), '-c', String(CONNECTIONS), '-d', `${SECONDS}s`, '--latency', '--timeout', '30s', '-s', lua, `http://127.0.0.1:${port}`], pid, samples);
  fs.rmSync(tmp, { recursive: true, force: true });
  const m = /SOAK seen=(\d+) unexpected=(\d+)\n([\s\S]*)$/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    tool: `wrk -t ${CONNECTIONS} -c ${CONNECTIONS} -d ${SECONDS}s`,
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN),
    checked: Number(m?.[1] ?? 0),
    unexpected: Number(m?.[2] ?? NaN),
    unexpectedSamples: (m?.[3] ?? '').trim().split('\n').filter(Boolean).slice(0, 20),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    latency: out.split('\n').filter((l) => /^\s*(50|90|99)%/.test(l)).map((l) => l.trim()),
    memoryEvery10s: samples,
  };
}

const emulator = await startEmulator();
const result = {};
try {
  result.start = await memory(emulator.pid);
  result.mixed = await mixedRequests(emulator.pid);
  process.stderr.write(`soak: ${N} mixed requests in ${result.mixed.seconds} s, ${result.mixed.unexpected.length} unexpected, RSS minus cached responses ${result.mixed.rss.map((s) => s.netMiB).join(' ')} MiB\n`);
  const before = await memory(emulator.pid);
  result.wrk = await wrkRun(emulator.pid);
  result.wrk.memory = { before, after: await memory(emulator.pid) };
  const { after } = result.wrk.memory;
  process.stderr.write(`soak: wrk ${result.wrk.requests} requests (${result.wrk.rps}/s), ${result.wrk.unexpected} unexpected, ${result.wrk.socketErrors} socket errors, RSS ${before.rssMiB} -> ${after.rssMiB} MiB (minus cached responses ${before.netMiB} -> ${result.wrk.memoryEvery10s.map((s) => s.netMiB).join(' ')} -> ${after.netMiB})\n`);
} finally {
  agent.destroy();
  emulator.kill('SIGTERM');
}
console.log(JSON.stringify(result, null, 2));

const failures = [];
if (result.mixed.unexpected.length) failures.push(`${result.mixed.unexpected.length} unexpected statuses in the mixed run, e.g. ${JSON.stringify(result.mixed.unexpected.slice(0, 3))}`);
if (result.mixed.growthAfterWarmupMiB > RSS_BUDGET_MIB) failures.push(`RSS grew ${result.mixed.growthAfterWarmupMiB} MiB after warm-up (budget ${RSS_BUDGET_MIB})`);
if (!(result.wrk.checked > 0) || result.wrk.unexpected !== 0 || result.wrk.socketErrors !== 0)
  failures.push(`wrk: ${result.wrk.unexpected} unexpected statuses, ${result.wrk.socketErrors} socket errors (${result.wrk.checked} checked)`);
for (const f of failures) console.error(`soak FAILED: ${f}`);
process.exit(failures.length ? 1 : 0);
