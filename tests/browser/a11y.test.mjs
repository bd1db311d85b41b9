// Every page type of the demonstration site, built by shiji and served from a local static
// server, opened in headless Chromium at a phone viewport: no axe-core violation at WCAG 2.1
// AA, nothing loaded from outside, no horizontal scroll of the page.
//
// Run from the repository root after `cargo build`:  node --test tests/browser/
// SHIJI_BIN may name the shiji binary (default target/debug/shiji); SHIJI_SCREENSHOTS a folder
// to save a PNG of each page in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { launch } from './chromium.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const repo = resolve(import.meta.dirname, '..', '..');
const bin = process.env.SHIJI_BIN || join(repo, 'target', 'debug', 'shiji');
const base = '/jcdj/shiji/';

// One page of each type of the demonstration site.
const PAGES = {
  home: '',
  street: 'streets/gulou/',
  community: 'communities/wenmiao/',
  units: 'units/',
  unit: 'units/renmin-yiyuan/',
  agreement: 'agreements/wenmiao-2018/',
  item: 'items/i-2018-001/',
  categories: 'categories/',
  category: 'categories/repair/',
  overdue: 'overdue/',
  page: 'about/',
  '404': '404.html',
};

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png', '.pdf': 'application/pdf', '.xml': 'application/xml', '.txt': 'text/plain' };

let server, browser, origin, out;

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'shiji-a11y-'));
  const port = 18000 + Math.floor(Math.random() * 1000);
  origin = `http://127.0.0.1:${port}`;
  execFileSync(bin, ['build', '--quiet', '--root', repo, '--output', join(out, 'site'), '--base-url', `${origin}${base}`], { stdio: 'inherit' });
  const root = join(out, 'site');
  server = createServer((req, res) => {
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
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(out, { recursive: true, force: true });
});

for (const [name, path] of Object.entries(PAGES)) {
  test(`${name} page: WCAG 2.1 AA at a phone viewport, nothing from outside`, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(origin)) outside.push(r.url()); });
    const resp = await page.goto(`${origin}${base}${path}`, { waitUntil: 'load' });
    assert.equal(resp.status(), 200);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    assert.deepEqual(violations, [], `axe violations on ${path}:\n${violations.join('\n')}`);
    assert.deepEqual(outside, [], 'requests outside the site');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
    if (process.env.SHIJI_SCREENSHOTS) {
      mkdirSync(process.env.SHIJI_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(process.env.SHIJI_SCREENSHOTS, `${name}.png`) });
    }
    await context.close();
  });
}
