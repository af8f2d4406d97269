"""Boilerplate and extraction of `reprint run` on L3S-GN1's news pages of 2008 against its assessors' labels.

Run: `.venv/bin/python -m bench.l3s_gn1 [--mirrors DIR] [--show dev] [--only dev] [--folds N [--fold K]]
[--keep DIR] [--out FILE]`.
L3S-GN1 (Kohlschuetter, Fankhauser and Nejdl, "Boilerplate Detection using Shallow Text Features", WSDM 2010;
research use only) holds each page as crawled and the same page with every text block its assessors labelled
wrapped in `<span class="x-nc-selN">`: 0 not content, 1 headline, 2 full text, 3 supplemental (captions and
the like), 4 related content, 5 user comments (text in no span is not content either). The pages are read
from the fetched mirror of geodrome/page-signal (`fetch github:geodrome/page-signal`) and never committed.

Which pages: every page but those of the real set's parts taken from this data set (the withheld real-blind5
and the open real-news-dev2) and every page of a site one of those comes from. news-dev2 is set aside too:
its figures are the open guard a rule found here must not cost (`bench.quality`), and a guard that holds
pages the rule was found on guards nothing. The rest is split in two halves by a stable hash of the site
(its registered domain), so that no site's template is on both sides: `dev`, read to find what the reader
and the rules miss, and `test`, only ever scored.

All pages of both halves go through one `reprint run` (bench.quality.run_reprint, the CLI itself, with a
manifest giving each page its URL). Each paragraph reprint stores is found in the annotated page's text
(white space ignored) and takes the label most of its words carry: boilerplate (0, 4, 5, or no label),
content (1, 2), or not scored (3: a caption belongs to the story but is not its running text, and whether a
reader keeps it is a matter of taste, not of chrome; also a paragraph no label holds most of the words of,
and one whose text is not found in the page). Per half: precision and recall of reprint's `is_boilerplate`
flags against the boilerplate paragraphs; the share of full-text (2) words the reader keeps; the share of
kept words the annotators call boilerplate (chrome the reader let through), before and after the flags;
pages rejected. Results: bench/results/l3s-gn1.json (counts only, no page text), rendered into
docs/boilerplate.md. `--show dev` prints the dev half's missed and wrongly flagged paragraphs (never the test
half's: it is not read). `--only dev` runs and scores the dev half alone and prints its figures (no
results file): work on the dev half then spends no look at the test half.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

from bench.quality import ROOT, commit_of, pipeline_commit, read_warehouse, run_reprint
from bench.real.assemble import DEFAULT_MIRRORS, MANIFEST, SOURCES, git_dir, load_sources

REPO = "geodrome/page-signal"
DATASET = "L3S-GN1-20100130203947-00001"
RESULTS = ROOT / "bench" / "results" / "l3s-gn1.json"
HALVES = ("dev", "test")

# The assessors' classes, by the N of x-nc-selN; text in no labelled span is "not content" (the Readme).
BOILERPLATE_LABELS = frozenset({0, 4, 5, None})
CONTENT_LABELS = frozenset({1, 2})
FULL_TEXT = 2
_SEL = re.compile(r"\bx-nc-sel(\d)\b")
_WHITE = re.compile(r"\s+")
# Second-level labels under which sites register their names (news.bbc.co.uk is bbc.co.uk's).
_SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov", "edu", "ltd", "plc", "nic"}


def site_of(url: str) -> str:
    """A URL's site: its host's registered domain (www.smh.com.au and news.smh.com.au are smh.com.au)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def half_of(site: str) -> str:
    """The half a site's pages go to: a stable hash of the site, never of the page."""
    return HALVES[hashlib.sha256(site.encode()).digest()[0] % 2]


def fold_of(site: str, folds: int) -> int:
    """The fold of the dev half a site's pages go to (of `folds`): a second stable hash of the site, salted so
    that it is independent of the halves'. A rule found on one fold's pages is judged on the others', whose
    sites it was not written from: the dev half's own measure of how a rule carries to sites nobody read."""
    return hashlib.sha256(f"fold:{site}".encode()).digest()[0] % folds


# --- the annotated page ---------------------------------------------------------------------------------


@dataclass
class Annotated:
    """An annotated page's visible text as one string without white space (`chars`), each character's label
    (`labels`, None for text in no labelled span), and where each of its words starts in `chars`."""

    chars: str
    labels: list[int | None]
    word_starts: list[int] = field(default_factory=list)

    def word_label(self, k: int) -> int | None:
        return self.labels[self.word_starts[k]]

    def words(self) -> list[str]:
        ends = [*self.word_starts[1:], len(self.chars)]
        return [self.chars[s:e] for s, e in zip(self.word_starts, ends, strict=True)]


def read_annotated(html: str) -> Annotated:
    """The labelled text of an annotated page: every text node of its body in document order, labelled by the
    nearest x-nc-selN span around it (scripts, styles and the head are no text)."""
    from lxml import html as lhtml

    tree = lhtml.fromstring(html)
    body = tree.find(".//body")
    pieces: list[tuple[str, int | None]] = []

    def walk(element, label: int | None) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style", "noscript", "head", "title"):
            return
        found = _SEL.search(element.get("class") or "") if tag else None
        own = int(found.group(1)) if found and tag == "span" else label
        if tag and element.text:
            pieces.append((element.text, own))
        for child in element:
            walk(child, own)
            if child.tail:
                pieces.append((child.tail, own))

    walk(body if body is not None else tree, None)
    chars, labels, starts = [], [], []
    at_space = True
    for text, label in pieces:
        for ch in text:
            if ch.isspace():
                at_space = True
                continue
            if at_space:
                starts.append(len(chars))
                at_space = False
            chars.append(ch)
            labels.append(label)
    return Annotated("".join(chars), labels, starts)


@dataclass
class Matched:
    """Where a stored paragraph's words sit in the annotated page: the label of each word found, and the
    page's words it covers (indexes into word_starts)."""

    labels: list[int | None]
    covered: set[int]


def match_paragraph(page: Annotated, text: str, start: int = 0) -> tuple[Matched | None, int]:
    """Find a paragraph in the page, white space ignored: first at or after `start` (paragraphs come in page
    order), then anywhere, then word by word (a reader that mended a word or dropped one). None when fewer
    than half its words are found. Also the position to look from for the next paragraph."""
    compact = _WHITE.sub("", text)
    words = text.split()
    if not compact:
        return None, start
    at = page.chars.find(compact, start)
    if at < 0:
        at = page.chars.find(compact)
    if at >= 0:
        labels, pos = [], at
        for w in words:
            labels.append(page.labels[pos])
            pos += len(w)
        covered = _words_in(page, at, at + len(compact))
        return Matched(labels, covered), at + len(compact)
    return _match_words(page, words), start


def _words_in(page: Annotated, begin: int, end: int) -> set[int]:
    from bisect import bisect_left

    first = bisect_left(page.word_starts, begin)
    last = bisect_left(page.word_starts, end)
    return set(range(first, last))


def _match_words(page: Annotated, words: list[str]) -> Matched | None:
    matcher = SequenceMatcher(None, words, page.words(), autojunk=False)
    labels, covered = [], set()
    for a, b, n in matcher.get_matching_blocks():
        for k in range(n):
            labels.append(page.word_label(b + k))
            covered.add(b + k)
        del a
    if 2 * len(labels) < len(words):
        return None
    return Matched(labels, covered)


def paragraph_class(labels: list[int | None]) -> str:
    """boilerplate or content when most of a paragraph's words carry such labels, else unscored (captions and
    other supplemental text, or a paragraph no class holds most of)."""
    boilerplate = sum(label in BOILERPLATE_LABELS for label in labels)
    content = sum(label in CONTENT_LABELS for label in labels)
    if 2 * boilerplate > len(labels):
        return "boilerplate"
    if 2 * content > len(labels):
        return "content"
    return "unscored"


@dataclass
class Tally:
    """One half's counts."""

    pages: int = 0
    rejected: int = 0
    paragraphs: int = 0
    unmatched: int = 0
    classes: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)  # tp, fp (flagged content), fn (boilerplate kept)
    full_text_words: int = 0
    full_text_kept: int = 0
    kept_words: int = 0
    kept_chrome: int = 0
    unflagged_words: int = 0
    unflagged_chrome: int = 0

    def add_page(
        self, page: Annotated, paragraphs: list[tuple[str, bool]] | None, shown: list[str] | None = None
    ) -> None:
        """Score one page's stored paragraphs ((text, is_boilerplate) in order; None if it was rejected)."""
        self.pages += 1
        full = {k for k in range(len(page.word_starts)) if page.word_label(k) == FULL_TEXT}
        self.full_text_words += len(full)
        if paragraphs is None:
            self.rejected += 1
            return
        covered: set[int] = set()
        start = 0
        for text, flagged in paragraphs:
            self.paragraphs += 1
            found, start = match_paragraph(page, text, start)
            if found is None:
                self.unmatched += 1
                continue
            covered |= found.covered
            chrome = sum(label in BOILERPLATE_LABELS for label in found.labels)
            self.kept_words += len(found.labels)
            self.kept_chrome += chrome
            if not flagged:
                self.unflagged_words += len(found.labels)
                self.unflagged_chrome += chrome
            kind = paragraph_class(found.labels)
            self.classes[kind] += 1
            if kind == "unscored":
                continue
            outcome = {
                (True, True): "tp",
                (False, True): "fp",
                (True, False): "fn",
                (False, False): "tn",
            }[(kind == "boilerplate", flagged)]
            self.flags[outcome] += 1
            if shown is not None and outcome in ("fp", "fn"):
                shown.append(f"{'missed' if outcome == 'fn' else 'wrong '}: {text[:160]!r}")
        self.full_text_kept += len(full & covered)

    def summary(self) -> dict:
        tp, fp, fn = self.flags["tp"], self.flags["fp"], self.flags["fn"]
        return {
            "pages": self.pages,
            "pages_rejected": self.rejected,
            "paragraphs": self.paragraphs,
            "paragraphs_unmatched": self.unmatched,
            "paragraphs_boilerplate": self.classes["boilerplate"],
            "paragraphs_content": self.classes["content"],
            "paragraphs_unscored": self.classes["unscored"],
            "boilerplate": {
                "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
                "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
                "flagged": tp + fp,
                "gold": tp + fn,
                "missed": fn,
                "content_flagged": fp,
            },
            "full_text_kept": round(self.full_text_kept / self.full_text_words, 4)
            if self.full_text_words
            else 1.0,
            "kept_chrome_share": round(self.kept_chrome / self.kept_words, 4) if self.kept_words else 0.0,
            "unflagged_chrome_share": (
                round(self.unflagged_chrome / self.unflagged_words, 4) if self.unflagged_words else 0.0
            ),
        }


# --- the data set ---------------------------------------------------------------------------------------


class Absent(Exception):
    """The mirror of the data set is not on this machine."""


def _git(where: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={where}", *args], check=True, capture_output=True).stdout


def url_mapping(where: Path) -> dict[str, str]:
    """{page uuid: URL crawled} from the data set's url-mapping.txt."""
    mapping = {}
    for line in _git(where, "show", f"HEAD:{DATASET}/url-mapping.txt").decode().splitlines():
        if "\t" in line:
            urn, url = line.split("\t", 1)
            mapping[urn.strip("<>").removeprefix("urn:uuid:")] = url.strip()
    return mapping


def set_aside(mapping: dict[str, str]) -> tuple[set[str], set[str]]:
    """The pages (uuids) the real set takes from this data set, whichever part holds them (the withheld
    real-blind5 and the open real-news-dev2), and their sites, from bench/real/sources.toml and manifest.csv.
    Computed, never printed: which pages a withheld part holds is not to be read."""
    pages, urls = set(), []
    names = set()
    for source in load_sources(SOURCES):
        if source["repo"] == REPO and source["path"].startswith(DATASET + "/"):
            uuid = Path(source["path"]).stem
            pages.add(uuid)
            names.add(source["name"])
            urls.append(mapping.get(uuid, ""))
    with open(MANIFEST, newline="") as f:
        urls += [row["url"] for row in csv.DictReader(f) if row["path"] in names]
    return pages, {site_of(u) for u in urls if u}


def load_pages(mirrors: Path) -> dict[str, list[tuple[str, str, str]]]:
    """{half: [(uuid, url, site)]} of the pages scored (sorted), after setting the real set's pages aside."""
    where = git_dir(mirrors, REPO)
    if not where.is_dir():
        raise Absent(f"no mirror of {REPO} at {where}: bring it with `fetch github:{REPO}`")
    mapping = url_mapping(where)
    pages, sites = set_aside(mapping)
    halves: dict[str, list[tuple[str, str, str]]] = {h: [] for h in HALVES}
    listed = _git(where, "ls-tree", "--name-only", f"HEAD:{DATASET}/original/").decode().split()
    for name in sorted(listed):
        uuid = name.removesuffix(".html")
        url = mapping.get(uuid, "")
        site = site_of(url)
        if uuid in pages or not url or site in sites:
            continue
        halves[half_of(site)].append((uuid, url, site))
    return halves


def read_page(where: Path, kind: str, uuid: str) -> bytes:
    return _git(where, "show", f"HEAD:{DATASET}/{kind}/{uuid}.html")


def measure(
    mirrors: Path,
    keep: Path | None = None,
    show: str | None = None,
    only: str | None = None,
    folds: int = 0,
    fold: int | None = None,
) -> dict:
    """Run reprint on both halves at once and score each; `show` names a half whose misses are printed,
    `only` a half that alone is run and scored (the other is not read at all). With `folds`, the dev half is
    also scored fold by fold (fold_of), and `fold` keeps `show` to that fold's pages."""
    from tasks.html import decode_page

    where = git_dir(mirrors, REPO)
    halves = load_pages(mirrors)
    if only:
        halves = {only: halves[only]}
    with tempfile.TemporaryDirectory(prefix="l3s-gn1-") as tmp:
        base = keep or Path(tmp)
        corpus = base / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        with open(corpus / "manifest.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["path", "url"])
            for half in halves:
                for uuid, url, _ in halves[half]:
                    (corpus / f"{uuid}.html").write_bytes(read_page(where, "original", uuid))
                    writer.writerow([f"{uuid}.html", url])
        warehouse = base / "warehouse"
        seconds = run_reprint([corpus], warehouse)
        out = read_warehouse(warehouse)
    stored: dict[str, list[tuple[str, bool]]] = {}
    for source, _, text, flagged in out.paragraphs:
        stored.setdefault(source, []).append((text, flagged))
    result = {"seconds": round(seconds, 1)}
    for half in halves:
        tally, shown = Tally(), ([] if show == half else None)
        by_fold = [Tally() for _ in range(folds if half == "dev" else 0)]
        for uuid, _, site in halves[half]:
            page = read_annotated(decode_page(read_page(where, "annotated", uuid))[0])
            source = f"{uuid}.html"
            paragraphs = stored.get(source) if source in out.story else None
            at = fold_of(site, folds) if by_fold else None
            shows = shown is not None and (fold is None or at == fold)
            if shows:
                shown.append(f"--- {source}")
            tally.add_page(page, paragraphs, shown if shows else None)
            if at is not None:
                by_fold[at].add_page(page, paragraphs)
        result[half] = tally.summary() | {"sites": len({site for _, _, site in halves[half]})}
        if by_fold:
            result[half]["folds"] = [_fold_figures(t) for t in by_fold]
        result[half]["stories_joined"] = stories_joined(out.story, halves[half])
        if shown:
            print("\n".join(shown))
    return result


def _fold_figures(tally: Tally) -> dict:
    """A fold's figures, the few a rule is judged by."""
    summary = tally.summary()
    return {
        "pages": summary["pages"],
        "pages_rejected": summary["pages_rejected"],
        "boilerplate": summary["boilerplate"],
        "full_text_kept": summary["full_text_kept"],
        "unflagged_chrome_share": summary["unflagged_chrome_share"],
    }


def stories_joined(story: dict[str, str], pages: list[tuple[str, str, str]]) -> dict[str, int]:
    """How many stories reprint formed of several of these pages, and how many of those hold pages of one
    site only. Nearly every site gives one page, so a story of several pages is a republication (a wire story
    a site printed) or a fault; one of a single site's pages is where faults showed (two articles of one old
    CMS read as one canonical URL: ingest-7), and a reader judges those first."""
    site_of_source = {f"{uuid}.html": site for uuid, _, site in pages}
    members: dict[str, list[str]] = {}
    for source, story_id in story.items():
        if source in site_of_source:
            members.setdefault(story_id, []).append(site_of_source[source])
    several = [sites for sites in members.values() if len(sites) > 1]
    return {"stories": len(several), "one_site": sum(len(set(sites)) == 1 for sites in several)}


def markdown_table(results: dict) -> str:
    """The results as a table, one column a half; with a `before` run stored beside them, each figure as
    before → now."""
    rows = [
        ("sites / pages", lambda r: f"{r['sites']} / {r['pages']}"),
        ("pages rejected", lambda r: str(r["pages_rejected"])),
        ("paragraphs stored (boilerplate / content / not scored / not found)", _paragraphs),
        (
            "boilerplate flags P / R",
            lambda r: f"{r['boilerplate']['precision']:.3f} / {r['boilerplate']['recall']:.3f}",
        ),
        ("full-text words the reader keeps", lambda r: f"{r['full_text_kept']:.3f}"),
        ("kept words that are boilerplate, before flags", lambda r: f"{r['kept_chrome_share']:.3f}"),
        ("kept words that are boilerplate, after flags", lambda r: f"{r['unflagged_chrome_share']:.3f}"),
        ("stories of several pages (of one site's pages only)", _joined),
    ]
    before = results.get("before", {}).get("runs")

    def shown(figure, half: str) -> str:
        now = figure(results["runs"][half])
        return f"{figure(before[half])} → {now}" if before else now

    lines = ["| | " + " | ".join(HALVES) + " |", "|---|" + "---:|" * len(HALVES)]
    for name, figure in rows:
        lines.append(f"| {name} | " + " | ".join(shown(figure, h) for h in HALVES) + " |")
    if before:
        lines.append("")
        was = results["before"]
        lines.append(
            f"Before: commit {was['commit']}, reader `{was['versions']['html']}`, rules "
            f"`{was['versions']['boilerplate']}`, measured {was['date']}."
        )
    return "\n".join(lines)


def _joined(r: dict) -> str:
    joined = r.get("stories_joined")
    return f"{joined['stories']} ({joined['one_site']})" if joined else "not measured"


def _paragraphs(r: dict) -> str:
    return (
        f"{r['paragraphs']} ({r['paragraphs_boilerplate']} / {r['paragraphs_content']} / "
        f"{r['paragraphs_unscored']} / {r['paragraphs_unmatched']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS, help="folder of fetched mirrors")
    parser.add_argument("--show", choices=["dev"], help="print the dev half's missed and wrong paragraphs")
    parser.add_argument("--keep", type=Path, help="keep the corpus and warehouse of the run in this folder")
    parser.add_argument(
        "--only",
        choices=["dev"],
        help="run and score the dev half alone and print its figures (no results file; the test half is "
        "not read, so working on the dev half spends no look at it)",
    )
    parser.add_argument(
        "--folds", type=int, default=0, help="also score the dev half in this many folds by site (fold_of)"
    )
    parser.add_argument("--fold", type=int, help="with --show dev and --folds: show this fold's pages only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--before", type=Path, help="a results file of an earlier commit, stored beside these as `before`"
    )
    args = parser.parse_args(argv)
    try:
        runs = measure(args.mirrors, args.keep, args.show, args.only, args.folds, args.fold)
    except Absent as e:
        print(f"L3S-GN1 benchmark skipped: {e}", file=sys.stderr)
        return 0
    if args.only:
        print(json.dumps(runs[args.only], indent=1))
        return 0
    from tasks.boilerplate import BOILERPLATE_VERSION
    from tasks.html import HTML_VERSION

    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "commit": f"{commit_of()} (pipeline code {pipeline_commit()})",
        "command": "python -m bench.l3s_gn1 " + " ".join(argv if argv is not None else sys.argv[1:]),
        "versions": {"html": HTML_VERSION, "boilerplate": BOILERPLATE_VERSION},
        "runs": {h: runs[h] for h in HALVES},
        "seconds": runs["seconds"],
    }
    if args.before:
        earlier = json.loads(args.before.read_text())
        results["before"] = {k: earlier[k] for k in ("date", "commit", "versions", "runs")}
    print(markdown_table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
