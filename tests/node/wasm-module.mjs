// Loads the wasm module the way the trigger does: binary passed in as
// wasmBinary, exports called with malloc'd strings, finish() on a transform
// pthread reporting through Module.onVipsEdgeResult (the reply's JSON, and a
// response's image bytes beside it, base64'd here as node/src/engine.ts
// does). Tests use the
// test twin (vips_edge_debug.*: its debug exports, function names in traps);
// bench/ the product build. Encode/Decode replies are answered with the AVIF
// codec module (loadCodec), as node/src/engine.ts does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const buildDir = path.join(root, 'build/wasm');
// Test-only npm packages live with the Node trigger's dependencies.
export const requireFromNode = createRequire(path.join(root, 'node/package.json'));

/** The AVIF codec module (avif_codec.*), called as node/src/codec.ts does. */
export async function loadCodec(dir = buildDir) {
  const require = createRequire(import.meta.url);
  const C = await require(path.join(dir, 'avif_codec.js'))({ wasmBinary: readFileSync(path.join(dir, 'avif_codec.wasm')) });
  const run = (input, call, extra) => {
    const p = C._malloc(Math.max(input.length, 1));
    C.HEAPU8.set(input, p);
    const status = call(p);
    C._free(p);
    if (status !== 0) return { outcome: { error: C.UTF8ToString(C._codec_failure()), message: C.UTF8ToString(C._codec_error()) }, bytes: new Uint8Array(0) };
    const bytes = C.HEAPU8.slice(C._codec_result(), C._codec_result() + C._codec_result_length());
    const outcome = { bytes: bytes.length, ...extra() };
    C._codec_release();
    return { outcome, bytes };
  };
  return {
    encode: (pixels, r) => run(pixels, (p) => C._codec_encode(p, r.width, r.height, r.channels, r.quality, r.speed), () => ({})),
    decode: (file, maxPixels = 1e9) =>
      run(file, (p) => C._codec_decode(p, file.length, maxPixels), () => ({
        width: C._codec_width(), height: C._codec_height(), channels: C._codec_channels(), iccBytes: C._codec_icc_length(),
      })),
    module: C,
  };
}

export async function loadModule({ config = {}, concurrency = 1, dir = buildDir, variant = 'vips_edge_debug' } = {}) {
  const require = createRequire(import.meta.url);
  const factory = require(path.join(dir, `${variant}.js`));
  // Asynchronous exports report back through this callback.
  const pending = new Map();
  let nextToken = 1;
  const M = await factory({
    wasmBinary: readFileSync(path.join(dir, `${variant}.wasm`)),
    onVipsEdgeResult: (token, resultPtr, bodyPtr, bodyLength) => {
      const done = pending.get(token);
      pending.delete(token);
      done({ resultPtr, bodyPtr, bodyLength });
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
  // An asynchronous export's reply, its image bytes (if any) base64'd into
  // response.body, both freed.
  const takeReply = ({ resultPtr, bodyPtr, bodyLength }) => {
    let body;
    if (bodyPtr) {
      body = Buffer.from(M.wasmMemory.buffer, bodyPtr, bodyLength).toString('base64');
      M._free(bodyPtr);
    }
    const reply = JSON.parse(takeString(resultPtr));
    if (reply.action === 'respond' && reply.bodyBytes !== undefined) {
      if (reply.bodyBytes !== bodyLength) throw new Error(`bodyBytes ${reply.bodyBytes}, handed ${bodyLength}`);
      reply.response.body = body;
      delete reply.bodyBytes;
    }
    return reply;
  };
  const bytesIn = (bytes) => {
    const p = M._malloc(Math.max(bytes.length, 1));
    new Uint8Array(M.wasmMemory.buffer, p, bytes.length).set(bytes); // a fresh view: memory may have grown
    return p;
  };
  // One asynchronous call; the inputs are freed once it has reported.
  // Emscripten (3.1.58+) unrefs pthread Workers, so a pending result alone
  // does not keep Node alive: a timer does, as the trigger's watchdog does
  // (node/src/engine-instance.ts).
  const callAsync = async (inputs, start) => {
    const token = nextToken++;
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      return await new Promise((resolve) => {
        pending.set(token, resolve);
        start(token);
      });
    } finally {
      clearInterval(keepAlive);
      inputs.forEach((p) => M._free(p));
    }
  };

  let codec = null; // loaded by the first codec request
  const configPtr = cString(JSON.stringify(config));
  const err = M._vips_edge_init(configPtr, concurrency);
  M._free(configPtr);
  if (err) throw new Error(takeString(err));

  // now: unix seconds, the clock an exp is judged by (the trigger passes Date.now()'s).
  const plan = (event, now = Math.floor(Date.now() / 1000)) => {
    const e = cString(JSON.stringify(event));
    try {
      return JSON.parse(takeString(M._vips_edge_plan(e, now)));
    } finally {
      M._free(e);
    }
  };

  return {
    plan,
    /** plan, then finish with the job plan kept (or plan's answer when it
     * fetches nothing), then the codec requests answered and resumed. */
    finish: async (event, outcome, bytes) => {
      const planned = plan(event);
      if (planned.action !== 'fetch') return planned;
      const o = cString(JSON.stringify(outcome));
      const b = bytesIn(bytes);
      const result = await callAsync([o, b], (token) => M._vips_edge_finish_async(token, planned.job, o, b, bytes.length));
      let reply = takeReply(result);
      while (reply.action === 'encode' || reply.action === 'decode') {
        codec ??= await loadCodec(dir);
        const done =
          reply.action === 'encode'
            ? codec.encode(new Uint8Array(M.wasmMemory.buffer, reply.pixels, reply.width * reply.height * reply.channels), reply)
            : codec.decode(bytes, reply.maxPixels);
        const co = cString(JSON.stringify(done.outcome));
        const cb = bytesIn(done.bytes);
        const job = reply.job;
        reply = takeReply(await callAsync([co, cb], (token) => M._vips_edge_resume_async(token, job, co, cb, done.bytes.length)));
      }
      return reply;
    },
    /** finish_async with a job handle as given (tests of the handle itself). */
    finishJob: async (job, outcome, bytes) => {
      const o = cString(JSON.stringify(outcome));
      const b = bytesIn(bytes);
      return takeReply(await callAsync([o, b], (token) => M._vips_edge_finish_async(token, job, o, b, bytes.length)));
    },
    /** finish_async as the export reports it: the reply's text and a copy
     * of the bytes handed beside it (both freed). */
    finishRaw: async (job, outcome, bytes) => {
      const o = cString(JSON.stringify(outcome));
      const b = bytesIn(bytes);
      const { resultPtr, bodyPtr, bodyLength } = await callAsync([o, b], (token) => M._vips_edge_finish_async(token, job, o, b, bytes.length));
      const body = bodyPtr ? new Uint8Array(M.wasmMemory.buffer, bodyPtr, bodyLength).slice() : null;
      if (bodyPtr) M._free(bodyPtr);
      return { text: takeString(resultPtr), body };
    },
    dropJob: (job) => M._vips_edge_drop_job(job),
    probe: (bytes) => {
      const p = bytesIn(bytes);
      try {
        return JSON.parse(takeString(M._vips_edge_debug_probe(p, bytes.length)));
      } finally {
        M._free(p);
      }
    },
    messageTypes: () => takeString(M._vips_edge_debug_message_types()),
    module: M,
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

/**
 * One request through a loaded module as the trigger runs it when the origin
 * answers 200: plan (it must ask for a fetch; the job is dropped, as no real
 * fetch happens), then finish on `bytes` served as `contentType`. Returns the
 * CloudFront response the module answers with.
 */
export async function respondTo(vips, event, bytes, contentType) {
  const plan = vips.plan(event);
  assert.equal(plan.action, 'fetch');
  vips.dropJob(plan.job);
  const result = await vips.finish(event, { status: 200, headers: { 'content-type': contentType } }, bytes);
  assert.equal(result.action, 'respond', JSON.stringify(result).slice(0, 300));
  return result.response;
}
