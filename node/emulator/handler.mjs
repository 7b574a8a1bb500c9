// Loads the PACKAGED handler (dist/package/index.js, what goes into the zip),
// once. The bundle reads config.json next to index.js, so a run that needs a
// different configuration (S3 mode's s3Endpoint, a test's signing key or
// maxInputBytes) gets a private copy of dist/package in a temp directory with
// the packaged config.json merged with the overrides; dist/package itself is
// never touched, so `make package` stays the only writer of the zip inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_PACKAGE_DIR = path.join(REPO_ROOT, 'dist/package');

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @param {object} o
 * @param {string} [o.packageDir] directory holding index.js (+ config.json, wasm, ...)
 * @param {object|null} [o.configOverrides] keys merged over the packaged config.json
 * @param {Record<string, Buffer>} [o.files] more files for the copy, beside config.json (a fallback image)
 * @returns {Promise<{handler: Function, dir: string, config: object|null, dispose: () => void}>}
 */
export async function loadHandler({ packageDir = DEFAULT_PACKAGE_DIR, configOverrides = null, files = {} } = {}) {
  const index = path.join(packageDir, 'index.js');
  if (!fs.existsSync(index)) {
    throw new Error(`${path.relative(process.cwd(), index) || index} is missing: run \`make package\` first`);
  }
  let dir = packageDir;
  let tmp = null;
  let config = fs.existsSync(path.join(packageDir, 'config.json')) ? readJson(path.join(packageDir, 'config.json')) : null;
  if (configOverrides && Object.keys(configOverrides).length) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-handler-'));
    fs.cpSync(packageDir, tmp, { recursive: true });
    config = { ...(config ?? {}), ...configOverrides };
    fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), bytes);
    dir = tmp;
  }
  const mod = await import(pathToFileURL(path.join(dir, 'index.js')).href);
  const handler = mod.handler ?? mod.default?.handler;
  if (typeof handler !== 'function') throw new Error(`${index} does not export handler(event, context)`);
  return {
    handler, dir, config,
    dispose: () => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); },
  };
}

/** A Lambda-like context object for one invocation. Its memoryLimitInMB is
 * LAMBDA_MEMORY_MB (default 1769, the template's default MemorySize): the
 * work budget refuses what would not fit it. */
export function lambdaContext(requestId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'us-east-1.vips-edge-resizer',
    functionVersion: '1',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vips-edge-resizer:1',
    memoryLimitInMB: process.env.LAMBDA_MEMORY_MB || '1769',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/us-east-1.vips-edge-resizer',
    logStreamName: 'emulator',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {}, succeed() {}, fail() {},
  };
}
