// tests/browser/site.mjs: the built site in a real browser (Debian's
// chromium, driven by playwright-core), run by tests/t_browser.sh.
//
// Environment: BASE (the web root served on 127.0.0.1, ending in '/'), ROOT
// (the same folder on disk), BASE_URL (site.yaml's base_url: 404.html links
// there; the test answers those requests from ROOT), ARTIFACTS (screenshots),
// SCRATCH (downloads), MG (the mailguide binary), CONTENT (its content dir).
// Prints PASS/FAIL/SKIP lines as tests/lib.sh does.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const env = process.env;
const { BASE, ROOT, BASE_URL, ARTIFACTS, SCRATCH, MG, CONTENT } = env;
const here = path.dirname(fileURLToPath(import.meta.url));
const tools = path.join(here, '..', 'tools');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const pass = (name) => console.log(`PASS ${name}`);
const fail = (name, why) => console.log(`FAIL ${name}: ${String(why).split('\n').slice(0, 20).join('\n')}`);
const skip = (name, why) => console.log(`SKIP ${name}: ${why}`);
const check = (name, problems) => (problems.length ? fail(name, problems.join('; ')) : pass(name));

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

// Every HTML page of the web root, as paths relative to it.
function pages(dir, rel = '') {
  let out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out = out.concat(pages(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// A context whose pages may load the served root, and base_url (answered
// from ROOT, as the published site would); anything else is a failure.
async function newContext(opts = {}) {
  const ctx = await browser.newContext({ acceptDownloads: true, ...opts });
  ctx.external = [];
  await ctx.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE) || url.startsWith('file:')) return route.continue();
    if (url.startsWith(BASE_URL)) {
      const file = path.join(ROOT, decodeURIComponent(new URL(url).pathname.slice(new URL(BASE_URL).pathname.length)));
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return route.fulfill({ path: file });
      // What the web server settings do (.htaccess ErrorDocument, nginx error_page).
      return route.fulfill({ status: 404, path: path.join(ROOT, '404.html') });
    }
    ctx.external.push(url);
    return route.abort();
  });
  return ctx;
}

// Opens `url` in `page`, collecting console errors, uncaught exceptions,
// failed requests and HTTP errors until the network is idle.
// With `missing`, the page itself is expected to answer 404.
async function visit(page, url, missing = false) {
  const problems = [];
  // (The console names the page's URL with a trailing '#' at times.)
  const expected = (u) => missing && u.split('#')[0] === url;
  const onConsole = (m) => {
    if (m.type() === 'error' && !expected(m.location().url)) problems.push(`console: ${m.text()} (${m.location().url})`);
  };
  const onError = (e) => problems.push(`exception: ${e.message}`);
  const onFailed = (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  const onResponse = (r) => {
    if (r.status() >= 400 && !(expected(r.url()) && r.status() === 404)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  };
  page.on('console', onConsole); page.on('pageerror', onError);
  page.on('requestfailed', onFailed); page.on('response', onResponse);
  try {
    await page.goto(url, { waitUntil: 'networkidle', timeout: 20000 });
  } catch (e) {
    problems.push(`load: ${e.message}`);
  }
  // Late requests (the icon) happen after load; give them a moment.
  await page.waitForTimeout(200);
  return () => {
    page.off('console', onConsole); page.off('pageerror', onError);
    page.off('requestfailed', onFailed); page.off('response', onResponse);
    return problems;
  };
}

// The host names of servers.yaml (read by PyYAML, not by mailguide).
const HOSTS = JSON.parse(spawnSync('python3', ['-c', `import json, sys, yaml
t = yaml.safe_load(open(sys.argv[1]))
print(json.dumps(sorted({s["host"] for p in t["providers"] for q in p["products"]
                         for s in q.get("incoming", []) + q.get("outgoing", [])})))`,
  path.join(CONTENT, 'servers.yaml')]).stdout.toString());

// What a reader sees wrong in a layout, at the page's current size: the page
// wider than the window (naming the elements that stick out), a region that
// cuts off part of its content (a scrolling box whose content is wider than
// itself: the settings table's last column), and a host name split over two
// lines ("ssl0.o / vh.net").
async function layout(page) {
  return page.evaluate((hosts) => {
    const problems = [];
    const name = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : ''}`;
    const [sw, iw] = [document.scrollingElement.scrollWidth, window.innerWidth];
    if (sw > iw) {
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > iw + 0.5);
      problems.push(`scrollWidth ${sw} > innerWidth ${iw} (${wide.slice(0, 5).map(name).join(', ')})`);
    }
    for (const e of document.querySelectorAll('body *')) {
      const ox = getComputedStyle(e).overflowX;
      if (ox !== 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && !e.closest('.skip'))
        problems.push(`${name(e)} cuts off ${e.scrollWidth - e.clientWidth}px of its content (overflow-x ${ox})`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('script, style, [hidden]')) continue;
      for (const h of hosts) {
        for (let i = n.data.indexOf(h); i >= 0; i = n.data.indexOf(h, i + 1)) {
          const r = document.createRange();
          r.setStart(n, i); r.setEnd(n, i + h.length);
          const tops = new Set([...r.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
          if (tops.size > 1) problems.push(`${h} is split over ${tops.size} lines in ${name(n.parentElement)}`);
        }
      }
    }
    return problems;
  }, HOSTS);
}

// What a page of a given kind must show at the page's current size.
// Kit pages: the site's header, a way back to the guides (absolute: the page
// travels in zips), file names whole. Guide pages: the ready-made file as
// one button per product in the first screen, and at a desk's size the
// guide's first step in it too.
async function kindChecks(page, rel) {
  return page.evaluate(([rel, baseUrl]) => {
    const problems = [];
    const lines = (e) => new Set([...e.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top))).size;
    if (/^profiles\/[^/]+\/[^/]+\/index\.html$/.test(rel)) {
      const locale = rel.split('/')[2];
      if (!document.querySelector('header.site a.home')) problems.push('no site header');
      const back = [...document.querySelectorAll('main a, header a')].filter((a) => a.href === `${baseUrl}${locale}/index.html`);
      if (back.length === 0) problems.push(`no link back to ${baseUrl}${locale}/index.html`);
      for (const c of document.querySelectorAll('main table th[scope=row] code'))
        if (lines(c) !== 1) problems.push(`file name ${c.textContent} broken over ${lines(c)} lines`);
      if (getComputedStyle(document.body).fontFamily.indexOf('system-ui') < 0) problems.push('not the site\'s style');
    }
    const ready = document.querySelector('section.ready');
    if (ready) {
      const buttons = [...ready.querySelectorAll('a.button[download]')];
      const products = document.querySelectorAll('section.downloads h3').length;
      if (buttons.length !== products) problems.push(`${buttons.length} ready-made buttons for ${products} products`);
      for (const b of buttons) {
        const r = b.getBoundingClientRect();
        if (r.bottom > window.innerHeight || r.top < 0) problems.push(`the button "${b.textContent}" is not in the first screen (top ${Math.round(r.top)})`);
      }
      const step = document.querySelector('.guide-body h2');
      if (window.innerWidth >= 1000 && step && step.getBoundingClientRect().top > window.innerHeight)
        problems.push(`the guide's first step starts at ${Math.round(step.getBoundingClientRect().top)}px, below the first screen`);
    } else if (document.querySelector('section.downloads')) {
      problems.push('a download box but no ready-made file before the steps');
    }
    return problems;
  }, [rel, BASE_URL]);
}

// Each QR code (figure.qr), drawn as inline SVG, rasterised by the browser
// (a screenshot of the element) and read by zbar's zbarimg: it must say the
// absolute URL under base_url of the download it stands beside.
const ZBAR = spawnSync('zbarimg', ['--version']).status === 0;
async function qrChecks(page, rel) {
  const codes = await page.$$('figure.qr svg');
  if (codes.length === 0) return null;
  const problems = [];
  for (const [i, svg] of codes.entries()) {
    const href = await svg.evaluate((e) => e.closest('li, tr').querySelector('a[download]').href);
    const want = href.startsWith(BASE) ? BASE_URL + href.slice(BASE.length) : href;
    const png = path.join(SCRATCH, `qr-${rel.replace(/\//g, '_')}-${i}.png`);
    await svg.screenshot({ path: png });
    const r = spawnSync('zbarimg', ['--raw', '-q', png]);
    const got = r.stdout.toString().trim();
    if (got !== want) problems.push(`code ${i + 1} reads ${JSON.stringify(got)}, not ${want} (zbarimg exit ${r.status})`);
  }
  return { n: codes.length, problems };
}

const shot = (rel, kind) => path.join(ARTIFACTS, `${rel.replace(/\//g, '_').replace(/\.html$/, '')}-${kind}.png`);

// ---- every page: loads cleanly, axe, switcher, TOC, phone layout ----------
// PAGES=REGEX narrows the run to the matching pages (while working on them).
const all = pages(ROOT).filter((rel) => !env.PAGES || new RegExp(env.PAGES).test(rel));
const desktop = await newContext({ viewport: DESKTOP });
const phone = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
const dp = await desktop.newPage();
const pp = await phone.newPage();
let serious = 0;
for (const rel of all) {
  const url = BASE + rel;
  // 404.html is served for missing URLs of the published site: open it there.
  const where = rel === '404.html' ? BASE_URL + 'no/such/page' : url;
  const done = await visit(dp, where, rel === '404.html');
  const problems = done();
  if (rel === '404.html' && dp.url() !== where) problems.push(`landed on ${dp.url()}`);
  check(`browser: ${rel} loads without console error or failed request`, problems);
  await dp.screenshot({ path: shot(rel, 'desktop'), fullPage: true });
  check(`browser: ${rel} at 1366x900: nothing overflows or is cut off, no host name split`, await layout(dp));
  check(`browser: ${rel} at 1366x900: what its kind of page must show`, await kindChecks(dp, rel));
  if (!ZBAR) skip(`browser: ${rel} QR codes`, 'zbarimg is missing (apt-get install zbar-tools)');
  else {
    const qr = await qrChecks(dp, rel);
    if (qr) check(`browser: ${rel} its ${qr.n} QR codes read (zbarimg) as their profile's URL under base_url`, qr.problems);
    else if (/^profiles\/|apple/.test(rel) && !rel.startsWith('404')) fail(`browser: ${rel} has a QR code beside its .mobileconfig`, 'none');
  }

  // axe-core: no serious or critical violation.
  await dp.addScriptTag({ path: axePath });
  const axe = await dp.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  serious += axe.length;
  check(`browser: ${rel} axe: no serious or critical violation`, axe);

  // The root page is the language picker: its switcher leads to each locale's home.
  if (rel !== '404.html') await tocAndSwitcher(dp, rel, rel !== 'index.html');

  const pdone = await visit(pp, where, rel === '404.html');
  const pproblems = pdone();
  pproblems.push(...await layout(pp));
  check(`browser: ${rel} at 390x844: what its kind of page must show`, await kindChecks(pp, rel));
  check(`browser: ${rel} at 390x844: nothing overflows or is cut off, no host name split`, pproblems);
  await pp.screenshot({ path: shot(rel, 'phone'), fullPage: true });
}
// 404.html is styled wherever it is answered: under base_url at any depth,
// from the served copy, and from the disk (a preview with other paths).
{
  const problems = [];
  for (const url of [BASE_URL + 'no/such/deep/page', BASE + '404.html', pathToFileURL(path.join(ROOT, '404.html')).href]) {
    const done = await visit(dp, url, url.startsWith(BASE_URL));
    const style = await dp.evaluate(() => ({
      font: getComputedStyle(document.body).fontFamily,
      border: getComputedStyle(document.querySelector('header.site')).borderBottomStyle,
      sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.href),
    }));
    if (!style.font.includes('system-ui') || style.border !== 'solid') problems.push(`${url}: unstyled (font ${style.font})`);
    if (style.sheets.some((h) => h.startsWith(BASE_URL))) problems.push(`${url}: loads its stylesheet from base_url`);
    problems.push(...done().map((p) => `${url}: ${p}`));
  }
  check('browser: 404.html is styled under base_url, served elsewhere and from file://', problems);
}
check('browser: pages load nothing from outside the site', desktop.external.concat(phone.external));

// TOC links scroll their heading into view; every other locale of the
// language switcher lands on the same page in that locale (its lang, the
// same x-default, and a switcher leading back here).
async function tocAndSwitcher(page, rel, switcher) {
  const url = page.url();
  const toc = await page.$$eval('.toc a[href^="#"]', (as) => as.map((a) => a.getAttribute('href').slice(1)));
  if (toc.length > 0) {
    const problems = [];
    for (const [i, id] of toc.entries()) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('.toc a[href^="#"]').nth(i).click();
      const ok = await page.waitForFunction((target) => {
        const el = document.getElementById(target);
        if (!el || location.hash !== '#' + target) return false;
        const r = el.getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight + 1;
      }, id, { timeout: 3000 }).then(() => true, () => false);
      if (!ok) problems.push(`#${id} not in view`);
    }
    check(`browser: ${rel} table of contents scrolls to its ${toc.length} headings`, problems);
  }
  const links = await page.$$eval('nav.languages a:not([aria-current])',
    (as) => as.map((a) => ({ href: a.href, lang: a.getAttribute('hreflang') })));
  if (links.length === 0 || !switcher) return;
  const here = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    xdefault: document.querySelector('link[rel=alternate][hreflang=x-default]')?.href || null,
  }));
  const problems = [];
  for (const l of links) {
    await page.goto(url);
    await Promise.all([page.waitForURL(l.href, { timeout: 10000 }).catch(() => {}),
      page.click(`nav.languages a[hreflang="${l.lang}"]`)]);
    const there = await page.evaluate((backLang) => ({
      lang: document.documentElement.lang,
      xdefault: document.querySelector('link[rel=alternate][hreflang=x-default]')?.href || null,
      back: document.querySelector(`nav.languages a[hreflang="${backLang}"]`)?.href || null,
      current: document.querySelector('nav.languages a[aria-current]')?.getAttribute('hreflang') || null,
    }), here.lang);
    if (page.url() !== l.href) problems.push(`${l.lang}: landed on ${page.url()}, not ${l.href}`);
    if (there.lang !== l.lang || there.current !== l.lang) problems.push(`${l.lang}: the page says lang ${there.lang}, current ${there.current}`);
    if (there.xdefault !== here.xdefault) problems.push(`${l.lang}: another guide (x-default ${there.xdefault})`);
    if (there.back !== url) problems.push(`${l.lang}: its switcher leads back to ${there.back}`);
  }
  await page.goto(url);
  check(`browser: ${rel} language switcher lands on the same page in ${links.length} other locales`, problems);
}

if (env.PAGES) {
  skip('browser: the download boxes', `PAGES=${env.PAGES} narrows the run to some pages`);
} else {
// ---- personalized profiles --------------------------------------------------
  // Each kind, in every locale, with a hostile address and name and with a
  // plain address and no name: equal to `mailguide profile`, accepted by the
  // kind's independent validator, carrying the address (and the name).
  fs.mkdirSync(path.join(SCRATCH, 'dl'), { recursive: true });
  const INPUTS = [
    { email: "o'brien&co=x{1}@example.com", name: 'Zoë "Q" O\'Brien <x> & ‘Ty’ \\ = ’' },
    { email: 'Anna.Kowalska+mail@Example.PL', name: '' },
    // Control characters a pasted name may hold: XML turns them into spaces,
    // so only the byte comparison with mailguide profile looks at the name.
    { email: 'c@example.com', name: 'Tab\there\x01\x7f\u2028end', nameNotKept: true },
  ];
  const LABELS = ['hostile address and name', 'no name', 'control characters in the name'];
  let nDownload = 0;
  
  function mgProfile(product, client, locale, email, name) {
    const args = ['-q', 'profile', '-C', CONTENT, '-p', product, '-c', client, '-l', locale, '-e', email];
    if (name) args.push('-n', name);
    return spawnSync(MG, args, { maxBuffer: 1 << 24, timeout: 30000 });
  }
  
  function validate(client, file, email, name) {
    const strings = (vals) => vals.filter(Boolean).flatMap((v) => ['--expect-string', v]);
    const run = (cmd, args) => spawnSync(cmd, args, { timeout: 60000 });
    let r;
    switch (client) {
      case 'apple':
        r = run('python3', [path.join(tools, 'check_mobileconfig.py'), file, '--expect-email', email, ...strings([name])]); break;
      case 'thunderbird':
        r = run('bash', [path.join(tools, 'check_userjs.sh'), file, ...strings([email, name])]); break;
      case 'outlook':
        r = run('bash', [path.join(tools, 'check_autodiscover.sh'), file, ...strings([email, name])]); break;
      default:
        r = run('python3', [path.join(tools, 'check_ps1.py'), file, ...strings([email])]); break;
    }
    return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
  }
  
  // Fills `form` and presses the button of `client`; returns the download's
  // path, or null when none came (within `wait` ms).
  async function download(page, form, client, email, name, wait = 10000) {
    await page.fill(`#${form} input[name=email]`, email);
    if (await page.$(`#${form} input[name=name]`)) await page.fill(`#${form} input[name=name]`, name);
    const got = page.waitForEvent('download', { timeout: wait }).catch(() => null);
    // A refused address shows its message at once: no need to wait then.
    const refused = page.waitForFunction((id) => document.querySelector(`#${id} input[name=email]`)
      .getAttribute('aria-invalid') === 'true', form, { timeout: wait }).then(() => null, () => null);
    await page.click(`#${form} button[value="${client}"]`);
    const d = await Promise.race([got, refused]);
    if (!d) return null;
    const file = path.join(SCRATCH, 'dl', `${++nDownload}-${d.suggestedFilename()}`);
    await d.saveAs(file);
    return file;
  }
  
  async function checkDownload(label, file, product, client, locale, email, name, nameNotKept = false) {
    if (!file) return fail(label, 'no download');
    const cli = mgProfile(product, client, locale, email, name);
    const problems = [];
    if (cli.status !== 0) problems.push(`mailguide profile failed: ${cli.stderr}`);
    else if (Buffer.compare(fs.readFileSync(file), cli.stdout) !== 0) problems.push(`differs from mailguide profile (diff ${file} against it)`);
    const v = validate(client, file, email, nameNotKept ? '' : name);
    if (v.status === 77) { skip(`${label}: validator`, v.out.split('\n').pop()); }
    else if (v.status !== 0) problems.push(`validator: ${v.out}`);
    check(label, problems);
  }
  
  const guidePages = all.filter((rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8').includes('class="personalize"'));
  const kinds = new Set();
  for (const rel of guidePages) {
    const done = await visit(dp, BASE + rel);
    const forms = await dp.$$eval('form.personalize', (fs_) => fs_.map((f) => ({
      id: f.id, product: f.dataset.product, visible: !f.hidden,
      clients: [...f.querySelectorAll('button[type=submit]')].map((b) => b.value),
    })));
    const locale = (await dp.evaluate(() => document.documentElement.lang)).toLowerCase();
    for (const f of forms) {
      if (!f.visible) fail(`browser: ${rel} ${f.id} is shown when JavaScript runs`, 'still hidden');
      for (const client of f.clients) {
        kinds.add(client);
        for (const [i, inp] of INPUTS.entries()) {
          const file = await download(dp, f.id, client, inp.email, inp.name);
          await checkDownload(`browser: ${rel} personalized ${client} (${LABELS[i]}) equals mailguide profile, valid, carries the address`,
            file, f.product, client, locale, inp.email, inp.name, inp.nameNotKept);
        }
      }
    }
    check(`browser: ${rel} personalizing raises no error`, done());
  }
  for (const k of ['apple', 'thunderbird', 'outlook', 'windows'])
    if (!kinds.has(k)) fail(`browser: a personalized ${k} profile is offered`, 'no page has one');
  
  // ---- the address is checked as `mailguide profile` checks it -------------
  {
    const rel = guidePages.find((r) => r.startsWith('en-gb/')) || guidePages[0];
    (await visit(dp, BASE + rel))();
    const form = await dp.$eval('form.personalize', (f) => ({ id: f.id, product: f.dataset.product, client: f.querySelector('button').value }));
    const cases = ['', 'plain', 'a b@example.com', 'x@localhost', 'ü@example.com', '.a@example.com', 'a.@example.com',
      'a..b@example.com', 'a@-x.com', 'a@x-.com', 'a@x..com', 'a%b@example.com', 'a@b@example.com', 'a@exa_mple.com',
      "OK.Name+tag!#$&'*/=?^_`{|}~-@Sub.Example-1.com", `a@${'x'.repeat(63)}.com`, `a@${'x'.repeat(64)}.com`,
      `${'x'.repeat(64)}@example.com`, `${'x'.repeat(65)}@example.com`, `a@${'abcdefghi.'.repeat(25)}com`];
    const problems = [];
    for (const email of cases) {
      const cli = mgProfile(form.product, form.client, 'en-gb', email, '').status === 0;
      const file = await download(dp, form.id, form.client, email, '', 3000);
      const state = await dp.$eval(`#${form.id} input[name=email]`, (e) => ({
        invalid: e.getAttribute('aria-invalid') === 'true', focused: document.activeElement === e,
        error: document.getElementById(e.getAttribute('aria-describedby')).textContent,
      }));
      if (cli !== (file !== null)) problems.push(`${JSON.stringify(email)}: mailguide profile ${cli ? 'accepts' : 'refuses'} it, the page ${file ? 'accepts' : 'refuses'} it`);
      if (!file && !(state.invalid && state.focused && state.error)) problems.push(`${JSON.stringify(email)}: refused without a message on the focused field`);
    }
    check(`browser: the page accepts and refuses the same ${cases.length} addresses as mailguide profile`, problems);
  }
  
  // ---- keyboard alone ------------------------------------------------------
  async function tabTo(page, predicate, arg, max = 120) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(predicate, arg)) return true;
    }
    return false;
  }
  {
    const rel = guidePages.find((r) => r.startsWith('en-gb/')) || guidePages[0];
    await dp.goto(BASE + rel);
    const target = await dp.$eval('nav.languages a:not([aria-current])', (a) => ({ href: a.href, lang: a.getAttribute('hreflang') }));
    const problems = [];
    if (!await tabTo(dp, (lang) => document.activeElement?.matches?.(`nav.languages a[hreflang="${lang}"]`), target.lang)) {
      problems.push('Tab never reaches the switcher');
    } else {
      await Promise.all([dp.waitForURL(target.href, { timeout: 10000 }).catch(() => {}), dp.keyboard.press('Enter')]);
      if (dp.url() !== target.href) problems.push(`Enter landed on ${dp.url()}, not ${target.href}`);
    }
    check(`browser: keyboard: Tab and Enter on the language switcher (${rel})`, problems);
  
    await dp.goto(BASE + rel);
    const form = await dp.$eval('form.personalize', (f) => ({ id: f.id, product: f.dataset.product,
      clients: [...f.querySelectorAll('button')].map((b) => b.value), name: !!f.elements.name }));
    const kp = [];
    const email = 'kb.user@example.org', name = 'Kay Board';
    if (!await tabTo(dp, (id) => document.activeElement === document.querySelector(`#${id} input[name=email]`), form.id)) {
      kp.push('Tab never reaches the address field');
    } else {
      await dp.keyboard.type(email);
      if (form.name) { await dp.keyboard.press('Tab'); await dp.keyboard.type(name); }
      for (const [i, client] of form.clients.entries()) {
        await dp.keyboard.press('Tab');
        const on = await dp.evaluate(() => document.activeElement?.value);
        if (on !== client) { kp.push(`Tab ${i + 1} after the fields is on ${on}, not the ${client} button`); break; }
        const got = dp.waitForEvent('download', { timeout: 10000 }).catch(() => null);
        await dp.keyboard.press('Enter');
        const d = await got;
        if (!d) { kp.push(`Enter on the ${client} button downloads nothing`); continue; }
        const file = path.join(SCRATCH, 'dl', `${++nDownload}-${d.suggestedFilename()}`);
        await d.saveAs(file);
        const cli = mgProfile(form.product, client, 'en-gb', email, form.name ? name : '');
        if (cli.status !== 0 || Buffer.compare(fs.readFileSync(file), cli.stdout) !== 0) kp.push(`${client}: not what mailguide profile writes`);
        // Enter in the address field submits with the first button.
      }
    }
    check(`browser: keyboard: Tab, typing and Enter in the download box (${rel})`, kp);
  }
  
  // ---- without JavaScript: no form, the links give the generic files ------------
  {
    const nojs = await newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await nojs.newPage();
    const problems = [];
    for (const rel of guidePages) {
      await page.goto(BASE + rel);
      if (await page.$('form.personalize:visible')) problems.push(`${rel}: a form shows`);
      const links = await page.$$eval('.downloads a[download]', (as) => as.map((a) => a.getAttribute('href')));
      for (const href of links.filter((h) => !h.endsWith('.zip'))) {
        const got = page.waitForEvent('download', { timeout: 10000 }).catch(() => null);
        await page.click(`.downloads a[href="${href}"]`);
        const d = await got;
        if (!d) { problems.push(`${rel}: ${href} downloads nothing`); continue; }
        const file = path.join(SCRATCH, 'dl', `${++nDownload}-${d.suggestedFilename()}`);
        await d.saveAs(file);
        const generic = path.join(path.dirname(path.join(ROOT, rel)), href);
        if (Buffer.compare(fs.readFileSync(file), fs.readFileSync(generic)) !== 0) problems.push(`${rel}: ${href} is not the generic file`);
      }
    }
    check(`browser: without JavaScript the ${guidePages.length} download boxes show no form and give the generic files`, problems);
    await nojs.close();
  }
  
  // ---- without the stencils' script: no form, no error --------------------------
  // A page's forms fill in the stencils of a script of their own
  // (profiles/<product>/personal-<locale>.js); when it does not arrive, the
  // forms stay hidden and the links give the generic files, as without
  // JavaScript.
  {
    const ctx = await newContext({ viewport: DESKTOP });
    const blocked = [];
    await ctx.route(/\/personal-[^/]*\.js$/, (route) => { blocked.push(route.request().url()); return route.abort(); });
    const page = await ctx.newPage();
    const problems = [];
    for (const rel of guidePages) {
      const done = await visit(page, BASE + rel);
      // (The blocked request fails, and the console says so.)
      problems.push(...done().filter((p) => !/\/personal-[^/]*\.js\b/.test(p)).map((p) => `${rel}: ${p}`));
      if (await page.$('form.personalize:visible')) problems.push(`${rel}: a form shows`);
      if (await page.$$eval('.downloads a[download]', (as) => as.length) === 0) problems.push(`${rel}: no links`);
    }
    if (blocked.length < guidePages.length) problems.push(`only ${blocked.length} of ${guidePages.length} pages asked for their stencils`);
    check(`browser: without their stencils' script the ${guidePages.length} download boxes show no form and raise no error`, problems);
    await ctx.close();
  }

  // ---- from file:// (no server): personalization still works -----------------
  {
    const rel = guidePages.find((r) => r.startsWith('en-gb/')) || guidePages[0];
    const ctx = await newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    const done = await visit(page, pathToFileURL(path.join(ROOT, rel)).href);
    const form = await page.$eval('form.personalize', (f) => ({ id: f.id, product: f.dataset.product, client: f.querySelector('button').value }));
    const file = await download(page, form.id, form.client, 'file.user@example.com', 'File User');
    const problems = done();
    const cli = mgProfile(form.product, form.client, 'en-gb', 'file.user@example.com', 'File User');
    if (!file) problems.push('no download');
    else if (Buffer.compare(fs.readFileSync(file), cli.stdout) !== 0) problems.push('not what mailguide profile writes');
    check(`browser: from file:// ${rel} personalizes its ${form.client} profile`, problems);
    await ctx.close();
  }
  
}
console.log(`browser: ${all.length} pages, ${serious} serious or critical axe violations, screenshots in ${ARTIFACTS}`);
await desktop.close();
await phone.close();
await browser.close();
