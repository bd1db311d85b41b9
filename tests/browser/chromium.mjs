// Debian's Chromium, headless, started the same way by every browser test: no network of its
// own (sync, updates, QUIC), no first-run work. Playwright gives it a fresh temporary profile
// (user data dir) each time.

import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-sync', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}
