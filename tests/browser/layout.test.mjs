// Phones of 320 and 390 px, every page of the demonstration site (from its sitemap): no box
// scrolls sideways and every visible table cell lies inside the screen (list tables become
// cards below 600 px); axe-core finds nothing on one page of each type at either width; and
// every page has a description naming it and an icon; "逾期 N 天" is right on every overdue item's page and on the overdue list, N counted here
// from the page's due date and the as-of date, the list longest overdue first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serveSite, launch, base } from './site.mjs';
import { PAGES } from './pages.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [320, 390];

let site, browser;

before(async () => {
  site = await serveSite('layout');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
});

/** Every page of the sitemap, as paths relative to the base. */
function sitemapPages() {
  const xml = readFileSync(join(site.root, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname.slice(base.length));
}

async function phone(width) {
  return browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1, isMobile: true, locale: 'zh-CN' });
}

/** What is wrong with the page's layout at its width: boxes that scroll sideways, cells out of the screen. */
function layoutProblems(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const problems = [];
    const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
    if (document.documentElement.scrollWidth > width + 1) problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll('body *')) {
      const ox = getComputedStyle(el).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} in ${el.clientWidth}px)`);
      }
    }
    // A cell hidden on purpose (the charts' tables for screen readers, clipped) is not seen.
    const clipped = (el) => { for (let a = el; a; a = a.parentElement) { if (getComputedStyle(a).clip !== 'auto') return true; } return false; };
    for (const cell of document.querySelectorAll('td, th')) {
      const r = cell.getBoundingClientRect();
      if (r.width < 2 || r.height < 2 || !cell.checkVisibility({ visibilityProperty: true }) || clipped(cell)) continue;
      if (r.left < -0.5 || r.right > width + 0.5) {
        problems.push(`${name(cell)} "${cell.textContent.trim().slice(0, 20)}" spans ${Math.round(r.left)}–${Math.round(r.right)}px`);
      }
    }
    return problems;
  });
}

for (const width of WIDTHS) {
  test(`every page at ${width} px: nothing scrolls sideways, every table cell on the screen`, async () => {
    const pages = sitemapPages();
    assert.ok(pages.length > 50, `the sitemap lists ${pages.length} pages`);
    const context = await phone(width);
    const page = await context.newPage();
    const found = [];
    const icons = new Set();
    for (const path of pages) {
      const resp = await page.goto(`${site.origin}${base}${path}`, { waitUntil: 'load' });
      assert.equal(resp.status(), 200, path);
      for (const p of await layoutProblems(page)) found.push(`/${path}: ${p}`);
      // Shared links show what the page is: a description naming it, and the site's icon.
      const head = await page.evaluate(() => ({
        description: document.querySelector('meta[name="description"]')?.content ?? '',
        title: document.title.split(' - ')[0], // the page's own title (base.html: title, t.title_separator, site)
        icon: document.querySelector('link[rel="icon"]')?.href ?? null,
      }));
      if (!head.description.includes(head.title.slice(0, 8))) found.push(`/${path}: description "${head.description}" does not name "${head.title}"`);
      if (!head.icon) found.push(`/${path}: no icon`);
      else icons.add(head.icon);
    }
    for (const icon of icons) {
      const resp = await page.goto(icon);
      assert.equal(resp.status(), 200, icon);
      assert.match(resp.headers()['content-type'] ?? '', /svg|png|icon/, icon);
    }
    await context.close();
    assert.deepEqual(found, [], found.slice(0, 20).join('\n'));
  });

  test(`one page of each type at ${width} px: axe-core finds nothing (WCAG 2.1 AA)`, async () => {
    const context = await phone(width);
    const found = [];
    for (const [kind, path] of Object.entries(PAGES)) {
      const page = await context.newPage();
      await page.goto(`${site.origin}${base}${path}`, { waitUntil: 'load' });
      if (kind === 'search') await page.waitForSelector('#search-results li');
      for (const p of await layoutProblems(page)) found.push(`${kind}: ${p}`);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => (await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      })).violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
      for (const v of violations) found.push(`${kind}: ${v}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(found, [], found.join('\n'));
  });
}

const DAY = 24 * 3600 * 1000;
/** Days from `due` to `asOf` (both YYYY-MM-DD), counted here. */
const daysLate = (due, asOf) => Math.round((Date.parse(asOf) - Date.parse(due)) / DAY);
const asOfOf = (page) => page.$eval('.site-footer time', (t) => t.getAttribute('datetime'));

test('逾期 N 天 on the overdue list: N from each row\'s due date, the longest first', async () => {
  const context = await phone(390);
  const page = await context.newPage();
  await page.goto(`${site.origin}${base}overdue/`);
  const asOf = await asOfOf(page);
  const rows = await page.$$eval('table.items tbody tr', (trs) => trs.map((tr) => ({
    href: tr.querySelector('th a').getAttribute('href'),
    tag: tr.querySelector('.tag-overdue').textContent,
    due: tr.querySelector('td.due-overdue time').getAttribute('datetime'),
  })));
  const count = Number((await page.textContent('.overdue-count')).match(/\d+/)[0]);
  assert.equal(rows.length, count, 'every overdue item is listed on the first page of the demonstration site');
  assert.ok(rows.length > 0);
  const days = rows.map((r) => daysLate(r.due, asOf));
  for (const [k, r] of rows.entries()) {
    assert.ok(days[k] > 0, `${r.href} is overdue`);
    assert.equal(r.tag, `逾期 ${days[k]} 天`, r.href);
  }
  assert.deepEqual(days, [...days].sort((a, b) => b - a), 'longest overdue first');

  // Each item's own page says the same, and so do its community's and category's lists.
  for (const r of rows) {
    await page.goto(`${site.origin}${r.href}`);
    const due = await page.$eval('.due-overdue time', (t) => t.getAttribute('datetime'));
    const n = daysLate(due, asOf);
    assert.equal(await page.textContent('.status-line .tag-overdue'), `逾期 ${n} 天`, r.href);
    const lists = await page.$$eval('.crumbs a, .info a', (as) => as.map((a) => a.getAttribute('href'))
      .filter((h) => /\/(communities|categories)\/[^/]+\/$/.test(h)));
    for (const list of new Set(lists)) {
      await page.goto(`${site.origin}${list}`);
      const tags = await page.$$eval(`table.items tr:has(a[href="${r.href}"]) .tag-overdue`, (ts) => ts.map((t) => t.textContent));
      // A community's first page lists all its overdue items; a category's, the newest claims.
      if (tags.length || list.includes('/communities/')) assert.deepEqual([...new Set(tags)], [`逾期 ${n} 天`], `${list} on ${r.href}`);
      await page.goBack();
    }
  }
  await context.close();
});

test('a completed item shows when it was completed, a cancelled one no pending date; the stepper says where the item stands', async () => {
  const context = await phone(390);
  const page = await context.newPage();
  const rows = [];
  for (const path of sitemapPages().filter((p) => /^(communities|categories)\/[^/]+\/$/.test(p))) {
    await page.goto(`${site.origin}${base}${path}`);
    rows.push(...await page.$$eval('table.items tbody tr', (trs) => trs.map((tr) => ({
      href: tr.querySelector('th a').getAttribute('href'),
      status: tr.querySelector('td.status .tag').textContent,
      date: tr.querySelector('td.date:last-child')?.textContent ?? '',
    }))));
  }
  const done = rows.filter((r) => r.status === '已完成');
  const cancelled = rows.filter((r) => r.status === '已取消');
  assert.ok(done.length > 0 && cancelled.length > 0, `${done.length} completed, ${cancelled.length} cancelled`);
  for (const r of cancelled) assert.doesNotMatch(r.date, /约定|\d{4}-/, `${r.href}: ${r.date}`);
  for (const r of done) {
    await page.goto(`${site.origin}${r.href}`);
    // The date of its newest completion report, read from the report on the page.
    const finals = await page.$$eval('.report-final .meta time', (ts) => ts.map((t) => t.getAttribute('datetime')));
    const last = finals.sort().at(-1);
    assert.equal(r.date, `完成 ${last}`, r.href);
    const step = await page.$eval('.stepper .step.current', (li) => li.textContent);
    assert.ok(step.startsWith('已完成') && step.includes(last) && step.includes('在此'), `${r.href}: ${step}`);
  }
  for (const r of cancelled.slice(0, 3)) {
    await page.goto(`${site.origin}${r.href}`);
    assert.match(await page.$eval('.stepper .step.current', (li) => li.textContent), /^已取消/, r.href);
  }
  await context.close();
});
