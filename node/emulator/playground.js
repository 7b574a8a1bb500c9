// vips-edge playground: builds a URL API request from a form generated from the
// parameter table (src/api/params.json, served at /__emulator/params), fetches it
// through the emulator (so x-cache, status and the JSON error body are visible),
// and shows the result beside the original with both sizes and the bytes saved.
// With signing configured the emulator signs the URL (/__emulator/sign) and the
// signed URL is what is fetched and shown. No framework, no network beyond the emulator.
const $ = (id) => document.getElementById(id);
const state = $('state');
let PARAMS = [];   // the table's rows, in canonical order
let signing = false;
let current = null; // image path
let seq = 0;
const objectUrls = {};
const originals = new Map(); // path -> { bytes, type, blob }

function fmtBytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB (${n})` : `${(n / 1048576).toFixed(2)} MiB (${n})`;
}

// ------------------------------------------------------------------ the form ---

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** One form row for a table row: a select for enums, a number for single numbers, text otherwise. */
function control(p) {
  const title = `${p.doc}`.replace(/`/g, '');
  if (p.kind === 'enum') {
    const def = p.defaultDoc ? 'default' : p.default !== undefined ? p.default : 'none';
    const select = el('select', { id: p.name, name: p.name, title }, el('option', { value: '', textContent: `(${def.replace(/`/g, '')})` }));
    for (const v of [...p.values, ...Object.keys(p.valueAliases ?? {})]) select.append(el('option', { value: v, textContent: v }));
    return select;
  }
  const max = typeof p.max === 'object' ? p.max.default : p.max;
  if (p.auto) { // a number or `auto` (client hints): a number input cannot hold the word
    const input = el('input', { id: p.name, name: p.name, type: 'text', inputMode: 'decimal', placeholder: `${p.default ?? '—'} or auto`, title });
    input.setAttribute('list', 'auto-values');
    return input;
  }
  if ((p.kind === 'int' || p.kind === 'decimal') && !p.fields) {
    return el('input', { id: p.name, name: p.name, type: 'number', min: p.min, max, step: p.kind === 'int' ? 1 : 'any',
      placeholder: p.default ?? '—', title });
  }
  const placeholder = p.fields ? p.fields.join(',') : p.kind === 'colour' ? 'ffffff' : '';
  return el('input', { id: p.name, name: p.name, type: 'text', placeholder, title });
}

function buildForm() {
  const rows = $('param-rows');
  rows.textContent = '';
  rows.append(el('datalist', { id: 'auto-values' }, el('option', { value: 'auto' })));
  for (const p of PARAMS) {
    if (p.name === 'sig') continue; // signed by the emulator when signing is on
    const label = el('label', { htmlFor: p.name }, p.name);
    if (p.aliases?.length) label.append(el('small', { textContent: p.aliases.join(', ') }));
    let input = control(p);
    if (p.name === 'q') { // a slider beside quality
      input = el('div', { className: 'inline' }, el('input', { id: 'q-range', type: 'range', min: 1, max: 100, value: 80, ariaLabel: 'quality slider' }), input);
      input.lastChild.style.width = '60px';
    } else if (p.kind === 'colour') { // a colour picker beside hex colours
      input = el('div', { className: 'inline' }, input, el('input', { id: `${p.name}-color`, type: 'color', value: '#ffffff', ariaLabel: `${p.name} colour` }));
    }
    rows.append(el('div', { className: 'row' }, label, input));
  }
}

const names = () => PARAMS.filter((p) => p.name !== 'sig').map((p) => p.name);
const value = (name) => $(name).value.trim();

/** The client-hint fields as request headers (only those filled in). */
function hintHeaders() {
  const h = {};
  if ($('hint-width').value.trim()) h.Width = $('hint-width').value.trim();
  if ($('hint-dpr').value.trim()) h.DPR = $('hint-dpr').value.trim();
  if ($('hint-save-data').checked) h['Save-Data'] = 'on';
  return h;
}

function buildTarget() {
  const qs = [];
  for (const name of names()) if (value(name) !== '') qs.push(`${name}=${encodeURIComponent(value(name)).replace(/%2C/g, ',')}`);
  const path = '/' + current.split('/').map(encodeURIComponent).join('/');
  return path + (qs.length ? `?${qs.join('&')}` : '');
}

function syncFromLocation() {
  const u = new URL(location.href);
  for (const name of names()) if (u.searchParams.has(name)) $(name).value = u.searchParams.get(name);
  if (u.searchParams.has('image')) current = u.searchParams.get('image');
  syncWidgets();
}

/** The colour picker and the quality slider follow the text fields. */
function syncWidgets() {
  const bg = $('bg')?.value.trim() ?? '';
  if (/^[0-9a-f]{6}$/i.test(bg)) $('bg-color').value = `#${bg.toLowerCase()}`;
  else if (/^[0-9a-f]{3}$/i.test(bg)) $('bg-color').value = `#${[...bg.toLowerCase()].map((c) => c + c).join('')}`;
  if ($('q') && /^\d+$/.test($('q').value)) $('q-range').value = $('q').value;
}

function syncToLocation() {
  const u = new URL(location.href);
  u.search = '';
  u.searchParams.set('image', current);
  for (const name of names()) if (value(name) !== '') u.searchParams.set(name, value(name));
  history.replaceState(null, '', u);
}

// ------------------------------------------------------------------ results ---

function setFact(id, text, cls) {
  $(id).textContent = text;
  if (cls !== undefined) $(id).className = cls;
}

function showImage(id, blob) {
  const img = $(id);
  if (objectUrls[id]) URL.revokeObjectURL(objectUrls[id]);
  objectUrls[id] = URL.createObjectURL(blob);
  return new Promise((resolve) => {
    img.onload = () => { img.hidden = false; resolve(`${img.naturalWidth} × ${img.naturalHeight}`); };
    img.onerror = () => { img.hidden = true; resolve('undecodable in this browser'); };
    img.src = objectUrls[id];
  });
}

/** The original (the URL without a query: a passthrough, as CloudFront serves it), once per image. */
async function original(path) {
  if (!originals.has(path)) {
    const res = await fetch('/' + path.split('/').map(encodeURIComponent).join('/'), { cache: 'no-store' });
    const blob = await res.blob();
    originals.set(path, { ok: res.ok, type: res.headers.get('content-type') ?? '', blob });
  }
  return originals.get(path);
}

async function signed(target) {
  const res = await fetch(`/__emulator/sign?target=${encodeURIComponent(target)}`, { cache: 'no-store' });
  return (await res.json()).url;
}

async function run() {
  if (!current) return;
  const my = ++seq;
  let url = buildTarget();
  syncToLocation();
  state.dataset.state = 'loading';
  $('error-box').hidden = true;
  $('json-view').hidden = true;
  const t0 = performance.now();
  let res, blob, orig;
  try {
    if (signing) {
      url = await signed(url);
      $('signed-url').value = new URL(url, location.href).href;
    }
    $('url').value = new URL(url, location.href).href;
    $('open-link').href = url;
    res = await fetch(url, { headers: { Accept: $('accept').value, ...hintHeaders() }, cache: 'no-store' });
    blob = await res.blob();
    orig = await original(current);
  } catch (err) {
    if (my !== seq) return;
    setFact('out-status', 'network error', 'bad');
    $('error-box').textContent = String(err);
    $('error-box').hidden = false;
    state.dataset.state = 'done';
    return;
  }
  const ms = performance.now() - t0;
  if (my !== seq) return;
  const type = res.headers.get('content-type') ?? '';
  // A fallback image (config "fallback") carries the error it stands in for.
  const fallback = res.headers.get('x-vips-edge-error');
  setFact('out-status', `${res.status} ${res.statusText}${fallback ? ` (fallback image for ${fallback})` : ''}`, res.ok && !fallback ? 'ok' : 'bad');
  setFact('out-type', type || '—');
  setFact('out-bytes', fmtBytes(blob.size));
  setFact('out-time', `${ms.toFixed(0)} ms`);
  setFact('out-cache', res.headers.get('x-cache') ?? '—');
  setFact('out-vary', res.headers.get('vary') ?? '—');
  setFact('out-cc', res.headers.get('cache-control') ?? '—');
  setFact('orig-bytes', orig.ok ? fmtBytes(orig.blob.size) : '—');
  $('headers-box').textContent = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  const saved = orig.blob.size - blob.size;
  setFact('saved', res.ok && orig.ok ? `${fmtBytes(Math.abs(saved))} ${saved >= 0 ? 'saved' : 'more'} (${((100 * saved) / orig.blob.size).toFixed(0)} %)` : '—',
    saved >= 0 ? 'ok' : 'bad');
  const shown = [];
  shown.push(orig.ok && orig.type.startsWith('image/') ? showImage('original-img', orig.blob).then((d) => setFact('orig-dims', d))
    : Promise.resolve(setFact('orig-dims', '—')));

  const img = $('result-img');
  if (res.status === 200 && type.startsWith('application/json')) {
    // format=json: the description, and its dominant colour.
    img.hidden = true;
    const body = JSON.parse(await blob.text());
    $('json-box').textContent = JSON.stringify(body, null, 2);
    $('dominant-swatch').style.background = body.dominant ?? 'transparent';
    $('json-view').hidden = false;
    setFact('out-dims', body.output ? `${body.output.width} × ${body.output.height} (json)` : '—');
  } else if (!type.startsWith('image/')) {
    img.hidden = true;
    img.removeAttribute('src');
    setFact('out-dims', '—');
    let text = await blob.text();
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: show as is */ }
    $('error-box').textContent = text.length > 4000 ? text.slice(0, 4000) + '…' : text;
    $('error-box').hidden = false;
  } else {
    shown.push(showImage('result-img', blob).then((d) => { if (my === seq) setFact('out-dims', d); }));
  }
  await Promise.all(shown);
  if (my === seq) state.dataset.state = 'done';
}

let timer = null;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

function select(path) {
  current = path;
  for (const b of document.querySelectorAll('#images button')) {
    b.setAttribute('aria-current', String(b.dataset.path === path));
    if (b.dataset.path === path) b.scrollIntoView({ block: 'nearest' });
  }
  run();
}

async function loadImages() {
  const res = await fetch('/__emulator/images', { cache: 'no-store' });
  const { images } = await res.json();
  const ul = $('images');
  ul.textContent = '';
  for (const img of images) {
    const b = el('button', { type: 'button' }, el('span', { textContent: img.path }),
      el('small', { textContent: img.bytes < 1024 ? `${img.bytes} B` : `${Math.round(img.bytes / 1024)} KB` }));
    b.dataset.path = img.path;
    if (!img.image) {
      b.classList.add('non-image');
      b.title = 'not an image: a transform of it shows the 415 error';
    }
    if (img.missing) {
      b.classList.add('non-image');
      b.title = 'not on the origin: a transform of it shows the fallback image';
    }
    b.addEventListener('click', () => select(img.path));
    ul.append(el('li', {}, b));
  }
  if (!current || !images.some((i) => i.path === current)) current = (images.find((i) => i.image) ?? images[0])?.path ?? null;
  select(current);
}

async function start() {
  const [{ params }, info] = await Promise.all([
    fetch('/__emulator/params', { cache: 'no-store' }).then((r) => r.json()),
    fetch('/__emulator/info', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({})),
  ]);
  PARAMS = params;
  signing = Boolean(info.config?.signing);
  $('signed-row').hidden = !signing;
  $('mode').textContent = `local CloudFront emulator · origin: ${info.mode ?? '?'}${signing ? ' · signing on' : ''}`;
  buildForm();
  syncFromLocation();
  await loadImages();
}

$('image-filter').addEventListener('input', (e) => {
  const f = e.target.value.toLowerCase();
  for (const li of $('images').children) li.hidden = !li.textContent.toLowerCase().includes(f);
});
$('params').addEventListener('input', (e) => {
  if (e.target.id === 'q-range') $('q').value = e.target.value;
  if (e.target.id === 'bg-color') $('bg').value = e.target.value.slice(1);
  if (e.target.id === 'q' || e.target.id === 'bg') syncWidgets();
  schedule();
});
$('params').addEventListener('change', schedule);
$('params').addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(timer); run(); });
$('reset').addEventListener('click', () => {
  for (const name of names()) $(name).value = '';
  $('hint-width').value = $('hint-dpr').value = '';
  $('hint-save-data').checked = false;
  $('q-range').value = 80;
  $('bg-color').value = '#ffffff';
  schedule();
});
$('copy').addEventListener('click', async () => {
  $('url').select();
  try { await navigator.clipboard.writeText($('url').value); } catch { document.execCommand?.('copy'); }
  $('copy').textContent = 'Copied';
  setTimeout(() => { $('copy').textContent = 'Copy'; }, 1200);
});

start();
