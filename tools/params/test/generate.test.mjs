// The drift test: change src/api/params.json in a copy of the repository and watch every
// generated copy follow (or the check fail loudly, naming each stale file).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { run, loadTable, TABLE } from '../generate.mjs';
import { functionSource } from '../../../deploy/scripts/sync-template.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GENERATED = ['src/api/param_table.hpp', 'deploy/viewer-request.js', 'deploy/template.yaml', 'README.md', 'fuzz/fuzz_query.dict'];
let tmp;
const read = (rel) => readFileSync(path.join(tmp, rel), 'utf8');
const edit = (change) => {
  const table = JSON.parse(read(TABLE));
  change(table.params);
  writeFileSync(path.join(tmp, TABLE), JSON.stringify(table, null, 2));
};

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'vips-edge-params-'));
  for (const rel of [TABLE, 'src/api/config.hpp', ...GENERATED]) cpSync(path.join(ROOT, rel), path.join(tmp, rel));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the repository\'s generated copies are up to date', () => {
  assert.deepEqual(run(ROOT, { check: true }), [], 'run: node tools/params/generate.mjs');
});

test('a changed table: --check names every stale copy, the generator updates each', () => {
  assert.deepEqual(run(tmp, { check: true }), []);
  edit((params) => {
    params.splice(params.length - 1, 0, { name: 'zz', aliases: ['zzz'], id: 'Zz', kind: 'int', min: 1, max: 9, default: '5',
      doc: 'drift test', valid: ['1'], invalid: ['0'] });
    params.find((p) => p.name === 'format').values.push('jxl');
    params.find((p) => p.name === 'rot').aliases = ['turn'];
  });
  assert.deepEqual(run(tmp, { check: true }).sort(), [...GENERATED].sort(), 'every copy is stale');
  assert.deepEqual(run(tmp).sort(), [...GENERATED].sort(), 'every copy rewritten');
  assert.deepEqual(run(tmp, { check: true }), [], 'then up to date');

  // C++: the enum, the row, its aliases, the new enum value, the count.
  const cpp = read('src/api/param_table.hpp');
  assert.match(cpp, /enum class Param \{[^}]*\bProgressive, Quality, Background, [^}]*\bExpires, Zz, Sig \}/);
  assert.match(cpp, new RegExp(`kParamCount = ${JSON.parse(readFileSync(path.join(ROOT, TABLE), 'utf8')).params.length + 1};`));
  assert.match(cpp, /kZzAliases\[\] = \{"zzz"\}/);
  assert.match(cpp, /kRotateAliases\[\] = \{"turn"\}/);
  assert.match(cpp, /kFormatValues\[\] = \{"jpeg", "pjpg", "png", "webp", "avif", "auto", "json", "jxl"\}/);
  assert.match(cpp, /enum class RequestedFormat \{ Source, Jpeg, Pjpg, Png, Webp, Avif, Auto, Json, Jxl \}/, 'the generated enum follows');
  assert.match(cpp, /EnumNames<RequestedFormat> \{\n  static constexpr std::string_view names\[\] = \{"source", [^}]*"jxl"\}/);
  const row = cpp.split('{.name = ').find((r) => r.startsWith('"zz"'));
  for (const field of ['.aliases = param_table::kZzAliases', '.kind = ValueKind::Int', '.min = 1', '.max = 9', '.default_value = "5"'])
    assert.ok(row.includes(field), `zz row has ${field}`);

  // The CloudFront Function, as Node loads it and as the template embeds it.
  const fn = createRequire(path.join(tmp, 'deploy/x.js'))('./viewer-request.js');
  assert.equal(fn.canonicalQuery(fn.parseQuery('zzz=3&turn=90&fm=jxl&rotate=90')), 'rot=90&format=jxl&zz=3', 'rotate is no longer a spelling');
  assert.equal(fn.canonicalQuery(fn.parseQuery('zz=5')), 'dpr=1', 'the new default is dropped');
  const template = read('deploy/template.yaml');
  const source = functionSource(read('deploy/viewer-request.js'));
  const indented = source.trimEnd().split('\n').map((l) => (l ? `        ${l}` : '')).join('\n');
  assert.ok(template.includes(indented), 'the template embeds the regenerated function');
  const ctx = vm.createContext({});  // and it runs as CloudFront runs it: no module, no require
  vm.runInContext(source, ctx);
  const request = ctx.handler({ request: { querystring: fn.parseQuery('zzz=4&w=1'), headers: {} } });
  assert.equal(request.querystring, 'w=1&zz=4');
  assert.match(template, /\{"n":"zz","a":\["zzz"\],"d":"5"\}/, 'embedded function has the row');
  assert.doesNotMatch(template, /- rotate\n/);

  // README and the fuzz dictionary.
  assert.match(read('README.md'), /\| `zz` \(`zzz`\) \| integer 1\.\.9 \| `5` \| drift test \|/);
  assert.match(read('README.md'), /`auto` `json` `jxl`/);
  assert.match(read('fuzz/fuzz_query.dict'), /^"zzz="$/m);
  assert.match(read('fuzz/fuzz_query.dict'), /^"format=jxl"$/m);
});

test('a malformed table fails loudly, naming the row', () => {
  const bad = (change, message) => {
    const saved = read(TABLE);
    edit(change);
    assert.throws(() => run(tmp), message);
    writeFileSync(path.join(tmp, TABLE), saved);
  };
  const w = (p) => p.find((x) => x.name === 'w');
  bad((p) => { w(p).aliases.push('height'); }, /h: "height" is also a spelling of w/);
  bad((p) => { w(p).kind = 'integer'; }, /w: kind must be one of/);
  bad((p) => { p.find((x) => x.name === 'fp').conflicts = ['pos', 'nope']; }, /fp: refers to unknown parameter nope/);
  bad((p) => { p.find((x) => x.name === 'pos').conflicts = []; }, /fp: conflict with pos must be listed on both/);
  bad((p) => { p.push(p.shift()); }, /sig must be the last row/);
  bad((p) => { p.find((x) => x.name === 'enlarge').default = '2'; }, /enlarge: default is not a value/);
  bad((p) => { p.find((x) => x.name === 'fit').auto = 'sd'; }, /fit: auto is for a single int or decimal/);
  bad((p) => { p.find((x) => x.name === 'h').auto = 'h'; }, /h: auto must name a key of x-vips-edge-hints/);
  bad((p) => { p.find((x) => x.name === 'h').auto = 'w'; }, /auto w is on two rows/);
});

test('a copy without its markers fails loudly', () => {
  const saved = read('README.md');
  writeFileSync(path.join(tmp, 'README.md'), saved.replace('<!-- params:start', '<!-- nothing'));
  assert.throws(() => run(tmp), /README\.md: markers not found/);
  writeFileSync(path.join(tmp, 'README.md'), saved);
});

test('q\'s default is the config\'s, read from src/api/config.hpp: a changed default changes README', () => {
  const q = loadTable(ROOT).find((p) => p.name === 'q');
  assert.equal(q.defaultDoc, "the config's `jpegQuality` 80, `webpQuality` 75, `avifQuality` 50");
  const header = read('src/api/config.hpp');
  writeFileSync(path.join(tmp, 'src/api/config.hpp'), header.replace('int avif_quality = 50;', 'int avif_quality = 55;'));
  try {
    run(tmp);
    assert.match(read('README.md'), /`avifQuality` 55 \| lossy quality/);
    writeFileSync(path.join(tmp, 'src/api/config.hpp'), header.replace('int avif_quality = 50;', 'int avif_q = 50;'));
    assert.throws(() => run(tmp), /no integer default for avif_quality/);
  } finally {
    writeFileSync(path.join(tmp, 'src/api/config.hpp'), header);
    run(tmp);
  }
});

test('the client-hint ladder reaches the CloudFront Function from src/api/config.hpp; auto reaches every copy', () => {
  const header = read('src/api/config.hpp');
  try {
    writeFileSync(path.join(tmp, 'src/api/config.hpp'), header.replace('std::vector<double> dprs = {1, 2, 3};', 'std::vector<double> dprs = {1, 1.5, 2};'));
    run(tmp);
    assert.match(read('deploy/viewer-request.js'), /^var LADDER = \{"widths":\[320,.*\],"dprs":\[1,1\.5,2\]\};$/m);
    assert.match(read('deploy/template.yaml'), /var LADDER = \{"widths":\[320,.*"dprs":\[1,1\.5,2\]\};/);
    writeFileSync(path.join(tmp, 'src/api/config.hpp'), header.replace('std::vector<double> dprs', 'std::vector<double> dpr_ladder'));
    assert.throws(() => run(tmp), /no default list for ClientHintsConfig::dprs/);
  } finally {
    writeFileSync(path.join(tmp, 'src/api/config.hpp'), header);
    run(tmp);
  }
  assert.match(read('deploy/viewer-request.js'), /\{"n":"w","a":\["width"\],"h":"w"\}/);
  assert.match(read('src/api/param_table.hpp'), /\.name = "q".*\.auto_hint = "sd"\}/);
  assert.match(read('README.md'), /\| `dpr` \| number 1\.\.4, or `auto` \|/);
});

test('the table loads with every row complete', () => {
  const params = loadTable(ROOT);
  assert.ok(params.length >= 17);
  for (const p of params) assert.ok(p.doc, `${p.name}: doc`);
});
