// config.json, bundled next to index.js (Lambda@Edge has no environment
// variables). The C++ validates it in _vips_edge_init; here we only read it
// as text, plus the one value the trigger needs before/without the engine:
// the cache-control of the 500s it builds itself (errors.ts): errorCacheControl,
// or its "5xx" when it is given per status class.
import { DEFAULT_ERROR_CACHE_CONTROL } from './engine-messages';
import { readPackageText } from './package-files';

export interface TriggerConfig {
  /** The file's text, handed verbatim to _vips_edge_init; '{}' if absent. */
  json: string;
  /** Why the file could not be read, if it could not (every request then 500s). */
  readError: string | null;
  errorCacheControl: string;
}

export function loadConfig(): TriggerConfig {
  let json: string;
  try {
    json = readPackageText('config.json');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { json: '{}', readError: `config.json: ${message}`, errorCacheControl: DEFAULT_ERROR_CACHE_CONTROL };
  }
  let errorCacheControl = DEFAULT_ERROR_CACHE_CONTROL;
  try {
    const parsed: unknown = JSON.parse(json);
    const given = (parsed as { errorCacheControl?: unknown } | null)?.errorCacheControl;
    const value = typeof given === 'object' && given !== null ? (given as { '5xx'?: unknown })['5xx'] : given;
    // Same rule as the C++ (no control characters); if it fails, init fails too.
    if (typeof value === 'string' && value !== '' && !/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) errorCacheControl = value;
  } catch {
    // Invalid JSON: _vips_edge_init reports it.
  }
  return { json, readError: null, errorCacheControl };
}
