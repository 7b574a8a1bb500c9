// The one structured log line per request (CloudWatch, in the edge region).
import type { EngineLog } from './engine-messages';

export interface RequestLog extends EngineLog {
  requestId?: string;
  fetchMs?: number;
  transformMs?: number;
  totalMs?: number;
  originStatus?: number;
  originError?: string;
}

export function writeLog(line: RequestLog): void {
  console.log(JSON.stringify({ msg: 'vips-edge', ...line }));
}
