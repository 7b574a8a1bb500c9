// node/src/wasm-features.ts: the engine refuses, with a reason, a runtime that
// has no WebAssembly SIMD (the module is built with it and would not compile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

async function load() {
  const { buildSync } = require('esbuild');
  const out = buildSync({
    entryPoints: [path.join(here, '../src/wasm-features.ts')],
    bundle: true, write: false, format: 'esm', platform: 'node',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

test('this runtime has wasm SIMD: nothing is missing', async () => {
  const { missingWasmFeature } = await load();
  assert.equal(missingWasmFeature(), null);
});

test('the probe is a module that needs SIMD: validated bytes carry a v128 op', async () => {
  const { missingWasmFeature } = await load();
  let probe;
  assert.equal(missingWasmFeature((bytes) => { probe = bytes; return WebAssembly.validate(bytes); }), null);
  assert.ok(probe.includes(0x7b), 'declares a v128 result');
  assert.ok(probe.includes(0xfd), 'uses the SIMD opcode prefix');
  // With its v128 result type swapped for i32 the body no longer type-checks:
  // validation really looks at the SIMD part.
  const retyped = Uint8Array.from(probe);
  retyped[retyped.indexOf(0x7b)] = 0x7f;
  assert.equal(WebAssembly.validate(retyped), false);
});

test('a runtime without SIMD gets a reason that says so', async () => {
  const { missingWasmFeature } = await load();
  const why = missingWasmFeature(() => false);
  assert.match(why, /WebAssembly SIMD/);
  assert.match(why, /Node\.js >= 16\.4/);
});
