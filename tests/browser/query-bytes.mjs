// What a phone downloads to search: opens the search page of a built site (served at
// /jcdj/shiji/, as built with --base-url http://127.0.0.1:18999/jcdj/shiji/), types one
// query and sums the bytes of every response, by kind. For docs/benchmarks.md:
//   node tests/browser/query-bytes.mjs OUTPUT_DIR QUERY

import { serveFolder, launch, phonePage, base } from './site.mjs';

const [root, query] = process.argv.slice(2);
const port = 18999;
const origin = `http://127.0.0.1:${port}`;
const close = await serveFolder(root, port);
const browser = await launch();
const { page } = await phonePage(browser, origin);
const sizes = [];
page.on('response', async (r) => {
  const body = await r.body().catch(() => Buffer.alloc(0));
  sizes.push([new URL(r.url()).pathname.slice(base.length), body.length]);
});
await page.goto(`${origin}${base}search/`);
await page.waitForSelector('#search-app:not([hidden])');
await page.waitForLoadState('networkidle');
const before = sizes.length;
await page.locator('#search-q').pressSequentially(query, { delay: 50 });
await page.waitForFunction(() => document.querySelector('#search-status').textContent !== '');
await page.waitForLoadState('networkidle');
// The index's files by folder (src/output/search.rs), then by extension.
const KINDS = { 'search-index/terms/': 'terms', 'search-index/docs/': 'docs', 'search-index/': 'meta', '.js': 'script', '.css': 'style' };
const kind = (p) => KINDS[Object.keys(KINDS).find((k) => (k.endsWith('/') ? p.startsWith(k) : p.endsWith(k)))] || 'page';
const sum = (list) => {
  const by = {};
  for (const [p, n] of list) by[kind(p)] = (by[kind(p)] || 0) + n;
  return by;
};
console.log('results:', await page.textContent('#search-status'));
console.log('page load (before typing):', sum(sizes.slice(0, before)));
console.log('the query:', sum(sizes.slice(before)));
console.log('total bytes:', sizes.reduce((a, [, n]) => a + n, 0));
await browser.close();
close();
