"""A daily run is a full run's equal: `reprint run` over a warehouse of corpus A given A plus new documents B
leaves the same tables, row for row, as one run over A and B into an empty warehouse (CONTRACT.md: a run on
new inputs adds them and re-links/re-aligns only the stories they touch), and a run after it changes
nothing."""

import csv
from pathlib import Path

from bench.corpus import iter_documents, write_folder
from tasks.run import run
from tasks.warehouse import current_version, read_table, sort_table

TABLES = ("documents", "paragraphs", "story_members", "paragraph_fates", "rejects")


def grown_corpus(folder: Path, share: int) -> tuple[Path, list[list[str]], list[str]]:
    """bench/corpus.py's generated stories as files with a manifest; also the manifest's rows and header, so
    that a folder holding only the first rows (corpus A) can be made of the same files."""
    docs = list(iter_documents(24, seed=7, republications_per_story=(1, 4), paragraphs_per_story=(4, 10)))
    write_folder(docs, folder)
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return folder, rows[: len(rows) - len(rows) // share], header


def only(folder: Path, rows: list[list[str]], header: list[str], target: Path) -> Path:
    """A folder with the files of `rows` (copies of those in `folder`) and their manifest."""
    for row in rows:
        (target / row[0]).parent.mkdir(parents=True, exist_ok=True)
        (target / row[0]).write_bytes((folder / row[0]).read_bytes())
    with open(target / "manifest.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return target


def tables(warehouse: Path) -> dict:
    return {name: sort_table(read_table(warehouse, name), name) for name in TABLES}


def test_a_run_adding_documents_leaves_what_a_full_run_leaves(tmp_path):
    full, first, header = grown_corpus(tmp_path / "all", share=5)
    daily = only(full, first, header, tmp_path / "daily" / "corpus")
    before = run([str(daily)], str(tmp_path / "daily" / "warehouse"))
    # The new files arrive in the same folder, with the manifest naming them too (a daily drop).
    with open(full / "manifest.csv", newline="", encoding="utf-8") as f:
        _, *rows = list(csv.reader(f))
    only(full, rows, header, daily)
    grown = run([str(daily)], str(tmp_path / "daily" / "warehouse"))
    assert grown.summary["new_documents"] == len(rows) - len(first) > 0
    # Only the stories the new documents joined or made were aligned again.
    assert 0 < len(grown.aligned) < before.summary["stories"]
    # The full run reads the same folder (documents name their input root), into an empty warehouse.
    run([str(daily)], str(tmp_path / "full"))
    fresh, daily_tables = tables(tmp_path / "full"), tables(tmp_path / "daily" / "warehouse")
    for name in TABLES:
        assert fresh[name].num_rows > 0 or name == "rejects"
        assert daily_tables[name].equals(fresh[name]), name
    # Idempotent: the same inputs again leave the warehouse as it is.
    version = current_version(tmp_path / "daily" / "warehouse")
    again = run([str(daily)], str(tmp_path / "daily" / "warehouse"))
    assert again.summary["version"] == "unchanged"
    assert current_version(tmp_path / "daily" / "warehouse") == version
