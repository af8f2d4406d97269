"""The README's "Reports and queries": every SQL query in it runs on a seed warehouse and answers its
question on the multi-story one, the DuckDB-over-Parquet command works, and its report table matches sql/."""

import re
from pathlib import Path

import duckdb
import pytest

from tasks.warehouse import report_description, report_files
from tests.conftest import ROOT

SECTION = (ROOT / "README.md").read_text().split("## Reports and queries", 1)[1]
QUERIES = re.findall(r"```sql\n(.*?)```", SECTION, re.S)


def answer(warehouse: Path, query: str) -> list[dict]:
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("query", QUERIES, ids=[q.splitlines()[0][3:40] for q in QUERIES])
def test_every_readme_query_runs_on_the_seed_and_the_corpus(query, seed_warehouse, corpus_warehouse):
    assert answer(seed_warehouse, query)
    assert answer(corpus_warehouse, query)


def test_readme_queries_answer_their_questions(corpus_warehouse):
    cut_ending, survive_everywhere, added = QUERIES
    # courier printed the harbour story without its last two paragraphs, tribune the bridge story likewise
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


def test_duckdb_reads_the_parquet_files_directly(corpus_warehouse, monkeypatch):
    (query,) = re.findall(r'duckdb\.sql\(\\"(.*?)\\"\)', SECTION)
    monkeypatch.chdir(corpus_warehouse.parent)  # the README runs it from the folder holding warehouse/
    direct = dict(duckdb.sql(query).fetchall())
    catalog = {
        r["fate"]: r["n"]
        for r in answer(corpus_warehouse, "select fate, count(*) as n from paragraph_fates group by fate")
    }
    assert direct == catalog and sum(direct.values()) > 0


def test_readme_lists_every_report_with_its_description():
    listed = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", SECTION, re.M))
    assert listed == {p.stem: report_description(p) for p in report_files()}
