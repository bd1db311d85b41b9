// The notice sheets (公示单) of every community, printed to PDF by headless Chromium with
// --print-to-pdf as a publisher would: each on one A4 page, its QR code at least 35 mm wide
// when printed and decoding to the community's page, with the 公示期, the 监督电话 and the
// space for the seal; a year page with its ranking tables prints on A4 landscape.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { serveSite, launch, CHROMIUM, CHROMIUM_FLAGS, base } from './site.mjs';

let site, scratch, browser, communities;

before(async () => {
  site = await serveSite('notice');
  scratch = mkdtempSync(join(tmpdir(), 'shiji-pdf-'));
  browser = await launch();
  communities = readdirSync(join(site.root, 'communities'), { withFileTypes: true })
    .filter((d) => d.isDirectory()).map((d) => d.name);
});

after(async () => {
  await browser?.close();
  site?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Prints a page of the site to PDF; returns the size of each page in points. Chromium runs
 *  asynchronously: the server answering it lives in this process. */
async function printPages(path) {
  const pdf = join(scratch, 'out.pdf');
  await promisify(execFile)(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(scratch, 'profile')}`, '--no-pdf-header-footer',
    `--print-to-pdf=${pdf}`, `${site.origin}${base}${path}`], { timeout: 120_000 });
  const text = readFileSync(pdf).toString('latin1');
  return [...text.matchAll(/\/Type\s*\/Page\b(?!s)[\s\S]*?\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)]
    .map((m) => [Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])]);
}

test('every community\'s notice sheet prints on one A4 page', async () => {
  assert.ok(communities.length >= 10, `${communities.length} communities`);
  for (const id of communities) {
    const pages = await printPages(`communities/${id}/notice/`);
    assert.equal(pages.length, 1, `the sheet of ${id} printed on ${pages.length} pages`);
    const [w, h] = pages[0];
    // A4 is 595 × 842 points.
    assert.ok(Math.abs(w - 595) < 2 && Math.abs(h - 842) < 2, `page of ${w} × ${h} points is not A4`);
  }
});

test('the community page itself, with navigation and charts, prints on more pages than its sheet', async () => {
  // Guards the count above: the page counter must see a longer document as longer.
  const full = (await printPages('communities/wenmiao/')).length;
  assert.ok(full > 1, `community page ${full} pages`);
});

test('printed, each sheet\'s QR code is at least 35 mm wide and leads to its community; 12 pt text; 公示期, 监督电话, （盖章）', async () => {
  const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
  const page = await context.newPage();
  await page.emulateMedia({ media: 'print' });
  for (const id of communities) {
    await page.goto(`${site.origin}${base}communities/${id}/notice/`);
    const qr = page.locator('.notice-qr svg');
    const width = await qr.evaluate((e) => e.getBoundingClientRect().width);
    // 35 mm at 96 CSS px to the inch.
    assert.ok(width >= 35 / 25.4 * 96, `${id}: the QR code prints ${(width / 96 * 25.4).toFixed(1)} mm wide`);
    const png = (await qr.screenshot()).toString('base64');
    const pixels = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      return { w: img.width, h: img.height, data: Array.from(g.getImageData(0, 0, img.width, img.height).data) };
    }, png);
    const code = jsQR(Uint8ClampedArray.from(pixels.data), pixels.w, pixels.h);
    assert.equal(code?.data, `${site.origin}${base}communities/${id}/`, `${id}: the printed QR code`);
    const text = await page.evaluate(() => document.body.innerText);
    for (const words of ['公示期', '监督电话', '（盖章）']) assert.ok(text.includes(words), `${id}: no ${words} on the sheet`);
    const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('main *')]
      .filter((e) => e.offsetParent && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .map((e) => parseFloat(getComputedStyle(e).fontSize))));
    // 12 pt is 16 CSS px.
    assert.ok(smallest >= 16, `${id}: text of ${smallest}px on the printed sheet`);
  }
  await context.close();
});

test('a year page with its ranking tables prints on A4 landscape, other pages on A4 portrait', async () => {
  const year = await printPages('years/2018/');
  assert.ok(year.length >= 1, 'printed');
  for (const [w, h] of year) {
    // A4 landscape is 842 × 595 points.
    assert.ok(Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2, `year page of ${w} × ${h} points is not A4 landscape`);
  }
  const [[w, h]] = await printPages('units/');
  assert.ok(Math.abs(w - 595) < 2 && Math.abs(h - 842) < 2, `a list page of ${w} × ${h} points is not A4 portrait`);
});
