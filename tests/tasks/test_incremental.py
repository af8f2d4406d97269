"""A daily run is a full run's equal: `reprint run` over a warehouse of corpus A given A plus new documents B
leaves the same tables, row for row, as one run over A and B into an empty warehouse (CONTRACT.md: a run on
new inputs adds them and re-links/re-aligns only the stories they touch), and a run after it changes
nothing."""

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bench.corpus import iter_documents, write_folder
from tasks import warehouse
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


@pytest.mark.parametrize("file_rows", [None, 40])
def test_a_run_adding_documents_leaves_what_a_full_run_leaves(tmp_path, monkeypatch, file_rows):
    """file_rows: the paragraphs cut into files of 40 rows (FILE_ROWS), so the daily commit keeps some stored
    files and writes others again: the same tables."""
    if file_rows:
        monkeypatch.setattr(warehouse, "FILE_ROWS", {"paragraphs": file_rows})
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
    if file_rows:
        assert len(warehouse.table_files(tmp_path / "daily" / "warehouse", "paragraphs")) > 2
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


# Authored texts (not from the real set): a council story, its republications, and two unrelated stories.
COUNCIL = [
    "The city council voted on Tuesday evening to close the old river bridge to cars from the first of "
    "March, after engineers found cracks in two of its four supporting piers during the winter inspection.",
    "Buses and bicycles will still be allowed across while the repairs are planned, the transport committee "
    "said, and a temporary footpath will open on the north side of the crossing within a fortnight.",
    "Shop owners on Mill Street told the meeting that the closure would cut their trade by half, and asked "
    "the council to pay for signs directing drivers to the car park behind the market hall.",
    "The repairs are expected to cost about four million pounds and to take eighteen months, according to a "
    "report the engineers presented, which also recommended weight limits on the two other bridges.",
    "Councillor Ada Morgan, who chairs the committee, said the decision was not taken lightly but that the "
    "safety of the people who cross the river every day had to come first.",
]
ORCHARD = [
    "A community orchard planted by volunteers on the edge of the playing fields gave its first harvest this "
    "autumn, with more than three hundred kilograms of apples shared among local schools and food banks.",
    "The orchard's forty trees include several old varieties that had almost disappeared from the county, "
    "grafted from cuttings kept by a retired gardener who had looked after them for half a century.",
    "Organisers hope to add a small cider press next year and are asking for help with pruning in February, "
    "when the trees are dormant and the work does the least harm to their growth.",
]
OBSERVATORY = [
    "The university observatory on the hill will open its dome to visitors on clear Friday nights through "
    "the winter, offering views of Jupiter's moons and the rings of Saturn through its restored telescope.",
    "The brass refractor, built in 1897, was taken apart last year and cleaned lens by lens by two students, "
    "who also rewired the clock drive that keeps a star centred as the earth turns beneath it.",
    "Tickets are free but must be booked in advance, because only twelve people fit under the dome at a time "
    "and the steep stairs make the building hard to reach for some visitors.",
]


def _write(folder: Path, name: str, paragraphs: list[str]) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def test_a_new_copy_joins_its_story_a_new_text_starts_one_and_the_rest_stays_as_stored(tmp_path):
    """A daily run over authored stories: a third outlet's copy of the council story joins its stored story,
    a new text starts a story of its own, and the orchard story, which nothing new reaches, keeps its id,
    members and fates without being aligned again; every table equals one run's over all of the inputs (the
    align step's body file included: it is read from the stored files and the staged parts)."""
    daily = tmp_path / "daily"
    _write(daily, "gazette/bridge.txt", COUNCIL)
    edited = COUNCIL[1] + " Cyclists welcomed the news."
    _write(daily, "courier/bridge.txt", [COUNCIL[0], edited, *COUNCIL[2:4]])
    _write(daily, "gazette/orchard.txt", ORCHARD)
    _write(daily, "courier/orchard.txt", ORCHARD[:2])
    warehouse = tmp_path / "warehouse"
    first = run([str(daily)], str(warehouse))
    stored = read_table(warehouse, "story_members")
    story_of = {r["doc_id"]: r["story_id"] for r in stored.to_pylist()}
    assert first.summary["stories"] == 2
    # The next day: a third outlet prints the council story, and a new story arrives.
    _write(daily, "herald/bridge.txt", [*COUNCIL[:3], COUNCIL[4]])
    _write(daily, "herald/observatory.txt", OBSERVATORY)
    grown = run([str(daily)], str(warehouse))
    members = read_table(warehouse, "story_members").to_pylist()
    by_source = {}
    documents = read_table(warehouse, "documents").select(["doc_id", "source"]).to_pylist()
    source_of = {r["doc_id"]: r["source"] for r in documents}
    for r in members:
        by_source[source_of[r["doc_id"]]] = r["story_id"]
    assert grown.summary["new_documents"] == 2 and grown.summary["stories"] == 3
    bridge = by_source["gazette/bridge.txt"]
    assert by_source["herald/bridge.txt"] == by_source["courier/bridge.txt"] == bridge
    assert by_source["herald/observatory.txt"] not in {by_source["gazette/bridge.txt"], *story_of.values()}
    orchard = by_source["gazette/orchard.txt"]
    assert orchard in set(story_of.values())  # kept as stored
    assert orchard not in grown.aligned and by_source["gazette/bridge.txt"] in grown.aligned
    # The same tables as one run over all of it.
    run([str(daily)], str(tmp_path / "full"))
    fresh, daily_tables = tables(tmp_path / "full"), tables(warehouse)
    for name in TABLES:
        assert daily_tables[name].equals(fresh[name]), name
    again = run([str(daily)], str(warehouse))
    assert again.summary["version"] == "unchanged"
