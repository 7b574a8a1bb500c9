// What CloudFront checks on a Lambda@Edge origin-request result before using
// it. A violation is answered to the viewer with a 502 (LambdaValidationError),
// which the emulator reproduces with a readable message.

export const MAX_GENERATED_RESPONSE_BYTES = 1_048_576; // origin triggers: headers + body
export const MAX_URI_AND_QUERY = 8192;

/** Adding/setting these in any Lambda@Edge result -> 502. */
const DISALLOWED = new Set([
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization',
  'proxy-connection', 'trailer', 'upgrade', 'x-cache', 'x-forwarded-proto', 'x-real-ip',
]);
const DISALLOWED_PREFIXES = ['x-accel-', 'x-amz-cf-', 'x-amzn-', 'x-edge-'];

/** Read-only for origin-request events (a generated response may not set them). */
const READ_ONLY_ORIGIN_REQUEST = new Set([
  'accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range',
  'if-unmodified-since', 'transfer-encoding', 'via',
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isDisallowedHeader(name) {
  const n = name.toLowerCase();
  return DISALLOWED.has(n) || DISALLOWED_PREFIXES.some((p) => n.startsWith(p));
}

export function isGeneratedResponse(result) {
  return result !== null && typeof result === 'object' && 'status' in result && !('uri' in result);
}

function checkHeaderMap(headers, where, problems, { readOnly = null, original = null } = {}) {
  if (headers === undefined) return 0;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    problems.push(`${where}: headers must be an object of lower-case name -> [{key, value}]`);
    return 0;
  }
  let bytes = 0;
  for (const [name, list] of Object.entries(headers)) {
    if (name !== name.toLowerCase()) problems.push(`${where}: header map key "${name}" is not lower case`);
    if (!TOKEN.test(name)) problems.push(`${where}: "${name}" is not a valid header name`);
    if (!Array.isArray(list)) {
      problems.push(`${where}: headers["${name}"] must be an array of {key, value}`);
      continue;
    }
    const lower = name.toLowerCase();
    const changed = original ? JSON.stringify(original[name]) !== JSON.stringify(list) : true;
    if (changed && isDisallowedHeader(lower)) problems.push(`${where}: header "${name}" is disallowed for Lambda@Edge`);
    if (changed && readOnly && readOnly.has(lower)) problems.push(`${where}: header "${name}" is read-only in origin-request events`);
    for (const [i, h] of list.entries()) {
      if (h === null || typeof h !== 'object') {
        problems.push(`${where}: headers["${name}"][${i}] must be an object {key, value}`);
        continue;
      }
      if (typeof h.value !== 'string') problems.push(`${where}: headers["${name}"][${i}].value must be a string`);
      else if (/[\r\n\0]/.test(h.value)) problems.push(`${where}: headers["${name}"][${i}].value contains CR, LF or NUL`);
      if (h.key !== undefined && (typeof h.key !== 'string' || h.key.toLowerCase() !== lower)) {
        problems.push(`${where}: headers["${name}"][${i}].key "${h.key}" does not match the map key`);
      }
      const key = typeof h.key === 'string' ? h.key : name;
      bytes += Buffer.byteLength(`${key}: ${typeof h.value === 'string' ? h.value : ''}\r\n`);
    }
  }
  return bytes;
}

/**
 * Validate a generated response. Returns { ok, problems, body (Buffer), headers
 * ([[key, value]]), status, statusDescription, size }.
 */
export function validateGeneratedResponse(res) {
  const problems = [];
  const allowed = new Set(['status', 'statusDescription', 'headers', 'body', 'bodyEncoding']);
  for (const k of Object.keys(res)) if (!allowed.has(k)) problems.push(`response: unexpected field "${k}"`);
  let status = NaN;
  if (typeof res.status !== 'string') problems.push(`response: status must be a string (got ${typeof res.status} ${JSON.stringify(res.status)})`);
  else if (!/^[0-9]{3}$/.test(res.status) || +res.status < 200 || +res.status > 599) problems.push(`response: status "${res.status}" is not 200-599`);
  else status = +res.status;
  if (res.statusDescription !== undefined && (typeof res.statusDescription !== 'string' || /[\r\n]/.test(res.statusDescription))) {
    problems.push('response: statusDescription must be a single-line string');
  }
  const headerBytes = checkHeaderMap(res.headers, 'response', problems, { readOnly: READ_ONLY_ORIGIN_REQUEST });
  let body = Buffer.alloc(0);
  let bodyChars = 0;
  const enc = res.bodyEncoding ?? 'text';
  if (enc !== 'text' && enc !== 'base64') problems.push(`response: bodyEncoding must be "text" or "base64" (got ${JSON.stringify(enc)})`);
  if (res.body !== undefined && res.body !== null) {
    if (typeof res.body !== 'string') problems.push('response: body must be a string');
    else {
      bodyChars = Buffer.byteLength(res.body);
      if (enc === 'base64') {
        if (!BASE64.test(res.body)) problems.push('response: body is not valid base64 (bodyEncoding "base64")');
        else body = Buffer.from(res.body, 'base64');
      } else body = Buffer.from(res.body, 'utf8');
    }
  }
  const size = headerBytes + bodyChars;
  if (size > MAX_GENERATED_RESPONSE_BYTES) {
    problems.push(`response: body (${bodyChars} bytes as sent) + headers (${headerBytes} bytes) = ${size} bytes exceeds the ${MAX_GENERATED_RESPONSE_BYTES}-byte limit for generated responses`);
  }
  const headers = [];
  if (res.headers && typeof res.headers === 'object') {
    for (const [name, list] of Object.entries(res.headers)) {
      if (!Array.isArray(list)) continue;
      for (const h of list) if (h && typeof h.value === 'string') headers.push([typeof h.key === 'string' ? h.key : name, h.value]);
    }
  }
  return { ok: problems.length === 0, problems, status, statusDescription: res.statusDescription, headers, body, size };
}

/**
 * Validate a request returned by the function (passthrough, possibly modified).
 * `original` is the request that was in the event.
 */
export function validateReturnedRequest(req, original) {
  const problems = [];
  if (typeof req.uri !== 'string' || !req.uri.startsWith('/')) problems.push('request: uri must be a string starting with "/"');
  if (req.querystring !== undefined && typeof req.querystring !== 'string') problems.push('request: querystring must be a string');
  if (typeof req.uri === 'string' && (req.uri.length + (req.querystring ?? '').length) >= MAX_URI_AND_QUERY) {
    problems.push(`request: uri + querystring must stay under ${MAX_URI_AND_QUERY} characters`);
  }
  if (req.method !== original.method) problems.push('request: method is read-only');
  if (req.clientIp !== original.clientIp) problems.push('request: clientIp is read-only');
  checkHeaderMap(req.headers, 'request', problems, { readOnly: READ_ONLY_ORIGIN_REQUEST, original: original.headers });
  const o = req.origin;
  if (!o || typeof o !== 'object' || (!!o.custom === !!o.s3)) problems.push('request: origin must hold exactly one of custom or s3');
  return { ok: problems.length === 0, problems };
}
