// One instance of the Emscripten module, hosted on the thread that loads the
// trigger (Lambda's main thread): its exports are called directly, and
// finish() runs on a transform pthread of the module (_vips_edge_finish_async)
// so this thread only waits for a callback. That keeps the event loop free
// (Emscripten hands pool Workers to the threads libvips starts from here) and
// lets a watchdog give up on a transform that never returns.
//
// Failure is final for an instance: a trap or abort here or on one of its
// pthreads, an out-of-memory abort, or a watchdog timeout marks it dead,
// terminates every pthread Worker it has (src/wasm/host.post.js lists them)
// and rejects what is in flight. Nothing calls into a dead instance's wasm
// again: a stuck thread may hold a lock the call would wait for.
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';

/** The engine could not answer: the instance trapped, aborted, hung or died. */
export class EngineFailure extends Error {
  override name = 'EngineFailure';
}

/** The module's exports and runtime methods this file uses. */
export interface VipsEdgeModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _vips_edge_init(configPtr: number, concurrency: number): number;
  _vips_edge_plan(eventPtr: number, nowSeconds: number): number;
  _vips_edge_finish_async(token: number, job: number, outcomePtr: number, bytesPtr: number, length: number): void;
  _vips_edge_resume_async(token: number, job: number, outcomePtr: number, bytesPtr: number, length: number): void;
  _vips_edge_drop_job(job: number): void;
  _vips_edge_heap_top(): number;
  UTF8ToString(ptr: number): string;
  stringToUTF8(s: string, ptr: number, max: number): void;
  lengthBytesUTF8(s: string): number;
  wasmMemory: WebAssembly.Memory;
  /** Every pthread Worker of this instance (src/wasm/host.post.js). */
  workers(): Worker[];
  /** Lets V8 collect an abandoned instance (src/wasm/host.post.js says why). */
  release(): void;
}

type Factory = (overrides: Record<string, unknown>) => Promise<VipsEdgeModule>;

/**
 * What an asynchronous export reports (src/wasm/runtime.hpp Result): the
 * reply's JSON, and a response's image bytes beside it (bodyPtr 0 when none).
 * The caller takes both with takeResult.
 */
export interface AsyncResult {
  resultPtr: number;
  bodyPtr: number;
  bodyLength: number;
}

/** An AsyncResult read and freed: the reply's text, the image body as base64. */
export interface TakenResult {
  text: string;
  body?: string;
}

export interface InstanceStart {
  /** Directory holding <name>.js and <name>.wasm (the package dir). */
  dir: string;
  /** 'vips_edge', or the test build's 'vips_edge_debug'. */
  name: string;
  /** Compiled once per container; every instance instantiates it. A
   * promise: the pool Workers start while it compiles. */
  wasmModule: Promise<WebAssembly.Module>;
}

export class Instance {
  dead: string | null = null;
  /** Settles once every Worker of a dead instance has exited. */
  exited: Promise<void> = Promise.resolve();
  private mod: VipsEdgeModule | null = null;
  private readonly pending = new Map<number, { resolve: (r: AsyncResult) => void; reject: (e: Error) => void }>();
  private nextToken = 1;

  private constructor(private readonly onDeath: (inst: Instance) => void) {}

  /** Instantiates the module (its pthread pool starts with it). */
  static async start(start: InstanceStart, onDeath: (inst: Instance) => void): Promise<Instance> {
    const inst = new Instance(onDeath);
    // The glue is a file of its own: every pthread Worker loads it by path,
    // so it cannot be bundled into index.js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const factory = require(path.join(start.dir, `${start.name}.js`)) as Factory;
    let failed: (e: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    const ready = factory({
      // The module compiled once per container is instantiated, not the
      // glue's own read of the .wasm file.
      instantiateWasm(imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
        start.wasmModule.then(async (m) => receive(await WebAssembly.instantiate(m, imports), m)).catch(failed);
        return {};
      },
      onVipsEdgeResult: (token: number, resultPtr: number, bodyPtr = 0, bodyLength = 0) =>
        inst.settle(token, { resultPtr, bodyPtr, bodyLength }),
      onThreadError: (e: unknown) => inst.kill(`wasm failure on a pthread: ${describe(e)}`),
      onAbort: (what: unknown) => inst.kill(`wasm abort: ${String(what)}`),
      print: (s: string) => process.stdout.write(s + '\n'),
      printErr: (s: string) => process.stderr.write(s + '\n'),
    });
    inst.mod = await Promise.race([ready, failure]);
    inst.unrefWorkers();
    return inst;
  }

  /**
   * A synchronous call into the module on this thread. Any exception from
   * the wasm (a trap, an abort, a failed memory grow) ends the instance.
   */
  call<T>(fn: (mod: VipsEdgeModule) => T): T {
    const mod = this.live();
    try {
      return fn(mod);
    } catch (e) {
      const why = `wasm failure: ${describe(e)}`;
      this.kill(why);
      throw new EngineFailure(why);
    }
  }

  /**
   * An asynchronous call: `start` hands `token` to an export that reports
   * through Module.onVipsEdgeResult(token, resultPtr, bodyPtr, bodyLength).
   * Resolves with those pointers; the watchdog ends the instance after
   * `timeoutMs`. The timer also keeps Node alive meanwhile (the Workers are
   * unref'd).
   */
  callAsync(start: (mod: VipsEdgeModule, token: number) => void, timeoutMs: number): Promise<AsyncResult> {
    const token = this.nextToken++;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<AsyncResult>((resolve, reject) => {
      this.pending.set(token, { resolve, reject });
      timer = setTimeout(() => this.kill(`engine did not answer within ${timeoutMs} ms`), timeoutMs);
      try {
        this.call((mod) => start(mod, token));
      } catch (e) {
        this.pending.delete(token);
        reject(e as Error);
      }
    }).finally(() => {
      clearTimeout(timer);
      this.unrefWorkers();
    });
  }

  /**
   * Idle Workers must not keep Node alive (a script calling the handler exits
   * by itself; Lambda freezes the process between requests anyway). Threads
   * started during a call are new Workers, so this runs after every call;
   * while one is in flight, its watchdog timer keeps Node alive.
   */
  private unrefWorkers(): void {
    for (const worker of this.mod?.workers() ?? []) worker.unref();
  }

  /** A C string in wasm memory (the caller frees it). */
  cString(s: string): number {
    return this.call((mod) => {
      const size = mod.lengthBytesUTF8(s) + 1;
      const ptr = mod._malloc(size);
      if (!ptr) throw new Error('wasm malloc failed');
      mod.stringToUTF8(s, ptr, size);
      return ptr;
    });
  }

  /** The chunks, copied one after another into one block of wasm memory
   * (the caller frees it). */
  bytes(chunks: readonly Uint8Array[], length: number): number {
    return this.call((mod) => {
      const ptr = mod._malloc(Math.max(length, 1));
      if (!ptr) throw new Error(`wasm malloc failed for ${length} source bytes`);
      // A fresh view: memory may have grown since the last one was made.
      const heap = new Uint8Array(mod.wasmMemory.buffer, ptr, length);
      let at = 0;
      for (const c of chunks) {
        heap.set(c, at);
        at += c.length;
      }
      return ptr;
    });
  }

  /** A view of `length` bytes of wasm memory at `ptr`: valid until the next
   * call into the module (memory may grow). */
  view(ptr: number, length: number): Uint8Array {
    return this.call((mod) => new Uint8Array(mod.wasmMemory.buffer, ptr, length));
  }

  /** Reads and frees a malloc'd C string an export returned. */
  takeString(ptr: number): string {
    if (!ptr) throw new EngineFailure('wasm export returned NULL (out of memory)');
    return this.call((mod) => {
      try {
        return mod.UTF8ToString(ptr);
      } finally {
        mod._free(ptr);
      }
    });
  }

  /**
   * Reads and frees what an asynchronous export reported: the reply's text,
   * and the image bytes base64'd once, natively (Buffer over a fresh view of
   * the wasm memory, which may have grown since the export ran).
   */
  takeResult({ resultPtr, bodyPtr, bodyLength }: AsyncResult): TakenResult {
    let body: string | undefined;
    if (bodyPtr) {
      body = this.call((mod) => {
        try {
          return Buffer.from(mod.wasmMemory.buffer, bodyPtr, bodyLength).toString('base64');
        } finally {
          mod._free(bodyPtr);
        }
      });
    }
    return { text: this.takeString(resultPtr), ...(body !== undefined && { body }) };
  }

  free(ptr: number): void {
    if (ptr && this.dead === null) this.call((mod) => mod._free(ptr));
  }

  /** Ends the instance: every pthread Worker terminated, calls in flight rejected. */
  kill(why: string): void {
    if (this.dead !== null) return;
    this.dead = why;
    const workers = this.mod?.workers() ?? [];
    this.exited = Promise.allSettled(workers.map((w) => w.terminate())).then(() => undefined);
    this.mod?.release();
    this.mod = null;
    for (const { reject } of this.pending.values()) reject(new EngineFailure(why));
    this.pending.clear();
    this.onDeath(this);
  }

  private live(): VipsEdgeModule {
    if (this.dead !== null || this.mod === null) throw new EngineFailure(this.dead ?? 'engine instance not started');
    return this.mod;
  }

  private settle(token: number, result: AsyncResult): void {
    const p = this.pending.get(token);
    this.pending.delete(token);
    p?.resolve(result);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
