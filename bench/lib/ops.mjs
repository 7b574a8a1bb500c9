// The benchmark's operations, one table for every library (label: the
// tables' row; short: README's "Where we stand", bench/lib/report.mjs).
// Encoder settings are vips-edge's (src/image/encode.cpp) so every library does
// the same work: JPEG baseline + optimize_coding, no trellis; WebP effort 4;
// PNG zlib 6 with adaptive filtering; metadata stripped.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH);

const ALL_OPS = [
  { id: 'jpeg8mp-800', label: '8 MP JPEG → 800 px JPEG q80', short: '8 MP → 800 JPEG', image: 'photo-8mp.jpg', w: 800, format: 'jpeg', q: 80 },
  { id: 'jpeg2mp-400webp', label: '2 MP JPEG → 400 px WebP q75', short: '2 MP → 400 WebP', image: 'photo-2mp.jpg', w: 400, format: 'webp', q: 75 },
  { id: 'png-alpha-400', label: '1920×1200 PNG α → 400 px PNG', short: 'PNG α', image: 'alpha-1920x1200.png', w: 400, format: 'png' },
  { id: 'jpeg2mp-cover200', label: '2 MP JPEG → 200×200 cover JPEG', short: '2 MP → 200² cover', image: 'photo-2mp.jpg', w: 200, h: 200, fit: 'cover', format: 'jpeg', q: 80 },
  { id: 'jpeg20mp-800', label: '20 MP JPEG → 800 px JPEG q80', short: '20 MP → 800', image: 'photo-20mp.jpg', w: 800, format: 'jpeg', q: 80 },
  // Every frame kept: sharp with { animated: true }, wasm-vips with n=-1; ours by default.
  // AVIF at the same encoder settings for both: aom speed 8 (sharp's effort 1,
  // our default avifSpeed), 4:2:0, quality 50 (bench/avif.mjs: why these).
  { id: 'jpeg2mp-800avif', label: '2 MP JPEG → 800 px AVIF q50 (speed 8, 4:2:0)', short: '2 MP → 800 AVIF', image: 'photo-2mp.jpg', w: 800, format: 'avif', q: 50 },
  { id: 'gif-anim-240webp', label: '480×270 GIF, 60 frames → 240 px animated WebP q75', short: 'the animated GIF → WebP', image: 'anim-480x270x60.gif', w: 240, format: 'webp', q: 75, animated: true },
];
/** BENCH_OPS=id,id: only these ops in the warm run (a lever's quick check; the README table wants all). */
export const OPS = process.env.BENCH_OPS ? ALL_OPS.filter((o) => process.env.BENCH_OPS.split(',').includes(o.id)) : ALL_OPS;
/** Cold start: load + first 2 MP → 400 px JPEG. */
// A peer library behind the same handler I/O as our packaged function
// (lib/handler-peer.mjs) is named '<peer> (handler)'; sharp-wasm32's is the
// packaged function's peer in the warm run (run.mjs, lib/report.mjs).
export const HANDLER_SUFFIX = ' (handler)';
export const HANDLER_PEER = `sharp-wasm32${HANDLER_SUFFIX}`;

export const COLD_OP = { id: 'cold-2mp-400jpeg', image: 'photo-2mp.jpg', w: 400, format: 'jpeg', q: 80 };
export const RSS_OP = ALL_OPS[0];
/** The first AVIF request of a fresh process: what loading the codec module costs (bench/README.md "AVIF"). */
export const COLD_AVIF_OP = { id: 'cold-2mp-800avif', image: 'photo-2mp.jpg', w: 800, format: 'avif', q: 50 };

export function imagesDir() {
  if (process.env.BENCH_IMAGES) return process.env.BENCH_IMAGES;
  return execFileSync('bash', [path.join(BENCH, 'images.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export function loadImages(dir = imagesDir()) {
  const out = {};
  for (const op of [...OPS, COLD_OP]) out[op.image] ??= fs.readFileSync(path.join(dir, op.image));
  return out;
}

/** vips-edge URL API query string for an op. */
export function queryOf(op) {
  const p = [`w=${op.w}`];
  if (op.h) p.push(`h=${op.h}`);
  if (op.fit) p.push(`fit=${op.fit}`);
  p.push(`format=${op.format}`);
  if (op.q) p.push(`q=${op.q}`);
  return p.join('&');
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
