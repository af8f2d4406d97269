"""The SQL questions of README.md ("Three questions in SQL") and docs/reports.md ("Questions a researcher
asks") answer their questions on the multi-story corpus, and reports.md's DuckDB-over-Parquet command works.
That every SQL block of the docs runs at all is tests/test_docs.py's check."""

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text().split("## Three questions in SQL", 1)[1].split("\n## ", 1)[0]
REPORTS = (ROOT / "docs" / "reports.md").read_text()
RESEARCHER = REPORTS.split("## Questions a researcher asks", 1)[1].split("\n## ", 1)[0]


def queries(section: str) -> list[str]:
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def answer(warehouse: Path, query: str) -> list[dict]:
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("query", queries(README) + queries(RESEARCHER))
def test_every_question_has_an_answer_on_the_seed_and_the_corpus(query, seed_warehouse, corpus_warehouse):
    assert answer(seed_warehouse, query)
    assert answer(corpus_warehouse, query)


def test_readme_questions_answer_their_questions(corpus_warehouse):
    dropped, edited, kept = queries(README)
    # courier printed the harbour story without its last two paragraphs, tribune the bridge story likewise
    gone = {(r["republication"], r["origin_text"].split()[0]) for r in answer(corpus_warehouse, dropped)}
    assert ("courier", "Talks") in gone and not any(outlet in ("herald", "gazette") for outlet, _ in gone)
    edits = answer(corpus_warehouse, edited)
    assert edits and all(r["diff"] and r["similarity"] < 1 for r in edits)
    assert [r["similarity"] for r in edits] == sorted(r["similarity"] for r in edits)
    rates = {r["republication"]: r for r in answer(corpus_warehouse, kept)}
    assert rates["herald"]["survival_rate"] == 1.0 and rates["herald"]["appeared"] == 1
    assert all(r["survival_rate"] <= r["retention_rate"] <= 1 for r in rates.values())
    assert rates["courier"]["survival_rate"] < 1  # it dropped two paragraphs


def test_researcher_questions_answer_their_questions(corpus_warehouse):
    cut_ending, survive_everywhere, added, copies = queries(RESEARCHER)
    cuts = {r["outlet"]: r["last_dropped"] for r in answer(corpus_warehouse, cut_ending)}
    assert cuts["courier"] == cuts["tribune"] == 1.0 and cuts["herald"] == cuts["gazette"] == 0.0
    kept = answer(corpus_warehouse, survive_everywhere)
    assert kept and all(r["republications"] == 2 for r in kept)
    assert not any(r["text"].startswith("Talks are expected") for r in kept)  # courier dropped it
    adds = {r["outlet"]: r for r in answer(corpus_warehouse, added)}
    assert adds["herald"]["paragraphs_added"] == 1 and "pickets singing" in adds["herald"]["added"][0]
    herald = added.replace("SET VARIABLE outlet = NULL;", "SET VARIABLE outlet = 'herald';")
    one = answer(corpus_warehouse, herald)
    assert [r["outlet"] for r in one] == ["herald"]
    pairs = {(r["from_outlet"], r["to_outlet"]): r for r in answer(corpus_warehouse, copies)}
    assert set(pairs) == {
        ("gazette", "courier"),
        ("gazette", "herald"),
        ("courier", "gazette"),
        ("courier", "tribune"),
    }
    assert pairs[("gazette", "herald")]["median_origin_kept"] == 1.0


def test_duckdb_reads_the_parquet_files_directly(corpus_warehouse, monkeypatch):
    (query,) = re.findall(r'duckdb\.sql\(\\"(.*?)\\"\)', REPORTS)
    monkeypatch.chdir(corpus_warehouse.parent)  # the page runs it from the folder holding warehouse/
    direct = dict(duckdb.sql(query).fetchall())
    catalog = {
        r["fate"]: r["n"]
        for r in answer(corpus_warehouse, "select fate, count(*) as n from paragraph_fates group by fate")
    }
    assert direct == catalog and sum(direct.values()) > 0
