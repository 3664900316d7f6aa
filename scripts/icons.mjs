// Renders the toolbar and store icons from their SVG sources (icons/*.svg) with Chromium, into
// public/ where WXT finds them. Run after editing an SVG: `node scripts/icons.mjs`.
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath } from './chromium.mjs';

const SETS = [
  { svg: 'icons/keysmith.svg', dir: 'public/icon', sizes: [16, 32, 48, 128] },
  { svg: 'icons/keysmith-locked.svg', dir: 'public/icon-locked', sizes: [16, 32] },
];

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const { svg, dir, sizes } of SETS) {
    mkdirSync(dir, { recursive: true });
    const source = `data:image/svg+xml;base64,${readFileSync(svg).toString('base64')}`;
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${source}" width="${size}" height="${size}"></body></html>`,
      );
      await page.screenshot({ path: `${dir}/${size}.png`, omitBackground: true });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
