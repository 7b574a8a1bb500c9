// The origin-request trigger: plan -> passthrough | respond | fetch + finish.
// Every decision is the C++'s (via engine.ts); this file only does I/O,
// timing, containment of engine failures and the log line.
import type { CloudFrontRequestEvent, CloudFrontRequestResult, CloudFrontResultResponse, Context } from 'aws-lambda';
import { loadConfig } from './config';
import { Engine, EngineFailure, EngineInitError, type FinalReply, type Finished, type PlannedFetch } from './engine';
import { INTERNAL_ERROR, type FetchOutcome, type PlanReply } from './engine-messages';
import { internalErrorResponse } from './errors';
import { writeLog, type RequestLog } from './log';
import { fetchOrigin } from './origin';
import { runTestHook } from './test-hooks';

/** Set by node/scripts/package.mjs: true and 'vips_edge_debug' (the module's
 * test twin) only in the test build; esbuild drops the test branches. */
declare const VIPS_EDGE_TEST_BUILD: boolean;
declare const VIPS_EDGE_MODULE: string;

// Once per container, at module load (Lambda's init phase): the module is
// compiled and instantiated, libvips and the transform thread started.
const config = loadConfig();
const engine = new Engine(config.json, { module: VIPS_EDGE_MODULE });

/** Time kept for finish() when the download decides how long it may take. */
const TRANSFORM_RESERVE_MS = 4000;
/** When no Lambda context tells the time left (local calls). */
const DEFAULT_BUDGET_MS = 30_000;

/** Time an engine call may take: what is left before the deadline, less a
 * margin to answer in, never under a second. */
function timeLeft(deadline: number): number {
  return Math.max(1000, deadline - Date.now() - 250);
}

function fail(log: RequestLog, outcome: string, message: string): CloudFrontResultResponse {
  Object.assign(log, { outcome, status: INTERNAL_ERROR.status, code: INTERNAL_ERROR.code, message });
  return internalErrorResponse(message, config.errorCacheControl);
}

/** Fetches after the first: the source after a watermark's overlay, then a fallback image. */
const MAX_FOLLOWING_FETCHES = 2;

/** passthrough -> the request; respond -> the response; failed (or a fetch
 * beyond MAX_FOLLOWING_FETCHES, which the module never asks for) -> a 500. */
function toResult(reply: Exclude<PlanReply, { action: 'fetch' }> | FinalReply, log: RequestLog): CloudFrontRequestResult {
  switch (reply.action) {
    case 'passthrough':
      Object.assign(log, reply.log);
      return reply.request;
    case 'respond':
      Object.assign(log, reply.log);
      return reply.response;
    case 'failed':
      return fail(log, INTERNAL_ERROR.code, reply.error);
    case 'fetch':
      return fail(log, INTERNAL_ERROR.code, 'the module asked for one fetch too many');
  }
}

async function handle(event: CloudFrontRequestEvent, context: Context | undefined, log: RequestLog): Promise<CloudFrontRequestResult> {
  const start = Date.now();
  const budget = context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS;
  const deadline = start + budget;

  const initError = config.readError ?? (await engine.initError());
  if (initError !== null) return fail(log, 'init_error', `engine initialisation failed: ${initError}`);

  if (VIPS_EDGE_TEST_BUILD) await runTestHook(engine, event, timeLeft(deadline));

  const eventJson = JSON.stringify(event);
  const planned = await engine.plan(eventJson, Math.floor(Date.now() / 1000));
  if (planned.action !== 'fetch') return toResult(planned, log);
  Object.assign(log, planned.log);

  const fetchDeadline = Math.max(Date.now() + 1000, deadline - TRANSFORM_RESERVE_MS);
  let finished = await fetchAndFinish(planned, fetchDeadline, deadline, context, log);
  // The module answered with the next thing to fetch, fetched and finished
  // like the first: the source after a watermark's overlay
  // (src/handler/watermarks.hpp), the fallback image (src/handler/fallback.hpp).
  for (let more = 0; more < MAX_FOLLOWING_FETCHES && finished.reply.action === 'fetch'; more++)
    finished = await fetchAndFinish(finished.reply, fetchDeadline, deadline, context, log);
  return toResult(finished.reply, log);
}

/** Fetches what the module named, then finish() with the outcome and the bytes. */
async function fetchAndFinish(planned: PlannedFetch, fetchDeadline: number, deadline: number, context: Context | undefined, log: RequestLog): Promise<Finished> {
  const t0 = Date.now();
  let fetched;
  try {
    fetched = await fetchOrigin(planned.origin, { deadline: fetchDeadline });
  } catch (e) {
    engine.drop(planned.job);
    throw e;
  }
  log.fetchMs = (log.fetchMs ?? 0) + Date.now() - t0;
  log.bytesIn = fetched.body.length;
  if ('status' in fetched.outcome) log.originStatus = fetched.outcome.status;
  else log.originError = fetched.outcome.error;

  // The function's memory: the work budget refuses what would not fit it.
  const memoryLimitMb = Number(context?.memoryLimitInMB);
  let outcome: FetchOutcome = fetched.outcome;
  if ('status' in outcome && outcome.status !== undefined && memoryLimitMb > 0) outcome = { ...outcome, memoryLimitMb };
  const t1 = Date.now();
  const finished = await engine.finish(planned.job, outcome, fetched.body, timeLeft(deadline));
  log.transformMs = (log.transformMs ?? 0) + Date.now() - t1;
  log.heapBytes = finished.heapBytes;
  if (finished.retired) log.engineRetired = true;
  if (finished.codecMs !== undefined) log.codecMs = (log.codecMs ?? 0) + finished.codecMs;
  return finished;
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
    else result = fail(log, INTERNAL_ERROR.code, `trigger failed: ${message}`);
  }
  log.totalMs = Date.now() - start;
  writeLog(log);
  return result;
}
