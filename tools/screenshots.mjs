// tools/screenshots.mjs OUT BASE PAGE...: screenshots of the built site in
// Debian's chromium (headless, driven by playwright-core), at a desk's
// 1366x900 and a phone's 390x844, one PNG per page and width in OUT
// (<page>-desktop.png, <page>-phone.png; the page's path with / as _, and
// its #id). BASE is the served web root ending in '/'; PAGE is a path
// under it, with #id to start the shot at that element. FULL=1 takes the
// whole page instead of one screen. Run by tools/screenshots.sh.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [out, base, ...pages] = process.argv.slice(2);
const sizes = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [kind, viewport] of Object.entries(sizes)) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  for (const spec of pages) {
    const [rel, id] = spec.split('#');
    await page.goto(base + rel, { waitUntil: 'networkidle' });
    if (id) await page.evaluate((i) => document.getElementById(i).scrollIntoView(), id);
    const name = (rel.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '_') || 'root') + (id ? `-${id}` : '');
    await page.screenshot({ path: path.join(out, `${name}-${kind}.png`), fullPage: process.env.FULL === '1' });
  }
  await ctx.close();
}
await browser.close();
