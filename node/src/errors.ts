// The 500 the trigger builds itself (engine dead, init failed, unexpected
// JS error), shaped exactly like the C++ error responses (http/response.cpp):
// JSON body {"error":{"status","code","message"}}, content-type
// application/json, the configured short error cache-control. Status, reason
// and code are the C++'s own (INTERNAL_ERROR, generated).
import type { CloudFrontResultResponse } from 'aws-lambda';
import { INTERNAL_ERROR } from './engine-messages';

export function internalErrorResponse(message: string, cacheControl: string): CloudFrontResultResponse {
  return {
    status: String(INTERNAL_ERROR.status),
    statusDescription: INTERNAL_ERROR.statusDescription,
    headers: {
      'content-type': [{ key: 'Content-Type', value: 'application/json' }],
      'cache-control': [{ key: 'Cache-Control', value: cacheControl }],
    },
    body: JSON.stringify({ error: { status: INTERNAL_ERROR.status, code: INTERNAL_ERROR.code, message } }),
    bodyEncoding: 'text',
  };
}
