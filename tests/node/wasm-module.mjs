// Loads the wasm module the way the trigger does: binary passed in as
// wasmBinary, exports called with malloc'd strings, finish() on its own
// pthread. Tests use the test build (vips_edge_debug.*, linked with
// --profiling-funcs so a trap names its function); bench/ the product build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const buildDir = path.join(root, 'build/wasm');
// Test-only npm packages live with the Node trigger's dependencies.
export const requireFromNode = createRequire(path.join(root, 'node/package.json'));

export async function loadModule({ config = {}, concurrency = 1, dir = buildDir, variant = 'vips_edge_debug' } = {}) {
  const require = createRequire(import.meta.url);
  const factory = require(path.join(dir, `${variant}.js`));
  // finish() runs on a pthread and reports back through this callback.
  const pending = new Map();
  let nextToken = 1;
  const M = await factory({
    wasmBinary: readFileSync(path.join(dir, `${variant}.wasm`)),
    onVipsEdgeResult: (token, resultPtr) => {
      const done = pending.get(token);
      pending.delete(token);
      done(resultPtr);
    },
  });

  const cString = (s) => {
    const n = M.lengthBytesUTF8(s) + 1;
    const p = M._malloc(n);
    M.stringToUTF8(s, p, n);
    return p;
  };
  const takeString = (p) => {
    const s = M.UTF8ToString(p);
    M._free(p);
    return s;
  };
  const withStrings = (strings, fn) => {
    const ptrs = strings.map(cString);
    try {
      return fn(...ptrs);
    } finally {
      ptrs.forEach((p) => M._free(p));
    }
  };
  // Short synchronous calls (probe) may run on the main thread.
  const withBytes = (bytes, fn) => {
    const p = M._malloc(Math.max(bytes.length, 1));
    M.HEAPU8.set(bytes, p);
    try {
      return fn(p, bytes.length);
    } finally {
      M._free(p);
    }
  };

  const err = withStrings([JSON.stringify(config)], (c) => M._vips_edge_init(c, concurrency));
  if (err) throw new Error(takeString(err));

  return {
    plan: (event) => JSON.parse(takeString(withStrings([JSON.stringify(event)], (e) => M._vips_edge_plan(e)))),
    finish: async (event, outcome, bytes) => {
      const ptrs = [JSON.stringify(event), JSON.stringify(outcome)].map(cString);
      const source = M._malloc(Math.max(bytes.length, 1));
      M.HEAPU8.set(bytes, source);
      const token = nextToken++;
      try {
        const resultPtr = await new Promise((resolve) => {
          pending.set(token, resolve);
          M._vips_edge_finish_async(token, ptrs[0], ptrs[1], source, bytes.length);
        });
        return JSON.parse(takeString(resultPtr));
      } finally {
        ptrs.forEach((p) => M._free(p));
        M._free(source);
      }
    },
    probe: (bytes) => JSON.parse(takeString(withBytes(bytes, (p, n) => M._vips_edge_probe(p, n)))),
  };
}

export function eventWith(templatePath, { querystring, accept } = {}) {
  const event = JSON.parse(readFileSync(path.join(root, templatePath), 'utf8'));
  const request = event.Records[0].cf.request;
  if (querystring !== undefined) request.querystring = querystring;
  if (accept !== undefined) request.headers.accept = [{ key: 'Accept', value: accept }];
  return event;
}

export const fixtureImage = (name) => readFileSync(path.join(root, 'fixtures/images', name));
