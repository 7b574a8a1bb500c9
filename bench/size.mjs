// Zipped deployable size. Ours: dist/function.zip as `make package` makes it.
// Peers: the node_modules files a fresh process actually opens while loading
// the library and running every benchmark op once (strace -f -e openat), plus
// each such package's package.json, zipped with `zip -r -X` (default level 6,
// what a Lambda zip usually is). Prints one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { BENCH, ROOT } from './lib/ops.mjs';

const MiB = 1024 * 1024;
const result = {};
const zipDir = (dir, out) => {
  fs.rmSync(out, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', out, '.'], { cwd: dir });
  return fs.statSync(out).size;
};

const fz = path.join(ROOT, 'dist/function.zip');
if (fs.existsSync(fz)) {
  const unz = execFileSync('unzip', ['-Z', '-t', fz], { encoding: 'utf8' }).trim();
  result['vips-edge (packaged)'] = { zipBytes: fs.statSync(fz).size, zipMiB: +(fs.statSync(fz).size / MiB).toFixed(2), what: `dist/function.zip (${unz})` };
}

const peerRoots = { 'sharp': path.join(BENCH, 'node_modules'), 'sharp-wasm32': path.join(BENCH, 'peers/sharp-wasm32/node_modules'), 'wasm-vips': path.join(BENCH, 'node_modules'), 'jimp': path.join(BENCH, 'node_modules') };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-size-'));
for (const [name] of Object.entries(peerRoots)) {
  const trace = path.join(tmp, `${name}.strace`);
  execFileSync('strace', ['-f', '-qq', '-e', 'trace=openat,open', '-o', trace, process.execPath, path.join(BENCH, 'oneshot.mjs'), '--lib', name, '--mode', 'all'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const files = new Set();
  for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
    const m = /open(?:at)?\([^"]*"([^"]+)"[^)]*\)\s*=\s*(\d+)/.exec(line);
    if (!m) continue;
    const f = path.resolve(m[1]);
    const nm = f.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (nm < 0 || !f.startsWith(BENCH) || !fs.statSync(f).isFile()) continue;
    files.add(f);
    // the package root (node_modules/name or node_modules/@scope/name) and its package.json
    const rest = f.slice(nm + 14).split(path.sep);
    const pkgRoot = f.slice(0, nm + 14) + (rest[0].startsWith('@') ? `${rest[0]}${path.sep}${rest[1]}` : rest[0]);
    if (fs.existsSync(path.join(pkgRoot, 'package.json'))) files.add(path.join(pkgRoot, 'package.json'));
  }
  const stage = path.join(tmp, name);
  let raw = 0;
  for (const f of files) {
    const rel = 'node_modules' + f.slice(f.lastIndexOf(`${path.sep}node_modules${path.sep}`) + 13);
    fs.mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
    fs.copyFileSync(f, path.join(stage, rel));
    raw += fs.statSync(f).size;
  }
  const zipBytes = zipDir(stage, path.join(tmp, `${name}.zip`));
  const biggest = [...files].map((f) => [path.relative(BENCH, f), fs.statSync(f).size]).sort((a, b) => b[1] - a[1]).slice(0, 3);
  result[name] = { zipBytes, zipMiB: +(zipBytes / MiB).toFixed(2), files: files.size, rawMiB: +(raw / MiB).toFixed(2), biggest };
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify(result));
