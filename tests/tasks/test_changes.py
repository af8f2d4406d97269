"""What a run has to do: unchanged files skipped by content hash, changed ones re-read and replacing their old
rows, rejects kept or cleared as the files they are about change."""

import json
from pathlib import Path

import pyarrow as pa
import pytest

from tasks.changes import (
    known_inputs,
    merge_inputs,
    merge_rejects,
    read_changed,
    replace_documents,
    with_owner,
)
from tasks.ingest import Reject, discover_inputs
from tasks.prepare import prepare_documents
from tasks.warehouse import SCHEMAS

TEXT = "The harbour authority approved the new ferry timetable after a long debate on Monday evening.\n"


def read(root: Path, known=None, version="v1"):
    items, _ = discover_inputs([root])
    return read_changed(items, known or {}, version)


def names(keys) -> list[str]:
    """Input keys (root, source) by their source alone: every test here has one root."""
    return [source for _, source in keys]


def stored_state(shard) -> dict:
    return known_inputs(merge_inputs(SCHEMAS["inputs"].empty_table(), shard.inputs))


def test_unchanged_files_are_skipped_by_content_hash(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT + "More.")
    first = read(tmp_path)
    assert sorted(r.source for r in first.raws) == ["a.txt", "b.txt"] and first.unchanged == []
    (tmp_path / "b.txt").write_text(TEXT + "Changed.")
    (tmp_path / "a.txt").touch()  # a new mtime alone is not a change
    second = read(tmp_path, stored_state(first))
    assert names(second.unchanged) == ["a.txt"] and [r.source for r in second.raws] == ["b.txt"]


def test_new_metadata_or_pipeline_version_means_reading_again(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    state = stored_state(read(tmp_path))
    assert names(read(tmp_path, state).unchanged) == ["a.txt"]
    assert read(tmp_path, state, version="v2").unchanged == []
    (tmp_path / "manifest.csv").write_text("path,outlet\na.txt,Harbour News\n")
    assert read(tmp_path, state).unchanged == []


def test_a_file_that_now_fails_keeps_its_stored_documents(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    state = stored_state(read(tmp_path))
    (tmp_path / "a.txt").write_bytes(b"")
    again = read(tmp_path, state)
    assert names(again.failed) == ["a.txt"] and again.inputs == [] and "empty" in again.rejects[0].reason


def table_for(shard):
    docs, paras = prepare_documents(shard.raws)
    return with_owner(docs, shard.owner), paras


def test_a_changed_jsonl_file_replaces_all_its_old_rows(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"text": f"{TEXT} Item {k}."}) for k in range(3)) + "\n")
    (tmp_path / "other.txt").write_text(TEXT)
    first = read(tmp_path)
    old_docs, old_paras = table_for(first)
    assert old_docs.num_rows == 4
    feed.write_text(json.dumps({"text": f"{TEXT} Item 0, corrected."}) + "\n")
    shard = read(tmp_path, stored_state(first))
    assert names(shard.unchanged) == ["other.txt"]
    new_docs, new_paras = table_for(shard)
    docs, paras = replace_documents(
        old_docs, old_paras, new_docs, new_paras, {(r["root"], r["source"]) for r in shard.inputs}
    )
    assert sorted(docs.column("source").to_pylist()) == ["feed.jsonl#1", "other.txt"]
    assert set(paras.column("doc_id").to_pylist()) == set(docs.column("doc_id").to_pylist())
    assert docs.column("input_source").to_pylist() == ["feed.jsonl", "other.txt"]


def test_replacing_with_the_same_documents_changes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    docs, paras = table_for(read(tmp_path))
    again_docs, again_paras = replace_documents(
        docs, paras, docs, paras, {(str(tmp_path.resolve()), "a.txt")}
    )
    assert again_docs.equals(docs) and again_paras.equals(paras)


def rejects(*rows, root=None) -> pa.Table:
    return pa.Table.from_pylist(
        [{"source": s, "reason": r, "input_source": i, "input_root": root} for s, r, i in rows],
        schema=SCHEMAS["rejects"],
    )


@pytest.mark.parametrize("rooted", [True, False], ids=["rows with roots", "rows from before roots"])
def test_rejects_follow_the_files_they_are_about(tmp_path, rooted):
    root = str(tmp_path) if rooted else ""
    (tmp_path / "feed.jsonl").write_text("x")
    (tmp_path / "fixed.txt").write_text("x")
    (tmp_path / "manifest.csv").write_text("x")
    old = rejects(
        ("feed.jsonl#2", "bad line", "feed.jsonl"),
        ("fixed.txt", "was empty", "fixed.txt"),
        ("manifest.csv#3", "bad date", "manifest.csv"),
        ("elsewhere/x.txt", "was empty", "elsewhere/x.txt"),
        root=root or None,
    )
    new = [Reject("new.txt", "the file is empty", root=str(tmp_path))]
    merged = merge_rejects(
        old,
        new,
        revisited={(root, "fixed.txt")},
        unchanged={(root, "feed.jsonl")},
        roots=[tmp_path],
        kept_old=set(),
    )
    assert merged.column("source").to_pylist() == ["elsewhere/x.txt", "feed.jsonl#2", "new.txt"]


def test_a_failed_file_with_stored_documents_says_they_are_kept():
    key = ("/in", "a.txt")
    merged = merge_rejects(
        rejects(), [Reject("a.txt", "the file is empty", root="/in")], {key}, set(), [], {key}
    )
    assert merged.column("reason").to_pylist() == [
        "the file is empty; the version stored by an earlier run is kept"
    ]


def test_input_files_keep_their_state_between_runs():
    old = merge_inputs(
        SCHEMAS["inputs"].empty_table(),
        [
            {
                "root": "/d",
                "source": "a.txt",
                "content_hash": "1",
                "metadata_hash": "m",
                "pipeline_version": "v1",
            },
            {
                "root": "/d",
                "source": "b.txt",
                "content_hash": "2",
                "metadata_hash": "m",
                "pipeline_version": "v1",
            },
        ],
    )
    new = merge_inputs(
        old,
        [
            {
                "root": "/d",
                "source": "b.txt",
                "content_hash": "3",
                "metadata_hash": "m",
                "pipeline_version": "v1",
            }
        ],
    )
    assert known_inputs(new) == {("/d", "a.txt"): ("1", "m", "v1"), ("/d", "b.txt"): ("3", "m", "v1")}
