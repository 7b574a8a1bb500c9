// The wasm engine, once per container: compiled and instantiated while the
// trigger loads (Lambda's init phase), on the trigger's own thread
// (engine-instance.ts: why that is safe, and what a failure does). Calls run
// one at a time; a failed instance is replaced by a fresh one from the same
// compiled module.
//
// Replies are the typed messages of src/handler/messages.hpp
// (engine-messages.ts is generated from them).
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Codec } from './codec';
import type { DecodeReply, EncodeReply, FailedReply, FetchOutcome, FetchReply, FinishReply, PlanReply } from './engine-messages';
import { EngineFailure, Instance, type TakenResult } from './engine-instance';
import type { Body } from './origin-types';
import { packageDir, packageFile } from './package-files';
import { missingWasmFeature } from './wasm-features';

export { EngineFailure } from './engine-instance';

/** vips threads per operation; 1 is fastest per request on a 1-vCPU Lambda. */
export const VIPS_CONCURRENCY = 1;
/**
 * An instance whose heap has ever reached this is replaced after the request:
 * malloc never hands memory back to the wasm memory, so one huge image would
 * keep its pages resident for the container's life (+75 MiB after a 20 MP
 * PNG). Heap high-water marks measured: 2, 8 and 20 MP JPEGs 13, 19, 25 MiB;
 * the 1920x1200 PNG with alpha 50 MiB; a 20 MP PNG 95 MiB.
 */
export const RETIRE_HEAP_BYTES = 64 * 1024 * 1024;
/** Longest instantiate + init before the start is declared failed. */
const START_TIMEOUT_MS = 15_000;

/** config.json was rejected by _vips_edge_init (or could not be read). */
export class EngineInitError extends Error {
  override name = 'EngineInitError';
}

/**
 * What plan() kept for finish(): a handle into the instance that planned it,
 * and the event and clock it was planned with, in case that instance is gone
 * by the time the bytes are in (another request's failure replaced it) and a
 * fresh one must plan again.
 */
export class Job {
  constructor(
    readonly instance: Instance,
    readonly handle: number,
    /** null for a fallback image's job (finish asked for it): it cannot be planned again. */
    readonly eventJson: string | null,
    readonly now: number,
  ) {}
}

/** A fetch the module asked for, its job wrapped for finish(). */
export type PlannedFetch = Omit<FetchReply, 'job'> & { job: Job };

export type Planned = Exclude<PlanReply, FetchReply> | PlannedFetch;

/** What finish() ends with: the codec requests are answered on the way; a
 * fetch is the fallback image (src/handler/fallback.hpp), to be finished in turn. */
export type FinalReply = Exclude<FinishReply, EncodeReply | DecodeReply | FetchReply> | PlannedFetch;

export interface Finished {
  reply: FinalReply;
  /** Time spent in the codec module (AVIF), if the request needed it. */
  codecMs?: number;
  /** The instance's heap high-water mark after this transform. */
  heapBytes: number;
  /** This transform left the heap past RETIRE_HEAP_BYTES: the instance was replaced. */
  retired: boolean;
}

export interface EngineOptions {
  /** The module's file name: 'vips_edge', or the test build's 'vips_edge_debug'. */
  module?: string;
  concurrency?: number;
}

interface Started {
  instance: Instance;
  initError: string | null;
}

export class Engine {
  private readonly wasmModule: Promise<WebAssembly.Module>;
  /** Why this runtime cannot run the module (no wasm SIMD), or null. */
  private readonly unsupported: string | null;
  private current: Promise<Started>;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when an instance is retired: its Workers' exit. */
  private collectBeforeNextCall: Promise<void> | null = null;
  private readonly module: string;
  private readonly concurrency: number;
  readonly stats = { instancesStarted: 0, retired: 0, lastFailure: null as string | null };
  /** The AVIF codec module: loaded on the first request that needs it. */
  readonly codec: Codec;

  constructor(
    private readonly configJson: string,
    options: EngineOptions = {},
  ) {
    this.module = options.module ?? 'vips_edge';
    this.codec = new Codec();
    this.concurrency = options.concurrency ?? VIPS_CONCURRENCY;
    // Checked and compiled once per container; every (re)start instantiates this Module.
    this.unsupported = missingWasmFeature();
    if (this.unsupported !== null) {
      // Never started: every call fails in live() with this reason.
      const failed = Promise.reject(new EngineInitError(this.unsupported));
      failed.catch(() => undefined);
      this.wasmModule = failed;
      this.current = failed;
      return;
    }
    this.wasmModule = WebAssembly.compile(fs.readFileSync(packageFile(`${this.module}.wasm`)));
    this.current = this.start();
  }

  /**
   * Instantiate + init (libvips, the transform thread). Rejects with an
   * EngineFailure, observed by whoever awaits it (never an unhandled rejection).
   */
  private start(): Promise<Started> {
    this.stats.instancesStarted++;
    const starting = Instance.start({ dir: packageDir, name: this.module, wasmModule: this.wasmModule }, (dead) => this.onDeath(dead));
    const started = (async (): Promise<Started> => {
      const instance = await withTimer(starting, START_TIMEOUT_MS, 'engine start timed out').catch((e: unknown) => {
        // One that comes up after all is not used: end it.
        void starting.then((late) => late.kill('start timed out'), () => undefined);
        throw e;
      });
      const config = instance.cString(this.configJson);
      try {
        const ptr = instance.call((mod) => mod._vips_edge_init(config, this.concurrency));
        const initError = ptr ? (JSON.parse(instance.takeString(ptr)) as FailedReply).error : null;
        return { instance, initError };
      } finally {
        instance.free(config);
      }
    })();
    const result = started.catch((e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      this.stats.lastFailure = why;
      throw new EngineFailure(`engine failed to start: ${why}`);
    });
    result.catch(() => undefined);
    return result;
  }

  private onDeath(dead: Instance): void {
    this.stats.lastFailure = dead.dead;
    if (this.closed) return;
    // Start the replacement now, so the next request does not wait for it.
    void this.current.then(
      ({ instance }) => {
        if (instance === dead) this.current = this.start();
      },
      () => undefined,
    );
  }

  /** The live instance; a fresh one if the last start failed or it died. */
  private async live(): Promise<Started> {
    if (this.unsupported !== null) throw new EngineInitError(this.unsupported);
    const started = await this.current.catch(() => null);
    if (started && started.instance.dead === null) {
      if (started.initError !== null) throw new EngineInitError(started.initError);
      return started;
    }
    if (this.closed) throw new EngineFailure('engine closed');
    this.current = this.start();
    return this.live();
  }

  /** Runs calls one at a time: an instance serves one request at a time. */
  private serial<T>(call: () => Promise<T>): Promise<T> {
    const run = async () => {
      // A retired instance's memory goes back only when V8 collects it, once
      // nothing of its last request is left and its Workers (which hold the
      // memory too) have exited; the main heap is too small for V8 to get
      // there by itself. At the next call, after those exits, both are true.
      const retired = this.collectBeforeNextCall;
      if (retired) {
        this.collectBeforeNextCall = null;
        await retired;
        await collectGarbage();
      }
      return call();
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once an instance is up: the init error text if config.json was rejected. */
  async initError(): Promise<string | null> {
    try {
      await withTimer(this.live(), START_TIMEOUT_MS, 'engine start timed out');
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** `now`: unix seconds, the clock a URL's exp is judged by (the module has none of its own). */
  plan(eventJson: string, now: number): Promise<Planned> {
    return this.serial(async () => {
      const { instance } = await this.live();
      return this.planOn(instance, eventJson, now);
    });
  }

  private planOn(instance: Instance, eventJson: string, now: number): Planned {
    const event = instance.cString(eventJson);
    let reply: PlanReply;
    try {
      reply = JSON.parse(instance.takeString(instance.call((mod) => mod._vips_edge_plan(event, now)))) as PlanReply;
    } finally {
      instance.free(event);
    }
    if (reply.action !== 'fetch') return reply;
    return { ...reply, job: new Job(instance, reply.job, eventJson, now) };
  }

  /**
   * The transform, on a pthread of the instance; the body is copied into
   * wasm memory. Encode/Decode replies are answered with the codec module
   * and resumed until the reply is final, all within `timeoutMs`.
   */
  finish(job: Job, outcome: FetchOutcome, body: Body, timeoutMs: number): Promise<Finished> {
    const deadline = Date.now() + timeoutMs;
    return this.serial(async () => {
      const { instance } = await this.live();
      let handle = job.handle;
      if (job.instance !== instance) {
        if (job.eventJson === null) throw new EngineFailure('the instance that asked for this fetch (a fallback image, or the source after a watermark) is gone');
        const again = this.planOn(instance, job.eventJson, job.now);
        if (again.action !== 'fetch') return { reply: again, heapBytes: 0, retired: false };
        handle = again.job.handle;
      }
      const ptrs: number[] = [];
      let reply: FinishReply;
      let codecMs: number | undefined;
      try {
        ptrs.push(instance.cString(JSON.stringify(outcome)));
        ptrs.push(instance.bytes(body.chunks, body.length));
        const [outcomePtr, bytesPtr] = ptrs as [number, number];
        // The inputs stay allocated until the transform thread reports back.
        const result = await instance.callAsync(
          (mod, token) => mod._vips_edge_finish_async(token, handle, outcomePtr, bytesPtr, body.length),
          timeoutMs,
        );
        reply = finishReply(instance.takeResult(result));
      } finally {
        for (const p of ptrs) instance.free(p);
      }
      while (reply.action === 'encode' || reply.action === 'decode') {
        const t0 = Date.now();
        reply = await this.resume(instance, reply, body, deadline);
        codecMs = (codecMs ?? 0) + Date.now() - t0;
      }
      const heapBytes = instance.call((mod) => mod._vips_edge_heap_top());
      // Not while a fallback's job waits in this instance: the next finish retires it.
      const retired = heapBytes >= RETIRE_HEAP_BYTES && reply.action !== 'fetch';
      if (retired) {
        this.stats.retired++;
        instance.kill('retired: its heap grew past RETIRE_HEAP_BYTES');
        this.collectBeforeNextCall = instance.exited;
      }
      const final: FinalReply = reply.action === 'fetch' ? { ...reply, job: new Job(instance, reply.job, null, job.now) } : reply;
      return { reply: final, heapBytes, retired, ...(codecMs !== undefined && { codecMs }) };
    });
  }

  /** One codec request answered, then the core resumed with the outcome. */
  private async resume(instance: Instance, request: EncodeReply | DecodeReply, body: Body, deadline: number): Promise<FinishReply> {
    const done =
      request.action === 'encode'
        ? await this.codec.encode(instance.view(request.pixels, request.width * request.height * request.channels), request)
        : await this.codec.decode(body, request.maxPixels);
    const ptrs: number[] = [];
    try {
      ptrs.push(instance.cString(JSON.stringify(done.outcome)));
      ptrs.push(instance.bytes([done.bytes], done.bytes.length));
      this.codec.release();
      const [outcomePtr, bytesPtr] = ptrs as [number, number];
      const result = await instance.callAsync(
        (mod, token) => mod._vips_edge_resume_async(token, request.job, outcomePtr, bytesPtr, done.bytes.length),
        Math.max(1000, deadline - Date.now()),
      );
      return finishReply(instance.takeResult(result));
    } finally {
      for (const p of ptrs) instance.free(p);
    }
  }

  /** Forgets a job whose finish() will not be called. */
  drop(job: Job): void {
    if (job.instance.dead === null) job.instance.call((mod) => mod._vips_edge_drop_job(job.handle));
  }

  /**
   * Runs `fn` on the live instance, in turn with every other call: for the
   * test build's fault hooks (test-hooks.ts).
   */
  withInstance<T>(fn: (instance: Instance) => Promise<T>): Promise<T> {
    return this.serial(async () => fn((await this.live()).instance));
  }

  /** Ends the current instance (tests, emulator shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const started = await this.current.catch(() => null);
    started?.instance.kill('closed');
  }
}

/**
 * A FinishReply with its response whole: an image's bytes come beside the
 * JSON (bodyBytes of them, src/handler/messages.hpp Respond), base64'd once by
 * takeResult, and go into response.body (bodyEncoding is already base64).
 */
function finishReply({ text, body }: TakenResult): FinishReply {
  const reply = JSON.parse(text) as FinishReply;
  if (reply.action !== 'respond' || reply.bodyBytes === undefined) return reply;
  // base64 of n bytes is 4 * ceil(n / 3) characters.
  if (body === undefined || body.length !== 4 * Math.ceil(reply.bodyBytes / 3)) {
    throw new EngineFailure(`the engine announced ${reply.bodyBytes} body bytes and handed ${body === undefined ? 'none' : 'others'}`);
  }
  reply.response.body = body;
  delete reply.bodyBytes;
  return reply;
}

/**
 * Full GCs, on request. Lambda takes no Node flags, so --expose-gc is set at
 * run time and the function taken from a fresh context (once). Each after a
 * turn of the event loop (what the caller still held is gone), twice: the
 * first only runs the weak callbacks of the dead Workers' handles, which
 * still reach the memory (measured: 220 MiB after one, 95 after both).
 */
let gc: (() => void) | null = null;
async function collectGarbage(): Promise<void> {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

/** `p`, or a rejection after `ms`; the timer keeps Node alive meanwhile. */
function withTimer<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineFailure(why)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
