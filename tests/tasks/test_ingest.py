"""Finding inputs, metadata from manifests and folders, stable ids, and rejects that say why."""

import json
import os

from tasks.ingest import discover_inputs, document_id, read_inputs


def write(path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def ingest(*inputs):
    items, rejects = discover_inputs(list(inputs))
    docs, more = read_inputs(items)
    return docs, rejects + more


def test_walks_folders_skips_hidden_and_takes_outlet_from_folder(tmp_path):
    write(tmp_path / "gazette" / "a.txt", "One.\n\nTwo.")
    write(tmp_path / "gazette" / ".draft.txt", "hidden")
    write(tmp_path / ".cache" / "b.txt", "hidden")
    write(tmp_path / "root.md", "Root.")
    docs, rejects = ingest(tmp_path)
    assert [(d.source, d.outlet) for d in docs] == [("root.md", None), ("gazette/a.txt", "gazette")]
    assert rejects == []


def test_manifest_sets_metadata_and_reports_bad_rows(tmp_path):
    write(tmp_path / "x" / "a.txt", "Body.")
    write(
        tmp_path / "manifest.csv",
        "path,outlet,published_at,title\nx/a.txt,Herald,2019-06-25T10:00:00Z,Hello\nx/missing.txt,H,,\n",
    )
    docs, rejects = ingest(tmp_path)
    assert (docs[0].outlet, docs[0].title, str(docs[0].published_at)) == (
        "Herald",
        "Hello",
        "2019-06-25 10:00:00",
    )
    assert [r.source for r in rejects] == ["manifest.csv#3"] and "missing.txt" in rejects[0].reason


def test_manifest_rows_name_files_however_the_path_is_written(tmp_path):
    # Discovery lists the tree before it reads a manifest, and knows a listed file without looking at it
    # again: a row that reaches a file another way (a `./`, a doubled slash, a linked folder, a hidden folder
    # the walk skips) must still find it, and what the walk refused is said in the order it was met.
    write(tmp_path / "x" / "a.txt", "Body A.")
    write(tmp_path / "x" / "b.txt", "Body B.")
    write(tmp_path / "x" / "c.txt", "Body C.")
    write(tmp_path / ".hidden" / "d.txt", "Body D.")
    (tmp_path / "linked").symlink_to(tmp_path / "x", target_is_directory=True)
    write(tmp_path / "y" / "z.bin", b"\x00")
    os.mkfifo(tmp_path / "y" / "pipe.txt")  # refused by the walk, in a folder listed after the manifest's
    rows = ["x/a.txt,Listed", "./x/b.txt,Dotted", "linked/c.txt,Linked", ".hidden/d.txt,Hidden"]
    rows.append("x//a.txt,Again")
    write(tmp_path / "manifest.csv", "path,outlet\n" + "\n".join(rows) + "\nx/gone.txt,Gone\n")
    items, rejects = discover_inputs([tmp_path])
    assert {i.source: i.manifest.get("outlet") for i in items} == {
        "x/a.txt": "Listed",
        "x/b.txt": "Dotted",
        "x/c.txt": "Linked",
    }
    sources = ["linked", "manifest.csv#7", "manifest.csv#6", "y/pipe.txt", "y/z.bin"]
    assert [r.source for r in rejects] == sources
    assert "not a file next to the manifest" in rejects[1].reason and "on 2 rows" in rejects[2].reason


def test_jsonl_lines_are_documents_and_bad_lines_rejected(tmp_path):
    lines = [
        json.dumps({"text": "First.\n\nSecond.", "outlet": "AP", "id": "x1"}),
        "{not json",
        json.dumps({"a": 1}),
    ]
    write(tmp_path / "dump.jsonl", "\n".join(lines))
    docs, rejects = ingest(tmp_path)
    assert [(d.source, d.outlet) for d in docs] == [("dump.jsonl#1", "AP")]
    assert [r.source for r in rejects] == ["dump.jsonl#2", "dump.jsonl#3"]
    assert "not valid JSON" in rejects[0].reason and "text" in rejects[1].reason


def test_ids_depend_on_source_and_content(tmp_path):
    write(tmp_path / "a" / "s.txt", "Same text.")
    write(tmp_path / "b" / "s.txt", "Same text.")
    first, _ = ingest(tmp_path)
    again, _ = ingest(tmp_path)
    assert [d.doc_id for d in first] == [d.doc_id for d in again]
    assert first[0].doc_id != first[1].doc_id  # one text, two outlets: two documents
    assert first[0].doc_id == document_id("a/s.txt", first[0].content_hash)


def test_unreadable_and_unsupported_inputs_are_rejected_not_fatal(tmp_path):
    write(tmp_path / "ok.txt", "Fine.")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    docs, rejects = ingest(tmp_path, tmp_path / "nowhere")
    assert [d.source for d in docs] == ["ok.txt"]
    reasons = {r.source: r.reason for r in rejects}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["image.txt"]
    assert "unsupported" in reasons["notes.pdf"] and "no such file" in reasons[str(tmp_path / "nowhere")]


def test_non_utf8_file_is_decoded_and_recorded(tmp_path):
    write(tmp_path / "w.txt", "Déjà vu in Zürich, the café said.".encode("cp1252"))
    docs, _ = ingest(tmp_path)
    assert docs[0].text == "Déjà vu in Zürich, the café said." and docs[0].encoding == "cp1252"
