// Messages between engine.ts (Lambda's main thread) and engine-worker.ts (the
// worker_threads Worker that owns the wasm instance). One call in flight at a
// time; every reply carries the id of its request.

export interface WorkerStart {
  /** Directory holding vips_edge.js / vips_edge.worker.js (the package dir). */
  dir: string;
  /** Compiled once per container by the main thread, re-used by every restart. */
  wasmModule: WebAssembly.Module;
  configJson: string;
  concurrency: number;
}

export type EngineRequest =
  | { id: number; op: 'plan'; eventJson: string }
  | { id: number; op: 'finish'; eventJson: string; outcomeJson: string; bytes: Uint8Array }
  | { id: number; op: 'trap' }
  /** Test hook: the engine thread stops answering (as a deadlocked vips call would). */
  | { id: number; op: 'hang' };

export type EngineReply =
  | { id: number; ok: true; json: string }
  /** fatal: the wasm instance trapped or aborted and must not be used again. */
  | { id: number; ok: false; fatal: boolean; message: string };

/** Posted once after instantiation + _vips_edge_init. */
export type EngineReady =
  | { ready: true; initError: null; instantiateMs: number; initMs: number }
  | { ready: true; initError: string; instantiateMs: number; initMs: number };
