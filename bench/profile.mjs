// A CPU profile of one op on the test twin (vips_edge_debug.wasm: linked with
// --profiling-funcs, so wasm frames keep their C function names), for
// bench/README.md's "where the time goes" splits:
//   node --cpu-prof --cpu-prof-dir /tmp/prof bench/profile.mjs --op png-alpha-400 --iterations 40 [--dir build/wasm]
//   node bench/profile.mjs --summarize /tmp/prof [--groups]   (self time per function, or per PNG α
//   stage, over every thread's profile)
// The transform runs on a pthread (a Worker): --cpu-prof writes one profile
// per thread; --summarize sums them.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OPS, ROOT, imagesDir, queryOf } from './lib/ops.mjs';
import { loadModule } from '../tests/node/wasm-module.mjs';

const { values } = parseArgs({ options: { op: { type: 'string', default: 'png-alpha-400' }, iterations: { type: 'string', default: '40' }, dir: { type: 'string', default: path.join(ROOT, 'build/wasm') }, summarize: { type: 'string' }, groups: { type: 'boolean' }, top: { type: 'string', default: '40' } } });

if (values.summarize) {
  const self = new Map();
  let total = 0;
  for (const f of fs.readdirSync(values.summarize).filter((n) => n.endsWith('.cpuprofile'))) {
    const prof = JSON.parse(fs.readFileSync(path.join(values.summarize, f), 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const dt = new Map();
    prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    for (const [id, us] of dt) {
      const name = byId.get(id).callFrame.functionName || '(anonymous)';
      if (name === '(idle)' || name === '(program)') continue;
      self.set(name, (self.get(name) ?? 0) + us);
      total += us;
    }
  }
  if (values.groups) {
    // PNG α's stages (bench/README.md "PNG α profile"): self time by function name.
    const groups = [
      ['inflate (zlib; inflate_fast inlined by wasm-opt, Adler-32 off)', /^(inflate|inflate_fast|inflate_table|adler32.*|updatewindow)$/],
      ['unfilter + CRC (libspng)', /^(spng_|defilter_|crc32|read_chunk|png_)/],
      ['premultiply', /^vips_premultiply/],
      ['cast float → uchar', /^vips_cast/],
      ['shrink (shrinkv/shrinkh)', /^vips_shrink/],
      ['reduce (Highway)', /^vips_reduce/],
      ['unpremultiply', /^vips_unpremultiply/],
      ['region buffers (memset of new buffers)', /^(buffer_move|vips_buffer_|vips_tracked_)/],
      ['filter + deflate (libdeflate)', /^(deflate_|vips_edge_deflate|libdeflate_)/],
      ['other libvips', /^vips_/],
    ];
    const sums = new Map(groups.map(([g]) => [g, 0]));
    let wasm = 0;
    for (const [name, us] of self) {
      const g = groups.find(([, re]) => re.test(name));
      if (g) sums.set(g[0], sums.get(g[0]) + us);
      if (g) wasm += us;
    }
    for (const [g, us] of sums) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / wasm).toFixed(1).padStart(5)} %  ${g}`);
    console.log(`${(wasm / 1000).toFixed(0).padStart(7)} ms in these groups; ${(total / 1000).toFixed(0)} ms sampled in all`);
    process.exit(0);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  for (const [name, us] of rows) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
  console.log(`${(total / 1000).toFixed(0).padStart(7)} ms total (idle excluded)`);
  process.exit(0);
}

const op = OPS.find((o) => o.id === values.op);
const bytes = fs.readFileSync(path.join(imagesDir(), op.image));
const vips = await loadModule({ dir: path.resolve(values.dir), variant: 'vips_edge_debug' });
const event = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/events/origin-request-custom.json'), 'utf8'));
const req = event.Records[0].cf.request;
req.uri = `/${op.image}`;
req.querystring = queryOf(op);
req.headers.accept = [{ key: 'Accept', value: 'image/webp,*/*' }];
const outcome = { status: 200, headers: { 'content-type': op.image.endsWith('.png') ? 'image/png' : 'image/jpeg' } };
const times = [];
for (let i = 0; i < Number(values.iterations); i++) {
  const t0 = performance.now();
  const r = await vips.finish(event, outcome, bytes);
  times.push(performance.now() - t0);
  if (String(r.response?.status) !== '200') throw new Error(JSON.stringify(r).slice(0, 300));
}
times.sort((a, b) => a - b);
console.log(`${op.id}: ${times.length} runs, median ${times[times.length >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`);
process.exit(0);
