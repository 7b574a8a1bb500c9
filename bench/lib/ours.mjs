// vips-edge, measured two ways:
//  - 'vips-edge (bare)': the product module build/wasm/vips_edge.{js,wasm} loaded
//    like tests/node/wasm-module.mjs (wasmBinary, _vips_edge_init, _vips_edge_plan, then
//    _vips_edge_finish_async on its own pthread): C ABI in, response JSON and the
//    image bytes out, base64'd by Node; no Node I/O, no Worker hop.
//  - 'vips-edge (packaged)': dist/package/index.js's handler(event) with the
//    image served by a local 127.0.0.1 HTTP origin in the same process: event in,
//    base64 response out (fetch + everything).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, queryOf } from './ops.mjs';
import { loadModule } from '../../tests/node/wasm-module.mjs';

const template = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/events/origin-request-custom.json'), 'utf8'));

function eventFor(op, { port = 80, uri } = {}) {
  const event = template();
  const req = event.Records[0].cf.request;
  req.uri = uri ?? `/${op.image}`;
  req.querystring = queryOf(op);
  req.headers.accept = [{ key: 'Accept', value: 'image/webp,*/*' }];
  req.origin = { custom: { customHeaders: {}, domainName: '127.0.0.1', keepaliveTimeout: 5, path: '', port, protocol: 'http', readTimeout: 30, sslProtocols: ['TLSv1.2'] } };
  return event;
}

const contentType = (name) => (name.endsWith('.png') ? 'image/png' : 'image/jpeg');

function decodeResponse(name, json) {
  const r = typeof json === 'string' ? JSON.parse(json) : json;
  const resp = r.response ?? r;
  if (String(resp.status) !== '200' || resp.bodyEncoding !== 'base64') {
    throw new Error(`${name}: expected a 200 base64 response, got ${JSON.stringify(r).slice(0, 300)}`);
  }
  return Buffer.from(resp.body, 'base64');
}

export async function loadBare(concurrency, dir = process.env.VIPS_EDGE_WASM_DIR ?? path.join(ROOT, 'build/wasm')) {
  const vips = await loadModule({ concurrency, dir, variant: 'vips_edge' });
  return {
    name: 'vips-edge (bare)',
    version: `${path.relative(ROOT, dir)}/vips_edge.wasm ${fs.statSync(path.join(dir, 'vips_edge.wasm')).size} B`,
    async run(op, bytes) {
      const outcome = { status: 200, headers: { 'content-type': contentType(op.image) } };
      return decodeResponse(this.name, await vips.finish(eventFor(op), outcome, bytes));
    },
  };
}

/** A 127.0.0.1 origin serving in-memory images by name (keep-alive). */
export async function startOrigin(images) {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    const body = images[name];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType(name), 'content-length': body.length, 'cache-control': 'public, max-age=3600' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return { port: server.address().port, close: () => server.close() };
}

export async function loadPackaged(images, dir = process.env.VIPS_EDGE_PACKAGE_DIR ?? path.join(ROOT, 'dist/package')) {
  const origin = await startOrigin(images);
  const require = createRequire(import.meta.url);
  const { handler } = require(path.join(dir, 'index.js'));
  return {
    name: 'vips-edge (packaged)',
    version: `${path.relative(ROOT, dir)}/index.js handler (engine concurrency fixed at 1)`,
    async run(op) {
      return decodeResponse(this.name, await handler(eventFor(op, { port: origin.port })));
    },
  };
}
