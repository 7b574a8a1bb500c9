// The wasm engine, once per container: compiled and instantiated while the
// trigger loads (Lambda's init phase), on the trigger's own thread
// (engine-instance.ts: why that is safe, and what a failure does). Calls run
// one at a time; a failed instance is replaced by a fresh one from the same
// compiled module.
//
// Replies are the typed messages of src/handler/messages.hpp
// (engine-messages.ts is generated from them).
import * as fs from 'node:fs';
import type { FailedReply, FetchOutcome, FetchReply, FinishReply, PlanReply } from './engine-messages';
import { EngineFailure, Instance } from './engine-instance';
import type { Body } from './origin-types';
import { packageDir, packageFile } from './package-files';

export { EngineFailure } from './engine-instance';

/** vips threads per operation; 1 is fastest per request on a 1-vCPU Lambda. */
export const VIPS_CONCURRENCY = 1;
/** Longest instantiate + init before the start is declared failed. */
const START_TIMEOUT_MS = 15_000;

/** config.json was rejected by _vips_edge_init (or could not be read). */
export class EngineInitError extends Error {
  override name = 'EngineInitError';
}

/**
 * What plan() kept for finish(): a handle into the instance that planned it,
 * and the event, in case that instance is gone by the time the bytes are in
 * (another request's failure replaced it) and a fresh one must plan again.
 */
export class Job {
  constructor(
    readonly instance: Instance,
    readonly handle: number,
    readonly eventJson: string,
  ) {}
}

export type Planned = Exclude<PlanReply, FetchReply> | (Omit<FetchReply, 'job'> & { job: Job });

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
  private current: Promise<Started>;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly module: string;
  private readonly concurrency: number;
  readonly stats = { instancesStarted: 0, lastFailure: null as string | null };

  constructor(
    private readonly configJson: string,
    options: EngineOptions = {},
  ) {
    this.module = options.module ?? 'vips_edge';
    this.concurrency = options.concurrency ?? VIPS_CONCURRENCY;
    // Compiled once per container; every (re)start instantiates this Module.
    this.wasmModule = WebAssembly.compile(fs.readFileSync(packageFile(`${this.module}.wasm`)));
    this.current = this.start();
  }

  /** Instantiate + init (libvips, the transform thread); rejects with an EngineFailure. */
  private start(): Promise<Started> {
    this.stats.instancesStarted++;
    const started = (async (): Promise<Started> => {
      const instance = await withTimer(
        Instance.start({ dir: packageDir, name: this.module, wasmModule: this.wasmModule }, (dead) => this.onDeath(dead)),
        START_TIMEOUT_MS,
        'engine start timed out',
      );
      const config = instance.cString(this.configJson);
      try {
        const ptr = instance.call((mod) => mod._vips_edge_init(config, this.concurrency));
        const initError = ptr ? (JSON.parse(instance.takeString(ptr)) as FailedReply).error : null;
        return { instance, initError };
      } finally {
        instance.free(config);
      }
    })();
    return started.catch((e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      this.stats.lastFailure = why;
      throw new EngineFailure(`engine failed to start: ${why}`);
    });
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
  private serial<T>(run: () => Promise<T>): Promise<T> {
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

  plan(eventJson: string): Promise<Planned> {
    return this.serial(async () => {
      const { instance } = await this.live();
      return this.planOn(instance, eventJson);
    });
  }

  private planOn(instance: Instance, eventJson: string): Planned {
    const event = instance.cString(eventJson);
    let reply: PlanReply;
    try {
      reply = JSON.parse(instance.takeString(instance.call((mod) => mod._vips_edge_plan(event)))) as PlanReply;
    } finally {
      instance.free(event);
    }
    if (reply.action !== 'fetch') return reply;
    return { ...reply, job: new Job(instance, reply.job, eventJson) };
  }

  /** The transform, on a pthread of the instance; the body is copied into wasm memory. */
  finish(job: Job, outcome: FetchOutcome, body: Body, timeoutMs: number): Promise<FinishReply> {
    return this.serial(async () => {
      const { instance } = await this.live();
      let handle = job.handle;
      if (job.instance !== instance) {
        const again = this.planOn(instance, job.eventJson);
        if (again.action !== 'fetch') return again;
        handle = again.job.handle;
      }
      const ptrs: number[] = [];
      try {
        ptrs.push(instance.cString(JSON.stringify(outcome)));
        ptrs.push(instance.bytes(body.chunks, body.length));
        const [outcomePtr, bytesPtr] = ptrs as [number, number];
        // The inputs stay allocated until the transform thread reports back.
        const result = await instance.callAsync(
          (mod, token) => mod._vips_edge_finish_async(token, handle, outcomePtr, bytesPtr, body.length),
          timeoutMs,
        );
        return JSON.parse(instance.takeString(result)) as FinishReply;
      } finally {
        for (const p of ptrs) instance.free(p);
      }
    });
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

/** `p`, or a rejection after `ms`; the timer keeps Node alive meanwhile. */
function withTimer<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineFailure(why)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
