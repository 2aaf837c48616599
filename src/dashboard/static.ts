// The page's static files: src/dashboard/web/ and uPlot from node_modules (at /vendor/), read once
// at startup and served from memory with their content type, an ETag, gzip when the browser takes
// it, and caching that revalidates the page's own files but keeps the vendored library a day.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
const VENDOR: Record<string, string> = {
  '/vendor/uPlot.iife.min.js': 'uplot/dist/uPlot.iife.min.js',
  '/vendor/uPlot.min.css': 'uplot/dist/uPlot.min.css',
};

// The page loads only same-origin scripts and styles; uPlot sets styles through the DOM, which CSP allows.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

function entry(path: string, cacheControl: string): StaticFile {
  const body = readFileSync(path);
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const compressible = type.startsWith('text/') || type === 'image/svg+xml';
  return {
    body,
    gzip: compressible && body.length > 1024 ? gzipSync(body) : undefined,
    type,
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
    cacheControl,
  };
}

export class StaticFiles {
  readonly #files = new Map<string, StaticFile>();

  constructor() {
    for (const name of readdirSync(WEB_DIR)) {
      if (TYPES[extname(name)] === undefined) continue;
      // The page's own files change with Brook: the browser keeps them but asks first (ETag).
      this.#files.set(`/${name}`, entry(join(WEB_DIR, name), 'no-cache'));
    }
    const index = this.#files.get('/index.html');
    if (index) this.#files.set('/', index);
    for (const [url, specifier] of Object.entries(VENDOR)) {
      this.#files.set(url, entry(fileURLToPath(import.meta.resolve(specifier)), 'public, max-age=86400'));
    }
  }

  has(path: string): boolean {
    return this.#files.has(path);
  }

  /** Serves a known path; returns false when there is no such file. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const file = this.#files.get(path);
    if (!file) return false;
    const headers: Record<string, string | number> = {
      'content-type': file.type,
      'cache-control': file.cacheControl,
      etag: file.etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (file.type.startsWith('text/html')) {
      headers['content-security-policy'] = CSP;
      headers['referrer-policy'] = 'no-referrer';
    }
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const gzip = file.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
