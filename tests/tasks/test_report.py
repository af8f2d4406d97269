"""The terminal report (`reprint report`): what it leaves off, it counts and names the query for."""

import io
from pathlib import Path

import duckdb
from rich.console import Console

from tasks.report import left_off_query, render_report


def _printed(warehouse: Path, max_stories: int) -> str:
    out = io.StringIO()
    render_report(warehouse, Console(file=out, width=240, emoji=False), max_stories=max_stories)
    return out.getvalue()


def test_report_says_how_many_stories_it_leaves_off_and_the_query_that_lists_them(corpus_warehouse: Path):
    printed = _printed(corpus_warehouse, max_stories=1)
    assert "Showing the 1 stories with most republications of 2; the other 1:" in printed
    assert f'reprint sql "{left_off_query(1)}"' in printed
    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        (left_off,) = con.execute(left_off_query(1)).fetchall()
    finally:
        con.close()
    shown = [line for line in printed.splitlines() if line.startswith("─") and "story" in line]
    assert len(shown) == 1 and left_off[0] not in shown[0]  # the query lists the story not printed
    assert "Showing the" not in _printed(corpus_warehouse, max_stories=20)
