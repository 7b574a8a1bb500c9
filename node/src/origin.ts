// Fetches the source the plan names, from a custom (http/https) or S3 origin,
// or (a fallback image) a file bundled in the package.
import { fetchFile } from './origin-file';
import { fetchHttp } from './origin-http';
import type { OriginPlan } from './engine-messages';
import type { FetchLimits, FetchResult } from './origin-types';

export async function fetchOrigin(origin: OriginPlan, limits: FetchLimits): Promise<FetchResult> {
  if (origin.kind === 'http') return fetchHttp(origin, limits);
  if (origin.kind === 'file') return fetchFile(origin);
  // Loaded on the first S3 request only: the AWS SDK costs 50-150 ms of
  // cold start that custom origins never need.
  const { fetchS3 } = await import('./origin-s3.js');
  return fetchS3(origin, limits);
}
