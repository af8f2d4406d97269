"""A daily job as users run it (`reprint run` on each day's folder): days whose files have the same names are
kept apart, a warehouse written before input roots were stored keeps working, a day with nothing valid
completes, and the user's own views outlive the runs. (In-process runs: no Prefect API is configured.)
"""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from tasks.warehouse import current_version, read_table

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"  # the duckdb-cli package's command (1.5.6)

STORIES = {
    "day1": [
        "The harbour authority approved the new ferry timetable after a long debate on Monday evening.",
        "Snow closed the mountain pass for the second time this winter, and drivers were sent back.",
    ],
    "day2": [
        "The city council voted to close the old iron bridge for repairs in April, inspectors found rust.",
        "A new library opened in the east district with a reading room for children and a small cinema.",
    ],
}


def write_day(folder: Path, texts: list[str]) -> Path:
    """One day's folder holding its `feed.jsonl`: every day's feed has the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"text": text, "outlet": "Coast Wire"}) for text in texts]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def run(*inputs: Path, warehouse: Path) -> None:
    assert main(["run", *map(str, inputs), "--warehouse", str(warehouse), "--no-report"]) == 0


def texts(warehouse: Path) -> list[str]:
    """The first paragraph of every document, sorted."""
    paras = read_table(warehouse, "paragraphs").to_pylist()
    return sorted(p["text"] for p in paras if p["para_idx"] == 0)


def test_two_days_with_the_same_file_names_are_two_inputs(tmp_path):
    days, wh = tmp_path / "days", tmp_path / "wh"
    day1, day2 = write_day(days / "day1", STORIES["day1"]), write_day(days / "day2", STORIES["day2"])
    run(day1, warehouse=wh)
    run(day2, warehouse=wh)
    assert texts(wh) == sorted(STORIES["day1"] + STORIES["day2"])
    assert (
        sorted(d["source"] for d in read_table(wh, "documents").to_pylist())
        == ["feed.jsonl#1"] * 2 + ["feed.jsonl#2"] * 2
    )
    version = current_version(wh)
    run(day1, warehouse=wh)  # the same root read again, unchanged: nothing to do
    assert current_version(wh) == version
    write_day(day1, STORIES["day1"][:1])  # day 1's feed corrected: its rows are replaced, day 2's kept
    run(day1, warehouse=wh)
    assert texts(wh) == sorted(STORIES["day1"][:1] + STORIES["day2"])
    assert read_table(wh, "inputs").num_rows == 2


def test_a_warehouse_written_before_roots_keeps_working(tmp_path):
    """Tables as today's main wrote them (no root columns in the Parquet files, a catalog in DuckDB 2.0's own
    storage format): the same inputs again add nothing, a second day adds its documents, a change replaces."""
    days, wh = tmp_path / "days", tmp_path / "wh"
    day1, day2 = write_day(days / "day1", STORIES["day1"]), write_day(days / "day2", STORIES["day2"])
    run(day1, warehouse=wh)
    added = {"documents": ["input_root"], "rejects": ["input_root", "severity"], "inputs": ["root"]}
    for table, columns in added.items():
        for path in (current_version(wh) / table).glob("*.parquet"):
            old = pq.read_table(path).drop_columns(columns)
            path.unlink()  # files are hard-linked between versions: write a new one, never into the old
            pq.write_table(old, path)
    (wh / "corpus.duckdb").unlink()
    duckdb.connect(str(wh / "corpus.duckdb")).close()  # storage version of DuckDB 2.0, as main wrote it
    before = texts(wh)

    run(day1, warehouse=wh)
    assert texts(wh) == before  # no duplicates
    assert {d["input_root"] for d in read_table(wh, "documents").to_pylist()} == {str(day1.resolve())}
    run(day2, warehouse=wh)
    assert texts(wh) == sorted(STORIES["day1"] + STORIES["day2"])  # no loss
    write_day(day1, STORIES["day1"][1:])
    run(day1, warehouse=wh)
    assert texts(wh) == sorted(STORIES["day1"][1:] + STORIES["day2"])
    counted = subprocess.run(
        [
            str(DUCKDB_CLI),
            str(wh / "corpus.duckdb"),
            "-csv",
            "-noheader",
            "-c",
            "select count(*) from documents",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert counted.stdout.strip() == "3", counted.stderr  # the old catalog was written again, for 1.x clients


@pytest.mark.parametrize(
    "day",
    ["every line rejected", "an empty feed", "an empty folder"],
)
def test_a_day_with_no_valid_input_completes(tmp_path, day, capsys):
    folder = tmp_path / "day"
    folder.mkdir()
    if day == "every line rejected":
        (folder / "feed.jsonl").write_text('{"title": "no text"}\n{not json\n')
    elif day == "an empty feed":
        (folder / "feed.jsonl").write_text("")
    assert main(["run", str(folder), "--warehouse", str(tmp_path / "wh")]) == 0
    rejects = read_table(tmp_path / "wh", "rejects").to_pylist()
    assert read_table(tmp_path / "wh", "documents").num_rows == 0
    if day == "every line rejected":
        assert [r["source"] for r in rejects] == ["feed.jsonl#1", "feed.jsonl#2"]
    if day == "an empty feed":
        assert [r["source"] for r in rejects] == ["feed.jsonl"] and "empty" in rejects[0]["reason"]
    con = duckdb.connect(str(tmp_path / "wh" / "corpus.duckdb"), read_only=True)
    assert con.execute("select count(*) from rejects").fetchall() == [(len(rejects),)]
    con.close()


def test_user_views_survive_runs_and_reports(tmp_path):
    wh = tmp_path / "wh"
    run(write_day(tmp_path / "day1", STORIES["day1"]), warehouse=wh)
    con = duckdb.connect(str(wh / "corpus.duckdb"))
    con.execute("create view mine.outlets as select outlet, count(*) as n from documents group by outlet")
    con.execute("create macro mine.shout(s) as upper(s)")
    con.close()
    run(write_day(tmp_path / "day2", STORIES["day2"]), warehouse=wh)
    assert main(["report", "--warehouse", str(wh)]) == 0
    moved = tmp_path / "moved"
    wh.rename(moved)  # the catalog is written again for its new place, the user's schema carried over
    assert main(["run", str(tmp_path / "day2"), "--warehouse", str(moved), "--no-report"]) == 0
    con = duckdb.connect(str(moved / "corpus.duckdb"), read_only=True)
    assert con.execute("select mine.shout(outlet), n from mine.outlets").fetchall() == [("COAST WIRE", 4)]
    con.close()
