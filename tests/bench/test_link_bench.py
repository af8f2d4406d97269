"""The link benchmark prepares its corpus in shards and links it from numpy input exactly as find_stories
does from the tables."""

import pyarrow.parquet as pq

from bench import link_bench
from tasks.stories import find_stories


def test_sharded_corpus_links_as_find_stories_does(tmp_path, monkeypatch):
    monkeypatch.setattr(link_bench, "CACHE", tmp_path)
    monkeypatch.setattr(link_bench, "SHARD_BLOCKS", 3)  # 8 blocks: shards of 3, 3 and 2
    folder = link_bench.prepare(100, workers=1)
    assert [p.name for p in link_bench.shards(folder, "paragraphs")] == [
        f"paragraphs-0000{k}.parquet" for k in range(3)
    ]
    docs, paras = link_bench._load(folder)
    assert docs.num_rows == sum(pq.read_metadata(p).num_rows for p in link_bench.shards(folder, "documents"))
    assert len(set(docs.column("story").to_pylist())) == 80  # 8 blocks of 10 stories

    _, members, _, _ = link_bench.link_prepared(folder)
    table, _ = find_stories(docs.select(["doc_id", "source", "outlet", "published_at"]), paras)
    expected = sorted((r["story_id"], r["doc_id"], r["version"], r["copied_from"]) for r in table.to_pylist())
    assert sorted((m.story_id, m.doc_id, m.version, m.copied_from) for m in members) == expected
    assert any(r[2] > 0 for r in expected)  # some stories were linked, not only stories of one

    counts = link_bench.corpus_counts(folder)
    assert counts["documents"] == docs.num_rows and counts["paragraph_rows"] == paras.num_rows
    # The generator adds outlet boilerplate, which is not body.
    assert 0 < counts["texts"] <= counts["body_rows"] < counts["paragraph_rows"]
    assert counts["near_text_pairs"] <= counts["candidate_text_pairs"]

    # A shard lost (a killed preparation) is made again, the others are kept as they are.
    kept = folder / "paragraphs-00000.parquet"
    before = kept.stat().st_mtime_ns
    (folder / "paragraphs-00002.parquet").unlink()
    (folder / "complete").unlink()
    assert link_bench.prepare(100, workers=1) == folder
    assert kept.stat().st_mtime_ns == before
    assert link_bench._load(folder)[1].equals(paras)
