"""`reprint trace`: where a passage went. The catalog's `trace` macro finds the paragraphs that share shingles
with the passage through the passage index (tasks/passages.py); here each document's best run of such
paragraphs is cut down to the words that carry the passage, kept when it holds enough of the passage, and
diffed against the earliest version, so a fact-checker sees where a quote went and how it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from itertools import groupby
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tasks.align import fold_token, word_diff
from tasks.terminal import inert, json_lines

MIN_SHARE = 0.5  # a version holds at least half of the passage's words, in order


@dataclass(frozen=True)
class Version:
    """One document's version of the passage."""

    doc_id: str
    outlet: str
    published_at: datetime | None
    story_id: str | None
    paragraphs: tuple[int, ...]  # the paragraphs (para_idx) it spans
    text: str  # its words that carry the passage
    share: float  # of the passage's words found there, in order
    diff: str  # word diff against the earliest version ('' for the earliest and for verbatim copies)


def locate(passage: str, text: str) -> tuple[str, float]:
    """The words of `text` that carry `passage` (from its first to its last word matched to the passage, in
    order, words compared as the word diff compares them) and the share of the passage's words matched."""
    want = [w for w in map(fold_token, passage.split()) if w]
    tokens = text.split()
    have = list(map(fold_token, tokens))
    blocks = [b for b in SequenceMatcher(None, want, have, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return "", 0.0
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size
    return " ".join(tokens[first:last]), sum(b.size for b in blocks) / len(want)


def _best_run(hits: list[tuple]) -> list[tuple]:
    """Of one document's hit paragraphs, the run of consecutive ones sharing the most keys (the first of
    equals): a passage re-cut over two paragraphs is one version, a phrase repeated far away is not."""
    runs, run = [], [hits[0]]
    for hit in hits[1:]:
        if hit[4] == run[-1][4] + 1:
            run.append(hit)
        else:
            runs.append(run)
            run = [hit]
    runs.append(run)
    return max(runs, key=lambda r: sum(h[5] for h in r))


class NoPassageIndex(RuntimeError):
    """The warehouse has paragraphs but no passage index: it was written before the index existed."""


def trace(con: duckdb.DuckDBPyConnection, passage: str, min_share: float = MIN_SHARE) -> list[Version]:
    """Every document that carries `passage` or a close version of it, earliest first."""
    rows = _macro_rows(con, passage)
    if not rows and _index_missing(con):
        raise NoPassageIndex(
            "this warehouse was written before the passage index existed: run `reprint run` on its inputs "
            "once more to build it (nothing else is prepared again)"
        )
    # Rows come earliest first; a document's rows are together and in paragraph order.
    found = []
    for doc_id, hits in groupby(rows, key=lambda r: r[1]):
        run = _best_run(list(hits))
        story_id, _, outlet, published_at = run[0][:4]
        text, share = locate(passage, " ".join(h[6] for h in run))
        if share >= min_share:
            found.append((doc_id, outlet, published_at, story_id, tuple(h[4] for h in run), text, share))
    earliest = found[0][5] if found else ""
    return [Version(*f, diff=word_diff(earliest, f[5]) if i else "") for i, f in enumerate(found)]


def _macro_rows(con: duckdb.DuckDBPyConnection, passage: str) -> list[tuple]:
    """The `trace` macro's rows. DuckDB turns the passage's keys into a filter that skips the index's row
    groups without them only up to `dynamic_or_filter_threshold` keys (default 50); a longer passage gets a
    threshold of its own size for this query, so it too reads only the row groups holding its keys."""
    (setting,) = con.execute("select current_setting('dynamic_or_filter_threshold')").fetchall()[0]
    wanted = max(int(setting), len(passage.split()))
    con.execute(f"SET dynamic_or_filter_threshold = {wanted}")
    try:
        return con.execute("select * from trace(?)", [passage]).fetchall()
    finally:
        con.execute(f"SET dynamic_or_filter_threshold = {int(setting)}")


def _index_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index is empty while the paragraphs are not (both counts from the files' metadata)."""
    try:
        (indexed, paragraphs) = con.execute(
            "select (select count(*) from passage_index), (select count(*) from paragraphs)"
        ).fetchall()[0]
    except duckdb.CatalogException:  # a catalog of older code, whose macro reads the paragraphs' keys
        return False
    return indexed == 0 and paragraphs > 0


def render_trace(versions: list[Version], passage: str, console: Console, output: str = "table") -> None:
    """The versions as a table (or JSON lines for scripts)."""
    if output == "json":
        json_lines(console, versions)
        return
    if not versions:
        console.print(
            Text(f"No document in the warehouse carries this passage ({len(passage.split())} words).")
        )
        return
    table = Table(title=f"{len(versions)} documents carry the passage, earliest first", show_lines=True)
    for column in ("published", "outlet", "story", "share", "text / change against the earliest"):
        table.add_column(column, overflow="fold")
    for i, v in enumerate(versions):
        when = v.published_at.strftime("%Y-%m-%d %H:%M") if v.published_at else "undated"
        shown = v.text if i == 0 else (v.diff or "(verbatim)")
        cells = (when, inert(v.outlet), v.story_id or "", f"{v.share:.0%}", inert(shown, 600))
        table.add_row(*map(Text, cells))  # Text: article words are never read as markup
    console.print(table)


def read_passage(text: str | None, file: str | None) -> str:
    """The passage from the command line or a file."""
    return Path(file).read_text(encoding="utf-8") if file else (text or "")
