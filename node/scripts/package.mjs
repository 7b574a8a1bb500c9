#!/usr/bin/env node
// make package [CONFIG=file]  ->  node node/scripts/package.mjs [--config file]
//
// make package BUNDLE_SDK=1  ->  ... --bundle-sdk
//
// dist/package/: index.js (the trigger), vips_edge.js (Emscripten glue: kept
// as its own file because every pthread Worker loads it by path),
// vips_edge.wasm, avif_codec.{js,wasm} (the
// AVIF codec module, loaded only by requests that need it: node/src/codec.ts),
// versions.json (both modules' libraries), config.json, and the fallback
// image and watermark overlays config.json names by "file" (looked up beside
// the config file).
// config.json is validated by the wasm's own _vips_edge_init before zipping.
// dist/function.zip: those files, deterministic (fixed mtimes), <= 50 MB.
//
// --out DIR: the package in DIR, never zipped (the tests package configs
// there, good and bad, without touching dist/).
//
// --test-build: dist/test-package/ instead, never zipped: the same trigger
// built with VIPS_EDGE_TEST_BUILD (its fault hooks, node/src/test-hooks.ts)
// over the module's test twin vips_edge_debug.*. The product bundle has
// neither (node/test/package.test.mjs checks).
//
// The AWS SDK (S3 origins only) is left out by default: Lambda's Node.js 18+
// runtimes, Lambda@Edge's included, ship SDK v3 on NODE_PATH, and bundling it
// costs 250 KB of zip. --bundle-sdk pins the version from node/package-lock
// instead. Locally, the Makefile puts node/node_modules on NODE_PATH the same
// way.
import * as esbuild from 'esbuild';
import { Zip } from 'fflate';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = path.resolve(here, '..');
const root = path.resolve(nodeDir, '..');
const wasmDir = path.join(root, 'build/wasm');
const zipPath = path.join(root, 'dist/function.zip');
const MAX_ZIP = 50 * 1024 * 1024;

function die(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  let config = null;
  let bundleSdk = false;
  let testBuild = false;
  let out = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') {
      config = argv[++i];
      if (!config) die('--config needs a file');
    } else if (argv[i].startsWith('--config=')) config = argv[i].slice('--config='.length);
    else if (argv[i] === '--bundle-sdk') bundleSdk = true;
    else if (argv[i] === '--test-build') testBuild = true;
    else if (argv[i] === '--out') {
      out = argv[++i];
      if (!out) die('--out needs a folder');
    }
    else die(`unknown argument ${argv[i]}`);
  }
  return { config, bundleSdk, testBuild, out };
}

/** Runs _vips_edge_init on the packaged module: the C++ validates the config. */
async function validateConfig(outDir, moduleName, configJson) {
  const require = createRequire(import.meta.url);
  const factory = require(path.join(outDir, `${moduleName}.js`));
  const M = await factory({ wasmBinary: fs.readFileSync(path.join(outDir, `${moduleName}.wasm`)) });
  const n = M.lengthBytesUTF8(configJson) + 1;
  const p = M._malloc(n);
  M.stringToUTF8(configJson, p, n);
  const err = M._vips_edge_init(p, 1);
  M._free(p);
  if (!err) return null;
  const text = M.UTF8ToString(err);
  M._free(err);
  try {
    return JSON.parse(text).error ?? text;
  } catch {
    return text;
  }
}

/**
 * The images the config names by "file" (src/api/config_delivery.hpp): the
 * fallback image's and each watermark's overlay, beside config.json in the
 * package, read from the config file's folder. Their names were checked by
 * the C++ (plain file names); here that each exists, is not one of the
 * package's own files, and fits maxInputBytes.
 */
function bundleImages(configJson, configPath, outDir) {
  const config = JSON.parse(configJson);
  const wanted = new Map(); // file -> the first key naming it
  if (config.fallback?.file !== undefined) wanted.set(config.fallback.file, 'fallback.file');
  for (const [name, w] of Object.entries(config.watermarks ?? {}))
    if (w.file !== undefined && !wanted.has(w.file)) wanted.set(w.file, `watermarks.${name}.file`);
  const maxBytes = config.maxInputBytes ?? 32 * 1024 * 1024;
  for (const [file, key] of wanted) {
    if (fs.existsSync(path.join(outDir, file))) die(`config ${key}: ${file} is one of the package's own files`);
    const from = path.resolve(path.dirname(path.resolve(process.cwd(), configPath ?? '.')), file);
    if (!fs.existsSync(from)) die(`config ${key}: ${from} does not exist (the file is looked up beside the config file)`);
    const size = fs.statSync(from).size;
    if (size > maxBytes) die(`config ${key}: ${from} is ${size} bytes, over maxInputBytes (${maxBytes})`);
    fs.copyFileSync(from, path.join(outDir, file));
  }
}

/**
 * The zip, byte-for-byte the same for the same files (fixed mtimes, sorted
 * names). fflate writes the container; the entries are deflated by Node's
 * zlib at level 9, 30 KB smaller on the wasm than fflate's own deflate.
 */
function deterministicZip(files) {
  const chunks = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [filename, data] of Object.entries(files)) {
    const entry = {
      filename,
      size: data.length,
      crc: zlib.crc32(data),
      compression: 8, // deflate
      mtime: new Date('2000-01-01T00:00:00Z'),
      os: 3, // Unix, so attrs carry the file mode
      attrs: (0o100644 << 16) >>> 0,
    };
    zip.add(entry);
    entry.ondata(null, new Uint8Array(zlib.deflateRawSync(data, { level: 9, memLevel: 9 })), true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const moduleName = args.testBuild ? 'vips_edge_debug' : 'vips_edge';
  const outDir = args.out ? path.resolve(process.cwd(), args.out) : path.join(root, args.testBuild ? 'dist/test-package' : 'dist/package');
  const moduleFiles = [`${moduleName}.js`, `${moduleName}.wasm`, 'avif_codec.js', 'avif_codec.wasm'];
  // Each module's libraries, shipped as one versions.json.
  const versionFiles = ['versions.json', 'avif_codec.versions.json'];
  for (const f of [...moduleFiles, ...versionFiles])
    if (!fs.existsSync(path.join(wasmDir, f))) die(`missing build/wasm/${f}: run make wasm`);

  let configJson = '{}\n';
  if (args.config) {
    try {
      configJson = fs.readFileSync(path.resolve(process.cwd(), args.config), 'utf8');
    } catch (e) {
      die(`cannot read config ${args.config}: ${e.message}`);
    }
  }

  if (args.out && fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) die(`--out ${args.out}: must be a new or empty folder`);
  if (!args.out) fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: { index: path.join(nodeDir, 'src/index.ts') },
    outdir: outDir,
    absWorkingDir: root, // comments name sources relative to this: same bytes from any cwd
    bundle: true,
    platform: 'node',
    target: 'node22', // the oldest runtime we ship on (node/runtimes/runtimes.json)
    format: 'cjs',
    minify: false,
    // The test build's hooks and module; esbuild drops the `if (false)` branches.
    define: { VIPS_EDGE_TEST_BUILD: String(args.testBuild), VIPS_EDGE_MODULE: JSON.stringify(moduleName) },
    external: args.bundleSdk ? [] : ['@aws-sdk/*'],
    legalComments: 'none',
    logLevel: 'warning',
    logOverride: { 'unsupported-require-call': 'silent' },
  });
  for (const f of moduleFiles) fs.copyFileSync(path.join(wasmDir, f), path.join(outDir, f));
  // The core's libraries, then the codec module's (both name the same compiler).
  const [versions, codecVersions] = versionFiles.map((f) => JSON.parse(fs.readFileSync(path.join(wasmDir, f), 'utf8')));
  for (const [name, v] of Object.entries(codecVersions)) if (!(name in versions)) versions[name] = v;
  fs.writeFileSync(path.join(outDir, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'config.json'), configJson);

  const configError = await validateConfig(outDir, moduleName, configJson);
  if (configError) die(`config ${args.config ?? '(default {})'} rejected: ${configError}`);
  bundleImages(configJson, args.config, outDir);

  const files = {};
  for (const name of fs.readdirSync(outDir).sort()) files[name] = new Uint8Array(fs.readFileSync(path.join(outDir, name)));
  for (const name of Object.keys(files)) console.log(`  ${name.padEnd(22)} ${files[name].length} bytes`);
  if (args.testBuild || args.out) {
    console.log(`${path.relative(root, outDir)}: ${args.testBuild ? `test build (fault hooks, ${moduleName})` : 'package'}, not zipped`);
    process.exit(0); // the validation instance's pthread pool would keep Node alive
  }
  const zip = deterministicZip(files);
  if (zip.length > MAX_ZIP) die(`dist/function.zip is ${zip.length} bytes, over Lambda@Edge's 50 MB`);
  fs.writeFileSync(zipPath, zip);
  console.log(`dist/function.zip: ${zip.length} bytes (${(zip.length / 1048576).toFixed(2)} MiB), config ${args.config ?? '{}'}, AWS SDK ${args.bundleSdk ? 'bundled' : 'from the runtime'}`);
  process.exit(0); // the validation instance's pthread pool would keep Node alive
}

main().catch((e) => die(e.stack ?? String(e)));
