// The URL API's parameter table (src/api/params.json), read at run time: the
// cache policy's query-string names and the playground's form come from it,
// so the emulator has no copy to keep in step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PARAMS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/api/params.json');

/** The rows of src/api/params.json, in canonical order. */
export const PARAMS = Object.freeze(JSON.parse(fs.readFileSync(PARAMS_FILE, 'utf8')).params);
