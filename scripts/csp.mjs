// Content-Security-Policy (and module preloads) for the built site. An Astro integration: after
// `astro build` it reads
// every HTML page, hashes each inline script the browser would run, and puts a <meta> policy at
// the top of <head>. The policy allows this origin only, no inline script without its hash, and
// WebAssembly compilation (Pagefind's search index). Styles may be inline because xterm.js and
// d3 set them at run time (docs/decisions/0012-csp-and-no-third-parties.md).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Script types a browser executes (no type, JavaScript MIME types, module). */
export function isExecutable(attrs) {
  const m = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs);
  if (!m) return true;
  const t = m[1].toLowerCase();
  return t === 'module' || t === 'text/javascript' || t === 'application/javascript' || t === 'javascript';
}

/** Inline scripts (no src) that would run, with their exact text. */
export function inlineScripts(html) {
  const out = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let m;
  while ((m = re.exec(html))) {
    const attrs = m[1];
    if (/\bsrc\s*=/i.test(attrs)) continue;
    if (!isExecutable(attrs)) continue;
    out.push(m[2]);
  }
  return out;
}

export function policy(hashes) {
  const scriptSrc = ["'self'", "'wasm-unsafe-eval'", ...hashes.map((h) => `'sha256-${h}'`)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

/** The page with its policy: a <meta> as the first element of <head>. */
export function addPolicy(html) {
  const hashes = inlineScripts(html).map((s) => createHash('sha256').update(s, 'utf8').digest('base64'));
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(hashes)}">`;
  const cleaned = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, '');
  if (!/<head[^>]*>/i.test(cleaned)) throw new Error('csp: page without <head>');
  return cleaned.replace(/<head([^>]*)>/i, (h) => `${h}${meta}`);
}

/**
 * Module preloads: the page's scripts import shared chunks, which import others; a browser finds
 * each level only after loading the one before. Listing every chunk the page will load (static
 * and dynamic imports, not workers or the search index) lets it fetch them all at once. The
 * editor (monaco) is left out: it loads only when a learner opens a file.
 */
export function chunkClosure(dist, entries) {
  const seen = new Set();
  const queue = [...entries];
  while (queue.length) {
    const ref = queue.shift();
    if (seen.has(ref)) continue;
    const file = join(dist, ref);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (/monaco/.test(text)) continue;
    seen.add(ref);
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'`](\.\/[^"'`]+\.js)["'`]/g)) {
      queue.push(posix.join(posix.dirname(ref), m[1]));
    }
  }
  return [...seen];
}

/** The script that starts the simulator early (src/ui/sim/prestart.ts) runs as soon as it is loaded. */
export function asyncPrestart(html, dist) {
  return html.replace(/<script type="module" src="(\/[^"]+\.js)">/g, (tag, src) => {
    const file = join(dist, src);
    return existsSync(file) && /prestart/.test(readFileSync(file, 'utf8')) ? `<script type="module" async src="${src}">` : tag;
  });
}

export function addModulePreloads(html, dist) {
  const scripts = [...html.matchAll(/<script\b[^>]*type="module"[^>]*\bsrc="(\/[^"]+\.js)"/g)].map((m) => m[1]);
  const have = new Set([...scripts, ...[...html.matchAll(/rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1])]);
  const links = chunkClosure(dist, scripts)
    .filter((r) => !have.has(r))
    .map((r) => `<link rel="modulepreload" href="${r}">`)
    .join('');
  return links ? html.replace(/<\/head>/i, `${links}</head>`) : html;
}

function* htmlFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* htmlFiles(p);
    else if (name.endsWith('.html')) yield p;
  }
}

export default function csp() {
  return {
    name: 'packet-path-csp',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        let n = 0;
        for (const file of htmlFiles(root)) {
          writeFileSync(file, addPolicy(addModulePreloads(asyncPrestart(readFileSync(file, 'utf8'), root), root)));
          n++;
        }
        logger.info(`Content-Security-Policy and module preloads added to ${n} pages`);
      },
    },
  };
}
