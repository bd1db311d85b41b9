// `shiji serve` in headless Chromium: a page open in the browser follows the edits of its
// record with no action in the browser, shows a build problem over the page until it is
// fixed, then shows the fixed page.
//
// Run from the repository root after `cargo build`:  node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, cpSync, readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, repo, bin } from './site.mjs';

const ITEM = join('content', 'items', '2018', 'dianchang', 'i-2018-035.yaml');
const TITLE = '老旧供水管网漏损排查';
const PATIENCE = 30_000;

let dir, site, serve, browser, origin;

/// Saves as editors do: a new file renamed over the old one.
function save(rel, text) {
  const tmp = join(site, 'content', '.shiji-browser-save.tmp');
  writeFileSync(tmp, text);
  renameSync(tmp, join(site, rel));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shiji-serve-'));
  site = join(dir, 'site');
  for (const part of ['site.toml', 'content', 'static']) {
    cpSync(join(repo, part), join(site, part), { recursive: true });
  }
  serve = spawn(bin, ['serve', '--port', '0', '--root', site], { stdio: ['ignore', 'pipe', 'ignore'] });
  origin = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('shiji serve printed no URL')), PATIENCE);
    const lines = createInterface({ input: serve.stdout });
    lines.on('line', (line) => {
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); ok(m[0]); }
    });
    serve.on('exit', (code) => fail(new Error(`shiji serve exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  serve?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('an open page follows edits, shows a problem over the page, and recovers', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${origin}/items/i-2018-035/`);
  assert.equal(await page.locator('h1').innerText(), TITLE);
  const good = readFileSync(join(site, ITEM), 'utf8');

  save(ITEM, good.replace(TITLE, '浏览器里看到的新标题'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('浏览器里看到的新标题'), null, { timeout: PATIENCE });

  save(ITEM, good.replace('claimed: 2018-04-16', 'claimed: 2018-13-45'));
  const overlay = page.locator('#shiji-error-overlay[role="alertdialog"]');
  await overlay.waitFor({ timeout: PATIENCE });
  const shown = await overlay.innerText();
  assert.ok(shown.includes('content/items/2018/dianchang/i-2018-035.yaml'), shown);
  assert.ok(shown.includes('2018-13-45'), `the snippet is shown: ${shown}`);
  // The last good page is still under the overlay.
  assert.equal(await page.locator('h1').first().innerText(), '浏览器里看到的新标题');

  save(ITEM, good.replace(TITLE, '修好以后的标题'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('修好以后的标题'), null, { timeout: PATIENCE });
  assert.equal(await overlay.count(), 0, 'the overlay is gone once the problem is fixed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad cell of a ledger shows in the overlay at its cell, until the ledger is fixed', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/items/i-2018-035/`);
  const rel = join('content', 'evaluations', '坏.csv');
  save(rel, 'id,of.item,by.resident,date,rating\r\ne-ledger,i-2018-035,王五,2018-07-01,很满意\r\n');
  const overlay = page.locator('#shiji-error-overlay[role="alertdialog"]');
  await overlay.waitFor({ timeout: PATIENCE });
  const problem = await overlay.locator('li').first().innerText();
  assert.ok(problem.startsWith('content/evaluations/坏.csv 坏!E2'), problem);
  assert.ok(problem.includes('坏!E2：很满意'), `the cell's value is shown: ${problem}`);
  save(rel, 'id,of.item,by.resident,date,rating\r\ne-ledger,i-2018-035,王五,2018-07-01,满意\r\n');
  await page.waitForFunction(() => !document.querySelector('#shiji-error-overlay'), null, { timeout: PATIENCE });
  await page.close();
});
