// Every page type of the demonstration site, built by shiji and served from a local static
// server, opened in headless Chromium at a phone viewport: no axe-core violation at WCAG 2.1
// AA, nothing loaded from outside, no horizontal scroll of the page.
//
// Run from the repository root after `cargo build`:  node --test tests/browser/
// SHIJI_BIN may name the shiji binary (default target/debug/shiji); SHIJI_SCREENSHOTS a folder
// to save a PNG of each page in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serveSite, launch, phonePage, base } from './site.mjs';
import { PAGES } from './pages.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');


let site, browser, origin;

before(async () => {
  site = await serveSite('a11y');
  origin = site.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
});

for (const [name, path] of Object.entries(PAGES)) {
  test(`${name} page: WCAG 2.1 AA at a phone viewport, nothing from outside`, async () => {
    const { context, page, outside } = await phonePage(browser, origin);
    const resp = await page.goto(`${origin}${base}${path}`, { waitUntil: 'load' });
    assert.equal(resp.status(), 200);
    if (name === 'search') await page.waitForSelector('#search-results li');
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
