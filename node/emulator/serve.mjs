#!/usr/bin/env node
// `make serve` / `PORT=8080 IMAGES=fixtures/images node node/emulator/serve.mjs [options]`
//
// A local CloudFront in front of the packaged handler (dist/package/index.js):
// open http://127.0.0.1:$PORT/ for the playground. Options (flag or env):
//   --port N            PORT             listen port on 127.0.0.1 (default 8080, 0 = random)
//   --images DIR        IMAGES           originals (default fixtures/images)
//   --s3                S3=1             serve the originals from a local S3 server (s3rver)
//   --config FILE       HANDLER_CONFIG   JSON merged over the packaged config.json (private handler copy)
//   --origin URL        ORIGIN           use this http://127.0.0.1:PORT origin instead of the static one
//   --read-timeout S    READ_TIMEOUT     the custom origin's readTimeout in the event (default 30)
//   --lambda-timeout S  LAMBDA_TIMEOUT   the function timeout (default 30)
//   --package DIR       PACKAGE_DIR      the packaged handler (default dist/package)
//   --showcase          SHOWCASE=1       SVG passthrough, a fallback image and a watermark (wm=logo) under
//                                        the config, and a missing image in the playground's list (make
//                                        serve's default)
//                     LAMBDA_MEMORY_MB the context's memoryLimitInMB (default 1769)
//   --quiet             QUIET=1          no per-request log lines
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.mjs';
import { REPO_ROOT } from './handler.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string' }, images: { type: 'string' }, s3: { type: 'boolean' }, config: { type: 'string' },
    origin: { type: 'string' }, 'read-timeout': { type: 'string' }, 'lambda-timeout': { type: 'string' },
    package: { type: 'string' }, quiet: { type: 'boolean' }, showcase: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  const text = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1).filter((l) => l.startsWith('//'));
  console.log(text.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const env = process.env;
const truthy = (v) => v !== undefined && v !== '' && v !== '0' && v !== 'false';
const num = (v, name) => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
  return n;
};
const fromRepo = (p) => (p === undefined ? undefined : path.resolve(process.env.INIT_CWD ?? process.cwd(), p));

try {
  const configFile = fromRepo(values.config ?? (env.HANDLER_CONFIG || undefined));
  const emu = await startEmulator({
    port: num(values.port ?? env.PORT, 'PORT') ?? 8080,
    images: fromRepo(values.images ?? (env.IMAGES || undefined)) ?? path.join(REPO_ROOT, 'fixtures/images'),
    s3: values.s3 ?? truthy(env.S3),
    config: configFile ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : null,
    showcase: values.showcase ?? truthy(env.SHOWCASE),
    origin: values.origin ?? (env.ORIGIN || null),
    readTimeout: num(values['read-timeout'] ?? env.READ_TIMEOUT, 'READ_TIMEOUT') ?? 30,
    lambdaTimeout: num(values['lambda-timeout'] ?? env.LAMBDA_TIMEOUT, 'LAMBDA_TIMEOUT') ?? 30,
    packageDir: fromRepo(values.package ?? (env.PACKAGE_DIR || undefined)),
    log: (values.quiet || truthy(env.QUIET)) ? () => {} : (line) => console.log(line),
  });
  const mode = emu.s3 ? `S3 ${emu.s3.endpoint}/${emu.s3.bucket} (${emu.s3.count} objects)` : `custom origin ${emu.origin.custom.protocol}://${emu.origin.custom.domainName}:${emu.origin.custom.port}`;
  console.log(`vips-edge emulator listening on ${emu.url} (playground: ${emu.url}/) origin: ${mode}; handler: ${emu.handlerDir}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await emu.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(`vips-edge emulator: ${err.message}`);
  process.exit(1);
}
