"""bench.daily_run's fresh phase: the daily run's warehouse is compared with a fresh run's over the same
files, as the contract states (a run on top of stored stories gives a fresh run's tables)."""

from pathlib import Path

from bench.daily_run import against_fresh, main
from bench.throughput import make_corpus


def test_a_daily_run_on_a_small_corpus_equals_a_fresh_run_table_by_table(tmp_path: Path):
    grown = make_corpus(42, tmp_path / "corpora")
    out = main([str(grown), "40", str(tmp_path / "work"), "--phases", "full,daily,fresh"])
    compared = out["against_fresh"]
    assert compared["documents"]["rows"] == 42
    assert compared["paragraphs"]["rows"] > 42 and compared["paragraph_fates"]["rows"] > 0
    assert compared["documents_whose_story_differs"] == 0
    for table in ("documents", "paragraphs", "paragraph_fates"):
        assert compared[table]["only_daily"] == compared[table]["only_fresh"] == 0


def test_the_comparison_sees_a_warehouse_that_differs(tmp_path: Path):
    grown = make_corpus(42, tmp_path / "corpora")
    main([str(grown), "40", str(tmp_path / "work"), "--phases", "full,fresh"])
    # The fresh warehouse holds the 40 documents the full run read too, before the daily drop: equal.
    assert against_fresh(tmp_path / "work" / "warehouse", tmp_path / "work" / "fresh")["documents"] == {
        "rows": 40,
        "only_daily": 0,
        "only_fresh": 0,
    }
    # Two more files in the fresh run only: two documents, and their paragraphs, on one side.
    main([str(grown), "40", str(tmp_path / "work"), "--phases", "daily"])
    compared = against_fresh(tmp_path / "work" / "warehouse", tmp_path / "work" / "fresh")
    assert compared["documents"] == {"rows": 42, "only_daily": 2, "only_fresh": 0}
    assert compared["paragraphs"]["only_daily"] > 0
