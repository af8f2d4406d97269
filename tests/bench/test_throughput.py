"""The throughput benchmark's ingest streams a generated corpus to Parquet and counts what it did."""

import pyarrow.parquet as pq

from bench.throughput import duckdb_floor, ingest, make_corpus, report, sketch_race


def test_ingest_streams_every_document_to_parquet(tmp_path):
    folder = make_corpus(24, tmp_path)
    assert make_corpus(24, tmp_path) == folder  # written once, then reused
    run = ingest(folder, tmp_path / "out", workers=1)
    docs = pq.read_table(tmp_path / "out" / "documents" / "part-0.parquet")
    paras = pq.read_table(tmp_path / "out" / "paragraphs" / "part-0.parquet")
    assert run["files"] == docs.num_rows == run["counts"]["documents"] == 24
    assert paras.num_rows == run["counts"]["paragraphs"] == sum(docs.column("n_paragraphs").to_pylist())
    # Each distinct text is tagged once: never more computations than tags used.
    assert 0 < run["counts"]["language_tags_computed"] <= run["counts"]["language_tags_used"]
    assert set(run["stage_seconds"]) >= {"read", "clean", "fingerprint", "language", "write"}
    floor = duckdb_floor(folder, threads=1)
    assert floor["files"] == 24 and floor["words"] > 0
    race = sketch_race(tmp_path / "out" / "paragraphs" / "part-0.parquet", limit=200)
    assert race["paragraphs"] == min(200, paras.num_rows) and race["mean_estimate_gap"] < 0.1
    lang = {"texts": 1, "langdetect_ms": 2.0, "ours_ms": 0.5}
    table = report([run], {(24, 1): floor}, race, lang)
    assert "| 24 | " in table and "datasketch" in table
