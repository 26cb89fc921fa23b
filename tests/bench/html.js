// Helper of tests/bench/html.sh (run by node with jsdom and
// @mozilla/readability installed beside it).  Usage:
//   node html.js CORPUS_VI_HTML NEWS2XML_OUTPUT.xml NEWS2XML_SECONDS NEWS2XML_RUNS
// For each article page of the corpus it builds the reference body text
// (the rule is below), runs Readability on the page, reads news2xml's
// article for the same file, and prints token precision, recall and F1
// for both, then pages per second.
'use strict';
const fs = require('fs');
const path = require('path');
const { JSDOM, VirtualConsole } = require('jsdom');
const { Readability } = require('@mozilla/readability');
const { articlesByFile } = require('./articles');

const [corpus, ourXml, ourSecs, ourRuns] = process.argv.slice(2);
const quiet = new VirtualConsole(); // pages' CSS and script errors are not ours

function pages() {
  const out = [];
  for (const dir of ['dantri-enewswebapp', 'tuoitre-naustudio', 'vnexpress-fundus'])
    for (const f of fs.readdirSync(path.join(corpus, dir)).sort())
      if (f.endsWith('.html')) out.push(path.join(corpus, dir, f));
  return out;
}

// Reference body text, by a fixed rule per site: the lead (sapo) and the
// text of the page's known body container, without scripts, styles,
// iframes and the byline element.  VnExpress: fundus's expected JSON
// (summary, then paragraphs).
// With lead = false the lead is left out (a stricter reading in which the
// sapo is not body text), printed as a second summary line.
function reference(file, doc, lead = true) {
  if (file.includes('vnexpress')) {
    const j = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'VnExpress.expected.json'), 'utf8')).V1;
    return (lead ? j.body.summary : []).concat(j.body.sections.flatMap(s => s.headline.concat(s.paragraphs))).join('\n');
  }
  let sel = file.includes('dantri')
    ? ['.singular-sapo', '.singular-content', '.e-magazine__sapo', '.e-magazine__body']
    : file.includes('mobile') ? ['section.fck p', 'div.fck'] : ['p.txt-head', 'div.fck'];
  if (!lead)
    sel = sel.filter(s => !/sapo|section\.fck|txt-head/.test(s));
  const parts = [];
  for (const s of sel) {
    const el = doc.querySelector(s);
    if (!el) continue;
    el.querySelectorAll('script, style, noscript, iframe, .wrapper-qt, .author').forEach(e => e.remove());
    parts.push(el.textContent);
  }
  return parts.join('\n');
}

function tokens(text) {
  return (text || '').normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function score(got, want) {
  const count = new Map();
  for (const t of want) count.set(t, (count.get(t) || 0) + 1);
  let common = 0;
  for (const t of got) {
    const n = count.get(t) || 0;
    if (n > 0) { common++; count.set(t, n - 1); }
  }
  const p = got.length ? common / got.length : 0, r = want.length ? common / want.length : 0;
  return { p, r, f: p + r ? 2 * p * r / (p + r) : 0 };
}

const list = pages();
// news2xml's body text per source file: every text of <body>, blocks apart
const our = articlesByFile(ourXml, body => Array.from(body.children).map(b => b.textContent).join('\n'));
const rows = [];
let rdSecs = 0;
for (const file of list) {
  const html = fs.readFileSync(file, 'utf8');
  const refDoc = new JSDOM(html, { virtualConsole: quiet }).window.document;
  const want = tokens(reference(file, refDoc));
  const want2 = tokens(reference(file, new JSDOM(html, { virtualConsole: quiet }).window.document, false));
  const t0 = process.hrtime.bigint();
  const dom = new JSDOM(html, { url: 'https://example.vn/', virtualConsole: quiet });
  const art = new Readability(dom.window.document).parse();
  rdSecs += Number(process.hrtime.bigint() - t0) / 1e9;
  const rd = score(tokens(art && art.textContent), want);
  const text = (our.get(path.resolve(file)) || {}).text;
  const us = score(tokens(text), want);
  rows.push({ name: path.basename(file).slice(0, 44), n: want.length, rd, us,
              rd2: score(tokens(art && art.textContent), want2), us2: score(tokens(text), want2) });
}

const pct = x => (100 * x).toFixed(1).padStart(5);
console.log('  ' + 'page'.padEnd(44) + ' ref tok |  news2xml P     R     F1 | Readability P  R     F1');
for (const r of rows)
  console.log('  ' + r.name.padEnd(44) + String(r.n).padStart(8) + ' |  ' +
    [r.us.p, r.us.r, r.us.f].map(pct).join(' ') + ' |  ' + [r.rd.p, r.rd.r, r.rd.f].map(pct).join(' '));
const mean = (k, m) => rows.reduce((s, r) => s + r[k][m], 0) / rows.length;
console.log('  ' + 'mean over ' + rows.length + ' pages'.padEnd(30) + '         |  ' +
  ['p', 'r', 'f'].map(m => pct(mean('us', m))).join(' ') + ' |  ' + ['p', 'r', 'f'].map(m => pct(mean('rd', m))).join(' '));
console.log('  ' + 'mean, lead left out of the reference'.padEnd(44) + '         |  ' +
  ['p', 'r', 'f'].map(m => pct(mean('us2', m))).join(' ') + ' |  ' + ['p', 'r', 'f'].map(m => pct(mean('rd2', m))).join(' '));
const usRate = rows.length * Number(ourRuns) / Number(ourSecs);
const rdRate = rows.length / rdSecs;
console.log(`  speed: news2xml ${usRate.toFixed(1)} pages/s (${ourRuns} runs of ${rows.length} pages, whole process) | ` +
  `Readability+jsdom ${rdRate.toFixed(1)} pages/s (parse + extract, in process) | ratio ${(usRate / rdRate).toFixed(1)} x (target >= 20)`);
console.log(`  F1: news2xml ${pct(mean('us', 'f'))} vs Readability ${pct(mean('rd', 'f'))} (target: at least Readability's)`);
