"""The report page: escaping of untrusted text, word marks, row order, and the pages of a warehouse."""

import base64
import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tasks.align import word_diff
from tasks.report import left_off_query
from tasks.report_page import (
    PageConfig,
    copy_tree,
    mark_changes,
    reading_order,
    render_index,
    reprint_tree,
    story_file,
    write_report_pages,
)

SCRIPT = "<script>window.__pwned=1</script>"
ESCAPED = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"


def fate(base, idx, name, origin="", rep=""):
    return {
        "base_para_idx": base,
        "para_idx": idx,
        "fate": name,
        "origin_text": origin,
        "republication_text": rep,
        "similarity": None,
        "base_doc_id": "o",
    }


def test_mark_changes_marks_deleted_and_inserted_words_and_escapes_them():
    origin, rep = mark_changes("The <b>old</b> bridge closes in April.", "The new bridge closes in May.")
    assert "<del>&lt;b&gt;old&lt;/b&gt;</del>" in origin and "<ins>new</ins>" in rep
    assert "<del>April.</del>" in origin and "<ins>May.</ins>" in rep
    assert "<b>" not in origin


def test_mark_changes_leaves_typographic_changes_unmarked():
    origin, rep = mark_changes("“Fair,” he said.", '"Fair," he said.')
    assert "<del>" not in origin and "<ins>" not in rep
    assert rep == "&quot;Fair,&quot; he said."


@pytest.mark.parametrize(
    "origin, republication",
    [
        ("U.S. officials said", "US officials said"),  # the same letters, cut differently
        ("the bridge closes in April", "the bridge closes in May"),
        ("a b c d", "d c b a"),
    ],
)
def test_the_page_marks_exactly_the_words_the_stored_diff_names(origin, republication):
    left, right = mark_changes(origin, republication)
    marked = re.findall(r"<del>(.*?)</del>", left) + re.findall(r"<ins>(.*?)</ins>", right)
    named = re.findall(r"\[-(.*?)-\]|\{\+(.*?)\+\}", word_diff(origin, republication))
    assert sorted(marked) == sorted(x for pair in named for x in pair if x)


def test_reading_order_places_appeared_after_what_precedes_it_in_the_republication():
    rows = [
        fate(0, 0, "survived"),
        fate(1, None, "disappeared"),
        fate(2, 1, "survived"),
        fate(None, 2, "appeared"),
        fate(3, 3, "survived"),
        fate(None, 0, "appeared"),
    ]
    rows[5]["para_idx"] = -1  # an appeared paragraph before everything: first
    order = [(r["base_para_idx"], r["para_idx"]) for r in reading_order(rows)]
    assert order == [(None, -1), (0, 0), (1, None), (2, 1), (None, 2), (3, 3)]


def test_story_file_keeps_plain_ids_and_hashes_the_rest():
    assert story_file("51b5644cffa3ce3d") == "51b5644cffa3ce3d.html"
    name = story_file("../../etc/passwd")
    assert "/" not in name and ".." not in name and name.endswith(".html")


def test_index_escapes_titles_outlets_and_rejects():
    story = {
        "story_id": "s1",
        "title": f"Strike {SCRIPT}",
        "origin": "o",
        "origin_published_at": None,
        "last_published_at": None,
        "outlets": 'o | <img src=x onerror="alert(1)">',
        "republications": 1,
        "survival_rate": 0.5,
        **{f: 1 for f in ("survived", "moved", "changed", "split", "merged", "disappeared", "appeared")},
    }
    page = render_index(
        {"documents": 2, "stories": 1, "shared": 1, "rejects": 1},
        [story],
        [],
        [],
        [{"source": "x.txt", "reason": SCRIPT}],
    )
    assert ESCAPED in page
    assert "<script>window" not in page and "<img" not in page
    assert page.count("<script>") == 1  # the page's own script only
    # the story rows are data for the script: nothing in them can end the data block
    assert page.count("</script>") == 2 and "<img" not in page
    rows = _data(page)["stories"]
    assert rows[0][2] == f"Strike {SCRIPT}" and 'o | <img src=x onerror="alert(1)">' not in page


def _data(page: str) -> dict:
    """The story rows the index's script draws, read back from the page's JSON block."""
    found = re.search(r'<script type="application/json" id="story-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_index_says_when_stories_are_left_off():
    story = {
        "story_id": "s",
        "title": "t",
        "origin": "o",
        "origin_published_at": None,
        "last_published_at": None,
        "outlets": "o | r",
        "republications": 1,
        "survival_rate": 1.0,
        "survived": 1,
        "moved": 0,
        "changed": 0,
        "split": 0,
        "merged": 0,
        "disappeared": 0,
        "appeared": 0,
    }
    stories = [dict(story, story_id=f"s{k}") for k in range(3)]
    page = render_index(
        {"documents": 6, "stories": 3, "shared": 3, "rejects": 0},
        stories,
        [],
        [],
        [],
        PageConfig(max_stories=2),
    )
    assert [row[1] for row in _data(page)["stories"]] == ["s0", "s1"]
    assert "holds the 2 stories with most republications; 1 more are in the catalog" in page
    assert left_off_query(2) in page


def test_index_says_when_no_story_has_a_republication():
    page = render_index({"documents": 1, "stories": 1, "shared": 0, "rejects": 0}, [], [], [], [])
    assert "No story has a republication yet" in page and _data(page)["stories"] == []


@pytest.fixture(scope="module")
def pages(corpus_warehouse: Path) -> Path:
    return write_report_pages(corpus_warehouse)


def _catalog(warehouse: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_index_lists_every_story_with_republications_and_links_its_page(pages: Path, corpus_warehouse: Path):
    html = pages.read_text()
    shared = _catalog(corpus_warehouse, "select distinct story_id from story_members where n_members > 1")
    lone = _catalog(corpus_warehouse, "select story_id from story_members where n_members = 1")
    assert len(shared) == 2 and len(lone) == 1
    rows = {row[1]: row for row in _data(html)["stories"]}
    assert set(rows) == {story_id for (story_id,) in shared}
    for story_id, row in rows.items():
        assert row[0] == f"{story_id}.html" and (pages.parent / "stories" / row[0]).exists()
        (lead,) = _catalog(
            corpus_warehouse,
            f"select text from origin_positions where story_id = '{story_id}' and body_rank = 0",
        )[0]
        cut = PageConfig().lead_chars
        assert row[3] == (lead if len(lead) <= cut else lead[:cut] + "…")  # what search reads of the text
        assert row[3]
    assert lone[0][0] not in html
    assert {row[2] for row in rows.values()} == {"Dockers strike at Port Elling", "Marren bridge to close"}
    assert "not ingested" in html  # the reject is listed


def test_index_draws_who_copies_whom_from_the_catalog(pages: Path, corpus_warehouse: Path):
    html = pages.read_text()
    pairs = _catalog(corpus_warehouse, "select from_outlet, to_outlet, copies from outlet_copies")
    assert pairs
    matrix = html[html.index('<svg class="chart" id="chart-copies"') :]
    matrix = matrix[: matrix.index("</svg>")]
    assert matrix.count('<rect class="copies"') == len(pairs)
    for source, copier, copies in pairs:
        assert f"{copier} copied {source}: {copies} copies" in matrix


def test_story_page_shows_each_fate_row_and_the_injected_script_as_text(pages: Path, corpus_warehouse: Path):
    (story_id,) = _catalog(
        corpus_warehouse,
        "select story_id from story_members m join documents d "
        "using (doc_id) where d.source = 'herald/harbour.txt'",
    )[0]
    html = (pages.parent / "stories" / story_file(story_id)).read_text()
    expected = dict(
        _catalog(
            corpus_warehouse,
            f"select fate, count(*) from paragraph_fates where story_id = '{story_id}' group by fate",
        )
    )
    shown = dict.fromkeys(expected, 0)
    for name in re.findall(r'<tr class="fate-(\w+)" data-fates=', html):
        shown[name] += 1
    assert shown == expected and expected["disappeared"] == 2 and expected["appeared"] == 1
    assert ESCAPED in html and "<script>window" not in html
    assert html.count("<script>") == 1


def test_pages_need_no_network_and_allow_only_their_own_script(pages: Path):
    for page in [pages, *sorted((pages.parent / "stories").glob("*.html"))]:
        html = page.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', html)
        (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)  # data blocks carry a type: never run
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert re.findall(r"script-src ([^;\"]*)", html) == [f"'sha256-{digest}'"]


def test_boilerplate_is_folded_away(seed_warehouse: Path):
    index = write_report_pages(seed_warehouse)
    (n,) = _catalog(seed_warehouse, "select count(*) from paragraphs where is_boilerplate")[0]
    story = next((index.parent / "stories").glob("*.html")).read_text()
    folded = story[story.index("<h2>Boilerplate set aside</h2>") :]
    assert n > 0 and folded.count("<li ") == n and "<details>" in folded


def test_rewriting_is_idempotent_and_drops_pages_of_stories_gone(pages: Path, corpus_warehouse: Path):
    before = {p.name: p.read_bytes() for p in (pages.parent / "stories").glob("*.html")}
    stale = pages.parent / "stories" / "gone.html"
    stale.write_text("old")
    write_report_pages(corpus_warehouse)
    after = {p.name: p.read_bytes() for p in (pages.parent / "stories").glob("*.html")}
    assert after == before and not stale.exists()
    assert not list(pages.parent.rglob(".*.tmp"))


def test_only_the_pages_of_touched_stories_are_written_again(pages: Path, corpus_warehouse: Path):
    from tasks.report_page import pages_current
    from tasks.warehouse import current_version

    assert pages_current(corpus_warehouse)
    version = current_version(corpus_warehouse).name
    first, second = sorted((pages.parent / "stories").glob("*.html"))
    real = first.read_bytes(), second.read_bytes()
    first.write_text("kept"), second.write_text("kept")
    write_report_pages(corpus_warehouse, touched={second.stem}, since=version)
    assert first.read_text() == "kept" and second.read_bytes() == real[1]
    write_report_pages(corpus_warehouse, touched=set(), since="an-older-version")  # not what the pages show
    assert first.read_bytes() == real[0]


def member(doc_id, version, copied_from=None, day=1, label=None):
    return {
        "doc_id": doc_id,
        "version": version,
        "copied_from": copied_from,
        "label": label or doc_id,
        "published_at": datetime(2024, 5, day, 8),
    }


def test_copy_tree_puts_each_version_under_the_one_it_copied():
    members = [
        member("o", 0),
        member("a", 1, "o", 2),
        member("b", 2, "a", 3),
        member("c", 3, "o", 3),
        member("d", 4, "missing", 4),  # a copied_from outside the story hangs off the origin
    ]
    tree = [(depth, m["doc_id"]) for depth, m in copy_tree(members)]
    assert tree == [(0, "o"), (1, "a"), (2, "b"), (1, "c"), (1, "d")]
    html = reprint_tree([dict(m, label=f"<{m['doc_id']}>") for m in members], {"b": {"survival_rate": 0.5}})
    assert html.count("<ul>") == html.count("</ul>") == 3 and html.count("<li") == html.count("</li>") == 5
    assert '<b>&lt;b&gt;</b> <span class="meta">v2 · 2024-05-03 · +24 h · kept 50%' in html


def test_pages_written_by_a_helper_process_are_the_same_bytes(
    pages: Path, corpus_warehouse: Path, monkeypatch: pytest.MonkeyPatch
):
    from contextlib import contextmanager

    from tasks import report_page
    from tasks.run import page_helper

    before = {p.name: p.read_bytes() for p in (pages.parent / "stories").glob("*.html")}
    for page in (pages.parent / "stories").glob("*.html"):
        page.unlink()
    handed: list[str] = []

    @contextmanager
    def helper():
        with page_helper() as pool:

            class Counted:  # the helper process, counting the pages handed to it
                def submit(self, step, path, *story):
                    handed.append(Path(path).name)
                    return pool.submit(step, path, *story)

            yield Counted()

    monkeypatch.setattr(report_page, "HELPED_PAGES", 1)  # the test corpus has a few stories
    write_report_pages(corpus_warehouse, helper=helper)
    after = {p.name: p.read_bytes() for p in (pages.parent / "stories").glob("*.html")}
    assert handed and set(handed) <= set(after)
    assert after == before and not list(pages.parent.rglob(".*.tmp"))


def test_the_story_pages_fates_are_the_views_rows_of_those_stories(corpus_warehouse: Path):
    """The pages read fate_details with its sources narrowed to their stories first (the view filtered joins
    every paragraph's text): the same rows in the same order, for some stories and for none."""
    from tasks.report_page import fate_details_of

    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        stories = [
            r[0] for r in con.execute("select distinct story_id from paragraph_fates order by 1").fetchall()
        ]
        order = " order by story_id, doc_id, coalesce(base_para_idx, para_idx), para_idx nulls first"
        for some in (stories, stories[1::2], stories[:1], []):
            view = con.execute(
                "select * from fate_details where story_id in (select unnest(?::varchar[]))" + order, [some]
            ).fetchall()
            assert con.execute(fate_details_of(), [some]).fetchall() == view
            assert len({row[0] for row in view}) == len(some)
    finally:
        con.close()


def test_the_index_reads_the_views_own_rows(corpus_warehouse: Path):
    """The index reads story_summary once and runs each view reading it over those rows (over_summary), and
    the leads from origin_positions narrowed to the page's stories: the views' rows in the views' order."""
    from tasks.report_page import SUMMARY_ROWS, origin_positions_of, over_summary

    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        con.register(SUMMARY_ROWS, con.sql("select * from story_summary").to_arrow_table())
        for view in ("fate_mix_by_story", "survival_by_outlet", "outlet_copies"):
            rows = con.execute(f"select * from {view}").fetchall()
            assert rows and con.execute(over_summary(view)).fetchall() == rows
        stories = [r[0] for r in con.execute("select story_id from fate_mix_by_story order by 1").fetchall()]
        order = " order by story_id, base_para_idx"
        for some in (stories, stories[1::2], stories[:1], []):
            among = "select * from origin_positions where story_id in (select unnest(?::varchar[]))"
            view = con.execute(among + order, [some]).fetchall()
            assert con.execute(f"select * from ({origin_positions_of()}){order}", [some]).fetchall() == view
            assert len({row[0] for row in view}) == len(some)
    finally:
        con.close()


def test_values_are_escaped_as_html_escape_escapes_them():
    """_e writes html.escape's replacements out: the same text for every character that needs escaping, in
    any order and repeated, for numbers, None and other values."""
    from html import escape

    from tasks.report_page import _e

    texts = ["", "plain words", "&amp; already", "<script>alert('x')</script>", 'a "quoted" & <b>', "é ‘’ “”"]
    texts += ["".join(p) for p in zip("&<>\"'", "'\"><&", strict=True)]
    for text in texts:
        assert _e(text) == escape(text, quote=True)
    assert _e(None) == ""
    assert _e(-12) == "-12"
    assert _e(0.25) == "0.25"
    assert _e(True) == "True"
