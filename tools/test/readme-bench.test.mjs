// README.md's bench table and "Where we stand" are what bench/lib/report.mjs
// renders for the newest committed bench/results/<date>.json: a hand edit to
// either, or a new run whose README was not re-rendered
// (BENCH_RENDER=bench/results/<date>.json node bench/run.mjs), fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReadme, renderStanding, renderTable } from '../../bench/lib/report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const resultsDir = path.join(root, 'bench/results');
const newest = fs.readdirSync(resultsDir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort().at(-1);
const results = JSON.parse(fs.readFileSync(path.join(resultsDir, newest), 'utf8'));

test(`README.md's generated bench blocks are report.mjs's rendering of bench/results/${newest}`, () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.equal(readme, renderReadme(readme, results));
});

test('"Where we stand" quotes the run: an op that changes changes the words', () => {
  const text = renderStanding(results);
  assert.match(text, new RegExp(`the tables above, ${results.date.slice(0, 10)}`));
  const slower = structuredClone(results);
  const ours = slower.warm[1].ops['jpeg8mp-800'].libs;
  // The peer the words compare with: sharp-wasm32 behind the handler where the run has it.
  const peer = ours['sharp-wasm32 (handler)'] ?? ours['sharp-wasm32'];
  ours['vips-edge (packaged)'].medianMs = peer.medianMs * 3;
  const words = renderStanding(slower);
  assert.notEqual(words, text);
  assert.match(words, new RegExp(`×3\\.00 on 8 MP → 800 JPEG \\(${Math.round(peer.medianMs * 3)} vs`));
});

test('a README without the markers is refused', () => {
  assert.throws(() => renderReadme('no blocks here', results), /has no <!-- bench:start -->/);
});

test('the packaged handler is marked against sharp-wasm32 behind the same handler I/O when the run has it', () => {
  const run = structuredClone(results);
  const row = run.warm[1].ops['jpeg8mp-800'].libs;
  const ours = row['vips-edge (packaged)'];
  // Bare sharp-wasm32 as fast as ours (❌ at 0.9×), behind a handler 20 % slower (✅);
  // first a run without the handler peer (newer runs have it).
  delete row['sharp-wasm32 (handler)'];
  row['sharp-wasm32'] = { ...row['sharp-wasm32'], medianMs: ours.medianMs };
  const before = renderTable(run).split('\n').find((l) => l.startsWith('| 8 MP'));
  assert.match(before, /^\| 8 MP[^|]*\| [^|]*❌/);
  row['sharp-wasm32 (handler)'] = { ...row['sharp-wasm32'], medianMs: ours.medianMs * 1.2 };
  const after = renderTable(run).split('\n').find((l) => l.startsWith('| 8 MP'));
  assert.match(after, /^\| 8 MP[^|]*\| [^|]*✅/);
  assert.match(renderStanding(run), /packaged against it behind the same handler I\/O/);
});
