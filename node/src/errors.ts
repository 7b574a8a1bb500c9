// The 500 the trigger builds itself (engine dead, init failed, unexpected
// JS error), shaped exactly like the C++ error responses (http/response.cpp):
// JSON body {"error":{"status","code","message"}}, content-type
// application/json, the configured short error cache-control.
import type { CloudFrontResultResponse } from 'aws-lambda';

export function internalErrorResponse(message: string, cacheControl: string): CloudFrontResultResponse {
  return {
    status: '500',
    statusDescription: 'Internal Server Error',
    headers: {
      'content-type': [{ key: 'Content-Type', value: 'application/json' }],
      'cache-control': [{ key: 'Cache-Control', value: cacheControl }],
    },
    body: JSON.stringify({ error: { status: 500, code: 'internal_error', message } }),
    bodyEncoding: 'text',
  };
}
