"""Press Association copy and newspaper stories of the METER corpus, for the real set's METER parts.

The METER corpus (MEasuring TExt Reuse; Gaizauskas, Clough, Foster et al., University of Sheffield, 2001)
holds the stories the Press Association (PA) sent on its newswire on a few days of 1999-2000 and the stories
nine British national newspapers printed about the same events the next day, filed side by side by domain
(courts, showbiz), day and catchline:

    PA/rawtexts/courts/01.03.00/chemists/chemists1.txt                a PA story (page 1; 1sub, 1nl …)
    newspapers/rawtexts/courts/01.03.00/chemists/chemists377_sun.txt  a newspaper's story of that event

A PA file is the wire copy as the service sent it: a header (ruled lines and a slug giving the time, date,
page and catchline), then the story, each paragraph starting with a control character (0x19) and ending with
`<`, its lines wrapped at 80 columns with no blank line between paragraphs. Reprint's plain-text input
separates paragraphs by blank lines (docs/CONTRACT.md, inputs), so `render_pa` turns each marked line into a
paragraph start, as bench/real/wire.py does for Reuters' indented paragraphs. The header and the marks are the
transmission's, not the story's, and are dropped; the words, the line breaks inside a paragraph, the wire's
spelling and its operator sign-off (`mfl`) are kept. A newspaper file is plain text with blank lines between
paragraphs already: `render_newspaper` keeps it as it is. Both are Latin-1 (the pound sign is byte 0xA3) and
are written as UTF-8.

`python -m bench.real.meter select GIT_DIR COMMIT` lists the files the parts were chosen by (the selection
rule, `selection`: docs/real-set.md, the METER parts).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta

MARK = "\x19"  # the wire's paragraph mark
RULE = re.compile(r"^\s*-{10,}\s*$")
SLUG = re.compile(r"^\s*\d\d:\d\d \d\d/\d\d/\d\d: ")


def slug(raw: bytes) -> str:
    """The PA header's slug line ('11:29 01/03/00: Page 1 (HHH) COURTS Chemists'), or '' if it has none."""
    for line in raw.decode("latin-1").splitlines():
        if SLUG.match(line):
            return line.strip()
    return ""


def pa_paragraphs(raw: bytes) -> list[str]:
    """The PA story's paragraphs: after the header, a line starting with the wire's mark starts one; the first
    text line starts one too (a continuation page or an advisory opens without the mark). The mark and the
    end-of-paragraph `<` are dropped; an empty paragraph (the wire's last mark) is no paragraph."""
    lines = raw.decode("latin-1").splitlines()
    body = 0
    for i, line in enumerate(lines):
        if RULE.match(line) or SLUG.match(line) or not line.strip():
            body = i + 1
            continue
        break
    paras: list[list[str]] = []
    for line in lines[body:]:
        if not paras or line.startswith(MARK):
            paras.append([])
        text = line.lstrip(MARK).rstrip()
        if text.endswith("<"):
            text = text[:-1].rstrip()
        if text:
            paras[-1].append(text)
    return ["\n".join(p) for p in paras if p]


def render_pa(raw: bytes) -> str:
    """A PA file as a plain-text document: its paragraphs separated by blank lines."""
    return "\n\n".join(pa_paragraphs(raw)) + "\n"


def render_newspaper(raw: bytes) -> str:
    """A newspaper file as a plain-text document: the text itself, decoded from Latin-1."""
    return raw.decode("latin-1")


RENDER = {"meter-pa": render_pa, "meter-newspaper": render_newspaper}


# --- the selection rule ---------------------------------------------------------------------------------

ROOT = "2016.3-meter-corpus/meter-corpus"
DAYS = ("01.03.00", "02.11.99")  # the first two day folders of the courts domain, in the corpus's path order
PAPERS = {
    "sun": "The Sun",
    "mirror": "Daily Mirror",
    "star": "Daily Star",
    "mail": "Daily Mail",
    "express": "Daily Express",
    "times": "The Times",
    "telegraph": "The Daily Telegraph",
    "guardian": "The Guardian",
    "independent": "The Independent",
}


def selection(paths: list[str], days: tuple[str, ...] = DAYS) -> list[tuple[str, str, str, str]]:
    """The files of the METER parts, as (catchline key 'DAY/CATCHLINE', kind, path, name under corpus/):
    every catchline of the courts domain on `days`, in path order; of the PA's files, the first page
    (CATCHLINE1.txt) and the versions of it the wire sent later (CATCHLINE1sub.txt, a substitute; 1nl, the
    nightlead; 1ld, 1bg …), not the later pages (CATCHLINE2.txt …, the rest of the copy, other text); every
    newspaper story filed under the catchline."""
    out = []
    for day in days:
        pa_dir, np_dir = f"{ROOT}/PA/rawtexts/courts/{day}/", f"{ROOT}/newspapers/rawtexts/courts/{day}/"
        catchlines = sorted(
            {p[len(pa_dir) :].split("/")[0] for p in paths if p.startswith(pa_dir)} - {".DS_Store"}
        )
        for c in catchlines:
            first = re.compile(rf"{re.escape(pa_dir + c)}/{re.escape(c)}1[a-z]*\.txt$")
            for p in sorted(p for p in paths if first.match(p)):
                out.append((f"{day}/{c}", "meter-pa", p, f"meter/{day}/{c}/{p.rsplit('/', 1)[1]}"))
            for p in sorted(p for p in paths if p.startswith(f"{np_dir}{c}/") and p.endswith(".txt")):
                out.append((f"{day}/{c}", "meter-newspaper", p, f"meter/{day}/{c}/{p.rsplit('/', 1)[1]}"))
    return out


def day_of(day: str) -> date:
    """A day folder's date ('01.03.00' is 1 March 2000)."""
    return datetime.strptime(day, "%d.%m.%y").date()


def headline(raw: bytes) -> str:
    """A PA story's headline: its first paragraph without the advisory in brackets the desk may put before
    it ('(with pic)', '(Corrected repetition …)'), run into the headline's line or a paragraph of its own."""
    for para in pa_paragraphs(raw):
        text = " ".join(para.split())
        if text.startswith("("):
            text = text[text.find(")") + 1 :].strip() if ")" in text else ""
        if text:
            return text
    return ""


def manifest_row(kind: str, name: str, raw: bytes) -> tuple[str, str, str, str, str]:
    """The manifest row of one file: (path, outlet, url, published_at, title). A PA story is dated by its
    slug's time stamp and titled by its headline (its first paragraph after an advisory in brackets); a
    newspaper story is dated the day after the PA's (the papers' 'yesterday' is the PA's 'today'; the files
    carry no date) and has no title in its file."""
    if kind == "meter-pa":
        stamp = re.search(r"(\d\d:\d\d \d\d/\d\d/\d\d):", slug(raw))
        when = datetime.strptime(stamp.group(1), "%H:%M %d/%m/%y").isoformat() if stamp else ""
        return (name, "Press Association", "", when, headline(raw))
    paper = name.rsplit("_", 1)[1].removesuffix(".txt")
    day = name.split("/")[1]
    return (name, PAPERS[paper], "", (day_of(day) + timedelta(days=1)).isoformat(), "")


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "select":
        print("usage: python -m bench.real.meter select GIT_DIR COMMIT", file=sys.stderr)
        return 2
    git = ["git", f"--git-dir={argv[1]}"]
    paths = subprocess.run(
        git + ["ls-tree", "-r", "--name-only", argv[2]], capture_output=True, text=True
    ).stdout
    for key, kind, path, name in selection(paths.splitlines()):
        print(f"{key}\t{kind}\t{path}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
