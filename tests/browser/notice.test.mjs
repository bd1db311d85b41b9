// The notice sheet (公示单) of a community, printed to PDF by headless Chromium with
// --print-to-pdf as a publisher would: A4 pages, few of them, and nothing of the site's
// navigation; a year page with its ranking tables on A4 landscape.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, CHROMIUM, CHROMIUM_FLAGS, base } from './site.mjs';

let site, scratch;

before(async () => {
  site = await serveSite('notice');
  scratch = mkdtempSync(join(tmpdir(), 'shiji-pdf-'));
});

after(() => {
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

test('the notice sheet of 文庙社区 prints on one or two A4 pages', async () => {
  const pages = await printPages('communities/wenmiao/notice/');
  assert.ok(pages.length >= 1 && pages.length <= 2, `printed on ${pages.length} pages`);
  for (const [w, h] of pages) {
    // A4 is 595 × 842 points.
    assert.ok(Math.abs(w - 595) < 2 && Math.abs(h - 842) < 2, `page of ${w} × ${h} points is not A4`);
  }
});

test('the community page itself, with navigation and charts, prints on more pages than its sheet', async () => {
  // Guards the count above: the page counter must see a longer document as longer.
  const sheet = (await printPages('communities/wenmiao/notice/')).length;
  const full = (await printPages('communities/wenmiao/')).length;
  assert.ok(full > sheet, `community page ${full} pages, notice sheet ${sheet}`);
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
