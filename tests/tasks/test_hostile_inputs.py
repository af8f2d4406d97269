"""Hostile inputs, one class per test, through the real ingest path (discover → read → prepare): each is
ingested correctly or rejected with a named reason, nothing hangs or grows without bound, nothing outside
the input folder is read, and the good file next to it always goes in (issue 16)."""

import gzip
import io
import json
import os
import resource
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks import ingest
from tasks.changes import prepare_isolated, printable_names, read_changed
from tasks.ingest import discover_inputs
from tasks.limits import ReadLimits
from tasks.prepare import PIPELINE_VERSION, prepare_documents

GOOD = "A good paragraph about the council budget, written plainly so that it reads as English prose.\n"
SMALL = ReadLimits(max_document_bytes=1 << 20)  # 1 MB: the caps are exercised with small inputs
# A real article page from the test fixtures, with a place for extra meta tags.
PAGE = (Path(__file__).parents[1] / "fixtures/corpus/coastal-herald/harbour-bridge-closure.html").read_text()


def page(published: str = "2025-02-17T16:40:00+00:00") -> str:
    """The article page, stating `published` as its publication time."""
    return PAGE.replace("2025-02-17T16:40:00+00:00", published)


@contextmanager
def within(seconds: int):
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`."""

    def stop(*_):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def ingest_all(root: Path, limits: ReadLimits = SMALL, warehouse: Path | None = None):
    """(documents table, raw documents, {source: reason}) as a run would see them."""
    with within(60):
        items, rejects = discover_inputs([root], warehouse)
        items, unnamed = printable_names(items)
        shard = read_changed(items, {}, PIPELINE_VERSION, limits)
        docs, _ = prepare_documents(shard.raws)
    return docs, shard.raws, {r.source: r.reason for r in rejects + unnamed + shard.rejects}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path / "in"


def sources(docs) -> set[str]:
    return set(docs.column("source").to_pylist())


def warc(records: list[tuple[str, bytes, str | None]]) -> bytes:
    """A gzipped web archive of HTML responses: (url, body, WARC-Date or None)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, body, date in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        headers = {"WARC-Date": date} if date else None
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=headers,
        )
        writer.write_record(record)
    return out.getvalue()


# 1. Per-input isolation


def test_an_unforeseen_error_in_one_file_or_line_costs_only_that(corpus, monkeypatch):
    (corpus / "broken.txt").write_text(GOOD + " Broken.")
    lines = [
        json.dumps({"text": GOOD + f" Line {n}.", "title": "boom" if n == 2 else "ok"}) for n in (1, 2, 3)
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n")
    real_text, real_meta = ingest.READERS[".txt"], ingest._jsonl_metadata

    def failing_text(item, data, limits):
        if item.source == "broken.txt":
            raise KeyError("a bug reprint did not foresee")
        return real_text(item, data, limits)

    def failing_meta(record):
        if record.get("title") == "boom":
            raise RuntimeError("another bug")
        return real_meta(record)

    monkeypatch.setitem(ingest.READERS, ".txt", failing_text)
    monkeypatch.setattr(ingest, "_jsonl_metadata", failing_meta)
    docs, _, rejects = ingest_all(corpus)
    assert "KeyError" in rejects["broken.txt"] and "not ingested" in rejects["broken.txt"]
    assert "RuntimeError: another bug" in rejects["feed.jsonl#2"]
    assert {"good.txt", "feed.jsonl#1", "feed.jsonl#3"} <= sources(docs)


# 2. Bounded reading


def test_decompression_bombs_are_refused_as_they_expand(corpus):
    zeros = b"\0" * (64 << 20)  # 64 MB expanded, about 64 KB gzipped and 2 KB as zstd
    (corpus / "bomb.jsonl.gz").write_bytes(gzip.compress(zeros, compresslevel=9))
    (corpus / "bomb.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(zeros))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    docs, _, rejects = ingest_all(corpus)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    for name in ("bomb.jsonl.gz", "bomb.jsonl.zst"):
        assert "expands to more than" in rejects[name], rejects
    assert "good.txt" in sources(docs)
    assert grown_mb < 48, f"reading the bombs grew memory by {grown_mb:.0f} MB"


def test_a_200_mb_jsonl_line_is_rejected_with_its_size_without_being_held(corpus):
    compressor = zstandard.ZstdCompressor()
    with open(corpus / "dump.jsonl.zst", "wb") as handle, compressor.stream_writer(handle) as out:
        out.write(json.dumps({"text": GOOD}).encode() + b"\n")
        out.write(b'{"text": "')
        for _ in range(200):
            out.write(b"a" * (1 << 20))
        out.write(b'"}\n')
        out.write(json.dumps({"text": GOOD + " After."}).encode() + b"\n")
    limits = ReadLimits(max_document_bytes=32 << 20, max_expansion=100_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    docs, _, rejects = ingest_all(corpus, limits)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "line 2 is 200 MB" in rejects["dump.jsonl.zst#2"] and "32 MB" in rejects["dump.jsonl.zst#2"]
    assert {"dump.jsonl.zst#1", "dump.jsonl.zst#3", "good.txt"} <= sources(docs)
    assert grown_mb < 120, f"reading a 200 MB line grew memory by {grown_mb:.0f} MB"


def test_a_web_archive_record_over_the_cap_is_rejected_and_the_others_read(corpus):
    body = page().encode()
    huge = body.replace(b"</article>", b"<p>" + b"x" * (2 << 20) + b"</p></article>")
    (corpus / "crawl.warc.gz").write_bytes(
        warc([("https://a.example/1", huge, None), ("https://a.example/2", body, None)])
    )
    docs, _, rejects = ingest_all(corpus)
    assert "record 1 (https://a.example/1) is 2 MB" in rejects["crawl.warc.gz#1"]
    assert {"crawl.warc.gz#2", "good.txt"} <= sources(docs)


def test_hostile_manifests(corpus):
    (corpus / "a.txt").write_text(GOOD + " A.")
    rows = ["path,outlet,title", f"a.txt,Daily,{'t' * 200_000}", "a.txt,First,Kept"]
    rows += [f"a.txt,Later {n},Ignored" for n in range(100_000)]  # 100k more rows for the same file
    (corpus / "manifest.csv").write_text("\n".join(rows) + "\n")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "b.txt").write_text(GOOD + " B.")
    (corpus / "sub" / "manifest.csv").write_bytes(b"path,outlet\nb.txt,Week\x00ly\n")
    docs, _, rejects = ingest_all(corpus)
    rows = {d["source"]: d for d in docs.to_pylist()}
    assert "field `title` is 200000 characters long" in rejects["manifest.csv#2"]
    assert rows["a.txt"]["outlet"] == "First" and rows["a.txt"]["title"] == "Kept"
    assert "on 100001 rows" in rejects["manifest.csv#4"] and "line 3" in rejects["manifest.csv#4"]
    assert "NUL" in rejects["sub/manifest.csv"] and rows["sub/b.txt"]["outlet"] == "sub"
    assert "good.txt" in rows


def test_json_nested_100k_deep_loses_only_its_line(corpus):
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (corpus / "feed.jsonl").write_text(deep + "\n" + json.dumps({"text": GOOD}) + "\n")
    docs, _, rejects = ingest_all(corpus)
    assert "nests JSON more than 64 levels deep" in rejects["feed.jsonl#1"]
    assert {"feed.jsonl#2", "good.txt"} <= sources(docs)


# 3. Only regular files inside the input roots


def test_special_files_are_refused_by_type_before_they_are_opened(corpus):
    os.mkfifo(corpus / "x.txt")  # reading it would wait for a writer forever
    os.mkfifo(corpus / "manifest.csv")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "random.jsonl").symlink_to("/dev/urandom")
    docs, _, rejects = ingest_all(corpus)
    assert "named pipe (FIFO)" in rejects["x.txt"] and "named pipe (FIFO)" in rejects["manifest.csv"]
    assert "outside the input folder" in rejects["zero.txt"]
    assert "outside the input folder" in rejects["random.jsonl"]
    assert sources(docs) == {"good.txt"}


def test_a_device_given_directly_is_refused(corpus):
    with within(20):
        items, rejects = discover_inputs([corpus / "good.txt", "/dev/zero"])
    assert [i.source for i in items] == ["good.txt"]
    assert "character device" in rejects[0].reason


def test_links_out_of_the_root_loops_and_deep_trees(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("A secret paragraph that lives outside the input folder and must never be read.\n")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "good.txt")  # a link to a file inside the root is read
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "up").symlink_to(corpus)  # a link back to the root: not followed
    folders = [corpus / "d"]
    for _ in range(1099):  # one by one: pathlib's mkdir(parents=True) recurses past Python's limit
        folders.append(folders[-1] / "d")
    try:
        for folder in folders:
            folder.mkdir()
        (folders[-1] / "deep.txt").write_text(GOOD + " Deep.")
        docs, raws, rejects = ingest_all(corpus)
    finally:  # removed here: pytest's own clean-up (shutil.rmtree) recurses and fails on 1100 levels
        (folders[-1] / "deep.txt").unlink(missing_ok=True)
        for folder in reversed(folders):
            if folder.exists():
                folder.rmdir()
    assert "outside the input folder" in rejects["passwd.txt"]
    assert "loop of links" in rejects["loop.txt"]
    assert "link to a folder" in rejects["up"]
    assert all("secret" not in r.text for r in raws)
    assert {"good.txt", "inside.txt", "/".join(["d"] * 1100) + "/deep.txt"} <= sources(docs)


def test_manifest_rows_outside_the_manifest_folder_are_refused(corpus, tmp_path):
    (tmp_path / "other.txt").write_text(GOOD)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "a.txt").write_text(GOOD + " A.")
    (corpus / "sub" / "manifest.csv").write_text(
        f"path,outlet\n../good.txt,Stolen\n{tmp_path / 'other.txt'},Stolen\na.txt,Daily\n"
    )
    docs, _, rejects = ingest_all(corpus)
    rows = {d["source"]: d for d in docs.to_pylist()}
    assert "outside the manifest's folder" in rejects["sub/manifest.csv#2"]
    assert "outside the manifest's folder" in rejects["sub/manifest.csv#3"]
    assert rows["good.txt"]["outlet"] is None and rows["sub/a.txt"]["outlet"] == "Daily"


def test_a_warehouse_is_never_read_as_input(corpus):
    own = corpus / "warehouse"  # the run's own warehouse inside its input folder, not built yet
    (own / "report").mkdir(parents=True)
    (own / "report" / "index.html").write_text(page())
    other = corpus / "old-warehouse"  # another warehouse, recognised by its catalog and versions
    (other / ".versions").mkdir(parents=True)
    (other / "corpus.duckdb").write_bytes(b"")
    (other / "notes.txt").write_text(GOOD + " Old.")
    docs, _, rejects = ingest_all(corpus, warehouse=own)
    assert sources(docs) == {"good.txt"}
    assert "warehouse this run writes to" in rejects["warehouse"]
    assert "is a reprint warehouse" in rejects["old-warehouse"]
    items, rejects = discover_inputs([own], own)
    assert items == [] and "never read as input" in rejects[0].reason


# 4. Malformed values


def test_dates_out_of_range_lose_the_date_not_the_document(corpus):
    lines = [
        {"text": GOOD + " Zero.", "published_at": "0000-01-01"},
        {"text": GOOD + " Ten thousand.", "published_at": "10000-01-01"},
        {"text": GOOD + " Overflow.", "published_at": "9999-12-31T23:00:00-05:00"},
        {"text": GOOD + " Underflow.", "published_at": "0001-01-01T00:30:00+01:00"},
    ]
    (corpus / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    (corpus / "a.txt").write_text(GOOD + " Manifest.")
    (corpus / "manifest.csv").write_text("path,published_at\na.txt,9999-12-31T23:59:59-10:00\n")
    (corpus / "page.html").write_text(page("9999-12-31T23:00:00-05:00"))
    body = page().encode()
    (corpus / "crawl.warc.gz").write_bytes(warc([("https://a.example/", body, "9999-12-31T23:00:00-05:00")]))
    docs, raws, rejects = ingest_all(corpus)
    got = {r.source: r for r in raws}
    expected = {f"feed.jsonl#{n}" for n in (1, 2, 3, 4)} | {
        "a.txt",
        "page.html",
        "crawl.warc.gz#1",
        "good.txt",
    }
    assert expected <= sources(docs), rejects
    assert all(got[s].published_at is None for s in expected - {"good.txt", "crawl.warc.gz#1", "page.html"})
    # The page's stated time is dropped; trafilatura may still find a day elsewhere on it (dateModified).
    assert got["page.html"].published_at is None or got["page.html"].published_at.year == 2025
    assert got["crawl.warc.gz#1"].captured_at is None
    assert any("out of range" in warning for warning in got["feed.jsonl#3"].warnings)


def test_lone_surrogates_and_a_huge_title(corpus):
    lines = [
        '{"text": "'
        + GOOD.strip()
        + ' Surrogate.", "url": "https://a.example/\\ud800x", "title": "\\udfff"}',
        json.dumps({"text": GOOD + " Emoji pair.", "title": "\ud83d\udcf0 news"}),
        json.dumps({"text": GOOD + " Long title.", "title": "T" * 500_000}),
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n")
    docs, _, rejects = ingest_all(corpus)
    rows = {d["source"]: d for d in docs.to_pylist()}
    assert rows["feed.jsonl#1"]["url"] == "https://a.example/\ufffdx"
    assert rows["feed.jsonl#2"]["title"] == "📰 news"
    assert len(rows["feed.jsonl#3"]["title"]) == SMALL.max_field_chars
    assert any("title cut" in label for label in rows["feed.jsonl#3"]["repairs"])


# 6. Silent damage


def test_a_file_mixing_utf8_and_cp1252_is_not_mojibake(corpus):
    utf8 = "Łódź and Zürich signed the agreement on Monday, the mayors said in a joint statement.\n\n"
    cp1252 = "The café owners’ association welcomed it — “at last”, its chair said.\n"
    (corpus / "mixed.txt").write_bytes(utf8.encode("utf-8") + cp1252.encode("cp1252"))
    _, raws, _ = ingest_all(corpus)
    doc = next(r for r in raws if r.source == "mixed.txt")
    assert (
        "Łódź and Zürich" in doc.text and "café owners’ association" in doc.text and "“at last”" in doc.text
    )
    assert doc.encoding == "utf-8+cp1252" and any("mixed encodings" in label for label in doc.repairs)


def test_a_page_nested_100k_deep_is_rejected_with_a_reason(corpus):
    body = "<div>" * 100_000 + "<p>" + GOOD * 3 + "</p>" + "</div>" * 100_000
    (corpus / "deep.html").write_text(f"<html><body>{body}</body></html>")
    docs, _, rejects = ingest_all(corpus, ReadLimits())
    assert "more than 256 levels deep" in rejects["deep.html"]
    assert "good.txt" in sources(docs)


def test_a_file_whose_text_breaks_preparing_costs_only_itself(corpus):
    (corpus / "poison.txt").write_text(GOOD + " Poison.")
    items, _ = discover_inputs([corpus])
    shard = read_changed(items, {}, PIPELINE_VERSION)

    def prepare(raws):
        if any("Poison" in r.text for r in raws):
            raise IndexError("a step reprint did not foresee failing on this text")
        return prepare_documents(raws)

    docs, _, rejects, failed = prepare_isolated(shard, prepare)
    assert [source for _, source in failed] == ["poison.txt"] and "IndexError" in rejects[0].reason
    assert sources(docs) == {"good.txt"}
