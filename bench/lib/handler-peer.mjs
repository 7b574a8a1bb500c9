// A peer library behind the same Lambda@Edge I/O as our packaged handler, so
// 'vips-edge (packaged)' is compared with a handler and not with a bare library
// call (issue 21 measures "the packaged function vs one reference handler on
// sharp-wasm32"): the original is fetched over HTTP from the bench's in-process
// origin (node:http with keep-alive, as node/src/origin-http.ts does), the
// output goes into a base64 CloudFront response and is decoded back, as
// loadPackaged's run() decodes ours. Nothing else: no config, no logging.
import http from 'node:http';
import { startOrigin } from './ours.mjs';
import { HANDLER_SUFFIX } from './ops.mjs';

const agent = new http.Agent({ keepAlive: true });

function fetchOriginal(port, name) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/${encodeURIComponent(name)}`, agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`origin answered ${res.statusCode} for ${name}`));
        return;
      }
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** `peer` (a PEERS adapter, loaded) as '<name> (handler)'. */
export async function asHandler(peer, images) {
  const origin = await startOrigin(images);
  return {
    name: `${peer.name}${HANDLER_SUFFIX}`,
    version: `${peer.version}, behind a reference handler (HTTP origin, base64 response)`,
    async run(op) {
      const out = await peer.run(op, await fetchOriginal(origin.port, op.image));
      if (out === null) return null;
      const response = {
        status: '200',
        headers: { 'content-type': [{ key: 'Content-Type', value: `image/${op.format}` }] },
        body: Buffer.from(out).toString('base64'),
        bodyEncoding: 'base64',
      };
      return Buffer.from(response.body, 'base64');
    },
  };
}
