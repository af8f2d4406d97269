"""The quality benchmark's scoring on hand-counted cases, and the real set's labels against its files.

No `reprint run` here: the scorers take a `Warehouse` (what a run stored), built by hand in these tests.
"""

import csv
import html
import json
import re
from pathlib import Path

import pytest

from bench.quality import (
    PAGE,
    REAL,
    RESULTS,
    Warehouse,
    load_labels,
    real_documents,
    render_page,
    score_generated,
    score_real,
    write_generated,
)
from bench.score import grouping_scores, precision_recall


def test_grouping_scores_count_pairs_of_documents():
    # gold pairs: ab, ac, bc; found pairs: ab, cd; both: ab.
    scores = grouping_scores(
        {"a": "1", "b": "1", "c": "1", "d": "2"}, {"a": "x", "b": "x", "c": "y", "d": "y"}
    )
    assert scores["precision"] == pytest.approx(1 / 2)
    assert scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(0.4)
    # a document the run does not have is a story of its own; singletons everywhere score 1 (nothing to link)
    assert grouping_scores({"a": "1", "b": "1"}, {"a": "x"})["recall"] == 0.0
    assert grouping_scores({"a": "1", "b": "2"}, {"a": "x", "b": "y"})["precision"] == 1.0


def test_precision_recall_of_flagged_sets():
    scores = precision_recall({1, 2, 3}, {2, 3, 4, 5})
    assert (scores["precision"], scores["gold"], scores["flagged"]) == (0.5, 3, 4)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert precision_recall(set(), set())["precision"] == 1.0


def _tiny_real_set(tmp_path: Path) -> tuple[Path, dict]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a1.md", "a2.md", "b.md", "c.md"):
        (corpus / name).write_text("x\n")
    labels = {
        "family": [{"name": "a", "docs": ["a1.md", "a2.md"]}],
        "hard_negative": [{"a": "b.md", "b": "c.md"}, {"a": "a1.md", "b": "b.md"}],
        "boilerplate": [
            {"docs": ["a1.md", "a2.md"], "snippet": "About  Us"},
            {"docs": ["b.md"], "snippet": "Next", "exact": True},
        ],
        "fate": [
            {"origin": "a1.md", "doc": "a2.md", "snippet": "The  lead", "fate": "changed"},
            {"origin": "b.md", "doc": "c.md", "snippet": "Next page", "fate": "survived"},
        ],
        "whole": [{"doc": "b.md", "text": "one sentence\ncut"}, {"doc": "c.md", "text": "kept whole"}],
    }
    return corpus, labels


def test_real_set_scoring_on_a_hand_built_run(tmp_path):
    corpus, labels = _tiny_real_set(tmp_path)
    out = Warehouse(
        story={"a1.md": "s1", "a2.md": "s1", "b.md": "s2", "c.md": "s2"},  # family whole; b+c wrongly linked
        version={"a1.md": 0, "a2.md": 1, "b.md": 0, "c.md": 1},
        paragraphs=[
            ("a1.md", 0, "The lead of the story.", False),
            ("a1.md", 1, "About Us: a company.", True),  # gold, flagged
            ("a2.md", 0, "The new lead.", False),
            ("a2.md", 1, "About Us: a company.", False),  # gold, missed
            ("b.md", 0, "Next", True),  # gold (exact), flagged
            ("b.md", 1, "Next page of one sentence", True),  # not gold (exact snippet), flagged
            ("b.md", 2, "cut", False),
            ("c.md", 0, "it is kept whole here", False),
        ],
        fates={("a1.md", "a2.md"): [(0, 0, "changed")]},
        rejects=[],
    )
    result = score_real(corpus, labels, out)
    assert result["families_whole"] == 1 and result["families"]["a"]["stories"] == 1
    assert result["hard_negatives_linked"] == [["b.md", "c.md"]]
    # pairs: gold {a1a2}; found {a1a2, bc}
    assert result["grouping"]["precision"] == 0.5 and result["grouping"]["recall"] == 1.0
    assert (result["boilerplate"]["precision"], result["boilerplate"]["recall"]) == (2 / 3, 2 / 3)
    assert result["boilerplate_missed"] == ["a2.md: About Us: a company."]
    assert [f["found"] for f in result["fates"]] == [["changed"], ["not aligned"]]
    assert result["fate_accuracy"] == 0.5 and result["fate_accuracy_aligned"] == 1.0
    assert result["whole_cut"] == [["b.md", "one sentence cut"]] and result["whole_kept"] == 1


def test_generated_scoring_reads_gold_by_document_name(tmp_path):
    folder = write_generated(3, tmp_path / "in", seed=1)
    gold = [json.loads(line) for line in (folder / ".gold.jsonl").read_text().splitlines()]
    source = {
        g["doc_id"]: f"{g['outlet']}/{g['doc_id']}.txt" for g in gold
    }  # any folder: only the stem counts
    perfect = Warehouse(
        story={source[g["doc_id"]]: g["story"] for g in gold},
        version={source[g["doc_id"]]: g["version"] for g in gold},
        paragraphs=[
            (source[g["doc_id"]], k, "text", flag) for g in gold for k, flag in enumerate(g["boilerplate"])
        ],
        fates={
            (source[g["base_doc_id"]], source[g["doc_id"]]): [tuple(f) for f in g["fates"]]
            for g in gold
            if g["version"]
        },
        rejects=[],
    )
    result = score_generated(folder, perfect)
    assert result["grouping"]["f1"] == 1.0 and result["fates_macro_f1"] == 1.0
    assert result["pairs_not_aligned"] == 0 and result["body_flagged"] == 0
    assert result["boilerplate"]["precision"] == result["boilerplate"]["recall"] == 1.0
    # One republication left out of its story: a missed pair, lower recall, its fates unaligned.
    rep = next(g for g in gold if g["version"])
    perfect.story[source[rep["doc_id"]]] = "alone"
    del perfect.fates[(source[rep["base_doc_id"]], source[rep["doc_id"]])]
    worse = score_generated(folder, perfect)
    assert worse["grouping"]["recall"] < 1.0 and worse["grouping"]["precision"] == 1.0
    assert worse["pairs_not_aligned"] == 1 and worse["fates_macro_f1"] < 1.0


def test_quality_page_is_what_the_results_render():
    assert PAGE.read_text() == render_page(json.loads(RESULTS.read_text()))


# --- the real set's labels refer to what is there --------------------------------------------------------


def _raw_text(path: Path) -> str:
    """A file's text as a reader sees it, close enough to find a label's snippet: tags dropped, entities
    decoded, white space removed (a page's markup puts spaces where a reader sees none, and none between
    blocks)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return _bare(text)


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_real_set_labels_name_existing_documents_and_snippets():
    corpus = REAL / "corpus"
    labels = load_labels()
    documents = set(real_documents(corpus))
    with open(corpus / "manifest.csv", newline="", encoding="utf-8") as f:
        manifest = {row["path"]: row for row in csv.DictReader(f)}
    assert set(manifest) == documents, "every file has a manifest row and every row a file"
    text = {d: _raw_text(corpus / d) for d in documents}
    in_family = [d for f in labels["family"] for d in f["docs"]]
    assert len(in_family) == len(set(in_family)), "a document is in one family at most"
    assert set(in_family) <= documents
    family_of = {d: f["name"] for f in labels["family"] for d in f["docs"]}
    for h in labels["hard_negative"]:
        assert {h["a"], h["b"]} <= documents
        assert family_of.get(h["a"], h["a"]) != family_of.get(h["b"], h["b"]), h
    for b in labels["boilerplate"]:
        assert set(b["docs"]) <= documents, b["docs"]
        assert any(_bare(b["snippet"]) in text[d] for d in b["docs"]), b["snippet"]
    for w in labels["whole"]:
        assert _bare(w["text"]) in text[w["doc"]], w["text"]
    for f in labels["fate"]:
        assert _bare(f["snippet"]) in text[f["origin"]], f["snippet"]
        family = next(x for x in labels["family"] if f["origin"] in x["docs"])
        assert f["doc"] in family["docs"]
        # reprint aligns every member against the earliest one: only pairs from it can be checked
        earliest = min(family["docs"], key=lambda d: (manifest[d]["published_at"] or "~", d))
        assert f["origin"] == earliest, f


def test_real_set_is_small_enough_to_ship():
    size = sum(p.stat().st_size for p in REAL.rglob("*") if p.is_file())
    assert size < 3_000_000
