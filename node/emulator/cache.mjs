// The edge cache: keyed like the template's cache policy (path + the canonical
// query the viewer-request function forwards + x-vips-edge-accept when it set
// one, i.e. for format=auto, + x-vips-edge-hints likewise, for w/dpr/q=auto), TTL from the response's
// Cache-Control within the policy's MinTTL 0 / DefaultTTL 86400 / MaxTTL 1 year.

export const MIN_TTL = 0;
export const DEFAULT_TTL = 86400;
export const MAX_TTL = 31536000;
/** CloudFront's "error caching minimum TTL" default. */
export const ERROR_TTL = 10;
/** Error statuses CloudFront caches (others, e.g. 413/415/422, are never cached). */
export const CACHED_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
const CACHED_SUCCESS = new Set([200, 203, 300, 301, 410]);

export function cacheKey(uri, forwardedQuery, accept, hints) {
  return `${uri}?${forwardedQuery}\n${accept ?? ''}${hints === undefined ? '' : `\n${hints}`}`;
}

function directives(cacheControl) {
  const out = new Map();
  for (const part of (cacheControl ?? '').split(',')) {
    const [k, v] = part.trim().split('=');
    if (k) out.set(k.toLowerCase(), v?.replace(/^"|"$/g, ''));
  }
  return out;
}

/** Seconds this response may be served from the cache (0 = do not store). */
export function ttlSeconds(status, headers) {
  const get = (name) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
  const cc = directives(get('cache-control'));
  const isError = status >= 400;
  if (isError ? !CACHED_ERRORS.has(status) : !CACHED_SUCCESS.has(status)) return 0;
  if (cc.has('no-store') || cc.has('no-cache') || cc.has('private')) return Math.max(0, MIN_TTL);
  let ttl;
  const age = cc.get('s-maxage') ?? cc.get('max-age');
  if (age !== undefined && /^\d+$/.test(age)) ttl = Number(age);
  else if (get('expires') && !Number.isNaN(Date.parse(get('expires')))) ttl = Math.max(0, Math.round((Date.parse(get('expires')) - Date.now()) / 1000));
  if (isError) return ttl ?? ERROR_TTL;
  return Math.min(MAX_TTL, Math.max(MIN_TTL, ttl ?? DEFAULT_TTL));
}

export class EdgeCache {
  constructor({ maxBytes = 256 * 1024 * 1024 } = {}) {
    this.maxBytes = maxBytes;
    this.bytes = 0;
    this.map = new Map();
  }

  get(key, now = Date.now()) {
    const e = this.map.get(key);
    if (!e) return null;
    if (now >= e.expires) {
      this.delete(key);
      return null;
    }
    this.map.delete(key); // LRU: move to the end
    this.map.set(key, e);
    return e;
  }

  /** Stores when the TTL is positive; returns the TTL used. */
  put(key, { status, statusText, headers, body }, now = Date.now()) {
    const ttl = ttlSeconds(status, headers);
    if (ttl <= 0 || body.length > this.maxBytes) return 0;
    this.delete(key);
    this.map.set(key, { status, statusText, headers, body, stored: now, expires: now + ttl * 1000 });
    this.bytes += body.length;
    for (const [k] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
    return ttl;
  }

  delete(key) {
    const e = this.map.get(key);
    if (e) {
      this.bytes -= e.body.length;
      this.map.delete(key);
    }
  }

  clear() {
    this.map.clear();
    this.bytes = 0;
  }
}
