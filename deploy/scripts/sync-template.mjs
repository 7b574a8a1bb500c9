// Copies the CloudFront Function source (deploy/viewer-request.js, the part above the
// node-export marker, without its comment lines) into template.yaml's FunctionCode block. Run: npm run sync-template
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MARKER = '// --- node test export (not part of the CloudFront Function) ---';
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export function functionSource(js) {
  const at = js.indexOf(MARKER);
  if (at < 0) throw new Error(`viewer-request.js lacks the marker line: ${MARKER}`);
  // Code only: the whole-line comments stay in viewer-request.js, since the template's
  // copy counts against CloudFront Functions' 10 KB code limit.
  return js.slice(0, at).split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n').trimEnd() + '\n';
}

export function embed(template, source) {
  const lines = template.split('\n');
  const start = lines.findIndex((l) => /^\s*FunctionCode: \|\s*$/.test(l));
  if (start < 0) throw new Error('template.yaml has no "FunctionCode: |" block');
  const indent = lines[start].match(/^\s*/)[0].length;
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === '' || lines[end].match(/^\s*/)[0].length > indent)) end++;
  // keep blank lines that separate the block from the next key
  while (end > start + 1 && lines[end - 1].trim() === '') end--;
  const pad = ' '.repeat(indent + 2);
  const body = source.trimEnd().split('\n').map((l) => (l ? pad + l : ''));
  return [...lines.slice(0, start + 1), ...body, ...lines.slice(end)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tplPath = here('../template.yaml');
  const src = functionSource(readFileSync(here('../viewer-request.js'), 'utf8'));
  const before = readFileSync(tplPath, 'utf8');
  const after = embed(before, src);
  if (after !== before) writeFileSync(tplPath, after);
  console.log(after === before ? 'template.yaml already in sync' : 'template.yaml FunctionCode updated');
}
