// tools/check-layers.mjs finds an include that runs up a layer, one between
// two folders of a layer, and a cycle, and passes the real src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../check-layers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tree(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('src/ keeps its layers', () => {
  assert.deepEqual(check(path.join(root, 'src')), []);
});

test('an include up a layer, beside it, or in a cycle is reported', () => {
  const dir = tree({
    'util/a.hpp': '#include "api/b.hpp"\n',
    'api/b.hpp': '#include "util/c.hpp"\n',
    'util/c.hpp': '#include "util/a.hpp"\n',
    'events/d.hpp': '#include "codec/e.hpp"\n',
    'codec/e.hpp': '',
    'nowhere/f.hpp': '',
  });
  const problems = check(dir);
  assert.ok(problems.some((p) => p.startsWith('util/a.hpp: includes "api/b.hpp": api/ is above util/')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('events/d.hpp: includes "codec/e.hpp": codec/ is beside events/')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('include cycle: ')), problems.join('\n'));
});
