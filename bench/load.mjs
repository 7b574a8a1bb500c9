// Load test of the local CloudFront emulator (node/emulator/serve.mjs, what
// `make serve` runs after `make package`) over the bench images. Prints JSON.
//
// Debian's wrk (4.1) has no -R (that is wrk2, which Debian does not package),
// so the rate-limited run is our own open-loop client below: requests start on
// a fixed schedule (-R req/s over -c connections) whatever the latency, and
// latency counts from the scheduled start (no coordinated omission, like
// wrk2). The open-throttle run is plain `wrk -t -c -d --latency`.
// Two URL sets: "mixed" = the 5 benchmark ops over and over (the emulator's
// edge cache answers all but the first of each), "miss" = a new width/quality
// per request (every request reaches the function; the emulator has no option
// to switch its cache off).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { OPS, ROOT, imagesDir, queryOf, median } from './lib/ops.mjs';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '5' }, threads: { type: 'string', default: '5' }, rate: { type: 'string', default: '5' }, port: { type: 'string', default: '18080' } } });
const D = Number(values.duration), C = Number(values.connections), T = Number(values.threads), R = Number(values.rate);
const port = Number(values.port);
const images = imagesDir();

try { execFileSync('wrk', ['-v'], { stdio: 'ignore' }); } catch (e) {
  if (e.code === 'ENOENT') execFileSync('bash', ['-c', 'apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)'], { stdio: 'inherit' });
}

const mixedPaths = OPS.map((op) => `/${op.image}?${queryOf(op)}`);
let missCounter = 0;
const missPath = () => {
  const n = missCounter++;
  const op = OPS[n % OPS.length];
  // unique per request; q 40..64 here, 65..89 in the wrk script (no overlap)
  if (op.h) { const k = Math.floor(n / OPS.length); return `/${op.image}?w=${100 + (k % 200)}&h=${100 + (k % 200)}&fit=cover&format=${op.format}&q=${40 + (Math.floor(k / 200) % 25)}`; }
  const k = Math.floor(n / OPS.length);
  return `/${op.image}?w=${300 + (k % 800)}&format=${op.format}&q=${40 + (Math.floor(k / 800) % 25)}`;
};

function rss(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
  // the emulator's node process plus its children (none expected: workers are threads)
  return { rssMiB: +(kb('VmRSS') / 1024).toFixed(1), hwmMiB: +(kb('VmHWM') / 1024).toFixed(1) };
}

async function startEmulator() {
  const child = spawn(process.execPath, [path.join(ROOT, 'node/emulator/serve.mjs')], {
    cwd: ROOT, env: { ...process.env, PORT: String(port), IMAGES: images, QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (/listening/.test(String(d))) resolve(); });
    child.on('exit', (code) => reject(new Error(`emulator exited (${code}): ${err}`)));
    setTimeout(() => reject(new Error(`emulator did not start: ${err}`)), 60_000).unref();
  });
  return { child, stderr: () => err };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: C });
function get(p) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers: { accept: 'image/webp,*/*' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, cache: res.headers['x-cache'] }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
  });
}

/** Open loop: R req/s for D s over at most C connections; latency from the scheduled start. */
async function rateLimited(nextPath) {
  const lat = [];
  let errors = 0, hits = 0, inFlight = 0, maxInFlight = 0;
  const start = performance.now();
  const total = R * D;
  const jobs = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / R;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    jobs.push(get(nextPath()).then((r) => {
      inFlight--;
      lat.push(performance.now() - due);
      if (r.status !== 200) errors++;
      if (/^Hit/.test(r.cache ?? '')) hits++;
    }));
  }
  await Promise.all(jobs);
  const s = lat.sort((a, b) => a - b);
  const pct = (p) => +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(1);
  return { tool: `open-loop node client, -R ${R} -c ${C} -d ${D}`, requests: s.length, errors, cacheHits: hits, rps: +(s.length / ((performance.now() - start) / 1000)).toFixed(2), p50ms: +median(s).toFixed(1), p90ms: pct(90), p99ms: pct(99), maxms: +s[s.length - 1].toFixed(1), maxInFlight };
}

function wrkRun(kind) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wrk-'));
  const lua = path.join(tmp, 'req.lua');
  // each wrk thread has its own Lua state: thread ids keep "miss" paths unique
  fs.writeFileSync(lua, `
local paths = {${mixedPaths.map((p) => JSON.stringify(p)).join(',')}}
local formats = {${OPS.map((o) => JSON.stringify(o.format)).join(',')}}
local covers = {${OPS.map((o) => (o.h ? 'true' : 'false')).join(',')}}
local images = {${OPS.map((o) => JSON.stringify(o.image)).join(',')}}
local counter, tid, nthreads = 0, 0, ${T}
local kind = "${kind}"
local ids = 0
function setup(thread) thread:set("tid", ids); ids = ids + 1 end
function init(args) tid = tonumber(wrk.thread:get("tid")) or 0 end
wrk.headers["Accept"] = "image/webp,*/*"
function request()
  counter = counter + 1
  if kind == "mixed" then return wrk.format("GET", paths[(counter % #paths) + 1]) end
  local n = counter * nthreads + tid
  local i = (n % #paths) + 1
  local k = math.floor(n / #paths)
  if covers[i] then
    return wrk.format("GET", "/" .. images[i] .. "?w=" .. (100 + k % 200) .. "&h=" .. (100 + k % 200) .. "&fit=cover&format=" .. formats[i] .. "&q=" .. (65 + math.floor(k / 200) % 25))
  end
  return wrk.format("GET", "/" .. images[i] .. "?w=" .. (300 + k % 800) .. "&format=" .. formats[i] .. "&q=" .. (65 + math.floor(k / 800) % 25))
end
`);
  const out = execFileSync('wrk', ['-t', String(T), '-c', String(C), '-d', `${D}s`, '--latency', '--timeout', '30s', '-s', lua, `http://127.0.0.1:${port}`], { encoding: 'utf8' });
  fs.rmSync(tmp, { recursive: true, force: true });
  const ms = (v, u) => +(Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[u])).toFixed(1);
  const lat = (p) => { const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s|m)`).exec(out); return m ? ms(m[1], m[2]) : null; };
  const reqs = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return { tool: `wrk -t ${T} -c ${C} -d ${D}s --latency (no -R: Debian's wrk 4.1)`, requests: reqs, errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0), rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50ms: lat(50), p90ms: lat(90), p99ms: lat(99), raw: out.trim().split('\n').filter((l) => /Latency|Req\/Sec|requests in|Requests\/sec|Non-2xx|Socket|^\s*(50|90|99)%/.test(l)).map((l) => l.trim()) };
}

const result = { config: { duration: D, connections: C, threads: T, rate: R, images }, runs: {} };
for (const kind of ['mixed', 'miss']) {
  // a fresh emulator per URL set: an empty edge cache and a clean RSS baseline
  const emu = await startEmulator();
  const pid = emu.child.pid;
  const exited = new Promise((r) => emu.child.on('exit', r));
  try {
    // one request to bring the engine up, so "before" is a started instance
    await get(mixedPaths[1]);
    const before = rss(pid);
    missCounter = 0;
    const limited = await rateLimited(kind === 'mixed' ? () => mixedPaths[missCounter++ % mixedPaths.length] : missPath);
    const mid = rss(pid);
    const open = wrkRun(kind);
    const after = rss(pid);
    result.runs[kind] = { rateLimited: limited, openThrottle: open, emulatorRss: { afterFirstRequest: before, afterRateLimited: mid, afterOpenThrottle: after } };
  } finally {
    // Never leave it listening: the next run's emulator needs the port.
    emu.child.kill('SIGTERM');
    await exited;
  }
  process.stderr.write(`load ${kind}: done\n`);
}
agent.destroy();
console.log(JSON.stringify(result));
