"""Reuse outside stories: a quote one story lifts from another is found with offsets that slice it out of both
documents' texts, a republication's shared paragraphs are marked as one story's, unrelated documents share
nothing, and the table is the same however and however often the corpus is run."""

import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tasks.reuse
import tasks.reuse_spans
import tasks.run
from bench.corpus import iter_documents, write_jsonl
from tasks.passages import _sql, passage_words
from tasks.reuse import (
    ReuseBudget,
    ReuseConfig,
    ReuseInputs,
    _column_bytes,
    find_reuse,
    reuse_current,
    reuse_rewrite,
)
from tasks.reuse_spans import cut_words, shared_spans
from tasks.run import run
from tasks.warehouse import Source, read_table, table_files
from tests.conftest import BRIDGE, HARBOUR, WEATHER

# A sentence of the harbour story's second paragraph, quoted inside a paragraph of the bridge story.
QUOTE = "the vote passed with a large majority after months of talks with the port authority broke down"
QUOTING = (
    "Across town the mood was no better. As one docker put it to the council, "
    f"{QUOTE} and nobody at city hall had noticed."
)


def write(folder: Path, files: dict[str, list[str]]) -> Path:
    for path, paragraphs in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


HARBOUR_FILES = {
    "gazette/harbour.txt": HARBOUR,
    "courier/harbour.txt": HARBOUR[:5],  # a republication: the same story
}
BRIDGE_FILES = {
    "tribune/bridge.txt": BRIDGE[:2] + [QUOTING] + BRIDGE[2:],  # another story, quoting the harbour one
    "herald/weather.txt": WEATHER,
}


def texts(root: Path) -> dict[str, str]:
    """Each document's text as the catalog's document_texts view gives it."""
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        return dict(con.sql("select doc_id, text from document_texts").fetchall())
    finally:
        con.close()


def sources(root: Path) -> dict[str, str]:
    docs = read_table(root, "documents")
    return dict(zip(docs.column("source").to_pylist(), docs.column("doc_id").to_pylist(), strict=True))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("reuse")
    inputs = write(base / "inputs", HARBOUR_FILES | BRIDGE_FILES)
    run([str(inputs)], str(base / "warehouse"))
    return base / "warehouse"


def test_a_quote_shared_by_two_stories_is_found_with_offsets_into_both_texts(warehouse: Path):
    ids, text = sources(warehouse), texts(warehouse)
    rows = read_table(warehouse, "reuse_pairs").to_pylist()
    bridge = ids["tribune/bridge.txt"]
    quoted = [r for r in rows if bridge in (r["doc_id1"], r["doc_id2"])]
    # The quote is in both harbour documents' second paragraph: one pair with each, neither in its story.
    assert {r["doc_id1"] if r["doc_id2"] == bridge else r["doc_id2"] for r in quoted} == {
        ids["gazette/harbour.txt"],
        ids["courier/harbour.txt"],
    }
    for r in quoted:
        assert not r["same_story"] and r["story_id1"] != r["story_id2"]
        first, second = text[r["doc_id1"]][r["b1"] : r["e1"]], text[r["doc_id2"]][r["b2"] : r["e2"]]
        assert first.lower() == second.lower() == QUOTE.lower()
        mine = (r["b1"], r["e1"]) if r["doc_id1"] == bridge else (r["b2"], r["e2"])
        start = text[bridge].index(QUOTE)  # found independently in the document's text
        assert mine == (start, start + len(QUOTE))
        assert r["matches"] == len(QUOTE.split()) and r["score"] == 1.0 and not r["boilerplate"]
        share = r["share1"] if r["doc_id1"] == bridge else r["share2"]
        words = sum(len(re.findall(r"[^\W_]+", p)) for p in BRIDGE + [QUOTING])
        assert share == pytest.approx(len(QUOTE.split()) / words, abs=0.01)


def test_a_pair_in_one_story_is_marked_so(warehouse: Path):
    ids, text = sources(warehouse), texts(warehouse)
    pair = sorted([ids["gazette/harbour.txt"], ids["courier/harbour.txt"]])
    rows = [
        r for r in read_table(warehouse, "reuse_pairs").to_pylist() if [r["doc_id1"], r["doc_id2"]] == pair
    ]
    # The republication keeps the first five paragraphs: five spans, each a whole paragraph in both.
    assert len(rows) == 5
    for r, paragraph in zip(rows, HARBOUR[:5], strict=True):
        assert r["same_story"] and r["story_id1"] == r["story_id2"]
        assert text[pair[0]][r["b1"] : r["e1"]] == paragraph.rstrip(".")
        assert text[pair[1]][r["b2"] : r["e2"]] == paragraph.rstrip(".")
    assert rows[0]["share2"] == 1.0 and rows[0]["share1"] < 1.0


def test_unrelated_documents_share_nothing(warehouse: Path):
    weather = sources(warehouse)["herald/weather.txt"]
    rows = read_table(warehouse, "reuse_pairs").to_pylist()
    assert not [r for r in rows if weather in (r["doc_id1"], r["doc_id2"])]


def test_the_catalog_answers_reuse_queries(warehouse: Path):
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        across = con.sql(
            "select outlet1, outlet2, matches, passage1, passage2 from reuse_across_stories order by outlet1"
        ).fetchall()
        described = dict(
            con.sql(
                "select column_name, data_type from duckdb_columns() where table_name = 'reuse_pairs'"
            ).fetchall()
        )
    finally:
        con.close()
    assert sorted(tuple(sorted((a, b))) for a, b, *_ in across) == [
        ("courier", "tribune"),
        ("gazette", "tribune"),
    ]
    assert all(p1.lower() == p2.lower() == QUOTE.lower() for *_, p1, p2 in across)
    assert described["b1"] == "INTEGER" and described["same_story"] == "BOOLEAN"


def test_rows_are_the_same_run_again_in_parts_or_elsewhere(warehouse: Path, tmp_path: Path):
    whole = read_table(warehouse, "reuse_pairs")
    # Run again on the same inputs: nothing changes.
    inputs = warehouse.parent / "inputs"
    again = run([str(inputs)], str(warehouse))
    assert again.summary["version"] == "unchanged"
    assert read_table(warehouse, "reuse_pairs").equals(whole)
    # Built in two runs (the bridge story arriving a day later) or in another folder: the same rows.
    first = write(tmp_path / "day1", HARBOUR_FILES)
    second = write(tmp_path / "day2", BRIDGE_FILES)
    run([str(first)], str(tmp_path / "parts"))
    before = read_table(tmp_path / "parts", "reuse_pairs")
    assert before.num_rows == 5  # only the harbour republication so far
    run([str(first), str(second)], str(tmp_path / "parts"))
    parts = read_table(tmp_path / "parts", "reuse_pairs")
    # doc ids hash the source path relative to its root, which differs here: compare by source.
    assert _by_source(tmp_path / "parts", parts) == _by_source(warehouse, whole)


def test_no_duckdb_connection_is_open_while_the_texts_are_aligned(tmp_path: Path, monkeypatch):
    # DuckDB keeps the memory its tables held until its connection is closed (dropping them gave back only
    # part of it): at its cap at 200k documents, through the whole alignment, which in a run is beside the
    # align workers. The pairs to align are written to their file and the connection closed first, in a
    # first run and in a later one (the bridge story a day later), and the rows are those of the step whole.
    opened: list[duckdb.DuckDBPyConnection] = []
    aligned: list[bool] = []
    connect, align = tasks.reuse._connect, tasks.reuse._align_pairs

    def counted(*args):
        opened.append(connect(*args))
        return opened[-1]

    def checked(pairs, *args):
        for con in opened:
            with pytest.raises(duckdb.ConnectionException):
                con.execute("select 1")
        aligned.append(pairs is not None)
        return align(pairs, *args)

    monkeypatch.setattr(tasks.reuse, "_connect", counted)
    monkeypatch.setattr(tasks.reuse, "_align_pairs", checked)
    first = write(tmp_path / "day1", HARBOUR_FILES)
    second = write(tmp_path / "day2", BRIDGE_FILES)
    run([str(first)], str(tmp_path / "parts"))
    run([str(first), str(second)], str(tmp_path / "parts"))
    assert aligned == [True, True] and len(opened) == 4  # two connections a run: the pairs, the rows
    rows = read_table(tmp_path / "parts", "reuse_pairs")
    members = read_table(tmp_path / "parts", "story_members")
    paragraphs = [Source(f) for f in table_files(tmp_path / "parts", "paragraphs")]
    whole = ReuseInputs(paragraphs, None, [], members, [], pa.array([], pa.string()))
    assert rows.sort_by([(c, "ascending") for c in ("doc_id1", "doc_id2", "b1", "b2")]).equals(
        pq.read_table(find_reuse(whole, tmp_path / "whole").path)
    )


def _by_source(root: Path, rows: pa.Table) -> list[tuple]:
    named = {
        v: k.split("/")[-2] + "/" + k.split("/")[-1] if "/" in k else k for k, v in sources(root).items()
    }
    keep = ("b1", "e1", "b2", "e2", "matches", "score", "share1", "share2", "same_story", "boilerplate")
    return sorted((named[r["doc_id1"]], named[r["doc_id2"]], *(r[k] for k in keep)) for r in rows.to_pylist())


# --- the word-level spans ----------------------------------------------------------------------------------


def test_words_are_the_passage_index_words():
    sample = [
        'Été, à 東京: l\'été! The U.S. vote — 42% (of 1,000) said "no"; naïve CAFÉ 3rd_place İstanbul ǅemal',
        "istanbul İSTANBUL Istanbul the THE été ÉTÉ",
        "",
        "one",
    ]
    words = cut_words(sample)
    for k, text in enumerate(sample):
        at = slice(words.first[k], words.first[k + 1])
        theirs = passage_words(pa.array([text]))[0].as_py()
        # The same words, where DuckDB's lower() is taken word by word, and equal words hash alike.
        lowered = (
            _sql()
            .execute(
                "select list_transform(?, lambda w: lower(w))",
                [[text[s:e] for s, e in zip(words.starts[at], words.ends[at], strict=True)]],
            )
            .fetchall()[0][0]
        )
        assert lowered == theirs
        hashes = words.hashes[at].tolist()
        assert [hashes.index(h) for h in hashes] == [theirs.index(w) for w in theirs]


def spans_of(a: str, b: str, min_words: int = 12, max_gap: int = 4) -> list[tuple[str, str, int]]:
    words = cut_words([a, b])
    found = shared_spans(words, np.array([0]), np.array([1]), min_words, max_gap)
    return [
        (a[words.starts[w1] : words.ends[x1 - 1]], b[words.starts[w2] : words.ends[x2 - 1]], m)
        for w1, x1, w2, x2, m in zip(found.w1, found.x1, found.w2, found.x2, found.matches, strict=True)
    ]


def test_an_edited_quote_is_one_span_and_short_runs_are_not_spans():
    a = HARBOUR[1]
    b = "Elsewhere: " + a.replace("large", "narrow").replace("wages, ", "") + " More later."
    ((left, right, matches),) = spans_of(a, b)
    assert left.startswith("The union said") and left.endswith("temporary crews")
    assert right.startswith("The union said") and right.endswith("temporary crews")
    assert matches == len(a.split()) - 2  # "large" replaced, "wages" cut
    # Eleven shared words are not a span; twelve are.
    eleven = " ".join(a.split()[:11])
    assert spans_of(eleven + " and then something else entirely", "x y " + eleven) == []
    twelve = " ".join(a.split()[:12])
    assert [m for *_, m in spans_of(twelve + " and more", "x y " + twelve)] == [12]
    # Edits further apart than max_gap words split the span.
    far = a.split()
    far[12:18] = ["quite", "other", "words", "stand", "here", "now"]
    assert len(spans_of(a, " ".join(far))) == 2


def test_pairs_of_texts_repeating_their_own_lines_are_matched_a_range_at_a_time(monkeypatch):
    # A revised table or list repeats its own lines, so each repeated shingle matches once per place in both
    # texts of a pair; a batch's pairs are matched in ranges of ROWS_AT_ONCE rows, with the same runs.
    row = "| the council names two representatives for each team |"
    texts = [
        "\n".join([row] * 6 + [HARBOUR[1]]),
        "\n".join([HARBOUR[1]] + [row] * 5),
        "\n".join([row] * 3 + [BRIDGE[0], row]),
        BRIDGE[0] + " " + WEATHER[0],
        "\n".join([WEATHER[0]] + [row] * 4),
    ]
    words = cut_words(texts)
    left, right = np.array([0, 0, 1, 2, 3, 2, 4, 3]), np.array([1, 2, 2, 3, 4, 4, 0, 3])
    whole = np.concatenate(list(tasks.reuse_spans.matching_runs(words, left, right)))
    # One-to-one: no two runs of a pair share a shingle in either text.
    for k in range(len(left)):
        runs = whole[whole[:, 0] == k]
        for side in (1, 2):
            places = np.concatenate([np.arange(r[side], r[side] + r[3]) for r in runs] + [np.zeros(0, int)])
            assert len(places) == len(np.unique(places))
    ranges = []
    real = tasks.reuse_spans._runs_of_pairs
    monkeypatch.setattr(tasks.reuse_spans, "_runs_of_pairs", lambda *a: ranges.append(a[-2:]) or real(*a))
    monkeypatch.setattr(tasks.reuse_spans, "ROWS_AT_ONCE", 60)
    assert np.array_equal(np.concatenate(list(tasks.reuse_spans.matching_runs(words, left, right))), whole)
    assert len(ranges) > len(left) // 2  # matched in many ranges, some split again in halves
    for min_words, max_gap in ((12, 4), (5, 0)):
        monkeypatch.setattr(tasks.reuse_spans, "ROWS_AT_ONCE", 60)
        small = shared_spans(words, left, right, min_words, max_gap)
        monkeypatch.setattr(tasks.reuse_spans, "ROWS_AT_ONCE", 10**9)
        large = shared_spans(words, left, right, min_words, max_gap)
        assert len(large.pair) and all(
            np.array_equal(*two) for two in zip(vars(small).values(), vars(large).values(), strict=True)
        )


def test_runs_of_equal_keys_are_where_a_search_finds_them():
    # matching_runs reads a shingle's equals from the runs of equal sorted keys, where it searched twice.
    generator = np.random.default_rng(5)
    for size, spread in ((0, 1), (1, 1), (40, 3), (500, 2**63), (2_000, 300)):
        ordered = np.sort(generator.integers(0, spread, size, dtype=np.uint64))
        starts, ends = tasks.reuse_spans._equal_runs(ordered)
        assert np.array_equal(starts, np.searchsorted(ordered, ordered, side="left"))
        assert np.array_equal(ends, np.searchsorted(ordered, ordered, side="right"))


# A line of a table's markup, repeated once per row with the row's own cells after it (more than max_gap
# words, so that rows are not chained into one span).
ROW = "<tr style=border-bottom> <td style=padding-left> <td style=font-weight> <td class=goal-card status"


def table(rows: int, side: str) -> str:
    return " ".join(f"{ROW} {' '.join(f'c{k}{side}{w}' for w in range(5))}" for k in range(rows))


def words_in(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def test_a_line_repeated_5_and_4_times_is_4_spans_each_copy_with_its_counterpart_in_order():
    a, b = table(5, "a"), table(4, "b")
    words = cut_words([a, b])
    spans = shared_spans(words, np.array([0]), np.array([1]), 12, 4)
    assert len(spans.pair) == 4  # not 5 x 4 = 20
    assert set(spans.matches.tolist()) == {words_in(ROW)}
    # The k-th copy of one text with the k-th of the other (a span starts at the copy's first word).
    copies_a = [m.start() + 1 for m in re.finditer(re.escape(ROW), a)]
    copies_b = [m.start() + 1 for m in re.finditer(re.escape(ROW), b)]
    assert words.starts[spans.w1].tolist() == copies_a[:4]
    assert words.starts[spans.w2].tolist() == copies_b


def test_a_moved_block_is_still_found_with_the_rest():
    first, second, third = HARBOUR[1], BRIDGE[0], WEATHER[0]
    found = spans_of(" ".join([first, second, third]), " ".join([third, first, second]))
    assert sorted(m for *_, m in found) == sorted([words_in(first) + words_in(second), words_in(third)])
    assert all(left == right for left, right, _ in found)


def test_words_of_a_span_matched_elsewhere_in_the_other_text_do_not_cut_it():
    # "at the harbour last spring the ferry" is also the other text's first sentence: its run lies between the
    # span's two runs (one word edited) in the first text's order, and the span goes on past it.
    a = (
        "The mayor told the council on Monday that the new ferry would leave the north quay at seven each "
        "morning at the harbour last spring the ferry was given a fresh coat of paint and new seats."
    )
    b = (
        "At the harbour last spring the ferry crew went on strike for a week. The mayor told the council on "
        "Monday that the new ferry would leave the north quay at seven each morning at the bridge last "
        "spring the ferry was given a fresh coat of paint and new seats."
    )
    ((left, right, matches),) = spans_of(a, b)
    assert left == a.rstrip(".") and right.startswith("The mayor") and matches == words_in(a) - 1


def test_a_paragraph_printed_5_and_4_times_in_two_documents_pairs_4_times_in_order(tmp_path):
    # An address block under each section of a newsletter: each copy pairs with one copy of the other.
    block = (
        "Write to the harbour office at 12 Quay Street, open from nine to five on weekdays except holidays"
    )
    a = [
        f"Section {k} of the spring letter covers the {w} works on the east pier."
        for k, w in enumerate(["paving", "lighting", "crane", "fence", "drain"])
    ]
    b = [
        f"Part {k} of the autumn bulletin reports the {w} repairs at the west dock."
        for k, w in enumerate(["roof", "gate", "slipway", "pump"])
    ]
    inputs = write(
        tmp_path / "inputs",
        {
            "letter/spring.txt": [p for line in a for p in (line, block)],
            "bulletin/autumn.txt": [p for line in b for p in (line, block)],
        },
    )
    run([str(inputs)], str(tmp_path / "warehouse"))
    rows = read_table(tmp_path / "warehouse", "reuse_pairs").to_pylist()
    assert len(rows) == 4  # not 5 x 4 = 20
    text = texts(tmp_path / "warehouse")
    row = rows[0]
    first, second = text[row["doc_id1"]], text[row["doc_id2"]]
    assert {first[r["b1"] : r["e1"]] for r in rows} == {second[r["b2"] : r["e2"]] for r in rows} == {block}
    # The k-th copy in one document with the k-th in the other.
    copies1 = [m.start() for m in re.finditer(block, first)]
    copies2 = [m.start() for m in re.finditer(block, second)]
    n = min(len(copies1), len(copies2))
    assert sorted((r["b1"], r["b2"]) for r in rows) == list(zip(copies1[:n], copies2[:n], strict=True))


def test_a_passage_crossing_the_cap_is_unpaired_and_paired_again_as_one_run_would(tmp_path, monkeypatch):
    # With a cap of 2 documents, a paragraph printed by a third document pairs nobody; when that document
    # changes, its two first printers are paired again. Each incremental warehouse equals one run's.
    small = ReuseConfig(max_df=2)
    monkeypatch.setattr(tasks.run, "reuse_rewrite", partial(reuse_rewrite, config=small))
    monkeypatch.setattr(tasks.run, "reuse_current", partial(reuse_current, config=small))
    shared = HARBOUR[1]
    folder = write(
        tmp_path / "in",
        {"a/one.txt": [BRIDGE[0], shared, BRIDGE[1]], "b/two.txt": [WEATHER[0], shared, WEATHER[1]]},
    )
    run([str(folder)], str(tmp_path / "daily"))
    assert read_table(tmp_path / "daily", "reuse_pairs").num_rows == 1
    for day, third in enumerate(([HARBOUR[3], shared, HARBOUR[4]], [HARBOUR[3], HARBOUR[4]]), start=2):
        write(folder, {"c/three.txt": third})
        run([str(folder)], str(tmp_path / "daily"))
        run([str(folder)], str(tmp_path / f"once-{day}"))
        daily, once = (
            read_table(tmp_path / "daily", "reuse_pairs"),
            read_table(tmp_path / f"once-{day}", "reuse_pairs"),
        )
        assert daily.equals(once)
        assert daily.num_rows == (0 if shared in third else 1)


def test_the_step_runs_in_a_small_duckdb_cap_holding_two_ranges_of_text_at_a_time(tmp_path, monkeypatch):
    # 40 generated stories (138 documents) drawing sentences from one pool, so many documents of different
    # stories share paragraphs. The step as it was (DuckDB joining every candidate paragraph pair with both
    # texts, then sorting them) ran out of a 32 MB DuckDB cap on this corpus (it needed 64 MB; at 512 MB it
    # failed the same way on the 10k and 50k corpora). DuckDB now sorts the pairs alone, and the texts are
    # read a range of documents at a time: 32 KB of text per range here, so several ranges and blocks of two.
    small = ReuseBudget(duckdb_memory="32MB", text_bytes=32 << 10)
    monkeypatch.setattr(tasks.run, "reuse_rewrite", partial(reuse_rewrite, budget=small))
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(iter_documents(40, seed=3), folder / "docs.jsonl")
    root = tmp_path / "warehouse"
    run([str(folder)], str(root))
    rows = read_table(root, "reuse_pairs")
    paragraphs = [Source(f) for f in table_files(root, "paragraphs")]
    text = sum(_column_bytes(s.path, ["doc_id", "para_idx", "text"]) for s in paragraphs)
    assert text > 4 * small.text_bytes  # more than four ranges
    assert rows.num_rows > 1_000 and not all(rows.column("same_story").to_pylist())
    # The same rows as the default budget (one range, DuckDB's 512 MB) finds from the same paragraphs.
    inputs = ReuseInputs(
        paragraphs, None, [], read_table(root, "story_members"), [], pa.array([], pa.string())
    )
    whole = pq.read_table(find_reuse(inputs, tmp_path / "scratch").path)
    assert rows.equals(whole)
    # A range keeps the words it cut for later batches within `word_bytes`, letting them go when full: the
    # same rows whether it keeps nearly nothing (a few hundred words) or everything, and fewer texts cut when
    # it keeps more.
    cut: list[int] = []
    real = tasks.reuse.cut_words
    monkeypatch.setattr(tasks.reuse, "cut_words", lambda texts: cut.append(len(texts)) or real(texts))
    texts_cut = {}
    for words in (1 << 12, 1 << 30):
        cut.clear()
        budget = ReuseBudget(text_bytes=32 << 10, word_bytes=words)
        found = find_reuse(inputs, tmp_path / f"words-{words}", budget=budget)
        assert pq.read_table(found.path).equals(whole)
        texts_cut[words] = sum(cut)
    assert texts_cut[1 << 12] > texts_cut[1 << 30]


def test_a_daily_run_reads_only_the_paragraphs_of_the_documents_it_aligns(tmp_path, monkeypatch):
    # 40 generated stories, then a day adding 4 documents: the pairs to align are the new documents' and
    # their partners' (36 documents of 138: the stories draw on one pool of sentences), so only those
    # documents' paragraphs are spilled and read, and the rows are those of one run over both days.
    import tasks.reuse

    small = ReuseBudget(text_bytes=32 << 10)
    monkeypatch.setattr(tasks.run, "reuse_rewrite", partial(reuse_rewrite, budget=small))
    spilled: list[int | None] = []
    spill = tasks.reuse._spill_buckets

    def counted(sources, name, bounds, keep, *args, **kwargs):
        spilled.append(None if keep is None else len(keep))
        return spill(sources, name, bounds, keep, *args, **kwargs)

    monkeypatch.setattr(tasks.reuse, "_spill_buckets", counted)
    documents = list(iter_documents(40, seed=3))
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(documents[:-4], folder / "day1.jsonl")
    run([str(folder)], str(tmp_path / "daily"))
    assert spilled == [None]  # the first run aligns pairs of most documents: every paragraph is read
    write_jsonl(documents[-4:], folder / "day2.jsonl")
    run([str(folder)], str(tmp_path / "daily"))
    n_docs = read_table(tmp_path / "daily", "documents").num_rows
    assert spilled[-1] is not None and 4 <= spilled[-1] <= n_docs // 2
    run([str(folder)], str(tmp_path / "once"))
    daily, once = read_table(tmp_path / "daily", "reuse_pairs"), read_table(tmp_path / "once", "reuse_pairs")
    assert daily.num_rows > 0 and daily.equals(once)


def test_the_step_reads_many_parts_each_dropping_documents_in_a_small_duckdb_cap(tmp_path):
    # A first run at 100k documents hands the step 200 staged parts; a scan and an anti-join per part ran
    # out of DuckDB's 512 MB there. Here: 138 documents' paragraphs in 120 parts, each part also holding a
    # document it drops (as a stored file does for replaced documents), under a 32 MB cap: the rows of one
    # part read whole.
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(iter_documents(40, seed=3), folder / "docs.jsonl")
    root = tmp_path / "warehouse"
    run([str(folder)], str(root))
    paragraphs = pa.concat_tables(pq.read_table(f) for f in table_files(root, "paragraphs"))
    members = read_table(root, "story_members")
    one = ReuseInputs(
        [Source(table_files(root, "paragraphs")[0])], None, [], members, [], pa.array([], pa.string())
    )
    assert len(table_files(root, "paragraphs")) == 1
    whole = pq.read_table(find_reuse(one, tmp_path / "whole").path)
    ids = sorted(set(paragraphs.column("doc_id").to_pylist()))
    parts = []
    for k in range(120):
        mine = pa.array(ids[k::120])
        stray = paragraphs.filter(pa.compute.equal(paragraphs.column("doc_id"), ids[(k + 1) % len(ids)]))
        path = tmp_path / f"part-{k:03d}.parquet"
        rows = paragraphs.filter(pa.compute.is_in(paragraphs.column("doc_id"), value_set=mine))
        pq.write_table(pa.concat_tables([rows, stray]), path)
        parts.append(Source(path, drop=pa.array([ids[(k + 1) % len(ids)]])))
    inputs = ReuseInputs(parts, None, [], members, [], pa.array([], pa.string()))
    small = ReuseBudget(duckdb_memory="32MB")
    found = pq.read_table(find_reuse(inputs, tmp_path / "parts", budget=small).path)
    assert whole.num_rows > 1_000 and found.equals(whole)


DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


@pytest.mark.skipif(not DUCKDB_CLI.exists(), reason="the duckdb command is installed by make run")
def test_the_duckdb_command_slices_the_quote_out_of_both_texts(warehouse: Path, tmp_path: Path):
    done = subprocess.run(
        [str(DUCKDB_CLI), str(warehouse / "corpus.duckdb"), "-readonly", "-csv", "-noheader", "-c",
         "select lower(passage1) = lower(passage2), lower(passage1) from reuse_across_stories"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"true,{QUOTE.lower()}"] * 2


# --- a daily run's share of the work ----------------------------------------------------------------------


def _same_rows(a: pa.Table, b: pa.Table) -> bool:
    """The same rows, whatever the files' order (DuckDB's `except all` both ways)."""
    con = duckdb.connect()
    con.register("a", a)
    con.register("b", b)
    differ = "select count(*) from (select * from {} except all select * from {})"
    return a.num_rows == b.num_rows and not any(
        con.sql(differ.format(x, y)).fetchall()[0][0] for x, y in (("a", "b"), ("b", "a"))
    )


def test_a_daily_run_builds_the_postings_of_the_keys_its_new_documents_hold_only(tmp_path, monkeypatch):
    # 40 generated stories, then a day adding 4 documents: the postings (document, paragraph, key) a daily
    # run builds are those of the keys the touched documents hold, not the whole index's (every daily run
    # built and grouped all of them: 18.5M at 100k documents); the rows are still those of one run.
    built: list[int] = []
    crowded: list[int] = []
    connect = duckdb.connect

    class Counted:
        def __init__(self, *args, **kwargs):
            self.con = connect(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.con, name)

        def execute(self, sql, *args):
            done = self.con.execute(sql, *args)
            if "table postings as" in sql or "insert into postings" in sql:
                built.append(self.con.sql("select count(*) from postings").fetchall()[0][0])
                # Keys more documents hold than the cap plus the 4 touched ones: they pair nothing now and
                # paired nothing as stored (a first run posts every key).
                crowded.append(
                    self.con.sql(
                        "select count(*) from (select key from postings group by key "
                        f"having count(distinct doc_id) > {ReuseConfig().max_df + 4})"
                    ).fetchall()[0][0]
                )
            return done

    monkeypatch.setattr(duckdb, "connect", Counted)  # tasks.reuse imports duckdb at use
    documents = list(iter_documents(40, seed=3))
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(documents[:-4], folder / "day1.jsonl")
    run([str(folder)], str(tmp_path / "daily"))
    (whole,) = built
    write_jsonl(documents[-4:], folder / "day2.jsonl")
    run([str(folder)], str(tmp_path / "daily"))
    daily_built = built[1:]  # twice when pairs of untouched documents crossed the cap
    run([str(folder)], str(tmp_path / "once"))
    once_built = built[-1]  # the one run over both days builds every posting
    assert whole < once_built and 0 < max(daily_built) < 0.6 * once_built
    assert crowded[0] > 0 and crowded[1 : len(daily_built) + 1] == [0] * len(daily_built)
    daily, once = read_table(tmp_path / "daily", "reuse_pairs"), read_table(tmp_path / "once", "reuse_pairs")
    assert daily.num_rows > 0 and _same_rows(daily, once)


def test_a_daily_run_writes_the_rows_of_the_pairs_that_change_only(tmp_path, monkeypatch):
    # A republication of the bridge story arrives: the bridge story gains a member, so its id changes, and
    # the quote pair (gazette's harbour, tribune's bridge) changes its story columns though neither document
    # is new. The step writes the rows of the first documents whose pairs changed, not the whole table, and
    # the table is the one run's over both days.
    written: list[tuple[int, int | None]] = []
    rewrite = tasks.run.reuse_rewrite

    def counted(*args, **kwargs):
        done = rewrite(*args, **kwargs)
        written.append((pq.read_metadata(done.parts[0].path).num_rows, len(done.drop)))
        return done

    monkeypatch.setattr(tasks.run, "reuse_rewrite", counted)
    flood = {"other/flood.txt": WEATHER[:3] + BRIDGE[4:]}  # a pair of untouched documents in other stories
    folder = write(tmp_path / "in", HARBOUR_FILES | BRIDGE_FILES | flood)
    run([str(folder)], str(tmp_path / "daily"))
    before = read_table(tmp_path / "daily", "reuse_pairs")
    write(folder, {"wire/bridge.txt": BRIDGE[:2] + [QUOTING] + BRIDGE[2:5]})
    run([str(folder)], str(tmp_path / "daily"))
    daily = read_table(tmp_path / "daily", "reuse_pairs")
    rows, dropped = written[-1]
    assert rows < daily.num_rows and dropped < len(set(daily.column("doc_id1").to_pylist()))
    run([str(folder)], str(tmp_path / "once"))
    assert _same_rows(daily, read_table(tmp_path / "once", "reuse_pairs"))
    ids = sources(tmp_path / "daily")
    quote = sorted([ids["gazette/harbour.txt"], ids["tribune/bridge.txt"]])
    story = {r["doc_id"]: r["story_id"] for r in read_table(tmp_path / "daily", "story_members").to_pylist()}
    (old,) = [r for r in before.to_pylist() if [r["doc_id1"], r["doc_id2"]] == quote]
    (new,) = [r for r in daily.to_pylist() if [r["doc_id1"], r["doc_id2"]] == quote]
    bridge = "story_id1" if quote[0] == ids["tribune/bridge.txt"] else "story_id2"
    assert old[bridge] != new[bridge] == story[ids["tribune/bridge.txt"]]
