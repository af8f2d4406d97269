"""A warehouse's history: `reprint history` lists the kept versions with what each held, versions are kept
for $REPRINT_KEEP_DAYS days besides the two newest, and `table_at` reads a kept version in the catalog."""

import json
import os
import time
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tasks.history import KEEP_DAYS_ENV, versions
from tasks.warehouse import TABLES, read_table
from tests.conftest import HARBOUR, SEEDS, build_warehouse


def add_file(folder: Path, name: str, paragraphs: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def three_runs(tmp_path, monkeypatch) -> tuple[Path, list[dict]]:
    """A warehouse after three runs that each added a file; the rows of every table after each run."""
    monkeypatch.setenv(KEEP_DAYS_ENV, "30")
    warehouse, inputs, after = tmp_path / "wh", tmp_path / "in", []
    for k in range(3):
        add_file(inputs, f"harbour-{k}.txt", [f"Harbour report {k}", *HARBOUR[k : k + 3]])
        build_warehouse([SEEDS, inputs], warehouse)
        after.append({t: read_table(warehouse, t).num_rows for t in TABLES})
    return warehouse, after


def test_history_lists_every_kept_version_with_what_it_held(three_runs, capsys):
    warehouse, after = three_runs
    found = versions(warehouse)
    assert [v.number for v in found] == [1, 2, 3]
    assert [v.current for v in found] == [False, False, True]
    assert [v.rows for v in found] == after
    assert found[0].committed_at <= found[1].committed_at <= found[2].committed_at
    assert all(v.own_bytes > 0 for v in found)  # each version rewrote some files
    assert main(["history", "--warehouse", str(warehouse), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["number"], r["rows"]["documents"]) for r in rows] == [(1, 3), (2, 4), (3, 5)]


def test_versions_older_than_the_kept_days_are_let_go(three_runs, tmp_path, monkeypatch):
    warehouse, _ = three_runs

    def another_run(k: int) -> list[int]:
        add_file(tmp_path / "in", f"bridge-{k}.txt", [f"Bridge {k}", *HARBOUR[k % 3 :]])
        build_warehouse([SEEDS, tmp_path / "in"], warehouse)
        return [v.number for v in versions(warehouse)]

    # 30 days kept: every version so far is younger, so none goes (without the setting: 2, 3, 4).
    assert another_run(4) == [1, 2, 3, 4]
    for old in sorted((warehouse / ".versions").iterdir())[:2]:
        month_ago = time.time() - 40 * 86400
        os.utime(old, (month_ago, month_ago))
    assert another_run(5) == [3, 4, 5]  # versions 1 and 2 are 40 days old
    # 0 days: the run starts by keeping the current version and the one before only, then commits its own.
    monkeypatch.setenv(KEEP_DAYS_ENV, "0")
    assert another_run(6) == [4, 5, 6]


def test_table_at_reads_a_kept_version(three_runs):
    warehouse, after = three_runs
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        held = [
            con.execute(f"select count(*) from table_at('documents', {n})").fetchall()[0][0]
            for n in (1, 2, 3)
        ]
        joined = con.execute(
            "select new.doc_id from table_at('story_members', 1) old "
            "full join story_members new on new.doc_id = old.doc_id where old.doc_id is null"
        ).fetchall()
    finally:
        con.close()
    assert held == [a["documents"] for a in after]
    assert len(joined) == after[2]["story_members"] - after[0]["story_members"] == 2


def test_keep_days_must_be_a_number_of_days(tmp_path, monkeypatch, capsys):
    assert main(["run", str(SEEDS), "--warehouse", str(tmp_path / "wh"), "--keep-days", "-1"]) == 2
    assert "--keep-days" in capsys.readouterr().err
    monkeypatch.setenv(KEEP_DAYS_ENV, "a week")
    with pytest.raises(ValueError, match="REPRINT_KEEP_DAYS"):
        build_warehouse([SEEDS], tmp_path / "wh")
