// Reads a response body stream into its chunks, aborting as soon as it
// would exceed maxBytes or stalls longer than idleMs.
import type { Readable } from 'node:stream';
import type { FetchError } from './engine-messages';
import type { Body } from './origin-types';

export type BodyReadResult =
  | { ok: true; body: Body }
  | { ok: false; error: FetchError; message: string };

export function readCapped(stream: Readable, maxBytes: number, idleMs: number, deadline: number): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const total_timer = setTimeout(() => finish({ ok: false, error: 'timeout', message: 'download exceeded the time left' }), Math.max(0, deadline - Date.now()));
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish({ ok: false, error: 'timeout', message: `no data for ${idleMs} ms` }), idleMs);
    };
    const finish = (r: BodyReadResult) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      clearTimeout(total_timer);
      stream.off('data', onData);
      if (!r.ok) stream.destroy();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        finish({ ok: false, error: 'too_large', message: `body exceeds ${maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
      arm();
    };
    stream.on('data', onData);
    stream.once('end', () => finish({ ok: true, body: { chunks, length: total } }));
    stream.once('error', (e: Error) => finish({ ok: false, error: 'unreachable', message: e.message }));
    stream.once('aborted', () => finish({ ok: false, error: 'unreachable', message: 'connection closed mid-body' }));
    arm();
  });
}
