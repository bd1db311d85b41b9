// The demonstration site as the browser tests see it: built by shiji into a temporary folder,
// served under its sub-path by a small static server on 127.0.0.1, opened in Debian's
// headless Chromium. SHIJI_BIN may name the shiji binary (default target/debug/shiji).

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const repo = resolve(import.meta.dirname, '..', '..');
export const bin = process.env.SHIJI_BIN || join(repo, 'target', 'debug', 'shiji');
export const base = '/jcdj/shiji/';
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-sync',
  '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.csv': 'text/csv', '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.xml': 'application/xml', '.txt': 'text/plain',
};

// Builds the demonstration site and serves it; returns { origin, root, close }.
export async function serveSite(name) {
  const out = mkdtempSync(join(tmpdir(), `shiji-${name}-`));
  const port = 18000 + Math.floor(Math.random() * 1000);
  const origin = `http://127.0.0.1:${port}`;
  const root = join(out, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', repo, '--output', root, '--base-url', `${origin}${base}`], { stdio: 'inherit' });
  const close = await serveFolder(root, port);
  return { origin, root, close: () => { close(); rmSync(out, { recursive: true, force: true }); } };
}

// Serves a built site's folder at `base` on 127.0.0.1:`port`; returns a function to stop.
export async function serveFolder(root, port) {
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, origin).pathname);
    if (!url.startsWith(base)) { res.writeHead(404); return res.end(); }
    let file = join(root, url.slice(base.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end(readFileSync(join(root, '404.html')));
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return () => server.close();
}

// Playwright starts Chromium with a fresh temporary profile (user data dir) of its own.
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

// A phone-sized page that records every request to outside the site.
export async function phonePage(browser, origin, options = {}) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin)) outside.push(r.url()); });
  return { context, page, outside };
}
