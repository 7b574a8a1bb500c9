// The wasm engine, once per container: compiled at module load, instantiated
// in a node:worker_threads Worker, called through an async message round trip.
//
// Why a Worker and not exports called on Lambda's main thread — measured on
// the shared 2-core dev machine, Node 20.20, product build (-sPTHREAD_POOL_SIZE=4,
// -fexceptions), 1600x1203 JPEG -> w=300 WebP, 20 warm runs, 5 ms setInterval:
//                                (a) main thread          (b) this Worker
//   load + init                  80-85 + 10-17 ms         (in first request)
//   first transform              65-82 ms                 107-137 ms
//   cold: require -> 1st result  ~180 ms                  377-409 ms (require 52)
//   warm transform, median/max   27-30 / 46-53 ms          26-27 / 57-65 ms
//   5 ms ticks during 20 warm    19 of 114-128 expected    110-121 of 124-129
// Both designs first hung on a WebP source's 2nd decode and at vips
// concurrency 2: finish() blocked the thread that owns the module, so the
// threads libvips/libwebp start inside one transform got no pool worker.
// finish() now runs off that thread (_vips_edge_finish_async); both cases
// work (40 mixed transforms: median 22 ms at concurrency 1, 27 ms at 2 on the
// loaded 2-core machine — 1 stays the default).
// (a) blocks the event loop for the whole transform (a concurrent origin
// fetch or emulator request stalls) and any deadlocked vips call hangs the
// process until Lambda's timeout. With (b) the main thread only waits on a
// message, so a watchdog can terminate a stuck or trapped instance and answer
// the request. Cost: ~+200 ms on a cold start (Worker start + instantiate
// off the critical path of require), nothing measurable warm. Concurrency 1.
//
// Lifecycle: the Worker (and with it the Emscripten pthread pool, its nested
// workers) is unref'd whenever no call is in flight, so a script calling the
// handler exits by itself and Lambda's freeze is never delayed. A fatal
// failure (trap, abort, OOM, watchdog, worker exit) terminates the Worker and
// starts a fresh one from the cached WebAssembly.Module.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EngineReady, EngineReply, EngineRequest, WorkerStart } from './engine-protocol';
import { packageDir, packageFile } from './package-files';

/** vips threads per operation; 1 is fastest per request on a 1-vCPU Lambda (see above). */
export const VIPS_CONCURRENCY = 1;
/** Longest instantiate + _vips_edge_init before the instance is declared dead. */
const READY_TIMEOUT_MS = 15_000;

/** The engine could not answer: the instance trapped, aborted, hung or died. */
export class EngineFailure extends Error {
  override name = 'EngineFailure';
}
/** config.json was rejected by _vips_edge_init (or could not be read). */
export class EngineInitError extends Error {
  override name = 'EngineInitError';
}

type RequestBody = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  id: number;
  resolve: (json: string) => void;
  reject: (e: Error) => void;
}

class Instance {
  readonly worker: Worker;
  readonly ready: Promise<EngineReady>;
  dead: string | null = null;
  pending: Pending | null = null;
  private everReady = false;
  private holds = 0;

  constructor(start: WorkerStart, onDeath: (inst: Instance, wasHealthy: boolean) => void) {
    this.worker = new Worker(packageFile('engine-worker.js'), { workerData: start });
    this.worker.unref();
    this.ready = new Promise<EngineReady>((resolve, reject) => {
      this.worker.on('message', (msg: EngineReady | EngineReply) => {
        if ('ready' in msg) {
          this.everReady = true;
          if (this.holds === 0) this.worker.unref(); // a late unref sticks; one at construction may not
          resolve(msg);
        } else if (this.pending && msg.id === this.pending.id) {
          const p = this.pending;
          this.pending = null;
          if (msg.ok) p.resolve(msg.json);
          else if (msg.fatal) {
            this.kill(`wasm failure: ${msg.message}`);
            p.reject(new EngineFailure(msg.message));
          } else p.reject(new EngineFailure(msg.message));
        }
      });
      const die = (why: string) => {
        if (this.dead === null) this.dead = why;
        reject(new EngineFailure(why));
        if (this.pending) {
          const p = this.pending;
          this.pending = null;
          p.reject(new EngineFailure(why));
        }
        onDeath(this, this.everReady);
      };
      this.worker.on('error', (e) => die(`engine worker crashed: ${e instanceof Error ? e.message : String(e)}`));
      this.worker.on('exit', (code) => die(`engine worker exited (code ${code})`));
    });
    this.ready.catch(() => undefined); // observed by callers; never an unhandled rejection
  }

  kill(why: string): void {
    if (this.dead === null) this.dead = why;
    // A dying instance must never keep the process alive, even if terminate()
    // takes a while to interrupt a thread stuck in wasm.
    this.worker.unref();
    void this.worker.terminate();
  }

  /** Keeps the process alive only while someone waits on this instance. */
  async hold<T>(p: Promise<T>): Promise<T> {
    this.holds++;
    this.worker.ref();
    try {
      return await p;
    } finally {
      if (--this.holds === 0) this.worker.unref();
    }
  }

  /** One round trip; the caller guarantees one call at a time. */
  call(body: RequestBody, id: number, timeoutMs: number): Promise<string> {
    return this.hold(this.roundTrip(body, id, timeoutMs));
  }

  private async roundTrip(body: RequestBody, id: number, timeoutMs: number): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const watchdog = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const why = `engine did not answer within ${timeoutMs} ms`;
          this.kill(why);
          reject(new EngineFailure(why));
        }, timeoutMs);
      });
      const ready = await Promise.race([this.ready, watchdog]);
      if (ready.initError !== null) throw new EngineInitError(ready.initError);
      if (this.dead !== null) throw new EngineFailure(this.dead);
      const reply = new Promise<string>((resolve, reject) => {
        this.pending = { id, resolve, reject };
      });
      this.worker.postMessage({ ...body, id } as EngineRequest);
      return await Promise.race([reply, watchdog]);
    } finally {
      clearTimeout(timer);
      this.pending = null;
    }
  }
}

export interface EngineStats {
  instancesStarted: number;
  lastFailure: string | null;
}

export class Engine {
  private readonly wasmModule: Promise<WebAssembly.Module>;
  private instance: Promise<Instance>;
  private tail: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;
  readonly stats: EngineStats = { instancesStarted: 0, lastFailure: null };

  constructor(
    private readonly configJson: string,
    private readonly concurrency: number,
  ) {
    // Compiled once per container; every (re)start instantiates this Module.
    this.wasmModule = WebAssembly.compile(fs.readFileSync(packageFile('vips_edge.wasm')));
    this.instance = this.spawn();
  }

  private spawn(): Promise<Instance> {
    const p = this.wasmModule.then((wasmModule) => {
      this.stats.instancesStarted++;
      return new Instance(
        { dir: packageDir, wasmModule, configJson: this.configJson, concurrency: this.concurrency },
        (inst, wasHealthy) => this.onDeath(inst, wasHealthy),
      );
    });
    p.catch(() => undefined);
    return p;
  }

  private onDeath(inst: Instance, wasHealthy: boolean): void {
    this.stats.lastFailure = inst.dead;
    if (this.closed) return;
    // Replace a healthy instance that died right away, so the next request
    // does not pay for instantiation; one that never got ready is retried
    // lazily by the next call (no crash loop).
    void this.instance.then((current) => {
      if (current === inst && wasHealthy) this.instance = this.spawn();
    });
  }

  private async live(): Promise<Instance> {
    const inst = await this.instance;
    if (inst.dead === null) return inst;
    this.instance = this.spawn();
    return this.instance;
  }

  /** Serialises calls: the wasm instance handles one request at a time. */
  private call(body: RequestBody, timeoutMs: number): Promise<string> {
    const run = async () => (await this.live()).call(body, this.nextId++, timeoutMs);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once the instance is up; the init error text if config.json was rejected. */
  async initError(): Promise<string | null> {
    try {
      const inst = await this.live();
      const ready = await inst.hold(Promise.race([
        inst.ready,
        new Promise<never>((_, reject) => setTimeout(() => reject(new EngineFailure('engine start timed out')), READY_TIMEOUT_MS).unref()),
      ]));
      return ready.initError;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  plan(eventJson: string, timeoutMs = READY_TIMEOUT_MS): Promise<string> {
    return this.call({ op: 'plan', eventJson }, timeoutMs);
  }

  /** bytes are copied into the worker (structured clone), then into wasm memory. */
  finish(eventJson: string, outcome: unknown, bytes: Uint8Array, timeoutMs: number): Promise<string> {
    return this.call({ op: 'finish', eventJson, outcomeJson: JSON.stringify(outcome), bytes }, timeoutMs);
  }

  /** Test hook: a real wasm trap (_vips_edge_force_trap) inside the instance. */
  forceTrap(): Promise<string> {
    return this.call({ op: 'trap' }, READY_TIMEOUT_MS);
  }

  /** Test hook: an engine call that never returns (the watchdog must end it). */
  forceHang(timeoutMs: number): Promise<string> {
    return this.call({ op: 'hang' }, timeoutMs);
  }

  /** Terminates the current instance (tests, emulator shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const inst = await this.instance.catch(() => null);
    inst?.kill('closed');
  }
}
