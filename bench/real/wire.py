"""Wire stories cut out of Reuters-21578's SGML files (1987 Reuters newswire), for the real set's wire part.

A file of the collection (reut2-NNN.sgm) holds about a thousand <REUTERS> articles, each with its NEWID, its
wire <DATE> and a <TEXT> of <TITLE>, <DATELINE> and <BODY>. bench/real/assemble.py cuts one article out per
sources.toml entry that names it (`article = NEWID`) and writes it as a plain-text document:

    HEADLINE

    DATELINE - first paragraph ...

    next paragraph ...

The wire marks a paragraph by indenting its first line (four spaces) with no blank line between
paragraphs; reprint's plain-text input separates paragraphs by blank lines (docs/CONTRACT.md, inputs), so the
cut turns each indented line into a paragraph start. Nothing else of the text is changed: line breaks inside
a paragraph, the "Reuter" sign-off and the wire's spelling are kept. The control characters around the text
(&#2; &#3;, &#5; …) are the transmission's, not the story's, and are dropped; SGML entities (&lt; &amp;) are
decoded.

`python -m bench.real.wire candidates SGM...` lists the pairs the part was chosen from (the selection rule:
docs/real-set.md, the wire part).
"""

from __future__ import annotations

import html
import re
import sys
from datetime import datetime
from pathlib import Path

ARTICLE = re.compile(r"<REUTERS\b[^>]*\bNEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
CONTROL = re.compile(r"&#(?:[0-9]|[12][0-9]|3[01]);")


def _tag(body: str, name: str) -> str:
    m = re.search(rf"<{name}>(.*?)</{name}>", body, re.S)
    return m.group(1) if m else ""


def articles(sgml: bytes) -> dict[int, dict]:
    """Every article of one SGML file by NEWID: date (datetime), title, dateline and body (raw wire text)."""
    text = sgml.decode("latin-1")
    out = {}
    for m in ARTICLE.finditer(text):
        inner = m.group(2)
        stamp = _tag(inner, "DATE").strip()
        out[int(m.group(1))] = {
            "date": datetime.strptime(stamp.split(".")[0], "%d-%b-%Y %H:%M:%S"),
            "title": _clean(_tag(inner, "TITLE")),
            "dateline": _clean(_tag(inner, "DATELINE")),
            "body": _tag(inner, "BODY"),
        }
    return out


def _clean(s: str) -> str:
    return html.unescape(CONTROL.sub("", s)).strip()


def paragraphs(body: str) -> list[str]:
    """The wire body's paragraphs: a line indented by spaces starts one (the wire's paragraph mark)."""
    paras: list[list[str]] = []
    for line in html.unescape(CONTROL.sub("", body)).splitlines():
        if not line.strip():
            continue
        if not paras or line.startswith(" "):
            paras.append([])
        paras[-1].append(line.strip())
    return ["\n".join(p) for p in paras]


def render(article: dict) -> str:
    """The article as a plain-text document: headline, then the body's paragraphs (the first after the
    dateline), separated by blank lines."""
    paras = paragraphs(article["body"])
    if paras and article["dateline"]:
        paras[0] = f"{article['dateline']} {paras[0]}"
    head = [article["title"]] if article["title"] else []
    return "\n\n".join(head + paras) + "\n"


# --- the selection rule ---------------------------------------------------------------------------------

NOISE = {"CORRECTED", "UPDATE", "REPEAT", "RPT", "REFILING", "REFILED", "AMENDED", "1ST", "2ND", "LEAD"}


def title_words(title: str) -> set[str]:
    """A headline's words without the wire's version tags (CORRECTED, UPDATE, REPEAT …) and numbers."""
    words = set(re.findall(r"[A-Z][A-Z'&.]+", title.upper()))
    return words - NOISE


def candidates(arts: dict[int, dict], days: int = 7, threshold: float = 0.6) -> list[tuple[float, int, int]]:
    """Pairs of articles whose headlines share at least `threshold` of their words (Jaccard over
    title_words, at least two words each) and whose wire dates are at most `days` apart: the pool the part
    was hand-labelled from (families: one story sent again; hard negatives: another story under a like
    headline)."""
    keys = {n: title_words(a["title"]) for n, a in arts.items() if a["body"].strip()}
    keys = {n: w for n, w in keys.items() if len(w) >= 2}
    by_word: dict[str, list[int]] = {}
    for n, w in keys.items():
        for word in w:
            by_word.setdefault(word, []).append(n)
    pairs = set()
    for group in by_word.values():
        if len(group) > 400:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pairs.add((min(a, b), max(a, b)))
    out = []
    for a, b in pairs:
        j = len(keys[a] & keys[b]) / len(keys[a] | keys[b])
        if j >= threshold and abs((arts[a]["date"] - arts[b]["date"]).days) <= days:
            out.append((round(j, 3), a, b))
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "candidates":
        print("usage: python -m bench.real.wire candidates SGM...", file=sys.stderr)
        return 2
    arts: dict[int, dict] = {}
    for path in argv[1:]:
        arts |= articles(Path(path).read_bytes())
    for j, a, b in candidates(arts):
        print(f"{j:.3f}\t{a}\t{b}\t{arts[a]['date']:%m-%d}\t{arts[a]['title']}\t|\t{arts[b]['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
