// Fetches the source the plan names, from a custom (http/https) or S3 origin.
import { fetchHttp } from './origin-http';
import { fetchS3 } from './origin-s3';
import type { FetchLimits, FetchResult, OriginPlan } from './plan-types';

export function fetchOrigin(origin: OriginPlan, limits: FetchLimits): Promise<FetchResult> {
  return origin.kind === 's3' ? fetchS3(origin, limits) : fetchHttp(origin, limits);
}
