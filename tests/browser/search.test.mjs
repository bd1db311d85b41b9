// The search page of the built demonstration site, served under its sub-path by a local static
// server, in headless Chromium at a phone viewport: Chinese queries typed as a resident would,
// the pages expected first, filters, the header's box, keyboard use, and the page without
// JavaScript. Nothing may be loaded from outside the site.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveSite, launch, phonePage, base } from './site.mjs';

let site, browser;

before(async () => {
  site = await serveSite('search');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
});

// Opens the search page, types `q` into its box once the script is ready, and returns the
// result links (URLs relative to the base), the status line and the requests to outside.
async function typeQuery(q, { filters = {} } = {}) {
  const { context, page, outside } = await phonePage(browser, site.origin);
  try {
    await page.goto(`${site.origin}${base}search/`);
    await page.waitForSelector('#search-app:not([hidden])');
    if (Object.keys(filters).length) await page.click('.search-filters summary');
    for (const [name, value] of Object.entries(filters)) {
      await page.selectOption(`#search-filter-${name}`, value);
    }
    await page.locator('#search-q').pressSequentially(q, { delay: 30 });
    await settled(page, q);
    // Every result, not the first ten only.
    while (await page.isVisible('.search-more')) {
      const n = await page.locator('#search-results li').count();
      await page.click('.search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, n);
    }
    const links = await page.$$eval('#search-results li > a', (as) => as.map((a) => a.getAttribute('href')));
    const status = await page.textContent('#search-status');
    const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent));
    const results = await page.$$eval('#search-results li', (lis) => lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      tags: [...li.querySelectorAll('.tag')].map((t) => t.textContent),
      place: li.querySelector('.search-place')?.textContent ?? null,
      excerpt: li.querySelector('.search-excerpt')?.textContent ?? null,
    })));
    return { links: links.map((l) => l.slice(base.length)), status, marks, results, outside };
  } finally {
    await context.close();
  }
}

// Waits until the page shows the results of `q` (the address says `q`, the status is set).
async function settled(page, q) {
  await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q
    && document.querySelector('#search-status').textContent !== '', q);
  // The debounced search of the last keystroke may still replace the list: wait it out.
  await page.waitForTimeout(500);
}

test('维修 finds the pages where it is part of a longer phrase (水电维修, 屋面渗漏维修)', async () => {
  const { links, marks, outside } = await typeQuery('维修');
  assert.deepEqual(links.slice(0, 2), ['categories/repair/', 'items/i-2018-027/'], links.join(' '));
  assert.ok(marks.some((m) => m.includes('维修')), `the matches are marked: ${marks}`);
  assert.deepEqual(outside, []);
});

// The built site's item pages, as { href, title, community } read from their HTML.
function builtItems() {
  const dir = join(site.root, 'items');
  return readdirSync(dir).map((id) => {
    const html = readFileSync(join(dir, id, 'index.html'), 'utf8');
    const title = html.match(/<h1>([^<]+)/)[1].trim();
    // The breadcrumbs: home, the item's community, the item.
    const community = html.match(/class="?crumbs"?[^>]*><ol><li><a [^>]+>[^<]+<\/a><\/li><li><a [^>]+>([^<]+)</)[1];
    return { href: `${base}items/${id}/`, title, community };
  });
}

test('维修 lists the service items before any agreement or page, each naming its community', async () => {
  const { results } = await typeQuery('维修');
  const items = new Map(builtItems().map((i) => [i.href, i]));
  const kinds = results.map((r) => (items.has(r.href) ? 'item' : r.href.includes('/agreements/') ? 'agreement' : 'other'));
  assert.ok(kinds.includes('item'), kinds.join(' '));
  const lastItem = kinds.lastIndexOf('item');
  const firstAgreement = kinds.indexOf('agreement');
  assert.ok(firstAgreement > 0, `an agreement holds 维修 too: ${kinds.join(' ')}`);
  assert.ok(lastItem < firstAgreement, `every item before the first agreement: ${kinds.join(' ')}`);
  const titled = [...items.values()].filter((i) => i.title.includes('维修')).map((i) => i.href);
  const missing = titled.filter((h) => !results.some((r) => r.href === h));
  assert.ok(titled.length > 0 && !missing.length, `every item titled 维修 is found: ${missing} not in ${results.map((r) => r.href)}`);
  for (const r of results.filter((r) => items.has(r.href))) {
    assert.ok(r.place?.includes(items.get(r.href).community), `${r.href} names its community: ${r.place}`);
  }
  // An excerpt is running text: no run of table cells (a date next to a number) in any.
  for (const r of results) assert.doesNotMatch(r.excerpt ?? '', /\d{4}-\d{2}-\d{2} \d/, r.href);
});

test('停车厂, a typo, finds the car-park items as partial matches', async () => {
  const carParks = builtItems().filter((i) => i.title.includes('停车场')).map((i) => i.href);
  assert.ok(carParks.length > 0);
  const { results, status } = await typeQuery('停车厂');
  for (const href of carParks) {
    const r = results.find((x) => x.href === href);
    assert.ok(r, `${href} is found: ${results.map((x) => x.href).join(' ')}`);
    assert.ok(r.tags.includes('部分匹配'), `${href} is marked partial: ${r.tags}`);
  }
  assert.match(status, /部分匹配/);
  // Two characters typed wrong of three is no match at all.
  assert.deepEqual((await typeQuery('停泊厂')).links, []);
});

test('a community name finds the community first', async () => {
  const { links } = await typeQuery('文庙社区');
  assert.equal(links[0], 'communities/wenmiao/', links.join(' '));
});

test('a unit name, whole or in part, finds the unit first', async () => {
  for (const q of ['青山市人民医院', '人民医院']) {
    const { links } = await typeQuery(q);
    assert.equal(links[0], 'units/renmin-yiyuan/', `${q}: ${links.join(' ')}`);
  }
});

test('停车场 finds the item of the parking lot', async () => {
  const { links } = await typeQuery('停车场');
  assert.ok(links.slice(0, 3).includes('items/i-2018-017/'), links.join(' '));
});

test('one character, as a resident starts typing, already finds the pages that have it', async () => {
  const { links } = await typeQuery('灯');
  assert.ok(links.includes('items/i-2018-013/'), links.join(' '));
});

test('a query with no results says so', async () => {
  const { links, status } = await typeQuery('火星基地');
  assert.deepEqual(links, []);
  assert.match(status, /没有找到与“火星基地”相关的内容/);
});

test('the community filter keeps only that community', async () => {
  const all = await typeQuery('维修');
  const { links } = await typeQuery('维修', { filters: { community: '桃园社区' } });
  assert.ok(links.length > 0 && links.length < all.links.length, `${links.length} of ${all.links.length}`);
  assert.ok(links.includes('items/i-2018-027/'), links.join(' '));
  assert.ok(!links.includes('categories/repair/'), links.join(' '));
});

test('the header box leads to the results, and the keyboard reaches and opens them', async () => {
  const { context, page, outside } = await phonePage(browser, site.origin);
  await page.goto(`${site.origin}${base}`);
  await page.fill('#header-q', '文庙社区');
  await page.press('#header-q', 'Enter');
  await page.waitForURL((u) => u.pathname === `${base}search/`);
  await settled(page, '文庙社区');
  assert.equal(await page.inputValue('#search-q'), '文庙社区');
  let href = null;
  await page.focus('#search-q');
  for (let i = 0; i < 10 && !href; i++) {
    await page.keyboard.press('Tab');
    href = await page.evaluate(() => document.activeElement.closest('#search-results') && document.activeElement.getAttribute('href'));
  }
  assert.equal(href, `${base}communities/wenmiao/`, 'Tab reaches the first result');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === `${base}communities/wenmiao/`);
  assert.deepEqual(outside, []);
  await context.close();
});

test('without JavaScript the page says so and lists communities and categories', async () => {
  const { context, page } = await phonePage(browser, site.origin, { javaScriptEnabled: false });
  await page.goto(`${site.origin}${base}search/?q=维修`);
  assert.ok(await page.isVisible('#search-nojs'));
  assert.ok(!(await page.isVisible('#search-app')));
  assert.ok(await page.isVisible(`a[href="${base}communities/wenmiao/"]`));
  assert.ok(await page.isVisible(`a[href="${base}categories/repair/"]`));
  await context.close();
});
