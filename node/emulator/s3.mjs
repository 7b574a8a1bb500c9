// S3 mode: a local S3-compatible server (s3rver from npm) holding a copy of
// $IMAGES in one bucket. The packaged handler reaches it through config.json's
// s3Endpoint (path-style http://127.0.0.1:<port>); s3rver checks SigV4
// signatures against its default credentials S3RVER/S3RVER, which the emulator
// puts in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (Lambda gives every function
// its role's credentials through the same variables).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { contentTypeFor } from './origin.mjs';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

function* walk(dir, rel = '') {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(p, r);
    else if (e.isFile()) yield [p, r];
  }
}

const encodeKey = (key) => key.split('/').map(encodeURIComponent).join('/');

/** Start s3rver on a random 127.0.0.1 port, create `bucket`, upload every file of `root`. */
export async function startS3({ root, bucket = 'vips-edge-images', cacheControl = 'public, max-age=3600' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vips-edge-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let count = 0;
  for (const [file, key] of walk(path.resolve(root))) {
    // s3rver accepts anonymous requests; uploads need no signature.
    const res = await fetch(`${endpoint}/${bucket}/${encodeKey(key)}`, {
      method: 'PUT',
      body: fs.readFileSync(file),
      headers: { 'content-type': contentTypeFor(file), 'cache-control': cacheControl },
    });
    if (!res.ok) throw new Error(`S3 upload of ${key} failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    count++;
  }
  return {
    endpoint, port, bucket, count,
    /** Path-style URL of an object for a CloudFront-side (passthrough) fetch. */
    objectUrl: (uriPath) => `${endpoint}/${bucket}${uriPath}`,
    close: async () => { await server.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
