// S3 origins through the packaged handler against s3rver (a local
// S3-compatible server from npm) via config.json's s3Endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import S3rver from 's3rver';
import { imageSize } from 'image-size';
import { assertValidResponse, errorOf, fixtureEvent, header, imageOf, imagesDir, loadHandler, withLogs } from './helpers.mjs';

process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
process.env.AWS_REGION = 'us-east-1';
delete process.env.AWS_PROFILE;

let server;
let handler;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));

before(async () => {
  server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: 'images-bucket' }] });
  const { port } = await server.run();
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true });
  await s3.send(new PutObjectCommand({ Bucket: 'images-bucket', Key: 'products/shoe.png', Body: fs.readFileSync(path.join(imagesDir, 'alpha-half-transparent.png')), ContentType: 'image/png', CacheControl: 'public, max-age=123' }));
  await s3.send(new PutObjectCommand({ Bucket: 'images-bucket', Key: 'broken.jpg', Body: fs.readFileSync(path.join(imagesDir, 'photo-truncated.jpg')), ContentType: 'image/jpeg' }));
  s3.destroy();
  handler = loadHandler({ s3Endpoint: `http://127.0.0.1:${port}` });
});
after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function s3Event(uri, querystring) {
  const ev = fixtureEvent('origin-request-s3.json');
  if (uri) ev.Records[0].cf.request.uri = uri;
  if (querystring !== undefined) ev.Records[0].cf.request.querystring = querystring;
  return ev;
}

test('S3 fixture: w=800&h=600&fit=cover&q=70 on a 400x301 PNG (no enlarge)', async () => {
  const { result, logs } = await withLogs(() => handler(s3Event()));
  assertValidResponse(result);
  assert.equal(result.status, '200', result.body);
  const dims = imageSize(imageOf(result));
  assert.equal(dims.type, 'png');
  assert.ok(dims.width <= 400 && dims.height <= 301);
  assert.equal(header(result, 'cache-control'), 'public, max-age=123');
  assert.ok(header(result, 'last-modified'));
  assert.equal(logs[0].originStatus, 200);
});

test('S3 missing key -> 404', async () => {
  const { result } = await withLogs(() => handler(s3Event('/nope.jpg')));
  assertValidResponse(result);
  assert.equal(result.status, '404');
  assert.equal(errorOf(result).code, 'not_found');
});

test('S3 missing bucket -> 404 (NoSuchBucket) and a truncated object -> 422', async () => {
  const ev = s3Event('/broken.jpg', 'w=50');
  const { result } = await withLogs(() => handler(ev));
  assert.equal(result.status, '422');
  const other = s3Event('/x.jpg', 'w=50');
  other.Records[0].cf.request.origin.s3.domainName = 'no-bucket.s3.us-east-1.amazonaws.com';
  const { result: r2 } = await withLogs(() => handler(other));
  assertValidResponse(r2);
  assert.equal(r2.status, '404');
});
