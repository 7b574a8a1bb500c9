// Test build only (handler.ts calls this under VIPS_EDGE_TEST_BUILD, which
// esbuild sets false for dist/package and drops the call and this file): an
// event field `vipsEdgeTestHook` makes the engine fail the way a broken
// transform would, through the test twin's fault exports
// (src/wasm/debug/debug_exports.cpp), so tests can prove the trigger answers
// with a 500 and the next request gets a fresh instance.
import type { CloudFrontRequestEvent } from 'aws-lambda';
import type { Engine } from './engine';

/** The debug exports these hooks call. */
interface DebugModule {
  _vips_edge_debug_trap(): void;
  _vips_edge_debug_fault_async(token: number, fault: number): void;
}

/** Fault numbers of vips_edge_debug_fault_async. */
const ASYNC_FAULTS = { 'transform-trap': 0, hang: 1, abort: 2, oom: 3 } as const;

export async function runTestHook(engine: Engine, event: CloudFrontRequestEvent, timeoutMs: number): Promise<void> {
  const hook = (event as { vipsEdgeTestHook?: unknown }).vipsEdgeTestHook;
  if (hook === 'trap') {
    // A trap on the thread that owns the module (the trigger's own).
    await engine.withInstance(async (instance) => instance.call((mod) => (mod as unknown as DebugModule)._vips_edge_debug_trap()));
  } else if (typeof hook === 'string' && hook in ASYNC_FAULTS) {
    const fault = ASYNC_FAULTS[hook as keyof typeof ASYNC_FAULTS];
    await engine.withInstance((instance) =>
      instance.callAsync((mod, token) => (mod as unknown as DebugModule)._vips_edge_debug_fault_async(token, fault), timeoutMs),
    );
  }
}
