// Where the packaged files live: next to the bundle (dist/package/, or
// /var/task on Lambda). index.js is a CommonJS bundle, so __dirname is it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const packageDir: string = __dirname;

export function packageFile(name: string): string {
  return path.join(packageDir, name);
}

export function readPackageText(name: string): string {
  return fs.readFileSync(packageFile(name), 'utf8');
}
