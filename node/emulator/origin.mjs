// A tiny static HTTP origin over a directory, as a web server in front of the
// originals would be: content-type by extension, strong ETag, Last-Modified,
// Cache-Control, conditional GET/HEAD, 404 for anything missing, and no way
// out of the root (no dot segments, encoded slashes, NUL, or symlinks escaping it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export const CONTENT_TYPES = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.gif': 'image/gif', '.avif': 'image/avif', '.tif': 'image/tiff', '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml', '.bmp': 'image/bmp', '.heic': 'image/heic',
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.json': 'application/json',
};
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff', '.svg', '.bmp', '.heic']);

export function contentTypeFor(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolve a request path inside root, or null (missing, traversal, not a file). */
export function resolveInside(root, urlPath) {
  if (!urlPath.startsWith('/') || /%2f|%5c|%00/i.test(urlPath) || urlPath.includes('\\')) return null;
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  if (decoded.split('/').some((s) => s === '..' || s === '.')) return null;
  const full = path.resolve(root, '.' + decoded);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  let real;
  try { real = fs.realpathSync(full); } catch { return null; }
  const realRoot = fs.realpathSync(root);
  if (!real.startsWith(realRoot + path.sep)) return null;
  try { if (!fs.statSync(real).isFile()) return null; } catch { return null; }
  return real;
}

/** List the image files under root (relative, '/'-separated, sorted). */
export function listImages(root) {
  const out = [];
  const walk = (dir, rel) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || /\.md$/i.test(e.name)) continue;
      const p = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile()) out.push({ path: r, bytes: fs.statSync(p).size, image: IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()) });
    }
  };
  walk(root, '');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function etagOf(stat, file) {
  const h = createHash('sha1').update(`${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 27);
  return `"${h}"`;
}

/**
 * Start the origin. Returns { server, port, url, close() }.
 * @param {object} o
 * @param {string} o.root directory served
 * @param {string} [o.cacheControl] Cache-Control of every 200
 */
export async function startStaticOrigin({ root, cacheControl = 'public, max-age=3600', log = null }) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      log?.(`origin ${req.method} ${req.url} ${status}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
    }
    const q = req.url.indexOf('?');
    const file = resolveInside(root, q < 0 ? req.url : req.url.slice(0, q));
    if (!file) {
      return send(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=10' },
        '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>\n');
    }
    const stat = fs.statSync(file);
    const etag = etagOf(stat, file);
    const lastModified = new Date(Math.floor(stat.mtimeMs / 1000) * 1000).toUTCString();
    const headers = {
      'content-type': contentTypeFor(file),
      etag,
      'last-modified': lastModified,
      'cache-control': cacheControl,
      'accept-ranges': 'none',
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm !== undefined
      ? inm.split(',').map((s) => s.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*')
      : ims !== undefined && !Number.isNaN(Date.parse(ims)) && Math.floor(stat.mtimeMs / 1000) * 1000 <= Date.parse(ims);
    if (notModified) return send(304, { etag, 'last-modified': lastModified, 'cache-control': cacheControl });
    headers['content-length'] = String(stat.size);
    send(200, headers, fs.readFileSync(file));
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    server, port, url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}
