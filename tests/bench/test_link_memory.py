"""The link-memory benchmark links a prepared corpus from the columns linking names, in its own process, as
find_stories links the whole tables; docs/link-memory.md is what its results render."""

import json

import pyarrow.parquet as pq

from bench import link_memory
from tasks.stories import find_stories


def test_linking_in_its_own_process_from_the_named_columns_finds_what_whole_tables_give(tmp_path):
    folder = link_memory.prepared(60, tmp_path)
    assert link_memory.prepared(60, tmp_path) == folder  # prepared once, then reused
    result = link_memory.measure(folder, link_memory.ROOT)
    assert result["documents"] == 60 and result["paragraphs"] > 60
    assert "paragraphs.text" not in result["columns_read"]
    assert result["columns_read"]["paragraphs.minhash"]["per_paragraph"] >= 256  # 64 uint32 a row
    assert result["columns_read"]["paragraphs.minhash"]["streamed"]  # read a row group at a time
    assert {"link_corpus", "document_pairs", "document_similarity"} <= set(result["stages"])
    assert result["peak_rss_mb"] >= result["peak_after_read_mb"] > 0

    members, _ = find_stories(pq.read_table(folder / "documents"), pq.read_table(folder / "paragraphs"))
    assert result["stories"] == len(set(members.column("story_id").to_pylist())) < 60


def test_the_page_is_what_the_results_render():
    records = json.loads(link_memory.RESULTS.read_text())
    assert link_memory.PAGE.read_text() == link_memory.render_page(records)
