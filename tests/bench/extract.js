// Scorer of tests/bench/extract.sh (run by node with jsdom and
// @mozilla/readability installed beside it).  Usage:
//   node extract.js KIND SET_DIR NEWS2XML_OUTPUT.xml NEWS2XML_SECONDS NEWS2XML_RUNS [DETAIL_FILE]
// KIND says how the set is laid out:
//   readability  Mozilla Readability's test pages: SET_DIR/NAME/source.html.gz,
//                expected.html.gz (the reference body), expected-metadata.json
//                (the reference title and lang);
//   aeb          the article-extraction benchmark's layout: SET_DIR/html/ID.html.gz
//                and SET_DIR/ground-truth.json {ID: {articleBody, headline?}}.
// For every page it runs Readability on the page, reads news2xml's article
// for the same file, and scores both against the reference with the
// benchmark's metric: per page, true/false positives and negatives over
// word 4-grams (NFC, words as Python's \w+ finds them) normalised to sum 1;
// precision and recall are the means over the pages, F1 their harmonic
// mean.  The same with single words gives the bag-of-words F1.  Also:
// titles right, lang right (when the set says it), pages without an
// article although the reference has a body, and pages per second.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { JSDOM, VirtualConsole } = require('jsdom');
const { Readability } = require('@mozilla/readability');
const { articlesByFile } = require('./articles');

const [kind, setDir, ourXml, ourSecs, ourRuns, detailFile] = process.argv.slice(2);
const quiet = new VirtualConsole(); // pages' CSS and script errors are not ours

function gunzip(file) { return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'); }

// The pages of the set: {file (what news2xml was given), html, truth, title, lang}.
function pages() {
  const out = [];
  if (kind === 'readability') {
    for (const name of fs.readdirSync(setDir).sort()) {
      const dir = path.join(setDir, name);
      const src = path.join(dir, 'source.html.gz');
      if (!fs.existsSync(src)) continue;
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'expected-metadata.json'), 'utf8'));
      const want = new JSDOM(gunzip(path.join(dir, 'expected.html.gz')), { virtualConsole: quiet });
      out.push({ name, file: src, html: gunzip(src), truth: blockText(want.window.document.body),
                 title: meta.title || '', lang: meta.lang || '' });
    }
  } else if (kind === 'aeb') {
    const truth = JSON.parse(fs.readFileSync(path.join(setDir, 'ground-truth.json'), 'utf8'));
    for (const id of Object.keys(truth).sort()) {
      const src = path.join(setDir, 'html', id + '.html.gz');
      if (!fs.existsSync(src)) continue;
      out.push({ name: id.slice(0, 16), file: src, html: gunzip(src), truth: truth[id].articleBody || '',
                 title: truth[id].headline || '', lang: truth[id].lang || '' });
    }
  } else {
    throw new Error('unknown set kind ' + kind);
  }
  return out;
}

// Text of a DOM subtree with a line break around every block, so that the
// words of two paragraphs never run together.
const BLOCKS = new Set(['P', 'DIV', 'SECTION', 'ARTICLE', 'LI', 'UL', 'OL', 'H1', 'H2', 'H3', 'H4', 'H5',
  'H6', 'BLOCKQUOTE', 'PRE', 'TABLE', 'TR', 'TD', 'TH', 'FIGURE', 'FIGCAPTION', 'BR', 'DT', 'DD', 'HR',
  'HEADER', 'FOOTER', 'ASIDE', 'MAIN', 'CAPTION']);
function blockText(root) {
  const parts = [];
  (function walk(n) {
    if (n.nodeType === 3) { parts.push(n.nodeValue); return; }
    if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) return;
    const tag = n.nodeName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT') return;
    const block = BLOCKS.has(tag);
    if (block) parts.push('\n');
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    if (block) parts.push('\n');
  })(root);
  return parts.join('');
}

const WORD = /[\p{L}\p{N}_]+/gu;
function tokens(text) { return (text || '').normalize('NFC').match(WORD) || []; }

// The benchmark's string_shingle_matching: counts of n-grams (a text of
// fewer than n words is one n-gram), tp/fp/fn normalised to sum 1.
function shingles(toks, n) {
  const m = new Map();
  const last = Math.max(1, toks.length - n + 1);
  for (let i = 0; i < last; i++) {
    const s = toks.slice(i, i + n);
    if (!s.length) continue;
    const k = s.join('\u0001');
    m.set(k, (m.get(k) || 0) + 1);
  }
  return m;
}
function match(gotToks, wantToks, n) {
  const got = shingles(gotToks, n), want = shingles(wantToks, n);
  let tp = 0, fp = 0, fn = 0;
  for (const [k, c] of got) { const w = want.get(k) || 0; tp += Math.min(c, w); fp += Math.max(0, c - w); }
  for (const [k, c] of want) fn += Math.max(0, c - (got.get(k) || 0));
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [0, 0, 0];
}
function prec([tp, fp, fn]) { return fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp); }
function rec([tp, fp, fn]) { return fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn); }
function aggregate(list) {
  const mean = a => a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0;
  const p = mean(list.filter(([tp, fp]) => tp + fp > 0).map(prec));
  const r = mean(list.filter(([tp, , fn]) => tp + fn > 0).map(rec));
  return { p, r, f: p + r ? 2 * p * r / (p + r) : 0 };
}
function pageF1(m) { const p = prec(m), r = rec(m); return p + r ? 2 * p * r / (p + r) : 0; }

// A title is right when it is the reference's, or the reference with the
// site's name cut off (or the reverse): "Title | Site" against "Title".
// Invisible format characters (soft hyphens, zero-width spaces) and the
// shape of quotes (’ or ', “ or ") make no difference to a reader.
function normTitle(s) {
  return (s || '').normalize('NFC').replace(/\p{Cf}/gu, '').replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"').replace(/\s+/g, ' ').trim().toLowerCase();
}
function titleRight(got, want) {
  const a = normTitle(got), b = normTitle(want);
  if (!b) return null;
  if (a === b) return true;
  if (!a) return false;
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  if (s.length < 3) return false;
  const sep = /^\s*[|\-–—:·»\/\\~•_\[(]+\s*/;
  if (l.startsWith(s) && sep.test(l.slice(s.length))) return true;
  if (l.endsWith(s) && /\s*[|\-–—:·»\/\\~•_\])]+\s*$/.test(l.slice(0, l.length - s.length))) return true;
  return false;
}
function primaryLang(s) { return (s || '').toLowerCase().split(/[-_]/)[0]; }

const list = pages();
// news2xml's article per source file: every block, table cells and
// captions included, blocks apart
const our = articlesByFile(ourXml, blockText);
const rows = [];
let rdSecs = 0;
for (const pg of list) {
  const want = tokens(pg.truth);
  const t0 = process.hrtime.bigint();
  let art = null, rdText = '';
  try { // jsdom's CSS parser throws on some pages: that page is Readability's failure
    const dom = new JSDOM(pg.html, { url: 'http://fakehost/', virtualConsole: quiet });
    art = new Readability(dom.window.document).parse();
    if (art && art.content)
      rdText = blockText(new JSDOM(art.content, { virtualConsole: quiet }).window.document.body);
  } catch (e) { art = null; }
  rdSecs += Number(process.hrtime.bigint() - t0) / 1e9;
  const us = our.get(path.resolve(pg.file)) || { text: '', title: '', lang: '' };
  const usT = tokens(us.text), rdT = tokens(rdText);
  rows.push({
    name: pg.name, n: want.length,
    us4: match(usT, want, 4), rd4: match(rdT, want, 4), us1: match(usT, want, 1), rd1: match(rdT, want, 1),
    usTitle: titleRight(us.title, pg.title), rdTitle: titleRight(art && art.title, pg.title),
    usLang: pg.lang ? primaryLang(us.lang) === primaryLang(pg.lang) : null,
    rdLang: pg.lang ? primaryLang(art && art.lang) === primaryLang(pg.lang) : null,
    usEmpty: want.length > 0 && usT.length === 0, rdEmpty: want.length > 0 && rdT.length === 0,
    ourTitle: us.title, wantTitle: pg.title, ourLang: us.lang, wantLang: pg.lang,
  });
}

const f3 = x => x.toFixed(3);
const pct = (n, d) => d ? (100 * n / d).toFixed(1) + ' %' : 'n/a';
function line(label, k4, k1, kt, kl, ke) {
  const a4 = aggregate(rows.map(r => r[k4])), a1 = aggregate(rows.map(r => r[k1]));
  const tl = rows.filter(r => r[kt] !== null), ll = rows.filter(r => r[kl] !== null);
  console.log(`  ${label.padEnd(12)} 4-gram P ${f3(a4.p)} R ${f3(a4.r)} F1 ${f3(a4.f)} | words F1 ${f3(a1.f)} | ` +
    `titles right ${pct(tl.filter(r => r[kt]).length, tl.length)} | lang right ${pct(ll.filter(r => r[kl]).length, ll.length)} | ` +
    `no article ${rows.filter(r => r[ke]).length} of ${rows.length}`);
  return a4.f;
}
console.log(`  ${kind === "aeb" ? "held-out" : kind} set: ${rows.length} pages in ${setDir}`);
const usF = line('news2xml', 'us4', 'us1', 'usTitle', 'usLang', 'usEmpty');
const rdF = line('Readability', 'rd4', 'rd1', 'rdTitle', 'rdLang', 'rdEmpty');
const usRate = rows.length * Number(ourRuns) / Number(ourSecs);
const rdRate = rows.length / rdSecs;
console.log(`  speed: news2xml ${usRate.toFixed(1)} pages/s (whole process, ${ourRuns} runs) | ` +
  `Readability+jsdom ${rdRate.toFixed(1)} pages/s (parse + extract, in process) | ratio ${(usRate / rdRate).toFixed(1)} x (target >= 20)`);
console.log(`  F1 news2xml ${f3(usF)} vs Readability ${f3(rdF)}`);
const worst = rows.map(r => ({ r, f: pageF1(r.us4) })).sort((a, b) => a.f - b.f).slice(0, 8);
console.log('  lowest news2xml pages (4-gram F1 / Readability\'s): ' +
  worst.map(({ r, f }) => `${r.name} ${f.toFixed(2)}/${pageF1(r.rd4).toFixed(2)}`).join(', '));
if (detailFile) {
  const out = rows.map(r => [r.name, r.n, pageF1(r.us4).toFixed(3), pageF1(r.rd4).toFixed(3),
    prec(r.us4).toFixed(3), rec(r.us4).toFixed(3), r.usTitle, r.usLang, r.ourLang, r.wantLang,
    JSON.stringify(r.ourTitle), JSON.stringify(r.wantTitle)].join('\t'));
  fs.writeFileSync(detailFile, 'page\twords\tF1\tRdF1\tP\tR\ttitle\tlang\tours\twant\tour title\twant title\n' +
    out.join('\n') + '\n');
}
