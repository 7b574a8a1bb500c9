#!/usr/bin/env node
// Writes every copy of the URL API's parameter table from src/api/params.json:
//
//   src/api/param_table.hpp   the C++ rows (Param enum + kParams), read by the parser
//   deploy/viewer-request.js  the CloudFront Function's table (between its GENERATED markers)
//   deploy/template.yaml      the function's code (the cache policy keys on every query string,
//                             which the function has made canonical)
//   README.md                 the URL API table (between <!-- params:start/end -->)
//   fuzz/fuzz_query.dict      the libFuzzer dictionary (names, values, hostile values)
//
// The emulator and the playground read params.json at run time (no copy).
//
//   node tools/params/generate.mjs            rewrite the copies that differ
//   node tools/params/generate.mjs --check    exit 1 naming every stale copy (make test)
//   --root DIR                                 work on another checkout (the drift test)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { embed, functionSource } from '../../deploy/scripts/sync-template.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TABLE = 'src/api/params.json';
const KINDS = ['int', 'decimal', 'enum', 'colour', 'text'];
// Where the config's defaults are defined (the C++ struct's initialisers).
const CONFIG_HEADER = 'src/api/config.hpp';

/** The default of config key `key` ("avifQuality"), read from Config's member (avif_quality = 50). */
function configDefault(root, key) {
  const member = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const m = readFileSync(path.join(root, CONFIG_HEADER), 'utf8').match(new RegExp(`\\s${member} = ([0-9']+);`));
  if (!m) throw new Error(`${CONFIG_HEADER}: no integer default for ${member} (config key ${key})`);
  return Number(m[1].replaceAll("'", ''));
}

// ------------------------------------------------------------------ table ---

/** Reads and checks the table: a malformed row fails loudly here, not in a copy. */
export function loadTable(root) {
  const table = JSON.parse(readFileSync(path.join(root, TABLE), 'utf8'));
  const params = table.params;
  const spellings = new Map();
  const fail = (p, why) => { throw new Error(`${TABLE}: ${p.name ?? JSON.stringify(p)}: ${why}`); };
  for (const p of params) {
    if (!/^[a-z][a-z0-9]*$/.test(p.name ?? '')) fail(p, 'name must be lower-case letters/digits');
    if (!/^[A-Z][A-Za-z0-9]*$/.test(p.id ?? '')) fail(p, 'id must be a C++ identifier starting upper-case');
    if (!KINDS.includes(p.kind)) fail(p, `kind must be one of ${KINDS.join(', ')}`);
    p.aliases ??= [];
    for (const n of [p.name, ...p.aliases]) {
      if (spellings.has(n)) fail(p, `"${n}" is also a spelling of ${spellings.get(n)}`);
      spellings.set(n, p.name);
    }
    if (p.kind === 'enum' && !(p.values?.length)) fail(p, 'an enum needs values');
    if ((p.kind === 'int' || p.kind === 'decimal') && (p.min === undefined || p.max === undefined)) fail(p, 'needs min and max');
    for (const [alias, value] of Object.entries(p.valueAliases ?? {}))
      if (!p.values.includes(value) || p.values.includes(alias)) fail(p, `value alias ${alias} -> ${value}`);
    if (p.default !== undefined && p.kind === 'enum' && !p.values.includes(p.default)) fail(p, 'default is not a value');
    if (p.defaultWhen && !p.values?.includes(p.defaultWhen.value)) fail(p, 'defaultWhen.value is not a value');
    if (p.auto !== undefined) {
      if (!['int', 'decimal'].includes(p.kind) || p.fields) fail(p, 'auto is for a single int or decimal');
      if (!['w', 'dpr', 'sd'].includes(p.auto)) fail(p, 'auto must name a key of x-vips-edge-hints: w, dpr or sd');
      if (params.filter((q) => q.auto === p.auto).length > 1) fail(p, `auto ${p.auto} is on two rows`);
    }
    if (p.defaultFromConfig) {
      if (p.defaultDoc) fail(p, 'defaultFromConfig or defaultDoc, not both');
      p.defaultDoc = `the config's ${p.defaultFromConfig.map((key) => `\`${key}\` ${configDefault(root, key)}`).join(', ')}`;
    }
    if (p.cpp) {
      if (p.kind !== 'enum') fail(p, 'cpp.enum is for enum parameters');
      if (!/^[A-Z][A-Za-z0-9]*$/.test(p.cpp.enum ?? '')) fail(p, 'cpp.enum must be a C++ type name');
      const ids = enumIds(p);
      for (const v of Object.keys(p.cpp.ids ?? {})) if (!p.values.includes(v)) fail(p, `cpp.ids names ${v}, not a value`);
      if (ids.some((id) => !/^[A-Z][A-Za-z0-9]*$/.test(id)) || new Set(ids).size !== ids.length) fail(p, 'cpp.ids must be distinct C++ identifiers');
      if (p.cpp.absent && p.values.includes(p.cpp.absent.name)) fail(p, 'cpp.absent.name must not be a value');
    }
  }
  const names = new Set(params.map((p) => p.name));
  for (const p of params) {
    for (const n of [...(p.conflicts ?? []), ...(p.defaultWhen?.present ?? [])])
      if (!names.has(n)) fail(p, `refers to unknown parameter ${n}`);
    for (const n of p.conflicts ?? [])
      if (!(params.find((q) => q.name === n).conflicts ?? []).includes(p.name)) fail(p, `conflict with ${n} must be listed on both`);
  }
  if (params.at(-1)?.name !== 'sig') fail(params.at(-1) ?? {}, 'sig must be the last row (it ends the canonical query)');
  return params;
}

// The C++ enumerators of an enum parameter: the absent one first, then one a
// value (cpp.ids, else the value capitalised: "cover" -> Cover).
const enumIds = (p) => [
  ...(p.cpp.absent ? [p.cpp.absent.id] : []),
  ...p.values.map((v) => p.cpp.ids?.[v] ?? v[0].toUpperCase() + v.slice(1)),
];

const maxOf = (p) => (typeof p.max === 'object' ? p.max.default : p.max);

// ---------------------------------------------------------------- C++ rows ---

const cppString = (s) => JSON.stringify(s); // the table's strings are ASCII
const cppNumber = (n) => String(n);

export function cppTable(params) {
  const arrays = [];
  const array = (id, suffix, items, type = 'std::string_view', render = cppString) => {
    if (!items?.length) return null;
    arrays.push(`inline constexpr ${type} k${id}${suffix}[] = {${items.map(render).join(', ')}};`);
    return `param_table::k${id}${suffix}`;
  };
  // Every field, in declaration order (designated initializers; GCC's
  // -Wmissing-field-initializers wants them all).
  const rowFields = (p) => ({
    name: cppString(p.name),
    aliases: array(p.id, 'Aliases', p.aliases),
    kind: `ValueKind::${p.kind[0].toUpperCase()}${p.kind.slice(1)}`,
    fields: String(p.fields?.length ?? 1),
    min: cppNumber(p.min ?? 0),
    max: cppNumber(p.max === undefined ? 0 : maxOf(p)),
    max_from: `ConfigMax::${{ maxWidth: 'Width', maxHeight: 'Height' }[p.max?.config] ?? 'None'}`,
    values: array(p.id, 'Values', p.values),
    value_aliases: array(p.id, 'ValueAliases', Object.entries(p.valueAliases ?? {}), 'ValueAlias',
      ([a, v]) => `{${cppString(a)}, ${cppString(v)}}`),
    default_value: cppString(p.default ?? ''),
    default_when_present: array(p.id, 'DefaultWhen', p.defaultWhen?.present),
    default_when_value: cppString(p.defaultWhen?.value ?? ''),
    conflicts: array(p.id, 'Conflicts', p.conflicts),
    auto_hint: cppString(p.auto ?? ''),
  });
  const rows = params.map((p) => {
    const fields = Object.entries(rowFields(p)).map(([k, v]) => `.${k} = ${v ?? '{}'}`);
    return `    {${fields.join(', ')}},`;
  });
  const enums = params.filter((p) => p.cpp).map((p) => {
    const ids = enumIds(p);
    const names = [...(p.cpp.absent ? [p.cpp.absent.name] : []), ...p.values];
    const E = p.cpp.enum;
    return `// ${p.name}=${p.cpp.absent ? ` (absent: ${p.cpp.absent.name})` : ''}
enum class ${E} { ${ids.join(', ')} };
template <> struct EnumNames<${E}> {
  static constexpr std::string_view names[] = {${names.map(cppString).join(', ')}};
};
inline const char *to_string(${E} v) { return enum_name(v); }`;
  });
  return `// GENERATED by tools/params/generate.mjs from src/api/params.json: edit the JSON,
// then run \`node tools/params/generate.mjs\` (make test fails while this is stale).
#pragma once

#include <cstddef>
#include <string_view>

#include "api/param_def.hpp"

namespace vips_edge {

// Every URL API parameter, in canonical order.
enum class Param { ${params.map((p) => p.id).join(', ')} };
inline constexpr std::size_t kParamCount = ${params.length};

// The C++ enum of each enum parameter that has one (its "cpp" field): the
// enumerators in the table's value order, their URL names (to_string) and the
// reverse (enum_named<E>, param_def.hpp).
${enums.join('\n\n')}

namespace param_table {
${arrays.join('\n')}
}  // namespace param_table

// Indexed by Param, one row a line.
inline constexpr ParamDef kParams[kParamCount] = {
${rows.join('\n')}
};

}  // namespace vips_edge
`;
}

// ------------------------------------------------------- CloudFront Function ---

export const JS_BEGIN = '// BEGIN GENERATED from src/api/params.json by tools/params/generate.mjs (do not edit)';
export const JS_END = '// END GENERATED';

/**
 * The client-hint ladder's defaults (config.json clientHints), read from ClientHintsConfig's
 * initialisers in src/api/config.hpp: the CloudFront Function's LADDER, which make deploy
 * replaces with the package's own clientHints (deploy/scripts/ladder.mjs).
 */
export function hintLadder(root) {
  const header = readFileSync(path.join(root, CONFIG_HEADER), 'utf8');
  const list = (member) => {
    const m = header.match(new RegExp(`std::vector<(?:int|double)> ${member} = \\{([0-9., ]+)\\};`));
    if (!m) throw new Error(`${CONFIG_HEADER}: no default list for ClientHintsConfig::${member}`);
    return m[1].split(',').map(Number);
  };
  return { widths: list('widths'), dprs: list('dprs') };
}

/** The function's table: short keys, one row a line (the 10 KB code limit). */
export function jsTable(params, ladder) {
  const rows = params.map((p) => {
    const r = { n: p.name };
    if (p.aliases.length) r.a = p.aliases;
    if (p.kind === 'decimal') r.k = 'd';
    if (p.kind === 'colour') r.k = 'c';
    if (p.valueAliases) r.v = p.valueAliases;
    if (p.default !== undefined) r.d = p.default;
    if (p.defaultWhen) r.w = [...p.defaultWhen.present, p.defaultWhen.value];
    if (p.conflicts) r.x = p.conflicts;
    if (p.auto) r.h = p.auto;
    return `    ${JSON.stringify(r)}`;
  });
  return `${JS_BEGIN}
// n name, a aliases, k d=decimal c=colour (normalised spellings), v value aliases,
// d default, w [params..., default when all of them are given], x conflicts,
// h the x-vips-edge-hints key its value auto asks for.
var PARAMS = [
${rows.join(',\n')}
];
// The client-hint ladder (src/api/config.hpp ClientHintsConfig defaults).
var LADDER = ${JSON.stringify(ladder)};
${JS_END}`;
}

function replaceBetween(text, begin, end, block, file) {
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a);
  if (a < 0 || b < 0) throw new Error(`${file}: markers not found (${begin} ... ${end})`);
  return text.slice(0, a) + block + text.slice(b + end.length);
}

// --------------------------------------------------------------- template ---

// ----------------------------------------------------------------- README ---

const code = (s) => `\`${s}\``;
function valuesDoc(p) {
  if (p.valuesDoc) return p.valuesDoc;
  const range = (unit) => {
    const max = typeof p.max === 'object' ? `${code(p.max.config)} (${p.max.default})` : p.max;
    return `${unit} ${p.min}..${max}`;
  };
  switch (p.kind) {
    case 'int': return range('integer');
    case 'decimal': return range('number');
    case 'enum': {
      const aliasOf = Object.fromEntries(Object.entries(p.valueAliases ?? {}).map(([a, v]) => [v, a]));
      return p.values.map((v) => (aliasOf[v] ? `${code(v)} (${code(aliasOf[v])})` : code(v))).join(' ');
    }
    default: return 'text';
  }
}
const withAuto = (p) => valuesDoc(p) + (p.auto ? ', or `auto`' : '');

export function readmeTable(params) {
  const rows = params.map((p) => {
    const name = code(p.name) + (p.aliases.length ? ` (${p.aliases.map(code).join(', ')})` : '');
    const def = p.defaultDoc ?? (p.default !== undefined ? code(p.default) : '—');
    return `| ${name} | ${withAuto(p)} | ${def} | ${p.doc} |`;
  });
  return `<!-- params:start (generated from src/api/params.json by tools/params/generate.mjs) -->
| param (alias) | values | default | meaning |
|---|---|---|---|
${rows.join('\n')}
<!-- params:end -->`;
}

// ------------------------------------------------------------ fuzz dictionary ---

function dictEntry(s) {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `"${out}"`;
}

export function fuzzDict(params) {
  const words = new Set(['&', '=', ',', '%', '%00', '%zz', '%ff', '+', '.', ';']);
  for (const p of params) {
    for (const n of [p.name, ...p.aliases]) words.add(`${n}=`).add(`&${n}=`);
    for (const v of [...(p.values ?? []), ...Object.keys(p.valueAliases ?? {}), ...(p.valid ?? []), ...(p.invalid ?? [])]) {
      words.add(v);
      words.add(`${p.name}=${v}`);
    }
    if (p.min !== undefined) words.add(String(p.min)).add(String(maxOf(p)));
  }
  return `# GENERATED by tools/params/generate.mjs from src/api/params.json (libFuzzer -dict=).
# Every spelling, every value and the table's valid and hostile examples.
${[...words].map(dictEntry).join('\n')}
`;
}

// ------------------------------------------------------------------- files ---

/** Every generated file: relative path -> its expected text given the current text. */
export function outputs(root) {
  const params = loadTable(root);
  const read = (rel) => readFileSync(path.join(root, rel), 'utf8');
  const js = replaceBetween(read('deploy/viewer-request.js'), JS_BEGIN, JS_END, jsTable(params, hintLadder(root)), 'deploy/viewer-request.js');
  const template = embed(read('deploy/template.yaml'), functionSource(js));
  return {
    'src/api/param_table.hpp': cppTable(params),
    'deploy/viewer-request.js': js,
    'deploy/template.yaml': template,
    'README.md': replaceBetween(read('README.md'), '<!-- params:start', '<!-- params:end -->', readmeTable(params), 'README.md'),
    'fuzz/fuzz_query.dict': fuzzDict(params),
  };
}

export function run(root, { check = false } = {}) {
  const stale = [];
  for (const [rel, text] of Object.entries(outputs(root))) {
    const file = path.join(root, rel);
    let current = null;
    try { current = readFileSync(file, 'utf8'); } catch { /* missing: stale */ }
    if (current === text) continue;
    stale.push(rel);
    if (!check) writeFileSync(file, text);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const r = args.indexOf('--root');
  const root = r >= 0 ? path.resolve(args[r + 1]) : path.resolve(HERE, '../..');
  try {
    const stale = run(root, { check });
    if (check && stale.length) {
      console.error(`generated copies of ${TABLE} are stale: ${stale.join(', ')}\nrun: node tools/params/generate.mjs`);
      process.exit(1);
    }
    console.log(check ? 'generated copies of the parameter table are up to date'
      : stale.length ? `rewrote ${stale.join(', ')}` : 'every generated copy already up to date');
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
