#!/usr/bin/env node
// make call EVENT=file  ->  node node/scripts/call.mjs file [--source image] [--real-origin] [--full]
//
// Calls the PACKAGED handler (dist/package/index.js) with the event and prints
// what it returns (a generated response's base64 body abbreviated unless
// --full; a one-line summary of an image on stderr).
//
// Custom-origin events: the fixtures name example.org, which is unreachable
// here, so by default the event's custom origin is pointed at a throwaway
// HTTP origin on 127.0.0.1 that serves --source (default
// fixtures/images/photo-baseline.jpg) for every path. --real-origin keeps the
// event's origin as written (you then see the origin error if unreachable).
// S3-origin events go to S3 as configured in the packaged config.json
// (s3Endpoint) with the usual AWS credentials chain.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const TYPES = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif', '.avif': 'image/avif', '.tif': 'image/tiff', '.tiff': 'image/tiff' };

const args = process.argv.slice(2);
let eventFile = null;
let source = path.join(root, 'fixtures/images/photo-baseline.jpg');
let realOrigin = false;
let full = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--source') source = path.resolve(args[++i] ?? '');
  else if (args[i] === '--real-origin') realOrigin = true;
  else if (args[i] === '--full') full = true;
  else if (!eventFile) eventFile = args[i];
  else {
    console.error(`call: unexpected argument ${args[i]}`);
    process.exit(2);
  }
}
if (!eventFile) {
  console.error('usage: node node/scripts/call.mjs EVENT.json [--source image] [--real-origin] [--full]');
  process.exit(2);
}
const event = JSON.parse(fs.readFileSync(path.resolve(eventFile), 'utf8'));
const indexJs = path.join(root, 'dist/package/index.js');
if (!fs.existsSync(indexJs)) {
  console.error('call: dist/package/index.js missing: run make package');
  process.exit(2);
}

let server = null;
const custom = event.Records?.[0]?.cf?.request?.origin?.custom;
if (custom && !realOrigin) {
  const bytes = fs.readFileSync(source);
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': TYPES[path.extname(source).toLowerCase()] ?? 'application/octet-stream' });
    res.end(bytes);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(custom, { domainName: '127.0.0.1', port: server.address().port, protocol: 'http', path: '' });
  console.error(`call: custom origin -> http://127.0.0.1:${server.address().port} serving ${path.relative(process.cwd(), source)}`);
}

const { handler } = require(indexJs);
try {
  const result = await handler(event);
  const shown = structuredClone(result);
  if (shown && typeof shown.body === 'string' && shown.bodyEncoding === 'base64') {
    const bytes = Buffer.from(shown.body, 'base64');
    try {
      const { imageSize } = require(path.join(root, 'node/node_modules/image-size'));
      const d = imageSize(bytes);
      console.error(`call: ${shown.status} ${d.type} ${d.width}x${d.height}, ${bytes.length} bytes (${shown.body.length} base64)`);
    } catch {
      console.error(`call: ${shown.status}, ${bytes.length} bytes`);
    }
    if (!full) shown.body = `${shown.body.slice(0, 48)}... (${shown.body.length} base64 chars; --full prints all)`;
  }
  console.log(JSON.stringify(shown, null, 2));
} finally {
  server?.close();
  server?.closeAllConnections();
}
