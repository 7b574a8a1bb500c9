// The CloudFront Function's client-hint ladder from the package's config.json.
// The Function cannot read config.json, so the ladder reaches it where it is
// deployed: `make deploy` (deploy/deploy.sh) deploys a copy of template.yaml
// whose embedded Function says the config's clientHints.widths/dprs, and the
// emulator sets the same ladder on the Function it runs (node/emulator). The
// Function's generated LADDER (src/api/config.hpp's defaults) stays for what
// the config leaves out. The C++ checks x-vips-edge-hints against the same
// config, so both round alike.
//   node deploy/scripts/ladder.mjs ZIP TEMPLATE OUT   (OUT: the template to deploy)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Function's generated ladder (the C++ defaults). */
export const DEFAULT_LADDER = Object.freeze(structuredClone(require('../viewer-request.js').LADDER));

/** The ladder `config` (config.json's object) asks for. */
export function configLadder(config) {
  const hints = config?.clientHints ?? {};
  return { widths: hints.widths ?? DEFAULT_LADDER.widths, dprs: hints.dprs ?? DEFAULT_LADDER.dprs };
}

const LADDER_LINE = /var LADDER = \{[^\n]*\};/g;

/** `text` (viewer-request.js or template.yaml) with its one LADDER line saying `ladder`. */
export function withLadder(text, ladder) {
  const found = text.match(LADDER_LINE) ?? [];
  if (found.length !== 1) throw new Error(`expected one "var LADDER = {...};" line, found ${found.length}`);
  return text.replace(LADDER_LINE, `var LADDER = ${JSON.stringify({ widths: ladder.widths, dprs: ladder.dprs })};`);
}

/** config.json's object inside the function zip (fflate: node/node_modules, there once `make package` ran). */
export function zipConfig(zipPath) {
  const { unzipSync } = createRequire(fileURLToPath(new URL('../../node/package.json', import.meta.url)))('fflate');
  const files = unzipSync(readFileSync(zipPath), { filter: (f) => f.name === 'config.json' });
  if (!files['config.json']) throw new Error(`${zipPath} has no config.json`);
  return JSON.parse(Buffer.from(files['config.json']).toString('utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [zip, template, out] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node deploy/scripts/ladder.mjs ZIP TEMPLATE OUT');
    process.exit(2);
  }
  const ladder = configLadder(zipConfig(zip));
  writeFileSync(out, withLadder(readFileSync(template, 'utf8'), ladder));
  console.log(`client-hint ladder: widths ${ladder.widths.join(',')}; dprs ${ladder.dprs.join(',')}`);
}
