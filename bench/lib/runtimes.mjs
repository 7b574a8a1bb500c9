// The Lambda@Edge Node.js runtimes (node/runtimes/runtimes.json), each as the
// path of its pinned node binary (fetched into the cache by node/runtimes/node.sh):
// cold start and peak RSS are measured on every one of them, since that is
// where the function runs and where V8's defaults differ.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './ops.mjs';

const SCRIPT = path.join(ROOT, 'node/runtimes/node.sh');

/** [{ lambda: 'nodejs22.x', node: '/…/bin/node', version: 'v22.23.5' }, …], default first. */
export function lambdaRuntimes() {
  const pins = JSON.parse(fs.readFileSync(path.join(ROOT, 'node/runtimes/runtimes.json'), 'utf8'));
  const names = [pins.default, ...pins.runtimes.map((r) => r.lambda).filter((n) => n !== pins.default)];
  return names.map((lambda) => {
    const node = execFileSync('bash', [SCRIPT, lambda], { encoding: 'utf8' }).trim();
    return { lambda, node, version: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() };
  });
}

/** The runtime named `name` ('nodejs24.x', 'default') or this process's node ('current'). */
export function runtimeNode(name) {
  if (!name || name === 'current') return { lambda: 'current', node: process.execPath, version: process.version };
  const all = lambdaRuntimes();
  const found = name === 'default' ? all[0] : all.find((r) => r.lambda === name);
  if (!found) throw new Error(`unknown runtime ${name}: ${all.map((r) => r.lambda).join(', ')}`);
  return found;
}
