// vips-edge playground: builds a URL API request from the form, fetches it
// through the emulator (so x-cache, status and the JSON error body are visible),
// and shows the decoded image. No framework, no network beyond the emulator.
const $ = (id) => document.getElementById(id);
const PARAMS = ['w', 'h', 'dpr', 'fit', 'pos', 'enlarge', 'format', 'q', 'bg', 'sig'];
const state = $('state');
let current = null; // image path
let seq = 0;
let objectUrl = null;

function fmtBytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB (${n})` : `${(n / 1048576).toFixed(2)} MiB (${n})`;
}

function buildUrl() {
  const qs = [];
  for (const name of PARAMS) {
    const v = $(name).value.trim();
    if (v !== '') qs.push(`${name}=${encodeURIComponent(v)}`);
  }
  const path = '/' + current.split('/').map(encodeURIComponent).join('/');
  return path + (qs.length ? `?${qs.join('&')}` : '');
}

function syncFromLocation() {
  const u = new URL(location.href);
  for (const name of PARAMS) if (u.searchParams.has(name)) $(name).value = u.searchParams.get(name);
  if (u.searchParams.has('image')) current = u.searchParams.get('image');
  syncWidgets();
}

/** The colour picker and the quality slider follow the text fields. */
function syncWidgets() {
  const bg = $('bg').value.trim();
  if (/^[0-9a-f]{6}$/i.test(bg)) $('bg-color').value = `#${bg.toLowerCase()}`;
  else if (/^[0-9a-f]{3}$/i.test(bg)) $('bg-color').value = `#${[...bg.toLowerCase()].map((c) => c + c).join('')}`;
  if (/^\d+$/.test($('q').value)) $('q-range').value = $('q').value;
}

function syncToLocation() {
  const u = new URL(location.href);
  u.search = '';
  u.searchParams.set('image', current);
  for (const name of PARAMS) if ($(name).value.trim() !== '') u.searchParams.set(name, $(name).value.trim());
  history.replaceState(null, '', u);
}

function setFact(id, text, cls) {
  $(id).textContent = text;
  if (cls !== undefined) $(id).className = cls;
}

async function run() {
  if (!current) return;
  const my = ++seq;
  const url = buildUrl();
  $('url').value = new URL(url, location.href).href;
  $('open-link').href = url;
  syncToLocation();
  state.dataset.state = 'loading';
  $('error-box').hidden = true;
  const t0 = performance.now();
  let res, blob;
  try {
    res = await fetch(url, { headers: { Accept: $('accept').value }, cache: 'no-store' });
    blob = await res.blob();
  } catch (err) {
    if (my !== seq) return;
    setFact('out-status', `network error`, 'bad');
    $('error-box').textContent = String(err);
    $('error-box').hidden = false;
    state.dataset.state = 'done';
    return;
  }
  const ms = performance.now() - t0;
  if (my !== seq) return;
  const type = res.headers.get('content-type') ?? '';
  setFact('out-status', `${res.status} ${res.statusText}`, res.ok ? 'ok' : 'bad');
  setFact('out-type', type || '—');
  setFact('out-bytes', fmtBytes(blob.size));
  setFact('out-time', `${ms.toFixed(0)} ms`);
  setFact('out-cache', res.headers.get('x-cache') ?? '—');
  setFact('out-vary', res.headers.get('vary') ?? '—');
  setFact('out-cc', res.headers.get('cache-control') ?? '—');
  $('headers-box').textContent = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  const img = $('result-img');
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = null;
  if (res.status !== 200 || !type.startsWith('image/')) {
    img.hidden = true;
    img.removeAttribute('src');
    setFact('out-dims', '—');
    let text = await blob.text();
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: show as is */ }
    $('error-box').textContent = text.length > 4000 ? text.slice(0, 4000) + '…' : text;
    $('error-box').hidden = false;
    state.dataset.state = 'done';
    return;
  }
  objectUrl = URL.createObjectURL(blob);
  img.onload = () => {
    if (my !== seq) return;
    setFact('out-dims', `${img.naturalWidth} × ${img.naturalHeight}`);
    img.hidden = false;
    state.dataset.state = 'done';
  };
  img.onerror = () => {
    if (my !== seq) return;
    setFact('out-dims', 'undecodable in this browser');
    img.hidden = true;
    state.dataset.state = 'done';
  };
  img.src = objectUrl;
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
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.path = img.path;
    const name = document.createElement('span');
    name.textContent = img.path;
    const size = document.createElement('small');
    size.textContent = img.bytes < 1024 ? `${img.bytes} B` : `${Math.round(img.bytes / 1024)} KB`;
    b.append(name, size);
    if (!img.image) {
      b.classList.add('non-image');
      b.title = 'not an image: a transform of it shows the 415 error';
    }
    b.addEventListener('click', () => select(img.path));
    li.append(b);
    ul.append(li);
  }
  if (!current || !images.some((i) => i.path === current)) current = (images.find((i) => i.image) ?? images[0])?.path ?? null;
  select(current);
  try {
    const info = await (await fetch('/__emulator/info', { cache: 'no-store' })).json();
    $('mode').textContent = `local CloudFront emulator · origin: ${info.mode}${info.config?.signing ? ' · signing on' : ''}`;
  } catch { /* optional */ }
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
  for (const name of PARAMS) $(name).value = '';
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

syncFromLocation();
loadImages();
