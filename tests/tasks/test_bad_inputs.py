"""Bad input, one case per test, through the real ingest path (discover → read → prepare): each file is
ingested correctly or rejected with a reason a person can act on, and the run's other files still go in."""

import codecs
import json
import os
import resource
from pathlib import Path

import pytest

from tasks.changes import MAX_DOCUMENT_BYTES, printable_names, read_changed
from tasks.ingest import discover_inputs
from tasks.prepare import PIPELINE_VERSION, prepare_documents

GOOD = "A good paragraph about the council budget, written plainly so that it reads as English prose.\n"


def ingest(root: Path):
    """(documents table, {source: reason}) for everything under root, as a run would see them."""
    items, rejects = discover_inputs([root])
    items, unnamed = printable_names(items)
    shard = read_changed(items, {}, PIPELINE_VERSION)
    docs, _ = prepare_documents(shard.raws)
    return docs, {r.source: r.reason for r in rejects + unnamed + shard.rejects}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def sources(docs) -> set[str]:
    return set(docs.column("source").to_pylist())


def test_empty_file(corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b"  \n\n \t\n")
    docs, rejects = ingest(corpus)
    assert "empty" in rejects["empty.txt"] and "empty" in rejects["blank.txt"]
    assert sources(docs) == {"good.txt"}


def test_binary_file_renamed_txt(corpus):
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    docs, rejects = ingest(corpus)
    assert "binary" in rejects["photo.txt"]
    assert sources(docs) == {"good.txt"}


@pytest.mark.parametrize(
    "name, data, encoding, expected",
    [
        (
            "cp1252.txt",
            "Caf\u00e9 \u2013 \u201cquoted\u201d na\u00efve r\u00e9sum\u00e9 text here.".encode("cp1252"),
            "cp1252",
            "Caf\u00e9 \u2013 \u201cquoted\u201d na\u00efve r\u00e9sum\u00e9 text here.",
        ),
        (
            "latin1.txt",
            "\u00c4rger \u00fcber die Stra\u00dfe und das Gr\u00fcn im Park.".encode("latin-1"),
            "cp1252",
            "\u00c4rger \u00fcber die Stra\u00dfe und das Gr\u00fcn im Park.",
        ),
        (
            "utf16.txt",
            codecs.BOM_UTF16_LE + "Gr\u00fc\u00dfe aus K\u00f6ln, sagte sie.".encode("utf-16-le"),
            "utf-16",
            "Gr\u00fc\u00dfe aus K\u00f6ln, sagte sie.",
        ),
        (
            "utf8sig.txt",
            codecs.BOM_UTF8 + "na\u00efve caf\u00e9".encode(),
            "utf-8-sig",
            "na\u00efve caf\u00e9",
        ),
    ],
)
def test_other_encodings_are_decoded_and_recorded(corpus, name, data, encoding, expected):
    (corpus / name).write_bytes(data)
    docs, rejects = ingest(corpus)
    row = next(d for d in docs.to_pylist() if d["source"] == name)
    assert row["encoding"] == encoding and name not in rejects
    _, paras = prepare_documents(read_changed(discover_inputs([corpus / name])[0], {}, PIPELINE_VERSION).raws)
    assert expected in " ".join(paras.column("text").to_pylist())


def test_invalid_utf8_bytes_in_english_text(corpus):
    (corpus / "broken.txt").write_bytes(b"The mayor said the plan was \xff\xfe finished and would open soon.")
    docs, rejects = ingest(corpus)
    assert "broken.txt" not in rejects
    assert {"good.txt", "broken.txt"} <= sources(docs)


def test_a_200_mb_file_is_refused_without_reading_it_into_memory(corpus):
    big = corpus / "dump.txt"
    with open(big, "wb") as handle:  # streamed: the test itself holds 1 MB at a time
        line = (GOOD * 12000).encode()[: 1 << 20]
        for _ in range(200):
            handle.write(line)
    assert big.stat().st_size > MAX_DOCUMENT_BYTES
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    docs, rejects = ingest(corpus)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "200 MB" in rejects["dump.txt"] and "split it" in rejects["dump.txt"]
    assert sources(docs) == {"good.txt"}
    assert grown_mb < 100  # peak RSS: the file was hashed in chunks, never held whole


def test_a_file_that_is_one_5_mb_line(corpus):
    words = GOOD.split()
    line = " ".join(words[k % len(words)] + str(k % 97) for k in range(700_000))[: 5 << 20]
    (corpus / "oneline.txt").write_text(line, encoding="utf-8")
    docs, rejects = ingest(corpus)
    assert "oneline.txt" not in rejects
    row = next(d for d in docs.to_pylist() if d["source"] == "oneline.txt")
    assert row["n_paragraphs"] == 1


def test_an_unreadable_file(corpus):
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")  # a dangling link: unreadable even for root
    locked = corpus / "locked.txt"
    locked.write_text(GOOD)
    locked.chmod(0)
    docs, rejects = ingest(corpus)
    assert "could not be read" in rejects["gone.txt"] and "No such file" in rejects["gone.txt"]
    if os.geteuid() != 0:  # root reads a mode-000 file anyway
        assert "Permission denied" in rejects["locked.txt"]
    assert "good.txt" in sources(docs)


def test_malformed_jsonl_lines(corpus):
    lines = [
        json.dumps({"text": GOOD, "outlet": "wire"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": GOOD + " Second.", "published_at": "last week"}),
        json.dumps({"text": GOOD + " Third."}),
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, rejects = ingest(corpus)
    assert {"feed.jsonl#1", "feed.jsonl#7"} <= sources(docs)
    assert "not valid JSON" in rejects["feed.jsonl#2"]
    assert "`text`" in rejects["feed.jsonl#3"] and "`text`" in rejects["feed.jsonl#4"]
    assert "ISO 8601" in rejects["feed.jsonl#6"]


def test_manifest_with_bad_dates_and_unknown_paths(corpus):
    (corpus / "a.txt").write_text(GOOD)
    (corpus / "b.txt").write_text(GOOD + " Another.")
    (corpus / "manifest.csv").write_text(
        "path,outlet,published_at\na.txt,Daily,2019-06-25\n"
        "b.txt,Weekly,yesterday\nmissing.txt,Daily,2019-06-26\n"
    )
    docs, rejects = ingest(corpus)
    rows = {d["source"]: d for d in docs.to_pylist()}
    assert rows["a.txt"]["outlet"] == "Daily" and rows["a.txt"]["published_at"].year == 2019
    assert rows["b.txt"]["outlet"] == "Weekly" and rows["b.txt"]["published_at"] is None
    assert "yesterday" in rejects["manifest.csv#3"] and "without a date" in rejects["manifest.csv#3"]
    assert "missing.txt" in rejects["manifest.csv#4"]


def test_odd_characters_in_paths(corpus):
    names = ["with space.txt", 'quote\'s "double".txt', "émoji 🗞.txt", "hash#1.txt", "semi;colon,comma.txt"]
    folder = corpus / "Le Monde (Paris)"
    folder.mkdir()
    for k, name in enumerate(names):
        (folder / name).write_text(f"{GOOD} Variant {k}.")
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD)  # a latin-1 byte in the name: not UTF-8
    docs, rejects = ingest(corpus)
    assert {f"Le Monde (Paris)/{n}" for n in names} <= sources(docs)
    assert {d["outlet"] for d in docs.to_pylist() if d["source"] != "good.txt"} == {"Le Monde (Paris)"}
    assert "not valid UTF-8" in rejects["caf\ufffd.txt"]
