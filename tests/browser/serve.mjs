// tests/browser/serve.mjs: `mailguide serve` seen from a real browser
// (Debian's chromium driven by playwright-core), run by tests/t_serve.sh
// against the server it started.
//
// Environment: URL (the server, ending in '/'), PAGE (a guide's page below
// it), GUIDE (that guide's file, which this script edits), BOUND (ms allowed
// for a build to reach the page: t_serve.sh asserts the server's speed, so
// the browser, slower to start and reload, gets ten times as much, 20 s at
// least). Prints PASS/FAIL lines as tests/lib.sh does.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const { URL: base, PAGE, GUIDE } = process.env;
const bound = Math.max(20000, 10 * Number(process.env.BOUND));
const pass = (name) => console.log(`PASS ${name}`);
const fail = (name, why) => console.log(`FAIL ${name}: ${String(why).split('\n').slice(0, 10).join(' ')}`);

function setTitle(title) {
  const text = fs.readFileSync(GUIDE, 'utf8').replace(/^title: .*$/m, `title: ${title}`);
  fs.writeFileSync(GUIDE, text);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + PAGE);

  // A save reloads the open page by itself.
  let name = 'serve (browser): a saved guide reloads the open page';
  setTitle('Seen by the browser');
  try {
    await page.waitForFunction(() => document.title.startsWith('Seen by the browser'), null,
      { timeout: bound });
    pass(name);
  } catch (e) {
    fail(name, `title still '${await page.title()}'`);
  }

  // A broken save: the diagnostics over the page, which stays.
  name = 'serve (browser): a failed build shows its diagnostics over the last good page';
  setTitle('[broken');
  try {
    const box = page.locator('#mailguide-serve-error');
    await box.waitFor({ state: 'visible', timeout: bound });
    const text = await box.innerText();
    const title = await page.title();
    if (!/guide\.en-gb\.md:\d+:\d+: error: /.test(text)) fail(name, `panel says: ${text}`);
    else if (!title.startsWith('Seen by the browser')) fail(name, `the page changed: ${title}`);
    else if ((await box.getAttribute('role')) !== 'alert') fail(name, 'the panel is not role=alert');
    else pass(name);
  } catch (e) {
    fail(name, e.message);
  }

  // The fix: the page reloads with the new text, without the panel.
  name = 'serve (browser): the fix reloads the page without the panel';
  setTitle('Fixed in the browser');
  try {
    await page.waitForFunction(() => document.title.startsWith('Fixed in the browser') &&
      !document.getElementById('mailguide-serve-error'), null, { timeout: bound });
    pass(name);
  } catch (e) {
    fail(name, `title '${await page.title()}'`);
  }
  if (errors.length) fail('serve (browser): no script error', errors.join('; '));
  else pass('serve (browser): no script error');
} finally {
  await browser.close();
}
