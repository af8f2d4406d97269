"""bench.reuse_peak finds a committed warehouse's reuse rows again, as a first run finds them, and says where
its memory peaked; two checkouts compare by the rows' digest."""

import json
from pathlib import Path

from bench import reuse_peak
from bench.corpus import iter_documents, write_jsonl
from tasks.run import run
from tasks.warehouse import read_table


def test_the_step_alone_finds_the_committed_rows_and_its_peak(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(iter_documents(20, seed=3), folder / "docs.jsonl")
    root = tmp_path / "warehouse"
    run([str(folder)], str(root))
    committed = read_table(root, "reuse_pairs")
    assert committed.num_rows > 0
    out = tmp_path / "peak.json"
    result = reuse_peak.main([str(root), "--scratch", str(tmp_path / "scratch"), "--json", str(out)])
    assert result["rows"] == committed.num_rows
    assert result["stories_rows"] == read_table(root, "story_members").num_rows
    assert result["peak_rss_mb"] >= result["before_mb"] > 0 and result["peaks"]
    assert json.loads(out.read_text())["rows_sha256"] == result["rows_sha256"]
    # The rows' digest is of the rows, not of where they were found: the same again elsewhere.
    again = reuse_peak.main([str(root), "--scratch", str(tmp_path / "again")])
    assert again["rows_sha256"] == result["rows_sha256"]
    assert not list((tmp_path / "scratch").glob("reuse-*"))  # the step's files are removed
