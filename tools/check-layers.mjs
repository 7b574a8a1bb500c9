#!/usr/bin/env node
// The layers of src/, lowest first: a file may include files of its own
// folder and of a lower layer, never of its layer's other folders or of a
// higher layer, and no chain of includes may come back to where it started.
// `make test` runs it (test-generated); it prints every offending include.
//   node tools/check-layers.mjs [src-dir]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// One row a layer; the folders of a row are independent of each other.
export const LAYERS = [
  ['util'],            // base64, ftyp brands, strict JSON fields: no knowledge of requests
  ['events', 'codec'], // CloudFront event types; the AVIF codec module (pixels in, bytes out)
  ['api'],             // the URL API: parameters, TransformSpec, config, signing
  ['image'],           // libvips: formats, decode, resize, effects, encode
  ['http'],            // generated responses and their headers
  ['handler'],         // the request path: prepare, render, the messages to the trigger
  ['wasm'],            // the C ABI of the module (and its test twin's, wasm/debug)
];

const rank = new Map(LAYERS.flatMap((row, i) => row.map((folder) => [folder, i])));

// Every `#include "..."` of every source below `src`, as [file, included] pairs
// of paths relative to `src`.
export function includes(src) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(cpp|hpp|h|cc)$/.test(entry.name)) {
        const file = path.relative(src, full).split(path.sep).join('/');
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) out.push([file, m[1]]);
      }
    }
  };
  walk(src);
  return out;
}

export function check(src) {
  const problems = [];
  const edges = new Map();
  for (const [file, included] of includes(src)) {
    const from = file.split('/')[0];
    const to = included.split('/')[0];
    if (!fs.existsSync(path.join(src, included))) {
      problems.push(`${file}: includes "${included}", which is not a file under src/`);
      continue;
    }
    for (const folder of [from, to])
      if (!rank.has(folder)) problems.push(`${file}: folder ${folder}/ is in no layer (tools/check-layers.mjs LAYERS)`);
    if (from !== to && rank.has(from) && rank.has(to) && rank.get(to) >= rank.get(from))
      problems.push(`${file}: includes "${included}": ${to}/ is ${rank.get(to) > rank.get(from) ? 'above' : 'beside'} ${from}/`);
    if (!edges.has(file)) edges.set(file, []);
    edges.get(file).push(included);
  }
  // Cycles, file by file (depth-first; a grey node met again closes one).
  const state = new Map();
  const visit = (file, trail) => {
    state.set(file, 'grey');
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'grey') problems.push(`include cycle: ${[...trail.slice(trail.indexOf(next)), next].join(' -> ')}`);
      else if (!state.has(next)) visit(next, [...trail, next]);
    }
    state.set(file, 'black');
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file, [file]);
  return [...new Set(problems)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const src = path.resolve(process.argv[2] ?? path.join(root, 'src'));
  const problems = check(src);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`src/ layers: ${LAYERS.map((row) => row.join(' ')).join(' < ')}; no include runs up a layer, none forms a cycle`);
}
