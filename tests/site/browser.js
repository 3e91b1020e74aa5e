// tests/site/browser.js SITE_DIR SHOT_DIR [CHECKS_DIR] — the browser tests of the
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
// the evidence the site was rendered from (ci/site.sh: BUILD/checks)
const checks = path.resolve(process.argv[4] || path.join(site, '..', 'checks'));
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
  return ['index.html', 'matrix.html', 'tree.html', 'fr/FR-SITE-002.html',
    firstFile('src', '.html'), 'sast.html', 'planner.html', 'probes.html',
    'ledger.html', 'changes.html', 'glossary.html'];
}

// an evidence document, or null when the check did not run
function evidence(name) {
  const f = path.join(checks, name);
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
}

async function open(ctx, rel, viewport) {
  const page = await ctx.browser.newPage();
  // every request the page makes, to prove none leaves the folder
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
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

// Verifies: FR-SITE-003
async function test_site_requests_nothing_outside_its_folder(ctx) {
  for (const rel of pageTypes()) {
    const page = await open(ctx, rel);
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]',
      (m) => m.getAttribute('content'));
    assert(csp.includes("default-src 'self'"), `${rel}: CSP ${csp}`);
    // a remote image that got into a page anyway is refused by the policy
    const blocked = await page.evaluate(() => new Promise((done) => {
      const img = document.createElement('img');
      img.alt = '';
      img.onload = () => done(false);
      img.onerror = () => done(true);
      img.src = 'https://tracker.invalid/p.png';
      document.body.appendChild(img);
    }));
    assert(blocked, `${rel}: a remote image loaded`);
    const out = page.requests.filter((u) => !u.startsWith('file://'));
    const loaded = out.filter((u) => u !== 'https://tracker.invalid/p.png');
    assert(loaded.length === 0, `${rel}: requested ${loaded.join(' ')}`);
    const violations = page.errors.filter((e) => !/tracker\.invalid/.test(e));
    assert(violations.length === 0, `${rel}: ${violations.join('; ')}`);
    await page.close();
  }
}

async function cardText(page, label) {
  return page.$eval(`section.card[aria-label="${label}"]`,
    (c) => c.textContent.replace(/\s+/g, ' '));
}

async function cardBadge(page, label) {
  return page.$eval(`section.card[aria-label="${label}"] .verdict .badge`,
    (b) => b.textContent);
}

// Verifies: FR-SITE-001
async function test_site_dashboard_cards_say_what_the_evidence_says(ctx) {
  const page = await open(ctx, 'index.html');
  const trace = evidence('trace.json');
  const gate = evidence('gate.json');
  const sast = evidence('sast.json');
  const req = await cardText(page, 'Requirements');
  if (trace) {
    const approved = trace.frs.filter((f) => f.fr_status === 'approved');
    const v = approved.filter((f) => f.status === 'verified').length;
    const w = approved.filter((f) => f.status === 'waived').length;
    assert(req.includes(`${v} verified + ${w} waived of ${approved.length}`),
      'Requirements card: ' + req);
    // green only when every approved FR is verified or waived, never
    // beside a failing gate
    const badge = await cardBadge(page, 'Requirements');
    const all = approved.length > 0 && v + w === approved.length;
    assert((badge === 'pass') === (all && (!gate || gate.pass !== false)),
      `Requirements badge ${badge} with ${v}+${w}/${approved.length}`);
  }
  if (gate) {
    const badge = await cardBadge(page, 'Gate');
    assert(badge === (gate.pass ? 'pass' : 'fail'), 'Gate badge ' + badge);
  }
  const verify = evidence('ledger-verify.json');
  if (verify) {
    const text = await cardText(page, 'Ledger');
    assert(text.includes(`${verify.events} events`) &&
      text.includes(`${verify.checkpoints} checkpoints`) &&
      text.includes(`${verify.anchors} anchored`), 'Ledger card: ' + text);
  }
  const text = await cardText(page, 'SAST');
  if (sast) {
    const baseline = sast.findings.some((f) => f.in_baseline);
    assert(baseline || !/baseline/.test(text), 'SAST card: ' + text);
    assert(text.includes(`${sast.new} count toward the gate`), 'SAST card: ' + text);
  }
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_sast_page_names_each_file_once_and_each_state_truly(ctx) {
  const sast = evidence('sast.json');
  const page = await open(ctx, 'sast.html');
  const heads = await page.$$eval('main h3', (h) => h.map((x) => x.textContent));
  assert(new Set(heads).size === heads.length, 'a file heading repeats: ' + heads.join(' '));
  if (sast) {
    const states = await page.$$eval('tr[id^="f"] td:last-child', (t) => t.map((x) => x.textContent));
    const rows = await page.$$eval('tr[id^="f"]', (t) => t.map((x) => Number(x.id.slice(1))));
    rows.forEach((idx, i) => {
      const f = sast.findings[idx];
      const want = typeof f.group === 'number' && f.group !== idx ? 'duplicate'
        : f.suppressed ? 'suppressed' : f.in_baseline ? 'baseline'
          : f.new ? 'new' : 'open';
      assert(states[i] === want, `finding ${idx}: ${states[i]}, not ${want}`);
    });
    const intro = await page.$eval('main > p', (p) => p.textContent);
    assert(sast.findings.some((f) => f.in_baseline) || !/baseline/.test(intro),
      'no baseline, yet: ' + intro);
  }
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_source_view_is_single_spaced(ctx) {
  const page = await open(ctx, firstFile('src', '.html'));
  const m = await page.evaluate(() => {
    const a = document.getElementById('L1').getBoundingClientRect();
    const b = document.getElementById('L2').getBoundingClientRect();
    return { step: b.top - a.top, height: a.height,
      line: parseFloat(getComputedStyle(document.getElementById('L1')).lineHeight) };
  });
  assert(m.step > 0 && m.step <= m.line * 1.01 && m.height <= m.line * 1.01,
    `line 2 is ${m.step} px below line 1 (line height ${m.line} px)`);
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_matrix_headings_keep_their_words_whole(ctx) {
  const page = await open(ctx, 'matrix.html', { width: 1280, height: 800 });
  const broken = await page.evaluate(() => {
    const out = [];
    document.querySelectorAll('table thead th').forEach((th) => {
      const node = th.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) return;
      const re = /\S+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(r.getClientRects(), (x) => Math.round(x.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    });
    return out;
  });
  assert(broken.length === 0, 'headings broken inside a word at 1280 px: ' + broken.join(' '));
  await page.close();
}

// Verifies: FR-SITE-001
async function test_site_tabs_in_the_browser_follow_the_plan_and_probe_data(ctx) {
  const plan = evidence('plan.json');
  const probe = evidence('probe.json');
  const sweeps = fs.existsSync(checks) &&
    fs.readdirSync(checks).some((n) => /^sweep.*\.json$/.test(n));
  const want = {
    'planner.html': Boolean((plan && plan.total > 0) || sweeps || evidence('cheapest.json')),
    'probes.html': Boolean(probe && (probe.total > 0 ||
      (probe.probe && (probe.probe.hosts || []).length > 0))),
  };
  for (const rel of ['index.html', 'matrix.html']) {
    const page = await open(ctx, rel);
    const tabs = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
    for (const [tab, shown] of Object.entries(want))
      assert(tabs.includes(tab) === shown, `${rel}: tab ${tab} ${shown ? 'missing' : 'shown without data'}`);
    await page.close();
  }
}

// The tree's filter by attribute: a value shows the requirements that carry
// it, everything under them and the way up to them; "any" shows all again.
// The expected set comes from the trace evidence, not from the page.
// Verifies: FR-SITE-004
async function test_site_tree_filters_by_attribute(ctx) {
  const trace = evidence('trace.json');
  assert(trace, 'no trace.json evidence');
  const users = {};
  for (const fr of trace.frs) {
    for (const u of (fr.attributes && fr.attributes.Users) || []) (users[u] = users[u] || []).push(fr.id);
  }
  const value = Object.keys(users).sort().find((u) => users[u].length > 0 && users[u].length < 3);
  assert(value, 'no Users value carried by one or two requirements: ' + JSON.stringify(users));
  const page = await open(ctx, 'tree.html');
  assert(await page.$eval('#tree-filter', (e) => !e.hidden), 'the filter is hidden');
  const total = await page.$$eval('ul.tree li', (l) => l.length);
  await page.select('#tree-attr', 'Users=' + value);
  const roots = await page.$$eval('ul.tree > li:not([hidden])', (l) => l.map((x) => x.id.slice(2)));
  assert(JSON.stringify(roots.sort()) === JSON.stringify(users[value].slice().sort()),
    `Users=${value} showed ${roots.join(' ')}, not ${users[value].join(' ')}`);
  // a shown requirement's children show; a hidden one's stay hidden
  const shownKids = await page.$$eval('ul.tree > li:not([hidden]) li', (l) => l.filter((x) => x.hidden).length);
  const hiddenKids = await page.$$eval('ul.tree > li[hidden] li', (l) => l.filter((x) => !x.hidden).length);
  assert(shownKids === 0 && hiddenKids === 0, `${shownKids} children hidden under a match, ${hiddenKids} shown under none`);
  await page.select('#tree-attr', '');
  const all = await page.$$eval('ul.tree li:not([hidden])', (l) => l.length);
  assert(all === total, `"any" shows ${all} of ${total}`);
  assert(page.errors.length === 0, page.errors.join('; '));
  await page.close();
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
  test_site_requests_nothing_outside_its_folder,
  test_site_dashboard_cards_say_what_the_evidence_says,
  test_site_sast_page_names_each_file_once_and_each_state_truly,
  test_site_source_view_is_single_spaced,
  test_site_matrix_headings_keep_their_words_whole,
  test_site_tabs_in_the_browser_follow_the_plan_and_probe_data,
  test_site_tree_filters_by_attribute,
].filter((t) => !process.env.SITE_TESTS || new RegExp(process.env.SITE_TESTS).test(t.name));

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
