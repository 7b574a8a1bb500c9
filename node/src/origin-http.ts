// Custom origins over http/https: keep-alive, no redirects (a 3xx is reported
// as that status; the C++ maps it), CloudFront's readTimeout as an idle
// timeout (-> "timeout"), the body capped at maxBytes (-> "too_large", as
// early as Content-Length or the streamed bytes tell), connection errors
// -> "unreachable".
import * as http from 'node:http';
import * as https from 'node:https';
import { readCapped } from './body-reader';
import type { FetchError, HttpOrigin } from './engine-messages';
import { EMPTY_BODY, type FetchLimits, type FetchResult } from './origin-types';

// Idle keep-alive sockets are unref'd by Node's Agent: they never keep a
// frozen or finished process alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

function fail(error: FetchError, message: string): FetchResult {
  return { outcome: { error, message }, body: EMPTY_BODY };
}

/** Lower-case names, repeated headers joined (set-cookie is never useful here). */
function responseHeaders(res: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || name === 'set-cookie') continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function fetchHttp(origin: HttpOrigin, limits: FetchLimits): Promise<FetchResult> {
  const first = await attempt(origin, limits);
  // A keep-alive socket the origin closed while idle: retry a GET once.
  if ('retry' in first) return (await attempt(origin, limits, true)) as FetchResult;
  return first;
}

function attempt(origin: HttpOrigin, limits: FetchLimits, fresh = false): Promise<FetchResult | { retry: true }> {
  let url: URL;
  try {
    url = new URL(origin.url);
  } catch {
    return Promise.resolve(fail('unreachable', `invalid origin URL ${origin.url}`));
  }
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.resolve(fail('unreachable', `unsupported protocol ${url.protocol}`));
  const mod = url.protocol === 'https:' ? https : http;
  const idleMs = Math.max(1, origin.timeoutMs);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: FetchResult | { retry: true }) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      resolve(r);
    };
    const req = mod.request(url, {
      method: 'GET',
      agent: fresh ? false : agent,
      headers: { 'user-agent': 'vips-edge', accept: 'image/*,*/*;q=0.8', ...origin.headers },
    });
    const deadlineTimer = setTimeout(() => {
      req.destroy();
      settle(fail('timeout', 'origin did not answer in the time left'));
    }, Math.max(0, limits.deadline - Date.now()));
    // Idle timeout until the response headers (the body reader has its own).
    req.setTimeout(idleMs, () => {
      req.destroy();
      settle(fail('timeout', `no response within ${idleMs} ms`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!fresh && req.reusedSocket && e.code === 'ECONNRESET') return settle({ retry: true });
      settle(fail('unreachable', `${e.code ?? e.name}: ${e.message}`));
    });
    req.on('response', (res) => {
      req.setTimeout(0);
      const status = res.statusCode ?? 0;
      const headers = responseHeaders(res);
      if (status < 200 || status > 299) {
        // The C++ maps the status; the body is not needed.
        res.resume();
        return settle({ outcome: { status, headers }, body: EMPTY_BODY });
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > origin.maxBytes) {
        res.destroy();
        return settle(fail('too_large', `content-length ${declared} exceeds ${origin.maxBytes}`));
      }
      readCapped(res, origin.maxBytes, idleMs, limits.deadline).then((r) => {
        if (r.ok) settle({ outcome: { status, headers }, body: r.body });
        else {
          req.destroy();
          settle(fail(r.error, r.message));
        }
      });
    });
    req.end();
  });
}
