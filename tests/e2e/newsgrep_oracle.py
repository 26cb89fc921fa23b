#!/usr/bin/env python3
"""An independent oracle for newsgrep's literal matching.

It reads an archive of the article format with Python's own XML reader and
implements what newsgrep(1) documents, from scratch: each block of a field
(the title; each paragraph, heading, quote, list item, caption and table
cell of the body; the byline; the site name; each related link) has its
white space collapsed and is put in NFC, then

  --exact          the pattern must occur as written (NFC, case counts
                   unless -i; --exact -i is the next row, without case);
  diacritics       NFC, ð/Ð read as đ/Đ; in the pattern, a tone mark on
                   either vowel of oa, oe or uy is the same (hòa = hoà);
  no diacritics    NFD with every combining mark dropped, đ/ð → d;

case is ignored unless the pattern has a capital letter (-i: always, -s:
never); a space at either edge of a pattern matches white space or the
edge of the block; -w wants no letter, digit or _ on either side.

It makes spelling variants of the archive (NFD, tone marks moved within
oa/oe/uy, upper case, words glued together), generates queries from the
text (as printed, without diacritics, with the other tone placement, cut
inside words, with edge spaces, upper case, glued, -w, --exact, other
fields), runs newsgrep -l on each and compares the article sets.

  newsgrep_oracle.py NEWSGREP ARCHIVE [--queries N] [--seed S]
                     [--articles N] [--show N] [--invariant-only]

Prints "agreement: A/N queries" and "invariant: A/N queries" (folding
finds at least what --exact finds) and the first disagreements; exits 1
when any query disagrees.
"""
import argparse
import random
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

SPACES = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)}
VANISH = {"\u200b", "\xad"}
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
BODY_BLOCKS = ("p", "h", "quote", "item", "caption", "cell")
FIELDS = ("title", "body", "byline", "source", "related")


def collapse(s):
    out, pend = [], False
    for c in s:
        if c in VANISH:
            continue
        if c in SPACES:
            pend = bool(out)
            continue
        if pend:
            out.append(" ")
            pend = False
        out.append(c)
    return "".join(out)


def blocks(article):
    """{field: [block text, …]} of one <article> element."""
    def text(e):
        return unicodedata.normalize("NFC", collapse("".join(e.itertext())))
    got = {f: [] for f in FIELDS}
    for child in article:
        if child.tag == "title":
            got["title"].append(text(child))
        elif child.tag == "body":
            for e in child.iter():
                if e.tag in BODY_BLOCKS:
                    got["body"].append(text(e))
        elif child.tag == "byline":
            got["byline"].append(text(child))
        elif child.tag == "source":
            got["source"].append(text(child))
        elif child.tag == "related":
            for e in child:
                if e.tag == "link":
                    got["related"].append(text(e))
    return got


def has_diacritics(s):
    return any(c in "đĐðÐ" or any(unicodedata.category(d) == "Mn"
                                  for d in unicodedata.normalize("NFD", c)) for c in s)


def strip(s):
    d = unicodedata.normalize("NFD", s)
    d = "".join(c for c in d if unicodedata.category(c) != "Mn")
    return d.replace("đ", "d").replace("ð", "d").replace("Đ", "D").replace("Ð", "D")


def eth(s):
    return s.replace("ð", "đ").replace("Ð", "Đ")


def split_tone(c):
    """(letter without its tone mark, tone mark or '') in NFC."""
    d = unicodedata.normalize("NFD", c)
    tone = "".join(m for m in d if m in TONES)
    rest = "".join(m for m in d if m not in TONES)
    return unicodedata.normalize("NFC", rest), tone


PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def tone_variants(p):
    """The pattern with each oa/oe/uy pair's tone on either vowel."""
    chars = list(unicodedata.normalize("NFC", p))
    options = [[c] for c in chars]
    i = 0
    spots = []
    while i + 1 < len(chars):
        (b0, t0), (b1, t1) = split_tone(chars[i]), split_tone(chars[i + 1])
        if (b0.lower(), b1.lower()) in PAIRS and bool(t0) != bool(t1) and \
                len(t0) < 2 and len(t1) < 2:
            t = t0 or t1
            spots.append((i, [chars[i] + chars[i + 1],
                              unicodedata.normalize("NFC", b0 + t) + b1,
                              b0 + unicodedata.normalize("NFC", b1 + t)]))
            i += 2
            continue
        i += 1
    out = {""}
    pos = 0
    parts = []
    for i, alts in spots:
        parts.append([("".join(chars[pos:i]))])
        parts.append(sorted(set(alts)))
        pos = i + 2
    parts.append(["".join(chars[pos:])])
    for alts in parts:
        out = {o + a for o in out for a in alts}
    return out


def is_word(c):
    return c.isalnum() or c == "_"


class Query:
    def __init__(self, pattern, exact=False, icase=False, word=False, fields="title,body"):
        self.pattern, self.exact, self.icase, self.word = pattern, exact, icase, word
        self.fields = fields

    def args(self):
        a = ["-l"]
        if self.exact:
            a.append("--exact")
        if self.icase:
            a.append("-i")
        if self.word:
            a.append("-w")
        if self.fields != "title,body":
            a.append("--in=" + self.fields)
        return a + ["-e", self.pattern]

    def __str__(self):
        return " ".join(self.args()[1:])

    def prepare(self):
        # white space in a pattern is collapsed, its edges kept as one space
        lead = self.pattern[:1] in SPACES
        trail = self.pattern[-1:] in SPACES
        core = unicodedata.normalize("NFC", collapse(self.pattern))
        self.empty = core == ""
        if self.exact and not self.icase:
            self.mode = "exact"
        elif self.exact or has_diacritics(core):
            self.mode = "tones"
        else:
            self.mode = "base"
        if self.exact and not self.icase:
            self.caseless = False
        else:
            self.caseless = self.icase or not any(c.isupper() for c in core)
        if self.mode == "base":
            alts = {strip(core)}
        elif self.mode == "tones":
            alts = {eth(v) for v in tone_variants(core)}
        else:
            alts = {core}
        if self.caseless:
            alts = {a.lower() for a in alts}
        self.alts = {(" " if lead else "") + a + (" " if trail else "") for a in alts}

    def key(self, text):
        """The block as this query compares it, padded with a space either
        side (so that an edge space of the pattern meets the block edge);
        computed once per block and kind of query."""
        k = (self.mode, self.caseless, text)
        got = KEYS.get(k)
        if got is None:
            if self.mode == "base":
                t = strip(text)
            elif self.mode == "tones":
                t = eth(text)
            else:
                t = text
            got = KEYS[k] = " " + (t.lower() if self.caseless else t) + " "
        return got

    def matches(self, fields):
        if self.empty:
            return True
        for f in self.fields.split(","):
            for b in fields[f]:
                k = self.key(b)
                for a in self.alts:
                    start = k.find(a)
                    while start >= 0:
                        end = start + len(a)
                        if not self.word or (not is_word(k[start - 1]) and not is_word(k[end])):
                            return True
                        start = k.find(a, start + 1)
        return False


KEYS = {}


# ---- spelling variants of the archive ----

def swap_tones(s):
    """Moves the tone of oa/oe/uy to the other vowel (old ↔ new style)."""
    chars = list(unicodedata.normalize("NFC", s))
    for i in range(len(chars) - 1):
        (b0, t0), (b1, t1) = split_tone(chars[i]), split_tone(chars[i + 1])
        if (b0.lower(), b1.lower()) in PAIRS and bool(t0) != bool(t1):
            t = t0 or t1
            if t0:
                chars[i], chars[i + 1] = b0, unicodedata.normalize("NFC", b1 + t)
            else:
                chars[i], chars[i + 1] = unicodedata.normalize("NFC", b0 + t), b1
    return "".join(chars)


def glue(s, rng):
    words = s.split(" ")
    out = words[:1]
    for w in words[1:]:
        if rng.random() < 0.3:
            out[-1] += w
        else:
            out.append(w)
    return " ".join(out)


TEXT_ELEMENTS = {"title", "p", "h", "quote", "item", "caption", "cell", "byline",
                 "source", "link", "em", "strong", "a"}
INLINE = {"em", "strong", "a"}


def transform(article, fn):
    for e in article.iter():
        if e.tag in TEXT_ELEMENTS and e.text:
            e.text = fn(e.text)
        if e.tag in INLINE and e.tail:
            e.tail = fn(e.tail)


def make_variants(src, nart, rng):
    root = ET.parse(src).getroot()
    arts = [a for a in root if a.tag == "article"][:nart]
    out = ET.Element("articles", version="1")
    # the tag starts the id, which must stay 16 hex digits
    kinds = [("a", None), ("b", lambda t: unicodedata.normalize("NFD", t)),
             ("c", swap_tones), ("d", lambda t: t.upper()), ("e", lambda t: glue(t, rng))]
    n = 0
    for a in arts:
        for tag, fn in kinds:
            b = ET.fromstring(ET.tostring(a))
            if fn:
                transform(b, fn)
            n += 1
            b.set("id", "%s%015x" % (tag, n))
            b.tail = "\n"
            out.append(b)
    return out


# ---- queries ----

def words_of(text):
    return [w for w in text.split(" ") if w]


def gen_queries(arts, n, rng):
    texts = []
    for a in arts:
        f = blocks(a)
        for field in FIELDS:
            for b in f[field]:
                if b:
                    texts.append((field, b))
    qs = []
    while len(qs) < n:
        field, t = rng.choice(texts)
        w = words_of(t)
        if not w:
            continue
        k = rng.randint(1, min(3, len(w)))
        i = rng.randrange(len(w) - k + 1)
        phrase = " ".join(w[i:i + k])
        r = rng.random()
        fields = "title,body"
        if field != "title" and field != "body":
            fields = field
        elif rng.random() < 0.1:
            fields = "title"
        if r < 0.25:
            q = Query(phrase, fields=fields)
        elif r < 0.45:
            q = Query(strip(phrase).lower(), fields=fields)
        elif r < 0.55:
            q = Query(swap_tones(phrase).lower(), fields=fields)
        elif r < 0.62:
            cut = phrase[rng.randrange(len(phrase)):][:rng.randint(1, 8)]
            q = Query(cut, fields=fields)
        elif r < 0.67:
            q = Query(rng.choice([" ", ""]) + strip(phrase).lower() + rng.choice([" ", ""]), fields=fields)
        elif r < 0.72:
            q = Query(phrase.upper(), fields=fields)
        elif r < 0.77:
            q = Query(phrase.replace(" ", ""), fields=fields)
        elif r < 0.85:
            q = Query(rng.choice([phrase, strip(phrase).lower()]), word=True, fields=fields)
        elif r < 0.93:
            q = Query(phrase, exact=True, fields=fields)
        else:
            q = Query(swap_tones(phrase).upper(), exact=True, icase=True, fields=fields)
        if q.pattern.strip() == "" or q.pattern.startswith("-"):
            continue
        qs.append(q)
    return qs


def run(ng, q, path):
    r = subprocess.run([ng] + q.args() + [path], capture_output=True)
    if r.returncode > 1:
        return None, r.stderr.decode("utf-8", "replace").strip()
    return {l.split(b"\t")[1].decode() for l in r.stdout.splitlines() if l}, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("newsgrep")
    ap.add_argument("archive")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--invariant-only", action="store_true")
    o = ap.parse_args()
    rng = random.Random(o.seed)
    root = make_variants(o.archive, o.articles, rng)
    arts = list(root)
    with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(ET.tostring(root, encoding="utf-8"))
        path = f.name
    fields = {a.get("id"): blocks(a) for a in arts}
    qs = gen_queries(arts, o.queries, rng)
    agree = inv_ok = inv_n = 0
    shown = 0
    bad = []
    for q in qs:
        q.prepare()
        got, err = run(o.newsgrep, q, path)
        if not o.invariant_only:
            want = {i for i, f in fields.items() if q.matches(f)}
            if got == want:
                agree += 1
            else:
                bad.append(q)
                if shown < o.show:
                    shown += 1
                    if got is None:
                        print("# %s: error %s" % (q, err))
                    else:
                        print("# %s: newsgrep %d, oracle %d; only newsgrep: %s; only oracle: %s" % (
                            q, len(got), len(want), sorted(got - want)[:4], sorted(want - got)[:4]))
        if not q.exact and got is not None:
            e = Query(q.pattern, exact=True, word=q.word, fields=q.fields)
            ex, _ = run(o.newsgrep, e, path)
            inv_n += 1
            if ex is not None and ex <= got:
                inv_ok += 1
            elif shown < o.show:
                shown += 1
                print("# invariant: %s finds %d, --exact finds %d; missed: %s" % (
                    q, len(got), len(ex or ()), sorted((ex or set()) - got)[:4]))
    if not o.invariant_only:
        print("agreement: %d/%d queries (%.1f%%)" % (agree, len(qs), 100.0 * agree / len(qs)))
    print("invariant: %d/%d queries (%.1f%%)" % (inv_ok, inv_n, 100.0 * inv_ok / max(inv_n, 1)))
    return 0 if (o.invariant_only or agree == len(qs)) and inv_ok == inv_n else 1


if __name__ == "__main__":
    sys.exit(main())
