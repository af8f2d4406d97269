"""`reprint run` on the seed pair as a user without a Prefect server runs it (in-process, flows/local.py):
contract tables, fates, idempotence. tests/flows/test_pipeline_production.py runs the Prefect flow."""

import duckdb
import pytest

from flows.cli import main
from tasks.warehouse import TABLES, read_table
from tests.conftest import SEEDS
from tests.tasks.test_align import SEED_FATES

CONTRACT_COLUMNS = {
    "documents": ["doc_id", "source", "outlet", "title", "published_at", "language", "n_paragraphs"],
    "paragraphs": ["doc_id", "para_idx", "text", "fingerprint", "is_boilerplate", "language"],
    "story_members": ["story_id", "doc_id", "version"],
    "paragraph_fates": [
        "story_id",
        "base_doc_id",
        "base_para_idx",
        "doc_id",
        "para_idx",
        "fate",
        "similarity",
    ],
    "rejects": ["source", "reason"],
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("wh")
    assert main(["run", str(SEEDS), "--warehouse", str(root), "--no-report"]) == 0
    return root


def snapshot(root):
    return {t: read_table(root, t).to_pylist() for t in TABLES}


def test_contract_tables_and_columns(warehouse):
    for table, columns in CONTRACT_COLUMNS.items():
        assert read_table(warehouse, table).column_names[: len(columns)] == columns or set(columns) <= set(
            read_table(warehouse, table).column_names
        )
    docs = {d["source"]: d for d in read_table(warehouse, "documents").to_pylist()}
    assert set(docs) == {"000_428487f81ed86623.txt", "001_ec22db0aeefa05d3.txt"}
    assert all(d["language"] == "en" and d["outlet"] is None for d in docs.values())


def test_one_story_with_the_earlier_source_as_origin(warehouse):
    members = read_table(warehouse, "story_members").to_pylist()
    docs = {d["doc_id"]: d["source"] for d in read_table(warehouse, "documents").to_pylist()}
    assert len({m["story_id"] for m in members}) == 1
    assert [docs[m["doc_id"]] for m in sorted(members, key=lambda m: m["version"])] == [
        "000_428487f81ed86623.txt",
        "001_ec22db0aeefa05d3.txt",
    ]


def test_stored_fates_are_the_seed_fates(warehouse):
    rows = read_table(warehouse, "paragraph_fates").to_pylist()
    # Boilerplate sits at the end of the origin, so body positions equal para_idx for both seeds.
    assert [(r["base_para_idx"], r["para_idx"], r["fate"]) for r in rows] == SEED_FATES
    boilerplate = {
        r["para_idx"] for r in read_table(warehouse, "paragraphs").to_pylist() if r["is_boilerplate"]
    }
    assert boilerplate == set(range(15, 25))
    assert not boilerplate & {r["base_para_idx"] for r in rows}


def test_reports_run_in_the_catalog(warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    summary = con.execute(
        "select survived, changed, split, disappeared, appeared, survival_rate from story_summary"
    ).fetchall()
    profile = con.execute("select republications, dropped from outlet_profile").fetchall()
    con.close()
    assert summary == [(5, 8, 1, 1, 0, round(5 / 15, 4))]
    assert profile == [(1, round(1 / 15, 4))]


def test_second_run_changes_nothing_and_says_so_in_one_line(warehouse, capsys, monkeypatch):
    before = snapshot(warehouse)
    monkeypatch.chdir(warehouse.parent)  # as `make run` does: a warehouse path relative to where one stands
    assert main(["run", str(SEEDS), "--warehouse", warehouse.name]) == 0
    assert snapshot(warehouse) == before
    out = capsys.readouterr()
    # The report is the last run's: not printed again (`reprint report` prints it).
    assert out.out == "" and out.err.startswith("reprint: nothing changed: 0 documents read, 2 input files")
    assert len(out.err.strip().splitlines()) == 1 and "`reprint report`" in out.err
    assert main(["report", "--warehouse", warehouse.name]) == 0
    assert "split" in capsys.readouterr().out


def test_rejected_input_is_reported_and_the_rest_still_lands(warehouse, tmp_path, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (bad / "note.txt").write_text("A short note.\n\nWith two paragraphs, and nothing else to say here.")
    assert main(["run", str(bad), "--warehouse", str(warehouse), "--no-report"]) == 0
    err = capsys.readouterr().err
    assert "broken.txt" in err and "binary" in err
    sources = {d["source"] for d in read_table(warehouse, "documents").to_pylist()}
    assert {"note.txt", "000_428487f81ed86623.txt"} <= sources


def test_every_query_in_the_readme_runs(warehouse):
    import re

    from tests.conftest import ROOT

    queries = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert len(queries) >= 3
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        for query in queries:
            assert con.execute(query).fetchall(), query  # the seed warehouse answers each of them
    finally:
        con.close()


def test_the_run_writes_the_report_page(warehouse):
    index = warehouse / "report" / "index.html"
    members = read_table(warehouse, "story_members").to_pylist()
    (story_id,) = {m["story_id"] for m in members if m["n_members"] > 1}
    assert f'"{story_id}.html"' in index.read_text()  # the story's page, in the list the index's script draws
    assert (warehouse / "report" / "stories" / f"{story_id}.html").exists()
    assert not list((warehouse / "report").rglob("*.tmp"))


def test_a_committed_run_leaves_no_staged_parts(warehouse):
    # The parts a run staged are in its committed version: the staging area is emptied after the commit.
    assert not (warehouse / ".staging").exists()
    (warehouse / ".staging" / "prepare" / "left-by-a-killed-run").mkdir(parents=True)
    assert main(["run", str(SEEDS), "--warehouse", str(warehouse), "--no-report"]) == 0
    assert not (warehouse / ".staging").exists()
