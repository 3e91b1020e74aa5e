// tests/site/browser.js SITE_DIR SHOT_DIR — the browser tests of the
// static report. Opens the rendered site from file:// in Debian's chromium
// (headless, through puppeteer-core; nothing is downloaded) and prints TAP
// 14: one line per test function below, named as the function, so the
// traceability engine matches each result to its tag.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const site = path.resolve(process.argv[2] || 'build/site');
const shots = path.resolve(process.argv[3] || 'build/site-screenshots');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const url = (rel) => 'file://' + path.join(site, rel);
// (regular expressions with quotes are built from strings: the tag
// scanner reads this file with a C lexer)
const ID_RE = new RegExp(' id="([^"]+)"', 'g');
const LINK_RE = new RegExp(' (?:href|src)="([^"]*)"', 'g');

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function firstFile(dir, suffix) {
  const f = fs.readdirSync(path.join(site, dir)).filter((n) => n.endsWith(suffix)).sort();
  assert(f.length > 0, `no ${suffix} file in ${dir}/`);
  return dir + '/' + f[0];
}

// one page of each type
function pageTypes() {
  return ['index.html', 'matrix.html', 'fr/FR-SITE-002.html',
    firstFile('src', '.html'), 'sast.html', 'planner.html', 'probes.html',
    'ledger.html', 'glossary.html'];
}

async function open(ctx, rel, viewport) {
  const page = await ctx.browser.newPage();
  // before loading: a change of isMobile reloads the page
  if (viewport) await page.setViewport(viewport);
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('requestfailed', (r) => page.errors.push('failed: ' + r.url()));
  await page.goto(url(rel), { waitUntil: 'load' });
  return page;
}

// Verifies: FR-SITE-001
async function test_site_pages_load_without_console_errors(ctx) {
  for (const rel of pageTypes()) {
    const page = await open(ctx, rel);
    const h1 = await page.$eval('h1', (e) => e.textContent);
    assert(h1.length > 0, `${rel}: no heading`);
    assert(page.errors.length === 0, `${rel}: ${page.errors.join('; ')}`);
    await page.close();
  }
}

async function search(page, q) {
  await page.click('#q', { clickCount: 3 });
  await page.type('#q', q);
  return page.$$eval('#results a', (as) => as.map((a) => a.getAttribute('href')));
}

// Verifies: FR-SITE-002
async function test_site_search_finds_an_fr_and_a_glossary_term(ctx) {
  const page = await open(ctx, 'fr/FR-SITE-001.html');
  let hrefs = await search(page, 'FR-SITE-002');
  assert(hrefs.includes('../fr/FR-SITE-002.html'), 'FR not found: ' + hrefs.join(' '));
  hrefs = await search(page, 'GGUF');
  assert(hrefs.some((h) => h.startsWith('../glossary.html#t-gguf')),
    'glossary term not found: ' + hrefs.join(' '));
  hrefs = await search(page, 'hw_site_render');
  assert(hrefs.some((h) => h.startsWith('../src/')), 'function not found');
  // keyboard: arrow down moves into the results, Enter follows the link
  await search(page, 'FR-SITE-002');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert(page.url().endsWith('/fr/FR-SITE-002.html'), 'Enter went to ' + page.url());
  assert(page.errors.length === 0, page.errors.join('; '));
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_matrix_filters_and_sorts(ctx) {
  const page = await open(ctx, 'matrix.html');
  const total = await page.$$eval('#matrix tbody tr', (r) => r.length);
  await page.type('#flt', 'FR-PLAN');
  const shown = await page.$$eval('#matrix tbody tr:not([hidden])',
    (r) => r.map((x) => x.cells[0].textContent));
  assert(shown.length > 0 && shown.length < total, `filter showed ${shown.length} of ${total}`);
  assert(shown.every((id) => id.startsWith('FR-PLAN')), 'filter kept ' + shown.join(' '));
  await page.click('#matrix thead th:first-child');
  await page.click('#matrix thead th:first-child');
  const ids = await page.$$eval('#matrix tbody tr:not([hidden]) th', (r) => r.map((x) => x.textContent));
  const sorted = ids.slice().sort().reverse();
  assert(JSON.stringify(ids) === JSON.stringify(sorted), 'not sorted descending: ' + ids.join(' '));
  await page.close();
}

function localTarget(fromRel, href) {
  const [file, frag] = href.split('#');
  const target = file ? path.join(path.dirname(path.join(site, fromRel)), decodeURIComponent(file))
    : path.join(site, fromRel);
  return { target, frag };
}

// Verifies: FR-SITE-001
async function test_site_every_internal_link_resolves(ctx) {
  const pages = [];
  const walk = (dir) => {
    for (const n of fs.readdirSync(path.join(site, dir))) {
      const rel = dir ? dir + '/' + n : n;
      if (fs.statSync(path.join(site, rel)).isDirectory()) walk(rel);
      else if (n.endsWith('.html')) pages.push(rel);
    }
  };
  walk('');
  const ids = new Map();
  const idsOf = (file) => {
    if (!ids.has(file)) {
      const text = fs.readFileSync(file, 'utf8');
      ids.set(file, new Set(Array.from(text.matchAll(ID_RE), (m) => m[1])));
    }
    return ids.get(file);
  };
  let links = 0;
  for (const rel of pages) {
    const text = fs.readFileSync(path.join(site, rel), 'utf8');
    for (const m of text.matchAll(LINK_RE)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (/^(https?:|mailto:)/.test(href)) continue;
      assert(!/^[a-z]+:/.test(href), `${rel}: non-local link ${href}`);
      const { target, frag } = localTarget(rel, href);
      assert(fs.existsSync(target), `${rel}: broken link ${href}`);
      if (frag && target.endsWith('.html'))
        assert(idsOf(target).has(frag), `${rel}: no #${frag} in ${href}`);
      links++;
    }
  }
  assert(links > 100, `only ${links} links checked`);
}

// Verifies: FR-SITE-001
async function test_site_glossary_hover_shows_the_definition(ctx) {
  const page = await open(ctx, 'fr/FR-PLAN-001.html');
  const term = await page.$('a.term');
  assert(term, 'no linked glossary term on the FR page');
  const hidden = await page.$eval('a.term + .tip', (t) => getComputedStyle(t).display);
  assert(hidden === 'none', 'definition shown before hover');
  await term.hover();
  const tip = await page.$eval('a.term + .tip', (t) => [getComputedStyle(t).display, t.textContent]);
  assert(tip[0] !== 'none' && tip[1].length > 10, 'hover did not show the definition');
  const href = await page.$eval('a.term', (a) => a.getAttribute('href'));
  assert(href.startsWith('../glossary.html#t-'), 'term link ' + href);
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_screenshots_of_dashboard_and_fr_page(ctx) {
  fs.mkdirSync(shots, { recursive: true });
  for (const [rel, name] of [['index.html', 'dashboard.png'], ['fr/FR-SITE-001.html', 'fr-page.png']]) {
    const page = await open(ctx, rel);
    await page.setViewport({ width: 1200, height: 900 });
    const file = path.join(shots, name);
    await page.screenshot({ path: file, fullPage: true });
    assert(fs.statSync(file).size > 10000, `${name} is too small to be a page`);
    await page.close();
  }
}

// Verifies: FR-SITE-001
async function test_site_has_no_serious_accessibility_violations(ctx) {
  const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const problems = [];
  for (const rel of pageTypes()) {
    for (const scheme of ['light', 'dark']) {
      const page = await open(ctx, rel);
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await page.evaluate(axe);
      const v = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')
          .map((x) => `${x.id} (${x.nodes.length}): ${x.nodes[0].target.join(' ')}`);
      });
      v.forEach((x) => problems.push(`${rel} [${scheme}]: ${x}`));
      await page.close();
    }
  }
  assert(problems.length === 0, problems.slice(0, 10).join('\n'));
}

// Verifies: FR-SITE-001
async function test_site_fits_a_phone_and_prints_without_navigation(ctx) {
  for (const rel of ['index.html', 'matrix.html', 'fr/FR-SITE-001.html', 'glossary.html']) {
    const page = await open(ctx, rel, { width: 375, height: 740, isMobile: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 376, `${rel}: ${wide} px wide on a 375 px phone`);
    await page.emulateMediaType('print');
    const nav = await page.$eval('header nav', (n) => getComputedStyle(n).display);
    assert(nav === 'none', `${rel}: navigation printed`);
    await page.close();
  }
}

const tests = [
  test_site_pages_load_without_console_errors,
  test_site_search_finds_an_fr_and_a_glossary_term,
  test_site_matrix_filters_and_sorts,
  test_site_every_internal_link_resolves,
  test_site_glossary_hover_shows_the_definition,
  test_site_screenshots_of_dashboard_and_fr_page,
  test_site_has_no_serious_accessibility_violations,
  test_site_fits_a_phone_and_prints_without_navigation,
];

(async () => {
  console.log('TAP version 14');
  console.log(`1..${tests.length}`);
  let failed = 0;
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    console.log('Bail out! chromium did not start: ' + e.message);
    process.exit(1);
  }
  for (let i = 0; i < tests.length; i++) {
    try {
      await tests[i]({ browser });
      console.log(`ok ${i + 1} - ${tests[i].name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${i + 1} - ${tests[i].name}`);
      console.log('  ---');
      console.log('  message: |');
      String(e.message).split('\n').forEach((l) => console.log('    ' + l));
      console.log('  ...');
    }
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
