// The demonstration site, built by shiji under a sub-path and served from a local static
// server, and Debian's Chromium: what every browser test starts from.
//
// SHIJI_BIN may name the shiji binary (default target/debug/shiji).

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
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png', '.pdf': 'application/pdf',
  '.xml': 'application/xml', '.txt': 'text/plain', '.json': 'application/json', '.csv': 'text/csv',
};

/** Builds the demonstration site into a temporary folder and serves it at `${origin}${base}`. */
export async function serveDemo(prefix) {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const port = 18000 + Math.floor(Math.random() * 1000);
  const origin = `http://127.0.0.1:${port}`;
  const root = join(out, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', repo, '--output', root, '--base-url', `${origin}${base}`], { stdio: 'inherit' });
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
  return {
    origin, out, root,
    close() { server.close(); rmSync(out, { recursive: true, force: true }); },
  };
}

/** Chromium through Playwright, with a fresh temporary profile of its own. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}
