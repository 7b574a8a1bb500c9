#!/usr/bin/env node
// Signs a vips-edge URL: prints it with its canonical query and &sig=... appended.
//
//   node deploy/sign.mjs '/photos/cat.jpg?width=400&format=auto' KEY
//   -> /photos/cat.jpg?w=400&format=auto&sig=ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw
//
// sig = base64url(HMAC-SHA256(KEY, path + "?" + canonical query without sig)), unpadded.
// The canonical query is what the viewer-request CloudFront Function forwards
// (deploy/viewer-request.js, the same code), so any spelling of the request verifies.
// The path is used exactly as given (percent-encoded as CloudFront passes it).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { canonicalQuery, parseQuery } = require('./viewer-request.js');

/** { url, sig, stringToSign } for "/path?query" (any sig already in it is ignored). */
export function signUrl(target, key) {
  const at = target.indexOf('?');
  const path = at < 0 ? target : target.slice(0, at);
  const fields = parseQuery(at < 0 ? '' : target.slice(at + 1));
  const decoded = (name) => { try { return decodeURIComponent(name); } catch { return name; } };
  for (const name of Object.keys(fields)) if (decoded(name) === 'sig') delete fields[name];
  const query = canonicalQuery(fields);
  const stringToSign = `${path}?${query}`;
  const sig = createHmac('sha256', key).update(stringToSign).digest('base64url');
  return { url: `${path}?${query ? `${query}&` : ''}sig=${sig}`, sig, stringToSign };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [target, key] = process.argv.slice(2);
  if (!target || key === undefined || !target.startsWith('/')) {
    console.error("usage: node deploy/sign.mjs '/path?query' KEY");
    process.exit(2);
  }
  console.log(signUrl(target, key).url);
}
