// The origin-request trigger: plan -> passthrough | respond | fetch + finish.
// Every decision is the C++'s (via engine.ts); this file only does I/O,
// timing, containment of engine failures and the log line.
import type { CloudFrontRequestEvent, CloudFrontRequestResult, CloudFrontResultResponse, Context } from 'aws-lambda';
import { loadConfig } from './config';
import { Engine, EngineFailure, EngineInitError, VIPS_CONCURRENCY } from './engine';
import { internalErrorResponse } from './errors';
import { writeLog, type RequestLog } from './log';
import { fetchOrigin } from './origin';
import type { EngineResult } from './plan-types';

// Once per container, at module load (Lambda's init phase).
const config = loadConfig();
const engine = new Engine(config.json, VIPS_CONCURRENCY);

/** Time kept for finish() when the download decides how long it may take. */
const TRANSFORM_RESERVE_MS = 4000;
/** When no Lambda context tells the time left (local calls). */
const DEFAULT_BUDGET_MS = 30_000;

/** Time an engine call may take: what is left before the deadline, less a
 * margin to answer in, never under a second. */
function timeLeft(deadline: number): number {
  return Math.max(1000, deadline - Date.now() - 250);
}

function parseResult(json: string): EngineResult {
  return JSON.parse(json) as EngineResult;
}

/** A trap is honoured only in tests: CloudFront never sends this field, and
 * Lambda@Edge has no environment variables to turn it on. */
function testHook(event: CloudFrontRequestEvent): 'trap' | 'hang' | null {
  if (process.env.VIPS_EDGE_TEST_HOOKS !== '1') return null;
  const hook = (event as { vipsEdgeTestHook?: unknown }).vipsEdgeTestHook;
  return hook === 'trap' || hook === 'hang' ? hook : null;
}

function fail(log: RequestLog, outcome: string, message: string): CloudFrontResultResponse {
  Object.assign(log, { outcome, status: 500, code: 'internal_error', message });
  return internalErrorResponse(message, config.errorCacheControl);
}

/** passthrough -> the request; respond -> the response; anything else -> a 500. */
function toResult(result: EngineResult, log: RequestLog): CloudFrontRequestResult {
  if (result.action !== 'fetch' && result.action !== undefined) Object.assign(log, result.log);
  if (result.action === 'passthrough') {
    log.outcome ??= 'passthrough';
    return result.request;
  }
  if (result.action === 'respond') {
    log.status = Number(result.response.status);
    return result.response;
  }
  return fail(log, 'internal_error', 'error' in result ? result.error : 'engine returned an unexpected action');
}

async function handle(event: CloudFrontRequestEvent, context: Context | undefined, log: RequestLog): Promise<CloudFrontRequestResult> {
  const start = Date.now();
  const budget = context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS;
  const deadline = start + budget;

  const initError = config.readError ?? (await engine.initError());
  if (initError !== null) return fail(log, 'init_error', `engine initialisation failed: ${initError}`);

  const hook = testHook(event);
  if (hook === 'trap') await engine.forceTrap();
  if (hook === 'hang') await engine.forceHang(timeLeft(deadline));

  const eventJson = JSON.stringify(event);
  const planned = parseResult(await engine.plan(eventJson, timeLeft(deadline)));
  if (planned.action !== 'fetch') return toResult(planned, log);
  Object.assign(log, planned.log);

  const t0 = Date.now();
  const fetchDeadline = Math.max(t0 + 1000, deadline - TRANSFORM_RESERVE_MS);
  const fetched = await fetchOrigin(planned.origin, { deadline: fetchDeadline });
  log.fetchMs = Date.now() - t0;
  log.bytesIn = fetched.body.length;
  if ('status' in fetched.outcome) log.originStatus = fetched.outcome.status;
  else log.originError = fetched.outcome.error;

  const t1 = Date.now();
  const finished = parseResult(
    await engine.finish(eventJson, fetched.outcome, fetched.body, timeLeft(deadline)),
  );
  log.transformMs = Date.now() - t1;
  return toResult(finished, log);
}

export async function handler(event: CloudFrontRequestEvent, context?: Context): Promise<CloudFrontRequestResult> {
  const start = Date.now();
  const cf = event?.Records?.[0]?.cf;
  const log: RequestLog = { requestId: cf?.config?.requestId, uri: cf?.request?.uri };
  let result: CloudFrontRequestResult;
  try {
    result = await handle(event, context, log);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof EngineInitError) result = fail(log, 'init_error', `engine initialisation failed: ${message}`);
    else if (e instanceof EngineFailure) result = fail(log, 'engine_failure', `image engine failed: ${message}`);
    else result = fail(log, 'internal_error', `trigger failed: ${message}`);
  }
  log.totalMs = Date.now() - start;
  writeLog(log);
  return result;
}
