// news2xml's output as the Readability benchmarks read it (required by
// extract.js and html.js; tests/bench/readability.inc copies all three
// beside the npm packages).
'use strict';
const fs = require('fs');
const path = require('path');
const { JSDOM } = require('jsdom');

// The articles of a news2xml document by the source file each came from
// (an absolute path): {text, title, lang}, text being bodyText(<body>),
// or '' for an article without a body.
function articlesByFile(xmlFile, bodyText) {
  const dom = new JSDOM(fs.readFileSync(xmlFile, 'utf8'), { contentType: 'text/xml' });
  const map = new Map();
  for (const a of dom.window.document.getElementsByTagName('article')) {
    const src = a.getElementsByTagName('source')[0];
    const body = a.getElementsByTagName('body')[0];
    const title = a.getElementsByTagName('title')[0];
    if (src)
      map.set(path.resolve(src.getAttribute('file')), {
        text: body ? bodyText(body) : '', title: title ? title.textContent : '',
        lang: a.getAttribute('lang') || '' });
  }
  return map;
}

module.exports = { articlesByFile };
