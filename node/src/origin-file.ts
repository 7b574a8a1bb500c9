// A file bundled in the package (the fallback image's "file", copied there
// by node/scripts/package.mjs): read as if fetched. The C++ names it (a
// plain file name, checked by parse_config); a missing file is a 404, which
// the C++ answers with the error the fallback stood in for.
import * as fs from 'node:fs/promises';
import type { FileOrigin } from './engine-messages';
import { packageFile } from './package-files';
import { EMPTY_BODY, type FetchResult } from './origin-types';

export async function fetchFile(origin: FileOrigin): Promise<FetchResult> {
  let data: Buffer;
  try {
    const { size } = await fs.stat(packageFile(origin.file));
    if (size > origin.maxBytes) return { outcome: { error: 'too_large', message: `${origin.file} is ${size} bytes, over ${origin.maxBytes}` }, body: EMPTY_BODY };
    data = await fs.readFile(packageFile(origin.file));
  } catch {
    return { outcome: { status: 404, headers: {} }, body: EMPTY_BODY };
  }
  return { outcome: { status: 200, headers: {} }, body: { chunks: [data], length: data.length } };
}
