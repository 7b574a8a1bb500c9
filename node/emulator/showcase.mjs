// `make serve`'s showcase (SHOWCASE=1, the Makefile's default for serve): the
// playground shows what a default config hides. Merged UNDER the user's
// config (their keys win):
//   svg: passthrough   drawing.svg comes back unchanged, with its sandboxing CSP
//   fallback: a bundled placeholder, so "missing-image.jpg" (listed, absent
//             from the origin) answers 404 with the placeholder, transformed,
//             and x-vips-edge-error says what happened.
//   watermarks: "logo", fixtures/images/logo-alpha.png bundled: wm=logo
//             composites it at the bottom right (wms, wmo change it).
import * as fs from 'node:fs';
import { encodePng } from './harness.mjs';

export const SHOWCASE_FALLBACK_FILE = 'playground-fallback.png';
export const SHOWCASE_LOGO_FILE = 'playground-logo.png';
/** The showcase's overlay: a 64x32 RGBA logo (fixtures/images/README.md). */
export function logoPng() {
  return fs.readFileSync(new URL('../../fixtures/images/logo-alpha.png', import.meta.url));
}
/** The list entry the playground shows for a missing image. */
export const SHOWCASE_MISSING = { path: 'missing-image.jpg', bytes: 0, image: true, missing: true };

export const SHOWCASE_CONFIG = {
  svg: 'passthrough',
  fallback: { file: SHOWCASE_FALLBACK_FILE },
  watermarks: { logo: { file: SHOWCASE_LOGO_FILE, gravity: 'southeast', margin: 12, size: 0.2, opacity: 0.85 } },
};

/** A 480x320 placeholder: light grey, darker diagonal stripes, a frame. */
export function placeholderPng(width = 480, height = 320) {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const frame = x < 8 || y < 8 || x >= width - 8 || y >= height - 8;
      const stripe = ((x + y) >> 4) % 2 === 0;
      const v = frame ? 150 : stripe ? 224 : 208;
      px.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  return encodePng(width, height, 3, px);
}
