"""A daily run is a full run's equal: `reprint run` over a warehouse of corpus A given A plus new documents B
leaves the same tables, row for row, as one run over A and B into an empty warehouse (CONTRACT.md: a run on
new inputs adds them and re-links/re-aligns only the stories they touch), and a run after it changes
nothing."""

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from bench.corpus import iter_documents, write_folder
from tasks.run import changed_bodies, run
from tasks.stories import changed_documents
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


def test_changed_bodies_says_what_joining_every_stored_row_says():
    """The run tells which bodies changed from the stored rows of the documents it replaces and the flags
    linking set on the stored rows it kept, not from a join of the whole corpus: the same answer."""
    rows = ["doc_id", "para_idx", "fingerprint", "is_boilerplate"]
    stored = pa.table(
        [
            ["a", "a", "b", "b", "c", "e"],
            [0, 1, 0, 1, 0, 0],
            pa.array([1, 2, 3, 4, 5, 6], pa.uint64()),
            [False, False, False, True, False, False],
        ],
        names=rows,
    )
    # b is gone, c is staged again with another first paragraph, d is new; linking flags a's second row
    # (repeated across the outlet's stories now) and lets go of nothing else; e is kept as it was.
    linked = pa.table(
        [
            ["a", "a", "c", "d", "e"],
            [0, 1, 0, 0, 0],
            pa.array([1, 2, 9, 7, 6], pa.uint64()),
            [False, True, False, False, False],
        ],
        names=rows,
    )
    stored_row = pa.array([True, True, False, False, True])
    stored_flags = pa.chunked_array([pa.array([False, False, False, False, False])])
    replaced = stored.filter(pc.is_in(stored.column("doc_id"), value_set=pa.array(["b", "c"])))
    expected = changed_documents(stored, linked)
    assert expected == {"a", "b", "c", "d"}
    assert changed_bodies(replaced, linked, stored_flags, stored_row) == expected
    only_new = replaced.slice(0, 0)
    kept = stored.filter(pc.is_in(stored.column("doc_id"), value_set=pa.array(["a", "e"])))
    grown = linked.filter(pc.is_in(linked.column("doc_id"), value_set=pa.array(["a", "d", "e"])))
    flags = pa.chunked_array([pa.array([False, False, False, False])])
    in_store = pa.array([True, True, False, True])
    assert changed_bodies(only_new, grown, flags, in_store) == changed_documents(kept, grown) == {"a", "d"}
