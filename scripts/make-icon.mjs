// Draws media/icon.png (128×128, the Marketplace icon) from the SVG below with Debian's Chromium:
// a case card whose bars are the attributions of one case, pushing the score up and down.
//   node scripts/make-icon.mjs
import { chromium } from 'playwright-core';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect x="4" y="4" width="120" height="120" rx="24" fill="#1f3a5f"/>
  <rect x="22" y="20" width="84" height="88" rx="8" fill="#f4f6f8"/>
  <line x1="58" y1="30" x2="58" y2="98" stroke="#1f3a5f" stroke-width="2.5"/>
  <rect x="58" y="34" width="38" height="11" rx="2" fill="#d9534f"/>
  <rect x="58" y="51" width="24" height="11" rx="2" fill="#d9534f"/>
  <rect x="38" y="68" width="20" height="11" rx="2" fill="#2e86c1"/>
  <rect x="58" y="85" width="12" height="11" rx="2" fill="#d9534f"/>
</svg>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: new URL('../media/icon.png', import.meta.url).pathname, omitBackground: true });
} finally {
  await browser.close();
}
