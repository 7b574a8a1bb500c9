// The one structured log line per request (CloudWatch, in the edge region).
import type { PlanLog } from './plan-types';

export interface RequestLog extends PlanLog {
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
