// S3 origins: GetObject with the function's role (bucket/key/region from the
// plan; an S3-compatible endpoint with path-style addressing when config.json
// sets s3Endpoint). Same caps and timeouts as custom origins. Status codes
// come from $metadata (NoSuchKey -> 404, AccessDenied -> 403; the C++ maps a
// 403 from S3 to not_found).
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { readCapped } from './body-reader';
import type { S3Origin } from './engine-messages';
import { EMPTY_BODY, type FetchLimits, type FetchResult } from './origin-types';

const clients = new Map<string, S3Client>();

function client(origin: S3Origin): S3Client {
  const id = `${origin.region}|${origin.endpoint ?? ''}|${origin.timeoutMs}`;
  let c = clients.get(id);
  if (!c) {
    c = new S3Client({
      region: origin.region,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: Math.min(origin.timeoutMs, 5000), requestTimeout: origin.timeoutMs },
      ...(origin.endpoint ? { endpoint: origin.endpoint, forcePathStyle: true } : {}),
    });
    clients.set(id, c);
  }
  return c;
}

function headersOf(out: {
  ContentType?: string;
  CacheControl?: string;
  ETag?: string;
  LastModified?: Date;
  ContentLength?: number;
}): Record<string, string> {
  const h: Record<string, string> = {};
  if (out.ContentType) h['content-type'] = out.ContentType;
  if (out.CacheControl) h['cache-control'] = out.CacheControl;
  if (out.ETag) h['etag'] = out.ETag;
  if (out.LastModified) h['last-modified'] = out.LastModified.toUTCString();
  if (out.ContentLength !== undefined) h['content-length'] = String(out.ContentLength);
  return h;
}

function statusOfError(e: unknown): number | undefined {
  const meta = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  if (meta?.httpStatusCode) return meta.httpStatusCode;
  const name = (e as { name?: string } | null)?.name;
  if (name === 'NoSuchKey' || name === 'NotFound') return 404;
  if (name === 'AccessDenied') return 403;
  return undefined;
}

export async function fetchS3(origin: S3Origin, limits: FetchLimits): Promise<FetchResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, limits.deadline - Date.now()));
  try {
    const out = await client(origin).send(new GetObjectCommand({ Bucket: origin.bucket, Key: origin.key }), {
      abortSignal: abort.signal,
    });
    const headers = headersOf(out);
    const stream = out.Body as Readable | undefined;
    if (out.ContentLength !== undefined && out.ContentLength > origin.maxBytes) {
      stream?.destroy();
      return { outcome: { error: 'too_large', message: `ContentLength ${out.ContentLength} exceeds ${origin.maxBytes}` }, body: EMPTY_BODY };
    }
    if (!stream) return { outcome: { status: 200, headers }, body: EMPTY_BODY };
    const r = await readCapped(stream, origin.maxBytes, origin.timeoutMs, limits.deadline);
    if (!r.ok) return { outcome: { error: r.error, message: r.message }, body: EMPTY_BODY };
    return { outcome: { status: out.$metadata.httpStatusCode ?? 200, headers }, body: r.body };
  } catch (e) {
    const status = statusOfError(e);
    const name = (e as { name?: string } | null)?.name ?? 'Error';
    const message = e instanceof Error ? `${name}: ${e.message}` : String(e);
    if (status !== undefined && e instanceof S3ServiceException) return { outcome: { status, headers: {} }, body: EMPTY_BODY };
    if (status !== undefined && (name === 'NoSuchKey' || name === 'AccessDenied')) return { outcome: { status, headers: {} }, body: EMPTY_BODY };
    if (abort.signal.aborted || name === 'TimeoutError' || name === 'RequestTimeout' || /ETIMEDOUT|timed? ?out/i.test(message))
      return { outcome: { error: 'timeout', message }, body: EMPTY_BODY };
    if (status !== undefined) return { outcome: { status, headers: {} }, body: EMPTY_BODY };
    return { outcome: { error: 'unreachable', message }, body: EMPTY_BODY };
  } finally {
    clearTimeout(timer);
  }
}
