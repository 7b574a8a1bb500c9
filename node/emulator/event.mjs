// Builds the Lambda@Edge origin-request event exactly as CloudFront would for the
// distribution in deploy/template.yaml: the viewer-request CloudFront Function
// (deploy/viewer-request.js, required as-is) rewrites the query into its
// canonical form and sets x-vips-edge-accept for format=auto and x-vips-edge-hints
// for w/dpr/q=auto, the cache policy forwards every query string (already
// canonical) and those two headers, and
// CloudFront adds Host/Via/X-Forwarded-For/User-Agent on the way to the origin.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

import { configLadder } from '../../deploy/scripts/ladder.mjs';

const require = createRequire(import.meta.url);
/** The production CloudFront Function: { handler, acceptsWebp, canonicalQuery, parseQuery }. */
export const viewerRequest = require('../../deploy/viewer-request.js');

/**
 * The Function rounds client hints to this distribution's config ladder
 * (clientHints; its own LADDER is the C++ defaults): make deploy deploys the
 * Function with the package's ladder (deploy/scripts/ladder.mjs), and the
 * emulator runs it the same way. One ladder per process: the last config loaded.
 */
export function useConfigLadder(config) {
  Object.assign(viewerRequest.LADDER, configLadder(config));
}


/** HeadersConfig.Headers of the cache policy. */
export const CACHE_HEADER = 'x-vips-edge-accept';
export const HINTS_HEADER = 'x-vips-edge-hints';

export const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';
export const DISTRIBUTION_ID = 'EDFDVBD6EXAMPLE';

/** Split "/path?query" as received on the wire (no decoding). */
export function splitTarget(target) {
  const q = target.indexOf('?');
  return q < 0 ? { uri: target, query: '' } : { uri: target.slice(0, q), query: target.slice(q + 1) };
}

/**
 * The viewer-request stage: the production CloudFront Function on the viewer's query
 * (presented as CloudFront does: one field per name as sent, repeats in multiValue)
 * and headers (`rawHeaders` is node's IncomingMessage.rawHeaders; several Accept lines
 * become multiValue); the cache policy forwards its query whole.
 * Returns { query, accept, hints? }: the forwarded query string, the x-vips-edge-accept
 * value ("avif" | "webp" | "other") or undefined when the function set none, and the
 * x-vips-edge-hints value when it set one (w, dpr or q is auto).
 */
export function viewerStage(rawQuery, rawHeaders) {
  const cfHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (!cfHeaders[name]) cfHeaders[name] = { value, multiValue: [{ value }] };
    else cfHeaders[name].multiValue.push({ value });
  }
  const request = viewerRequest.handler({
    version: '1.0',
    context: { eventType: 'viewer-request', distributionDomainName: DISTRIBUTION_DOMAIN, distributionId: DISTRIBUTION_ID },
    viewer: { ip: '127.0.0.1' },
    request: { method: 'GET', uri: '/', querystring: viewerRequest.parseQuery(rawQuery), headers: cfHeaders, cookies: {} },
  });
  const qs = request.querystring;
  const query = typeof qs === 'string' ? qs : Object.entries(qs ?? {}).map(([k, v]) => `${k}=${v.value}`).join('&');
  // The cache policy keys on (and forwards) every query string: the function's output as is.
  const hints = request.headers[HINTS_HEADER]?.value;
  return { query, accept: request.headers[CACHE_HEADER]?.value, ...(hints === undefined ? {} : { hints }) };
}

/** A CloudFront-style request id (base64, 56 chars). */
export function requestId() {
  return randomBytes(42).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function viaValue(id = randomBytes(16).toString('hex')) {
  return `2.0 ${id}.cloudfront.net (CloudFront)`;
}

const hdr = (key, value) => [{ key, value }];

/**
 * @param {object} o
 * @param {string} o.method      viewer method (GET/HEAD)
 * @param {string} o.uri         path as received, without the query
 * @param {string} o.query       forwarded query string (viewerStage, no '?')
 * @param {string} [o.accept]    x-vips-edge-accept value, when the function set one
 * @param {string} [o.hints]     x-vips-edge-hints value, when the function set one
 * @param {string} o.clientIp
 * @param {object} o.origin      { custom: {...} } or { s3: {...} }
 */
export function buildOriginRequestEvent({ method, uri, query, accept, hints, clientIp, origin, reqId = requestId(), via = viaValue() }) {
  const host = origin.custom ? origin.custom.domainName : origin.s3.domainName;
  return {
    Records: [{
      cf: {
        config: {
          distributionDomainName: DISTRIBUTION_DOMAIN,
          distributionId: DISTRIBUTION_ID,
          eventType: 'origin-request',
          requestId: reqId,
        },
        request: {
          clientIp,
          headers: {
            'x-forwarded-for': hdr('X-Forwarded-For', clientIp),
            'user-agent': hdr('User-Agent', 'Amazon CloudFront'),
            via: hdr('Via', via),
            ...(accept === undefined ? {} : { [CACHE_HEADER]: hdr('X-Vips-Edge-Accept', accept) }),
            ...(hints === undefined ? {} : { [HINTS_HEADER]: hdr('X-Vips-Edge-Hints', hints) }),
            host: hdr('Host', host),
          },
          method,
          origin: structuredClone(origin),
          querystring: query,
          uri,
        },
      },
    }],
  };
}

/** origin.custom for a local HTTP origin, as the template configures it. */
export function customOrigin({ domainName = '127.0.0.1', port, protocol = 'http', path = '', readTimeout = 30 }) {
  return {
    custom: {
      customHeaders: {},
      domainName,
      keepaliveTimeout: 5,
      path,
      port,
      protocol,
      readTimeout,
      sslProtocols: ['TLSv1.2'],
    },
  };
}

/** origin.s3 for the local bucket. */
export function s3Origin(bucket) {
  return {
    s3: {
      authMethod: 'none',
      customHeaders: {},
      domainName: `${bucket}.s3.amazonaws.com`,
      path: '',
      region: 'us-east-1',
    },
  };
}
