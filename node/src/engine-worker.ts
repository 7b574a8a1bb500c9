// Runs inside a node:worker_threads Worker (see engine.ts for why): owns one
// instance of the Emscripten module, calls its C ABI, and replies with the
// JSON text the C++ returns. finish() runs on a long-lived transform pthread
// (_vips_edge_finish_async) so this thread's event loop stays free: Emscripten
// hands pool workers to new pthreads and recycles finished ones here, and
// libvips/libwebp start threads within one transform — a synchronous call
// deadlocks once they outnumber the pre-started pool. Source bytes go straight into
// wasm memory (_malloc + a copy into the heap); every pointer is freed.
import { parentPort, workerData } from 'node:worker_threads';
import * as path from 'node:path';
import type { EngineReady, EngineReply, EngineRequest, WorkerStart } from './engine-protocol';

interface VipsEdgeModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _vips_edge_init(configPtr: number, concurrency: number): number;
  _vips_edge_plan(eventPtr: number): number;
  _vips_edge_finish_async(token: number, eventPtr: number, outcomePtr: number, bytesPtr: number, length: number): void;
  _vips_edge_force_trap(): void;
  UTF8ToString(ptr: number): string;
  stringToUTF8(s: string, ptr: number, max: number): void;
  lengthBytesUTF8(s: string): number;
  wasmMemory: WebAssembly.Memory;
}

type Factory = (overrides: Record<string, unknown>) => Promise<VipsEdgeModule>;

const start = workerData as WorkerStart;
const port = parentPort!;

// The glue must stay a file of its own: vips_edge.worker.js (the pthread
// pool) evals it by path, so it cannot be bundled into this script.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const factory = require(path.join(start.dir, 'vips_edge.js')) as Factory;

let mod: VipsEdgeModule;
// finish() calls in flight: token -> resolve(result pointer).
const pending = new Map<number, (resultPtr: number) => void>();
let nextToken = 1;

function cString(s: string): number {
  const size = mod.lengthBytesUTF8(s) + 1;
  const ptr = mod._malloc(size);
  if (!ptr) throw new Error('wasm malloc failed');
  mod.stringToUTF8(s, ptr, size);
  return ptr;
}

/** Reads and frees a malloc'd C string returned by an export. */
function takeString(ptr: number): string {
  if (!ptr) throw new Error('wasm export returned NULL');
  try {
    return mod.UTF8ToString(ptr);
  } finally {
    mod._free(ptr);
  }
}

function withPointers<T>(ptrs: number[], fn: () => T): T {
  try {
    return fn();
  } finally {
    for (const p of ptrs) if (p) mod._free(p);
  }
}

function plan(eventJson: string): string {
  const ev = cString(eventJson);
  return withPointers([ev], () => takeString(mod._vips_edge_plan(ev)));
}

async function finish(eventJson: string, outcomeJson: string, bytes: Uint8Array): Promise<string> {
  const ptrs: number[] = [];
  try {
    const ev = cString(eventJson);
    ptrs.push(ev);
    const out = cString(outcomeJson);
    ptrs.push(out);
    const src = mod._malloc(Math.max(bytes.length, 1));
    if (!src) throw new Error('wasm malloc failed for ' + bytes.length + ' source bytes');
    ptrs.push(src);
    // A fresh view: memory may have grown (ALLOW_MEMORY_GROWTH + pthreads).
    new Uint8Array(mod.wasmMemory.buffer, src, bytes.length).set(bytes);
    const token = nextToken++;
    // The inputs stay allocated until the pthread reports back.
    const resultPtr = await new Promise<number>((resolve) => {
      pending.set(token, resolve);
      mod._vips_edge_finish_async(token, ev, out, src, bytes.length);
    });
    return takeString(resultPtr);
  } finally {
    for (const p of ptrs) mod._free(p);
  }
}

function isFatal(e: unknown): boolean {
  // RuntimeError: unreachable / OOB / null function (a trap); 'Aborted(...)'
  // from abort(); RangeError from a failed memory grow. Anything thrown by the
  // glue mid-call may leave the C heap inconsistent: treat all as fatal,
  // except our own argument errors.
  return !(e instanceof TypeError);
}

async function handle(req: EngineRequest): Promise<EngineReply> {
  try {
    switch (req.op) {
      case 'plan':
        return { id: req.id, ok: true, json: plan(req.eventJson) };
      case 'finish':
        return { id: req.id, ok: true, json: await finish(req.eventJson, req.outcomeJson, req.bytes) };
      case 'trap':
        mod._vips_edge_force_trap();
        return { id: req.id, ok: false, fatal: false, message: 'force_trap returned' };
      case 'hang':
        for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { id: req.id, ok: false, fatal: isFatal(e), message };
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  mod = await factory({
    // Node >= 18 has fetch(); 3.1.6's glue would try to fetch the path. Hand
    // it the module the main thread compiled once per container instead.
    instantiateWasm(
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      WebAssembly.instantiate(start.wasmModule, imports).then((instance) => receive(instance, start.wasmModule));
      return {};
    },
    onVipsEdgeResult: (token: number, resultPtr: number) => {
      const resolve = pending.get(token);
      pending.delete(token);
      resolve?.(resultPtr);
    },
    print: (s: string) => process.stdout.write(s + '\n'),
    printErr: (s: string) => process.stderr.write(s + '\n'),
  });
  const t1 = performance.now();
  const cfg = cString(start.configJson);
  const initError = withPointers([cfg], () => {
    const ptr = mod._vips_edge_init(cfg, start.concurrency);
    return ptr ? takeString(ptr) : null;
  });
  const t2 = performance.now();
  let message: string | null = null;
  if (initError !== null) {
    try {
      const parsed = JSON.parse(initError) as { error?: unknown };
      message = typeof parsed.error === 'string' ? parsed.error : initError;
    } catch {
      message = initError;
    }
  }
  const ready: EngineReady =
    message === null
      ? { ready: true, initError: null, instantiateMs: t1 - t0, initMs: t2 - t1 }
      : { ready: true, initError: message, instantiateMs: t1 - t0, initMs: t2 - t1 };
  port.postMessage(ready);
  port.on('message', (req: EngineRequest) => {
    void handle(req).then((reply) => port.postMessage(reply));
  });
}

main().catch((e: unknown) => {
  // Reported to engine.ts through the Worker's 'error' event.
  throw e instanceof Error ? e : new Error(String(e));
});
