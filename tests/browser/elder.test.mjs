// 长辈模式 (elder mode), zoom and text size, on every page type of the demonstration site:
// with the mode on at 390 px, body text of 20 px at least, header targets of 44 px, no
// sideways scroll, no axe-core violation (AAA contrast included); the button remembered from
// page to page and absent without JavaScript; at 200% zoom (195 px, device scale 2) and at
// 200% text size, no sideways scroll and a header that leaves most of the screen.
//
// SHIJI_SCREENSHOTS=DIR saves each page at 390 px with the mode on and off.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serveSite, launch, base } from './site.mjs';
import { PAGES } from './pages.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.SHIJI_SCREENSHOTS;

let site, browser, origin;

before(async () => {
  site = await serveSite('elder');
  origin = site.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
});

/** A phone of `width` CSS px; `elder` sets the remembered choice before any page loads. */
async function phone(width, { elder = false, scale = 1, javaScript = true } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: width === 195 ? 422 : 844 }, deviceScaleFactor: scale, isMobile: true,
    locale: 'zh-CN', javaScriptEnabled: javaScript,
  });
  if (elder) await context.addInitScript(() => localStorage.setItem('shiji-elder', '1'));
  return context;
}

async function open(context, path) {
  const page = await context.newPage();
  const resp = await page.goto(`${origin}${base}${path}`, { waitUntil: 'load' });
  assert.equal(resp.status(), 200, path);
  return page;
}

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Axe violations: WCAG 2.1 A and AA, and the AAA contrast rule (7:1). */
async function violations(page) {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => [
    ...(await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations,
    ...(await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast-enhanced'] } })).violations,
  ].map((v) => `${v.id}: ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`));
  return found;
}

for (const [name, path] of Object.entries(PAGES)) {
  test(`${name} page in 长辈模式 at 390 px: 20 px text, 44 px header targets, AAA contrast, no sideways scroll`, async () => {
    const context = await phone(390, { elder: true });
    const page = await open(context, path);
    if (name === 'search') await page.waitForSelector('#search-results li');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('elder')), 'the mode is on');
    const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(body >= 20, `body text ${body}px`);
    const small = await page.evaluate(() => [...document.querySelectorAll('header a, header button, header input')]
      .filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 44)
      .map((e) => `${e.textContent.trim() || e.outerHTML.slice(0, 40)}: ${e.getBoundingClientRect().height}px`));
    assert.deepEqual(small, [], 'header targets under 44 px');
    assert.deepEqual(await violations(page), []);
    const overflow = await sideways(page);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `${name}-elder.png`) });
      const plain = await open(await phone(390), path);
      await plain.screenshot({ path: join(shots, `${name}-390.png`) });
      await plain.context().close();
    }
    await context.close();
  });

  test(`${name} page at 200% zoom (195 px, scale 2): no sideways scroll, the header under half the screen`, async () => {
    const context = await phone(195, { scale: 2 });
    const page = await open(context, path);
    const overflow = await sideways(page);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    const header = await page.evaluate(() => document.querySelector('.site-header, .notice-head')?.getBoundingClientRect().height ?? 0);
    if (name !== 'notice') assert.ok(header <= 422 / 2, `the header takes ${header}px of 422`);
    await context.close();
  });
}

test('at 200% text size (the browser\'s default font of 32 px), no sideways scroll and a short header', async () => {
  const context = await phone(390);
  for (const path of ['', 'communities/wenmiao/', 'items/i-2018-001/', 'overdue/', 'search/?q=维修']) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
    await page.goto(`${origin}${base}${path}`);
    const [font, overflow, header] = await page.evaluate(() => [parseFloat(getComputedStyle(document.body).fontSize),
      document.documentElement.scrollWidth - window.innerWidth, document.querySelector('.site-header').getBoundingClientRect().height]);
    assert.equal(font, 32, 'the text size is doubled');
    assert.ok(overflow <= 1, `${path}: sideways by ${overflow}px`);
    assert.ok(header <= 844 / 2, `${path}: the header takes ${header}px of 844`);
    await page.close();
  }
  await context.close();
});

test('the 长辈模式 button switches the mode, is remembered on the next page, and folds the menu', async () => {
  const context = await phone(390);
  const page = await open(context, '');
  const button = page.getByRole('button', { name: '长辈模式' });
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.ok(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)) >= 20 && before < 20);
  // The menu is behind its button.
  const menu = page.getByRole('button', { name: '菜单' });
  assert.equal(await page.locator('#site-nav').isVisible(), false);
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator('#site-nav').isVisible(), true);
  // Remembered on the next page, until pressed again.
  await page.locator('#site-nav a', { hasText: '逾期事项' }).click();
  await page.waitForURL(/overdue/);
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('elder')));
  assert.equal(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: '长辈模式' }).click();
  await page.goto(`${origin}${base}units/`);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
  await context.close();
});

test('without JavaScript there is no 长辈模式 button, and the menu is open', async () => {
  const context = await phone(390, { javaScript: false });
  const page = await open(context, 'communities/wenmiao/');
  assert.equal(await page.locator('.elder-toggle').isVisible(), false);
  assert.equal(await page.locator('.menu-toggle').isVisible(), false);
  assert.equal(await page.locator('#site-nav').isVisible(), true);
  await context.close();
});

test('prefers-contrast: more takes the high-contrast colours without the button', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, contrast: 'more' });
  const page = await open(context, 'communities/wenmiao/');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast-enhanced'] } })).violations
    .map((v) => v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')));
  assert.deepEqual(found, []);
  await context.close();
});
