#!/usr/bin/env node
// Call the packaged handler directly (no cache, no validation) with the event
// the emulator would build, for each target in turn, against the static origin
// over $IMAGES. Handy to reproduce a handler bug without HTTP in between:
//   node node/emulator/invoke.mjs '/photo-baseline.jpg?w=120&format=png' '/photo.webp?w=100'
// Env: IMAGES, ACCEPT (the viewer's Accept header), HINTS (client hints: "Sec-CH-Width: 700; Save-Data: on"),
// READ_TIMEOUT (s, default 30), PACKAGE_DIR.
import path from 'node:path';
import { startStaticOrigin } from './origin.mjs';
import { buildOriginRequestEvent, customOrigin, viewerStage, splitTarget, useConfigLadder } from './event.mjs';
import { loadHandler, lambdaContext, REPO_ROOT } from './handler.mjs';

const targets = process.argv.slice(2);
if (!targets.length) {
  console.error('usage: node node/emulator/invoke.mjs /path?query [...]');
  process.exit(2);
}
const origin = await startStaticOrigin({ root: path.resolve(process.env.IMAGES || path.join(REPO_ROOT, 'fixtures/images')) });
const { handler, dispose, config } = await loadHandler(process.env.PACKAGE_DIR ? { packageDir: path.resolve(process.env.PACKAGE_DIR) } : {});
useConfigLadder(config);
for (const target of targets) {
  const { uri, query: raw } = splitTarget(target);
  // The viewer-request function as CloudFront runs it (canonical query, x-vips-edge-accept for
  // format=auto, x-vips-edge-hints for w/dpr/q=auto from HINTS="Sec-CH-Width: 700; Save-Data: on").
  const hintHeaders = (process.env.HINTS ?? '').split(';').map((h) => h.split(':').map((s) => s.trim())).filter(([n, v]) => n && v).flat();
  const { query, accept, hints } = viewerStage(raw, [...(process.env.ACCEPT ? ['Accept', process.env.ACCEPT] : []), ...hintHeaders]);
  const ev = buildOriginRequestEvent({
    method: 'GET', uri, query, accept, hints, clientIp: '127.0.0.1',
    origin: customOrigin({ port: origin.port, readTimeout: Number(process.env.READ_TIMEOUT || 30) }),
  });
  const t0 = Date.now();
  const r = await handler(ev, lambdaContext(ev.Records[0].cf.config.requestId, 30_000));
  const ms = Date.now() - t0;
  if (!r || !('status' in r)) {
    console.log(`${target} -> passthrough (${ms} ms)`);
    continue;
  }
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.bodyEncoding === 'base64' ? 'base64' : 'utf8');
  const type = r.headers?.['content-type']?.[0]?.value ?? '';
  console.log(`${target} -> ${r.status} ${type} ${body.length} B (${ms} ms)${type.startsWith('application/json') ? ` ${body}` : ''}`);
}
await origin.close();
dispose();
process.exit(0);
