#!/usr/bin/env node
// Signs a vips-edge URL: prints it with its canonical query and &sig=... appended.
//
//   node deploy/sign.mjs '/photos/cat.jpg?width=400&format=auto' KEY
//   -> /photos/cat.jpg?w=400&format=auto&sig=ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw
//   node deploy/sign.mjs '/photos/cat.jpg?w=400' --config my-config.json --key 2027-01 --expires-in 3600
//   -> /photos/cat.jpg?w=400&exp=<now + 3600>&sig=...
//
// sig = base64url(HMAC-SHA256(KEY, path + "?" + canonical query without sig)), unpadded.
// The canonical query is what the viewer-request CloudFront Function forwards
// (deploy/viewer-request.js, the same code), so any spelling of the request verifies.
// The path is used exactly as given (percent-encoded as CloudFront passes it).
// With --config, the key is one of the file's signing keys: signing.key (named
// "default") or signing.keys {name: secret}, chosen by --key when there are several
// (key rotation: every configured key verifies). --exp UNIX or --expires-in SECONDS
// adds exp (signed like every parameter).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { canonicalQuery, parseQuery } = require('./viewer-request.js');

/**
 * { url, sig, stringToSign } for "/path?query" (any sig already in it is ignored).
 * `exp` (unix seconds), when given, replaces any exp in the query.
 */
export function signUrl(target, key, { exp } = {}) {
  const at = target.indexOf('?');
  const path = at < 0 ? target : target.slice(0, at);
  const fields = parseQuery(at < 0 ? '' : target.slice(at + 1));
  const decoded = (name) => { try { return decodeURIComponent(name); } catch { return name; } };
  for (const name of Object.keys(fields)) if (decoded(name) === 'sig' || (exp !== undefined && decoded(name) === 'exp')) delete fields[name];
  if (exp !== undefined) fields.exp = { value: String(exp) };
  const query = canonicalQuery(fields);
  const stringToSign = `${path}?${query}`;
  const sig = createHmac('sha256', key).update(stringToSign).digest('base64url');
  return { url: `${path}?${query ? `${query}&` : ''}sig=${sig}`, sig, stringToSign };
}

/** The named signing keys of a config object: signing.key is "default". */
export function signingKeys(config) {
  const s = config?.signing;
  if (!s) return {};
  return s.keys ?? (s.key !== undefined ? { default: s.key } : {});
}

/** The secret to sign with: `name`'s, or the only key's; throws naming the choices otherwise. */
export function signingSecret(config, name) {
  const keys = signingKeys(config);
  const names = Object.keys(keys);
  if (names.length === 0) throw new Error('the config has no signing key');
  if (name === undefined) {
    if (names.length > 1) throw new Error(`several signing keys: choose one with --key (${names.join(', ')})`);
    return keys[names[0]];
  }
  if (!Object.hasOwn(keys, name)) throw new Error(`no signing key named ${name} (${names.join(', ')})`);
  return keys[name];
}

function usage(message) {
  if (message) console.error(`sign.mjs: ${message}`);
  console.error("usage: node deploy/sign.mjs '/path?query' KEY\n" +
    "       node deploy/sign.mjs '/path?query' --config FILE [--key NAME] [--exp UNIX | --expires-in SECONDS]");
  process.exit(2);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const options = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const flag = /^--(config|key|exp|expires-in)$/.exec(args[i]);
    if (!flag) { positional.push(args[i]); continue; }
    if (i + 1 >= args.length) usage(`${args[i]} needs a value`);
    options[flag[1]] = args[++i];
  }
  const [target, rawKey] = positional;
  if (!target || !target.startsWith('/') || positional.length > 2) usage();
  if ((rawKey === undefined) === (options.config === undefined)) usage('give KEY or --config FILE (one of them)');
  if (options.key !== undefined && options.config === undefined) usage('--key names a key of --config FILE');
  let secret = rawKey;
  if (options.config !== undefined) {
    try {
      secret = signingSecret(JSON.parse(readFileSync(options.config, 'utf8')), options.key);
    } catch (e) {
      usage(`${options.config}: ${e.message}`);
    }
  }
  const seconds = (v, what) => {
    if (!/^(0|[1-9][0-9]{0,9})$/.test(v)) usage(`${what} must be whole seconds`);
    return Number(v);
  };
  let exp;
  if (options.exp !== undefined && options['expires-in'] !== undefined) usage('give --exp or --expires-in, not both');
  if (options.exp !== undefined) exp = seconds(options.exp, '--exp');
  if (options['expires-in'] !== undefined) exp = Math.floor(Date.now() / 1000) + seconds(options['expires-in'], '--expires-in');
  console.log(signUrl(target, secret, { exp }).url);
}
