// Adapters for the npm peers. Each load(concurrency) returns
// { name, version, detail, run(op, bytes) -> Promise<Buffer|Uint8Array> } (run
// returns null when the library cannot do the op, e.g. jimp has no WebP).
import Module, { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH } from './ops.mjs';

const requireBench = createRequire(path.join(BENCH, 'package.json'));
const pkgVersion = (name) => JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version;
const WASM_DIR = path.join(BENCH, 'peers/sharp-wasm32');

// Node resolves packages up the directory tree, so sharp under
// peers/sharp-wasm32 would find bench/node_modules/@img/sharp-linux-x64 and
// silently load the NATIVE binary (sharp tries the platform package before
// @img/sharp-wasm32). Hide the native packages from that copy only.
let hooked = false;
function hideNativeFromWasmSharp() {
  if (hooked) return;
  hooked = true;
  const orig = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (/^@img\/sharp-(libvips-)?linux-/.test(request) && parent?.filename?.startsWith(WASM_DIR + path.sep)) {
      const e = new Error(`Cannot find module '${request}' (hidden by bench: wasm32 copy)`);
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    }
    return orig.call(this, request, parent, ...rest);
  };
}

function sharpAdapter(sharp, name, concurrency) {
  sharp.concurrency(concurrency);
  sharp.cache(false);
  return {
    name,
    version: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
    run(op, bytes) {
      let p = sharp(bytes, op.animated ? { animated: true } : {}).rotate();
      p = op.h ? p.resize(op.w, op.h, { fit: op.fit ?? 'cover', withoutEnlargement: true }) : p.resize({ width: op.w, withoutEnlargement: true });
      if (op.format === 'jpeg') p = p.jpeg({ quality: op.q, progressive: false, optimiseCoding: true, trellisQuantisation: false, mozjpeg: false });
      else if (op.format === 'webp') p = p.webp({ quality: op.q, effort: 4 });
      // effort 1 is aom speed 8 (libvips: speed = 9 - effort), as ours.
      else if (op.format === 'avif') p = p.avif({ quality: op.q, effort: 1, chromaSubsampling: '4:2:0' });
      else p = p.png({ compressionLevel: 6, adaptiveFiltering: true, progressive: false });
      return p.toBuffer();
    },
  };
}

export const PEERS = {
  'sharp': {
    async load(concurrency) {
      return sharpAdapter(requireBench('sharp'), 'sharp', concurrency);
    },
  },
  'sharp-wasm32': {
    async load(concurrency) {
      hideNativeFromWasmSharp();
      const req = createRequire(path.join(WASM_DIR, 'package.json'));
      const sharp = req('sharp');
      const loaded = Object.keys(req.cache);
      const wasmGlue = loaded.find((f) => f.includes(`${path.sep}@img${path.sep}sharp-wasm32${path.sep}`));
      const native = loaded.find((f) => f.endsWith('.node') && f.startsWith(WASM_DIR));
      if (!wasmGlue || native) throw new Error(`sharp-wasm32 did not load its wasm build (glue=${wasmGlue}, native=${native})`);
      const a = sharpAdapter(sharp, 'sharp-wasm32', concurrency);
      a.version += ` (${path.relative(BENCH, wasmGlue)})`;
      return a;
    },
  },
  'wasm-vips': {
    async load(concurrency) {
      const Vips = (await import(requireBench.resolve('wasm-vips'))).default;
      // No optional dynamic modules (JXL/HEIF/resvg): same codec set as the others.
      const vips = await Vips({ dynamicLibraries: [] });
      vips.concurrency(concurrency);
      vips.Cache.max(0);
      return {
        name: 'wasm-vips',
        version: `wasm-vips ${pkgVersion('wasm-vips')}, libvips ${vips.version()}`,
        async run(op, bytes) {
          if (op.format === 'avif') return null; // its HEIF encoder is an optional module, left out above
          const opts = { no_rotate: false, size: 'down' };
          if (op.animated) opts.option_string = 'n=-1';
          if (op.h) Object.assign(opts, { height: op.h, crop: 'centre' });
          const im = vips.Image.thumbnailBuffer(bytes, op.w, opts);
          try {
            if (op.format === 'jpeg') return im.writeToBuffer('.jpg', { Q: op.q, optimize_coding: true, interlace: false, trellis_quant: false, strip: true });
            if (op.format === 'webp') return im.writeToBuffer('.webp', { Q: op.q, effort: 4, strip: true });
            return im.writeToBuffer('.png', { compression: 6, filter: 'all', interlace: false, strip: true });
          } finally {
            im.delete();
          }
        },
      };
    },
  },
  'jimp': {
    async load() {
      const { Jimp } = requireBench('jimp');
      return {
        name: 'jimp',
        version: `jimp ${pkgVersion('jimp')} (pure JS, single-threaded)`,
        async run(op, bytes) {
          if (op.format === 'webp' || op.format === 'avif') return null; // jimp has no WebP or AVIF encoder (nor animation)
          const im = await Jimp.read(Buffer.from(bytes));
          if (op.h) im.cover({ w: op.w, h: op.h });
          else if (im.bitmap.width > op.w) im.resize({ w: op.w });
          return op.format === 'jpeg' ? im.getBuffer('image/jpeg', { quality: op.q }) : im.getBuffer('image/png');
        },
      };
    },
  },
};
