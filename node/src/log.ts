// The one structured log line per request (CloudWatch, in the edge region).
import type { EngineLog } from './engine-messages';

export interface RequestLog extends EngineLog {
  requestId?: string;
  fetchMs?: number;
  transformMs?: number;
  totalMs?: number;
  originStatus?: number;
  originError?: string;
  /** The engine's heap high-water mark after the transform. */
  heapBytes?: number;
  /** That mark passed engine.ts's RETIRE_HEAP_BYTES: the next request gets a fresh instance. */
  engineRetired?: boolean;
  /** Time in the AVIF codec module (node/src/codec.ts), when the request needed it. */
  codecMs?: number;
}

export function writeLog(line: RequestLog): void {
  console.log(JSON.stringify({ msg: 'vips-edge', ...line }));
}
