// The JSON the C++ returns from plan()/finish() (src/handler/handler.hpp).
import type { CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda';

/** Fields of the one structured log line, as far as the C++ knows them. */
export interface PlanLog {
  uri?: string;
  spec?: string;
  outcome?: string;
  status?: number;
  code?: string;
  message?: string;
  bytesIn?: number;
  bytesOut?: number;
  width?: number;
  height?: number;
  format?: string;
  quality?: number;
  encodes?: number;
}

interface OriginCommon {
  timeoutMs: number;
  maxBytes: number;
}
export interface HttpOrigin extends OriginCommon {
  kind: 'http';
  url: string;
  headers: Record<string, string>;
}
export interface S3Origin extends OriginCommon {
  kind: 's3';
  bucket: string;
  key: string;
  region: string;
  endpoint?: string;
}
export type OriginPlan = HttpOrigin | S3Origin;

export type EngineResult =
  | { action: 'passthrough'; request: CloudFrontRequest; log?: PlanLog }
  | { action: 'respond'; response: CloudFrontResultResponse; log?: PlanLog }
  | { action: 'fetch'; origin: OriginPlan; log?: PlanLog }
  /** An exception caught at the C ABI (exports.cpp). */
  | { action?: undefined; error: string };

/** What finish() is told about the fetch (handler.hpp). */
export type FetchOutcome =
  | { status: number; headers: Record<string, string> }
  | { error: 'timeout' | 'unreachable' | 'too_large'; message: string };

export interface FetchResult {
  outcome: FetchOutcome;
  body: Uint8Array;
}

export interface FetchLimits {
  /** Absolute time (Date.now()) by which the download must be complete. */
  deadline: number;
}
