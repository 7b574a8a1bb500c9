#!/usr/bin/env node
// "Worst accepted requests" (issue 25): the most expensive requests the
// default config lets through (and the ones it now refuses), each in a fresh
// process through the packaged handler (dist/package/index.js) with a local
// origin: wall time of the request (median of --repeat, after a small warm-up
// request), the process's peak RSS, and the answer.
//
//   node bench/worst.mjs [--repeat 3] [--package dist/package] [--only id,id] [--memory 1769]
//   node bench/worst.mjs --one ID ...   (internal: one request in this process)
// Prints one JSON object: { machine, rows: [...] }. run.mjs runs it; report.mjs renders it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ROOT, imagesDir, median } from './lib/ops.mjs';

/** The issue's four (on its 8 MP JPEG), then the largest of each kind the defaults accept. */
export const WORST = [
  // The bench's 8 MP -> 800 px op (125 ms on an idle machine, bench/README.md): the machine's slowdown in this run.
  { id: 'reference-800', image: 'photo-8mp.jpg', query: 'w=800&format=jpeg&q=80', reference: true },
  { id: 'sharpen-fill-webp', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=fill&enlarge=1&sharpen=10&format=webp&q=100', issue: true },
  { id: 'blur-fill-png', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=fill&enlarge=1&blur=100&format=png', issue: true },
  { id: 'attention-cover-jpeg', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=cover&pos=attention&enlarge=1&format=jpeg&q=100', issue: true },
  { id: 'trim-avif', image: 'photo-8mp.jpg', query: 'w=4096&enlarge=1&trim=1&format=avif', issue: true },
  { id: 'fill-jpeg-q100', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=fill&enlarge=1&format=jpeg&q=100' },
  { id: 'fill-webp', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=fill&enlarge=1&format=webp' },
  { id: 'fill-png', image: 'photo-8mp.jpg', query: 'w=4096&h=4096&fit=fill&enlarge=1&format=png' },
  { id: 'sharpen-1800', image: 'photo-8mp.jpg', query: 'w=1800&sharpen=10&format=webp' },
  { id: 'blur-2400', image: 'photo-8mp.jpg', query: 'w=2400&blur=100&format=jpeg' },
  { id: 'attention-1600', image: 'photo-8mp.jpg', query: 'w=1600&h=1600&pos=attention&format=jpeg' },
  { id: 'avif-2300', image: 'photo-8mp.jpg', query: 'w=2300&enlarge=1&format=avif' },  // 4.0 MP: over maxAvifPixels since 2026-12-06
  { id: 'avif-1990', image: 'photo-8mp.jpg', query: 'w=1990&enlarge=1&format=avif' },  // 3.0 MP: over maxAvifPixels since 2026-12-06
  { id: 'avif-1820', image: 'photo-8mp.jpg', query: 'w=1820&enlarge=1&format=avif' },  // 2.5 MP: the largest AVIF the defaults accept
  { id: 'trim-8mp', image: 'photo-8mp.jpg', query: 'trim=1&w=3264&format=jpeg' },
  { id: 'rect-20mp', image: 'photo-20mp.jpg', query: 'rect=0,0,6028,3391&w=1000&format=jpeg' },
  { id: 'trim-20mp', image: 'photo-20mp.jpg', query: 'trim=1&w=1000&format=jpeg' },
  { id: 'plain-20mp-4096', image: 'photo-20mp.jpg', query: 'w=4096&format=jpeg&q=100' },
];

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' }, package: { type: 'string' }, only: { type: 'string' },
    one: { type: 'string' }, memory: { type: 'string', default: '1769' },
  },
});
const packageDir = path.resolve(values.package ?? path.join(ROOT, 'dist/package'));

function answerOf(result, logs) {
  const log = logs.at(-1) ?? {};
  if (result.status === undefined) return { answer: `original (${log.outcome ?? 'passthrough'}, ${log.encodes ?? '?'} encodes)` };
  if (result.status !== '200') {
    const body = JSON.parse(result.body);
    return { answer: `${result.status} ${body.error.code}${body.error.param ? ` (${body.error.param})` : ''}` };
  }
  const bytes = Buffer.from(result.body, 'base64').length;
  return { answer: `200, ${(bytes / 1000).toFixed(0)} KB ${log.format ?? ''} q${log.quality ?? ''} (${log.encodes ?? '?'} encodes)`.replace(' q ', ' ') };
}

if (values.one) {
  // One request in this (fresh) process.
  const row = WORST.find((r) => r.id === values.one);
  const { loadPackaged, startOrigin } = await import('./lib/ours.mjs');
  const dir = imagesDir();
  const images = { [row.image]: fs.readFileSync(path.join(dir, row.image)), 'photo-2mp.jpg': fs.readFileSync(path.join(dir, 'photo-2mp.jpg')) };
  void loadPackaged; // the event below is built like ours.mjs's, with our query
  const origin = await startOrigin(images);
  const { createRequire } = await import('node:module');
  const { handler } = createRequire(import.meta.url)(path.join(packageDir, 'index.js'));
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/events/origin-request-custom.json'), 'utf8'));
  const event = (image, query, id) => {
    const e = structuredClone(template);
    const req = e.Records[0].cf.request;
    e.Records[0].cf.config.requestId = id;
    req.uri = `/${image}`;
    req.querystring = query;
    req.headers.accept = [{ key: 'Accept', value: 'image/webp,*/*' }];
    req.origin = { custom: { customHeaders: {}, domainName: '127.0.0.1', keepaliveTimeout: 5, path: '', port: origin.port, protocol: 'http', readTimeout: 30, sslProtocols: ['TLSv1.2'] } };
    return e;
  };
  const context = () => ({ memoryLimitInMB: values.memory, getRemainingTimeInMillis: () => 30_000 });
  const logs = [];
  const realLog = console.log;
  console.log = (s) => { try { logs.push(JSON.parse(s)); } catch { /* not a log line */ } };
  await handler(event('photo-2mp.jpg', 'w=100', 'warm'), context());
  const times = [];
  let result;
  for (let i = 0; i < Number(values.repeat); i++) {
    logs.length = 0;
    const t = performance.now();
    result = await handler(event(row.image, row.query, `r${i}`), context());
    times.push(performance.now() - t);
  }
  console.log = realLog;
  realLog(JSON.stringify({ id: row.id, ms: Math.round(median(times)), times: times.map(Math.round), maxRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), ...answerOf(result, logs), heapMiB: logs.at(-1)?.heapBytes ? +(logs.at(-1).heapBytes / 1048576).toFixed(1) : null }));
  process.exit(0);
}

const only = values.only ? new Set(values.only.split(',')) : null;
const rows = [];
const loadBefore = os.loadavg().map((x) => +x.toFixed(2));
for (const row of WORST.filter((r) => !only || only.has(r.id))) {
  process.stderr.write(`worst: ${row.id} ...\n`);
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', row.id, '--repeat', values.repeat, '--package', packageDir, '--memory', values.memory],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_IMAGES: imagesDir() }, maxBuffer: 1 << 26 });
  rows.push({ ...row, ...JSON.parse(out.trim().split('\n').pop()) });
}
process.stdout.write(JSON.stringify({ machine: { loadBefore, loadAfter: os.loadavg().map((x) => +x.toFixed(2)), uptime: execFileSync('uptime', { encoding: 'utf8' }).trim(), memoryLimitInMB: Number(values.memory) }, repeat: Number(values.repeat), rows }, null, 2) + '\n');
