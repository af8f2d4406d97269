"""What a run's linking keeps for the next run (tasks/link_state.py): the title rules' readings, read again
only for titles not kept, equal to reading every title; committed inside the warehouse's version, carried
over by a commit that does not give them, left as they were by a commit that dies before its switch; and
after a run, the readings of exactly the titles of its corpus."""

import csv
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tasks import warehouse as wh
from tasks.evidence import series_lead_of, series_of, standing_title_of
from tasks.ingest import RawDocument
from tasks.link_state import TITLE_SERIES, TitleReadings
from tasks.prepare import prepare_documents
from tasks.run import run
from tasks.stories import _per_title, find_stories, series_codes
from tasks.warehouse import SCHEMAS, commit, locked, read_state, read_table
from tests.tasks.test_incremental import grown_corpus, only

TITLES = [
    "This Week in Rust 551",
    "This Week in Rust 552",
    "Summit 2024: Call for Host",
    "Summit 2025: Call for Host",
    "Announcing Grails 7.0.0",
    "Notes from the garden",
    None,
    "This Week in Rust 551",
]


def counting(rule, calls: list):
    def read(title):
        calls.append(title)
        return rule(title)

    return read


def test_kept_readings_give_the_codes_of_reading_every_title_and_only_new_titles_are_read():
    kept = TitleReadings().table(TITLES[:4])
    readings = TitleReadings.from_table(kept)
    grown = [*TITLES, "This Week in Rust 553"]
    for name, rule in (("series", series_of), ("lead", series_lead_of)):
        calls: list = []
        codes = series_codes(grown, counting(rule, calls), readings.seen[name])
        fresh = series_codes(grown, rule)
        assert [c.tolist() for c in codes[:2]] == [c.tolist() for c in fresh[:2]] and codes[2] == fresh[2]
        # Read once each: the titles not kept (the first four are), never a kept one, nor one twice.
        assert sorted(calls) == sorted({t for t in grown if t} - set(TITLES[:4]))
    calls = []
    standing = _per_title(counting(standing_title_of, calls), grown, readings.seen["standing"])
    assert standing == [standing_title_of(t) if t else None for t in grown]
    assert sorted(calls) == sorted({t for t in grown if t} - set(TITLES[:4]))


def test_the_kept_file_holds_each_title_of_the_corpus_once_by_title():
    table = TitleReadings().table(TITLES)
    assert table.column("title").to_pylist() == sorted({t for t in TITLES if t})
    row = table.column("title").to_pylist().index("This Week in Rust 551")
    assert (table.column("series")[row].as_py(), table.column("series_instance")[row].as_py()) == series_of(
        "This Week in Rust 551"
    )
    assert table.column("series").null_count > 0  # a title naming no instance
    assert table.column("standing")[row].as_py() == standing_title_of("This Week in Rust 551")


def test_readings_kept_by_other_rules_are_not_used():
    table = TitleReadings().table(TITLES)
    other = table.replace_schema_metadata({"version": "another"})
    assert TitleReadings.from_table(other).seen == {"series": {}, "lead": {}, "standing": {}}
    assert TitleReadings.from_table(None).seen == {"series": {}, "lead": {}, "standing": {}}
    assert TitleReadings.from_table(table).seen["series"]["Summit 2024: Call for Host"] == series_of(
        "Summit 2024: Call for Host"
    )


def documents(*ids: str) -> pa.Table:
    return pa.Table.from_pylist(
        [{"doc_id": d, "source": f"{d}.txt"} for d in ids], schema=SCHEMAS["documents"]
    )


def test_state_is_committed_with_its_version_and_carried_over(tmp_path, monkeypatch):
    assert read_state(tmp_path, TITLE_SERIES) is None
    first = TitleReadings().table(TITLES[:2])
    with locked(tmp_path):
        commit(tmp_path, {"documents": documents("a")}, "run1", {TITLE_SERIES: first})
    assert read_state(tmp_path, TITLE_SERIES).equals(first)
    with locked(tmp_path):  # a commit not giving it carries it over
        commit(tmp_path, {"documents": documents("a", "b")}, "run2")
    assert read_state(tmp_path, TITLE_SERIES).equals(first)

    def die(name):
        if name == "before-switch":
            raise KeyboardInterrupt

    monkeypatch.setattr(wh, "crash_point", die)
    with pytest.raises(KeyboardInterrupt), locked(tmp_path):
        commit(tmp_path, {"documents": documents("c")}, "run3", {TITLE_SERIES: TitleReadings().table(TITLES)})
    monkeypatch.undo()
    with locked(tmp_path):
        pass
    assert read_state(tmp_path, TITLE_SERIES).equals(first)
    assert read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["a", "b"]


def test_a_run_keeps_the_readings_of_its_corpus_titles(tmp_path):
    full, first, header = grown_corpus(tmp_path / "all", share=5)
    daily = only(full, first, header, tmp_path / "corpus")
    warehouse = tmp_path / "warehouse"

    def kept_titles() -> list:
        return read_state(warehouse, TITLE_SERIES).column("title").to_pylist()

    def corpus_titles() -> list:
        titles = pc.unique(read_table(warehouse, "documents").column("title")).to_pylist()
        return sorted(t for t in titles if t)

    run([str(daily)], str(warehouse))
    assert kept_titles() == corpus_titles() and kept_titles()
    with open(full / "manifest.csv", newline="", encoding="utf-8") as f:
        _, *rows = list(csv.reader(f))
    only(full, rows, header, daily)
    before = kept_titles()
    run([str(daily)], str(warehouse))
    assert kept_titles() == corpus_titles() and set(kept_titles()) > set(before)


def test_linking_makes_the_kept_file_once_it_has_read_the_titles_and_lets_their_readings_go():
    """#13 (mem200): the readings by title are Python objects of every distinct title (about 300 bytes each),
    held through linking's peak when kept until the run's commit; linking makes the kept file once every
    title rule has read the titles and empties them. The file is that of every title, as before."""
    titled = [t for t in TITLES if t]
    texts = [
        "The council met on Tuesday to discuss the new bridge over the river and its cost.",
        "Volunteers planted two hundred trees along the northern bank of the old canal.",
    ]
    raws = [
        RawDocument(
            f"d{k}",
            f"blog/d{k}.txt",
            texts[k % 2],
            "blog",
            title,
            None,
            datetime(2024, 3, 1 + k),
            "utf-8",
            f"d{k}",
            "txt",
        )
        for k, title in enumerate(TITLES)
    ]
    docs, paras = prepare_documents(raws)
    readings = TitleReadings()
    find_stories(docs, paras, readings=readings)
    assert readings.seen == {"series": {}, "lead": {}, "standing": {}}
    assert readings.kept is not None and readings.kept.equals(TitleReadings().table(titled))
    assert readings.kept.column("title").to_pylist() == sorted(set(titled))
